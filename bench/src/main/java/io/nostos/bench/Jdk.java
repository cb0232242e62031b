package io.nostos.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JDK a benchmark starts its client JVMs with: its home directory and feature version (17,
 * 25...). From JDK 25 on, a class archive is an AOT cache, which also keeps the method profiles
 * of the JVM that wrote it (JEP 483, 515); {@code ./nostos} makes the same choice.
 */
record Jdk(Path home, int feature) {
  private static final Pattern VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

  /** The JDK this JVM runs on. */
  static Jdk current() {
    return new Jdk(Path.of(System.getProperty("java.home")), Runtime.version().feature());
  }

  /**
   * The JDK whose home is {@code home}, its version read from its {@code release} file; an
   * {@link IllegalArgumentException} that says what was expected if {@code home} is not a JDK.
   */
  static Jdk at(Path home) {
    Path release = home.resolve("release");
    if (!Files.isExecutable(home.resolve("bin/java")) || !Files.isRegularFile(release)) {
      throw new IllegalArgumentException(home + " is not a JDK's home directory (no bin/java and release file "
          + "there); give one such as /usr/lib/jvm/temurin-25-jdk-amd64");
    }
    try {
      Matcher m = VERSION.matcher(Files.readString(release));
      if (!m.find()) {
        throw new IllegalArgumentException(release + " has no JAVA_VERSION line: is " + home + " a JDK?");
      }
      return new Jdk(home, Integer.parseInt(m.group(1)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + release, e);
    }
  }

  String java() {
    return home.resolve("bin").resolve("java").toString();
  }

  /** Whether its class archives are AOT caches (JDK 25 or newer) rather than AppCDS archives. */
  boolean aotCache() {
    return feature >= 25;
  }

  /**
   * Flags that keep a JDK 24+ from warning, on every start, about what the driver's shaded Guava
   * (sun.misc.Unsafe) and jffi (native code) do, as {@code ./nostos} does.
   */
  List<String> quietFlags() {
    return feature >= 24 ? List.of("--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED")
        : List.of();
  }
}
