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
 * JVM flags for a class-data archive (AppCDS) of one benchmark variant: a warm-up JVM writes the
 * archive of the classes it loaded as it exits; later JVMs of the same variant map it, as
 * {@code ./nostos run} does from its second run on. The JVM archives classes from jars only: with
 * a directory on the classpath (the bench's own classes under a test runner) there is no archive,
 * and no flags.
 */
final class ClassArchive {
  /** CDS warnings (e.g. a class that cannot be archived) would mix with a variant's output. */
  private static final List<String> QUIET = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");

  private ClassArchive() {}

  /**
   * Flags that make a JVM on {@code classpath} write {@code archive} as it exits, replacing an
   * older one; none (and no archive) if {@code classpath} has a directory.
   */
  static List<String> dump(Path archive, String classpath) {
    try {
      Files.createDirectories(archive.getParent());
      Files.deleteIfExists(archive);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + archive, e);
    }
    boolean jarsOnly = Arrays.stream(classpath.split(File.pathSeparator)).noneMatch(e -> Files.isDirectory(Path.of(e)));
    return jarsOnly ? quietly("-XX:ArchiveClassesAtExit=" + archive) : List.of();
  }

  /** Flags that map {@code archive} if a warm-up wrote it; none otherwise. */
  static List<String> use(Path archive) {
    return Files.isRegularFile(archive) ? quietly("-XX:SharedArchiveFile=" + archive) : List.of();
  }

  private static List<String> quietly(String flag) {
    List<String> flags = new ArrayList<>(List.of(flag));
    flags.addAll(QUIET);
    return List.copyOf(flags);
  }
}
