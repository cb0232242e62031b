package io.nostos.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * JVM flags for a class archive of one benchmark variant: a warm-up JVM writes the archive of the
 * classes it loaded as it exits; later JVMs of the same variant map it, as {@code ./nostos run}
 * does from its second run on. On JDK 25 or newer the archive is an AOT cache (classes linked, and
 * the method profiles of the warm-up), before that an AppCDS archive. The JVM archives classes from
 * jars only: with a directory on the classpath (the bench's own classes under a test runner) there
 * is no archive, and no flags.
 */
final class ClassArchive {
  /** Archive warnings (e.g. a class that cannot be archived) would mix with a variant's output. */
  private static final List<String> QUIET = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");
  private static final List<String> QUIET_AOT = List.of("-Xlog:cds=off", "-Xlog:aot=off");

  private ClassArchive() {}

  /** Where the archive of {@code variant}'s JVMs on {@code jdk} lives under {@code dir}. */
  static Path file(Path dir, String variant, Jdk jdk) {
    return dir.resolve(variant + (jdk.aotCache() ? ".aot" : ".jsa"));
  }

  /**
   * Flags that make a JVM of {@code jdk} on {@code classpath} write {@code archive} as it exits,
   * replacing an older one; none (and no archive) if {@code classpath} has a directory.
   */
  static List<String> dump(Path archive, String classpath, Jdk jdk) {
    try {
      Files.createDirectories(archive.getParent());
      Files.deleteIfExists(archive);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + archive, e);
    }
    boolean jarsOnly = Arrays.stream(classpath.split(File.pathSeparator)).noneMatch(e -> Files.isDirectory(Path.of(e)));
    if (!jarsOnly) {
      return List.of();
    }
    return jdk.aotCache() ? quietly("-XX:AOTCacheOutput=" + archive, QUIET_AOT)
        : quietly("-XX:ArchiveClassesAtExit=" + archive, QUIET);
  }

  /** Flags that make a JVM of {@code jdk} map {@code archive} if a warm-up wrote it; none otherwise. */
  static List<String> use(Path archive, Jdk jdk) {
    if (!Files.isRegularFile(archive)) {
      return List.of();
    }
    return jdk.aotCache() ? quietly("-XX:AOTCache=" + archive, QUIET_AOT)
        : quietly("-XX:SharedArchiveFile=" + archive, QUIET);
  }

  private static List<String> quietly(String flag, List<String> quiet) {
    List<String> flags = new ArrayList<>(List.of(flag));
    flags.addAll(quiet);
    return List.copyOf(flags);
  }
}
