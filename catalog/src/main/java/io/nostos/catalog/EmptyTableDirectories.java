package io.nostos.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Removes the folders Cassandra leaves in a keyspace's data directory after a table is dropped
 * and its snapshot cleared ({@code <table>-<id>/snapshots/}, empty). Only folders of versioned
 * tables of one dataset that hold no file at all are removed, so live tables are never touched.
 * Used for nodes whose data directory this process can see (the dev node). Idempotent.
 */
final class EmptyTableDirectories {
  private EmptyTableDirectories() {}

  static void remove(Path keyspaceDir, String dataset) {
    if (!Files.isDirectory(keyspaceDir)) {
      return;
    }
    Pattern ours = Pattern.compile(Pattern.quote(dataset) + "_v[1-9][0-9]*-[0-9a-f]{32}");
    try (Stream<Path> tables = Files.list(keyspaceDir)) {
      for (Path dir : tables.filter(p -> ours.matcher(p.getFileName().toString()).matches()).toList()) {
        if (holdsNoFile(dir)) {
          deleteTree(dir);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot tidy " + keyspaceDir, e);
    }
  }

  private static boolean holdsNoFile(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.noneMatch(Files::isRegularFile);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    List<Path> all;
    try (Stream<Path> s = Files.walk(dir)) {
      all = s.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path p : all) {
      Files.deleteIfExists(p);
    }
  }
}
