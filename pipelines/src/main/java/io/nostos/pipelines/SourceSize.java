package io.nostos.pipelines;

import io.nostos.pipelines.spec.Spec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * Estimates how many bytes a spec's sources hold, to choose how many token ranges to write.
 * Uses Beam's file systems, so local globs and s3:// paths both work once the pipeline options
 * are registered ({@link FileSystems#setDefaultPipelineOptions}).
 */
final class SourceSize {
  /** Compressed files hold about this many times their size. */
  private static final int COMPRESSION_FACTOR = 4;

  private SourceSize() {}

  /** Bytes of input over all sources; JDBC sources count 0 (unknown). */
  static long estimateBytes(Map<String, Spec.Source> sources) {
    long total = 0;
    for (Spec.Source s : sources.values()) {
      total += estimateBytes(s);
    }
    return total;
  }

  static long estimateBytes(Spec.Source source) {
    if (!(source instanceof Spec.FilesSource)) {
      return 0;
    }
    Spec.FilesSource f = (Spec.FilesSource) source;
    if (f.manifest() != null) {
      return UnloadManifest.read(f.manifest()).contentBytes() * COMPRESSION_FACTOR;
    }
    try {
      MatchResult m = FileSystems.match(f.path(), EmptyMatchTreatment.ALLOW);
      long total = 0;
      for (MatchResult.Metadata md : m.metadata()) {
        String name = md.resourceId().getFilename();
        boolean compressed = name != null && (name.endsWith(".gz") || name.endsWith(".bz2") || name.endsWith(".zst"));
        total += compressed ? md.sizeBytes() * COMPRESSION_FACTOR : md.sizeBytes();
      }
      return total;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + f.path() + ": " + e.getMessage(), e);
    }
  }
}
