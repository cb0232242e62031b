package io.nostos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code nostos} script's {@code java_version}, which names the class archive after the JDK
 * that runs the CLI and picks an AOT cache from JDK 25 on: run from the script itself in bash,
 * against JDK homes made here.
 */
class NostosScriptTest {
  private static final Path SCRIPT = Paths.get("..", "nostos").toAbsolutePath().normalize();

  @TempDir Path dir;

  @Test
  void readsTheVersionFromTheReleaseFileOfTheJdkThatJavaBelongsTo() throws Exception {
    Path jdk25 = jdk("temurin-25", "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"25.0.3\"\n");
    Path jdk17 = jdk("openjdk-17", "JAVA_VERSION=\"17.0.15\"\nJAVA_RUNTIME_VERSION=\"17.0.15+6\"\n");
    assertThat(javaVersion(jdk25.resolve("bin/java").toString())).isEqualTo("25.0.3");
    assertThat(javaVersion(jdk17.resolve("bin/java").toString())).isEqualTo("17.0.15");

    // Through a symlink, as /usr/bin/java is on Debian: the JDK is where the link leads.
    Path link = Files.createSymbolicLink(Files.createDirectories(dir.resolve("usr-bin")).resolve("java"),
        jdk25.resolve("bin/java"));
    assertThat(javaVersion(link.toString())).isEqualTo("25.0.3");
  }

  @Test
  void anUnknownJdkIsVersionZero() throws Exception {
    Path noRelease = jdk("no-release", null);
    assertThat(javaVersion(noRelease.resolve("bin/java").toString())).isEqualTo("0");
    assertThat(javaVersion(dir.resolve("missing/bin/java").toString())).isEqualTo("0");
  }

  /** A directory that looks like a JDK home: an executable bin/java and, unless null, a release file. */
  private Path jdk(String name, String release) throws IOException {
    Path home = dir.resolve(name);
    Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
    Files.writeString(java, "#!/bin/sh\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    if (release != null) {
      Files.writeString(home.resolve("release"), release);
    }
    return home;
  }

  /** The script's java_version function, defined from the script's own text, with JAVA set to {@code java}. */
  private static String javaVersion(String java) throws Exception {
    String bash = "eval \"$(sed -n '/^java_version()/,/^}/p' \"$1\")\"; JAVA=\"$2\"; java_version";
    Process p = new ProcessBuilder("bash", "-c", bash, "bash", SCRIPT.toString(), java).redirectErrorStream(true).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
