package io.nostos.pipelines;

import io.nostos.catalog.CassandraTarget;
import io.nostos.pipelines.spec.Spec;
import io.nostos.sstable.LoadTarget;
import io.nostos.sstable.TableSchema;
import io.nostos.sstable.TokenRange;
import java.io.Serializable;
import java.util.List;

/**
 * Everything one run decided before its pipeline was built: the version being built, its table,
 * the token ranges, where SSTables are staged and where they go, where bad rows are written.
 */
public record RunContext(
    String dataset,
    int version,
    TableSchema table,
    List<TokenRange> ranges,
    String stagingDirectory,
    CassandraTarget target,
    LoadTarget loadTarget,
    int verifySample,
    Spec.Verify verify,
    int sortBufferMib,
    String deadLetterDirectory)
    implements Serializable {

  public RunContext {
    ranges = List.copyOf(ranges);
  }

  /** Rows per range kept for read-back verification. */
  public int samplePerRange() {
    return verifySample == 0 ? 0 : Math.max(1, (verifySample + ranges.size() - 1) / ranges.size());
  }
}
