package io.nostos.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdkTest {
  @TempDir Path home;

  @Test
  void readsTheFeatureVersionFromTheReleaseFile() throws IOException {
    fakeJdk("IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"25.0.3\"\nOS_NAME=\"Linux\"\n");
    Jdk jdk = Jdk.at(home);
    assertThat(jdk.feature()).isEqualTo(25);
    assertThat(jdk.java()).isEqualTo(home.resolve("bin/java").toString());
    assertThat(jdk.aotCache()).isTrue();
    assertThat(jdk.quietFlags()).containsExactly("--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED");
  }

  @Test
  void aJdk17HasAppCdsArchivesAndNoExtraFlags() throws IOException {
    fakeJdk("JAVA_VERSION=\"17.0.15\"\n");
    Jdk jdk = Jdk.at(home);
    assertThat(jdk.feature()).isEqualTo(17);
    assertThat(jdk.aotCache()).isFalse();
    assertThat(jdk.quietFlags()).isEmpty();
  }

  @Test
  void theCurrentJdkIsTheOneThisJvmRunsOn() {
    assertThat(Jdk.current().feature()).isEqualTo(Runtime.version().feature());
    assertThat(Path.of(Jdk.current().java())).isExecutable();
  }

  @Test
  void aDirectoryThatIsNotAJdkSaysWhatWasExpected() throws IOException {
    assertThatThrownBy(() -> Jdk.at(home)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage(home + " is not a JDK's home directory (no bin/java and release file there); give one such as "
            + "/usr/lib/jvm/temurin-25-jdk-amd64");
    fakeJdk("IMPLEMENTOR=\"someone\"\n");
    assertThatThrownBy(() -> Jdk.at(home)).hasMessage(home.resolve("release") + " has no JAVA_VERSION line: is "
        + home + " a JDK?");
  }

  private void fakeJdk(String release) throws IOException {
    Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
    Files.writeString(java, "#!/bin/sh\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(home.resolve("release"), release);
  }
}
