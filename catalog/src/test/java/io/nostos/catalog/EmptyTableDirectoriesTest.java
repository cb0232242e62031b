package io.nostos.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmptyTableDirectoriesTest {
  @TempDir Path ks;

  @Test
  void removesOnlyEmptyFoldersOfTheDatasetsVersions() throws IOException {
    String id = "0123456789abcdef0123456789abcdef";
    Path dropped = Files.createDirectories(ks.resolve("users_v1-" + id).resolve("snapshots"));
    Path live = Files.createDirectories(ks.resolve("users_v2-" + id));
    Files.writeString(live.resolve("oa-1-big-Data.db"), "x");
    Path otherDataset = Files.createDirectories(ks.resolve("users_archive_v1-" + id).resolve("snapshots"));
    Path notVersioned = Files.createDirectories(ks.resolve("users-" + id));

    EmptyTableDirectories.remove(ks, "users");

    assertThat(dropped.getParent()).doesNotExist();
    assertThat(live).exists();
    assertThat(otherDataset).exists();
    assertThat(notVersioned).exists();
  }
}
