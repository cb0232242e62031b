package io.nostos.pipelines;

import com.datastax.oss.driver.api.core.CqlSession;
import io.nostos.catalog.DatasetVersion;
import io.nostos.catalog.SharedSessions;
import io.nostos.catalog.VersionLifecycle;
import io.nostos.catalog.VersionState;
import io.nostos.sstable.RangeResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * The last step of a run, once every range is streamed and verified: check that the ranges the
 * sink wrote nothing for are empty, record the version as loaded and promote it (unless a newer
 * version is current). Each part is idempotent, so a retried bundle redoes only what is left.
 * Pruning old versions is left to the process that started the run, after the pipeline: a
 * failure there must not look like a failed load.
 */
final class Finalize extends DoFn<KV<Integer, Iterable<RangeResult>>, String> {
  private final RunContext ctx;
  private final Map<String, String> declaredColumns;
  private final PCollectionView<List<String>> fieldNames;

  Finalize(RunContext ctx, Map<String, String> declaredColumns, PCollectionView<List<String>> fieldNames) {
    this.ctx = ctx;
    this.declaredColumns = declaredColumns;
    this.fieldNames = fieldNames;
  }

  @ProcessElement
  public void process(ProcessContext c) {
    List<RangeResult> ranges = new ArrayList<>();
    c.element().getValue().forEach(ranges::add);
    long rows = ranges.stream().mapToLong(RangeResult::rows).sum();
    long bytes = ranges.stream().mapToLong(RangeResult::bytes).sum();
    Map<String, String> columns = new LinkedHashMap<>(declaredColumns);
    for (String f : new TreeSet<>(c.sideInput(fieldNames))) {
      columns.put(f, "json");
    }
    try (SharedSessions.Lease<CqlSession> lease = SharedSessions.lease(ctx.target())) {
      CqlSession session = lease.session();
      VersionLifecycle lifecycle = new VersionLifecycle(session, ctx.target());
      DatasetVersion v = lifecycle.catalog().version(ctx.dataset(), ctx.version());
      if (v != null && v.state() == VersionState.BUILDING) {
        // Each written range was verified as it was streamed (VerifyRangeFn); what is left is
        // that the planned ranges the sink wrote nothing for are empty.
        Verifier.verifyUnwritten(session, ctx.table(), ctx.ranges(), ranges);
        lifecycle.catalog().markLoaded(ctx.dataset(), ctx.version(), rows, bytes, columns);
      }
      boolean promoted = lifecycle.autoPromote(ctx.dataset(), ctx.version());
      c.output(ctx.dataset() + " v" + ctx.version() + ": " + rows + " rows in " + ranges.size() + " ranges"
          + (promoted ? ", promoted" : ", loaded (a newer version is current)"));
    }
  }
}
