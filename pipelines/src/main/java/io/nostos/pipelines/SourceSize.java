package io.nostos.pipelines;

import io.nostos.pipelines.spec.Spec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.Paths;
import java.util.stream.Stream;

/** Estimates how many bytes a source holds, to choose how many token ranges to write. */
final class SourceSize {
  /** Compressed files hold about this many times their size. */
  private static final int COMPRESSION_FACTOR = 4;

  private SourceSize() {}

  /** Bytes of input, or 0 when unknown (a JDBC query). */
  static long estimateBytes(Spec.Source source) {
    if (!(source instanceof Spec.FilesSource)) {
      return 0;
    }
    Path pattern = Paths.get(((Spec.FilesSource) source).path());
    Path dir = pattern.getParent();
    while (dir != null && dir.toString().matches(".*[*?\\[{].*")) {
      dir = dir.getParent();
    }
    if (dir == null || !Files.isDirectory(dir)) {
      return 0;
    }
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).filter(matcher::matches).mapToLong(SourceSize::bytes).sum();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  private static long bytes(Path f) {
    try {
      String name = f.getFileName().toString();
      long size = Files.size(f);
      return name.endsWith(".gz") || name.endsWith(".bz2") || name.endsWith(".zst") ? size * COMPRESSION_FACTOR : size;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
