package io.nostos.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassArchiveTest {
  @TempDir Path dir;

  @Test
  void dumpsOnlyForAClasspathOfJarsAndReplacesAnOlderArchive() throws IOException {
    Path jar = Files.writeString(dir.resolve("a.jar"), "");
    Path classes = Files.createDirectories(dir.resolve("classes"));
    Path archive = dir.resolve("cds/v.jsa");

    assertThat(ClassArchive.dump(archive, jar.toString()))
        .containsExactly("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    Files.writeString(archive, "old");
    assertThat(ClassArchive.dump(archive, jar + File.pathSeparator + classes)).isEmpty();
    assertThat(archive).doesNotExist();
  }

  @Test
  void usesAnArchiveOnlyIfOneWasWritten() throws IOException {
    Path archive = dir.resolve("v.jsa");
    assertThat(ClassArchive.use(archive)).isEmpty();
    Files.writeString(archive, "archive");
    assertThat(ClassArchive.use(archive))
        .containsExactly("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
  }
}
