package io.nostos.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import io.nostos.catalog.Sessions;
import io.nostos.catalog.VersionLifecycle;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The swap benchmark: latency of promote and rollback (what makes a version current) at several
 * data sizes. Each size loads the same dataset twice (v1, v2), then alternates rollback to v1 and
 * promote of v2, timing each call as a client of the catalog does.
 */
final class SwapBench {
  private final BenchNode node;
  private final PrintStream log;

  SwapBench(BenchNode node, PrintStream log) {
    this.node = node;
    this.log = log;
  }

  Map<String, Object> run(List<Long> sizes, int valueBytes, long seed, Path dir, int repetitions) {
    List<Map<String, Object>> points = new ArrayList<>();
    for (long rows : sizes) {
      DataSet data = new DataSet(rows, valueBytes, seed);
      String ks = "bench_swap_" + rows;
      String dataset = "swap_docs";
      node.dropKeyspace(ks);  // versions of an interrupted run would change the numbering
      Loads.document(node, data, dir, ks, dataset, log);
      int newer = Loads.document(node, data, dir, ks, dataset, log).version();
      long[] rollback = new long[repetitions];
      long[] promote = new long[repetitions];
      try (CqlSession s = Sessions.open(node.target(ks))) {
        VersionLifecycle lifecycle = new VersionLifecycle(s, node.target(ks));
        for (int i = 0; i < repetitions; i++) {
          long t0 = System.nanoTime();
          lifecycle.rollback(dataset, OptionalInt.empty());
          long t1 = System.nanoTime();
          lifecycle.promote(dataset, newer);
          long t2 = System.nanoTime();
          rollback[i] = t1 - t0;
          promote[i] = t2 - t1;
        }
      }
      points.add(point(rows, "rollback", rollback));
      points.add(point(rows, "promote", promote));
    }
    List<List<String>> table = new ArrayList<>();
    for (Map<String, Object> p : points) {
      table.add(List.of(p.get("rows").toString(), (String) p.get("operation"), Results.fmt((Double) p.get("p50_ms"), 2),
          Results.fmt((Double) p.get("p99_ms"), 2), Results.fmt((Double) p.get("max_ms"), 2)));
    }
    Results.table(log, List.of("rows", "operation", "p50 ms", "p99 ms", "max ms"), table);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("benchmark", "swap");
    out.put("repetitions", repetitions);
    out.put("points", points);
    return out;
  }

  private static Map<String, Object> point(long rows, String operation, long[] nanos) {
    long[] p = Results.percentiles(nanos, 50, 99, 100);
    return Results.map("rows", rows, "operation", operation, "p50_ms", p[0] / 1e6, "p99_ms", p[1] / 1e6,
        "max_ms", p[2] / 1e6);
  }
}
