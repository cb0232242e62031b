package io.nostos.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import io.nostos.catalog.CatalogStore;
import io.nostos.catalog.DatasetVersion;
import io.nostos.catalog.Sessions;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every benchmark with tiny inputs so they keep working: each variant must load exactly the
 * generated rows. No timing is asserted (the machine is shared and noisy).
 */
class BenchSmokeTest {
  private static final int ROWS = 2000;
  @TempDir static Path dir;
  private static BenchNode node;
  private static final PrintStream LOG = new PrintStream(PrintStream.nullOutputStream());

  @BeforeAll
  static void startNode() {
    node = BenchNode.start(dir, "768m");
  }

  @AfterAll
  static void stopNode() {
    node.close();
  }

  private static long count(String ks, String table) {
    try (CqlSession s = Sessions.open(node.target(ks))) {
      return s.execute("SELECT count(*) FROM " + ks + "." + table).one().getLong(0);
    }
  }

  /** The SSTable data files of keyspace {@code ks} on the node. */
  private static List<Path> dataFiles(String ks) {
    try (Stream<Path> files = Files.walk(dir.resolve("node"))) {
      return files.filter(f -> f.toString().contains("/" + ks + "/") && f.toString().endsWith("-Data.db"))
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String current(String ks, String dataset) {
    try (CqlSession s = Sessions.open(node.target(ks))) {
      CatalogStore c = new CatalogStore(s, ks);
      DatasetVersion v = c.version(dataset, c.current(dataset).orElseThrow());
      return v.table();
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void loadRunsEveryVariantOnTheSameRows() {
    DataSet data = new DataSet(ROWS, 120, 7);
    // Nostos verifies with sample here and loads twice in its measured JVM (the options of a warm-JVM
    // measurement); the default, count, is what every pipeline integration test runs.
    Map<String, Object> r = new LoadBench(node, dir, "1g", LOG, "sample", 2, Jdk.current())
        .run(data, LoadBench.ALL_VARIANTS, new DataSet(300, 120, 8));
    Map<String, Map<String, Object>> v = (Map<String, Map<String, Object>>) r.get("variants");
    assertThat(v.keySet()).containsExactly("nostos-flink", "nostos-direct", "nostos-daemon", "driver", "dsbulk",
        "writer", "stream");
    for (String name : List.of("nostos-flink", "nostos-direct", "nostos-daemon", "driver", "dsbulk", "writer")) {
      assertThat(((Number) v.get(name).get("rows")).longValue()).as(name).isEqualTo(ROWS);
    }
    assertThat(current("bench_nostos_flink", "nostos_flink")).isEqualTo("nostos_flink_v2");
    assertThat((List<?>) v.get("nostos-flink").get("seconds_each_run")).hasSize(2);
    assertThat(v.get("nostos-direct").get("verify")).isEqualTo("sample");
    assertThat(count("bench_nostos_flink", current("bench_nostos_flink", "nostos_flink"))).isEqualTo(ROWS);
    assertThat(count("bench_nostos_direct", current("bench_nostos_direct", "nostos_direct"))).isEqualTo(ROWS);
    // The daemon's warm-up load went to a keyspace of its own; then it loaded twice here.
    assertThat(current("bench_nostos_daemon", "nostos_daemon")).isEqualTo("nostos_daemon_v2");
    assertThat((List<?>) v.get("nostos-daemon").get("seconds_each_run")).hasSize(2);
    assertThat(count("bench_nostos_daemon", "nostos_daemon_v2")).isEqualTo(ROWS);
    assertThat(((Number) v.get("nostos-daemon").get("daemon_cpu_seconds")).doubleValue()).isPositive();
    assertThat(count("bench_driver", "driver_t")).isEqualTo(ROWS);
    assertThat(count("bench_dsbulk", "dsbulk_t")).isEqualTo(ROWS);
    assertThat(count("bench_writer", "writer_t")).isEqualTo(ROWS);
    // The warm-up loaded into keyspaces of its own and dropped them; dsbulk (all jars) got a class
    // archive, the bench's own JVMs did not (their classes come from a directory under the test runner).
    assertThat(r.get("warmup_rows")).isEqualTo(300L);
    assertThat(r.get("client_jdk")).isEqualTo(Runtime.version().feature());
    try (CqlSession s = Sessions.open(node.target("system"))) {
      assertThat(s.execute("SELECT keyspace_name FROM system_schema.keyspaces").all())
          .extracting(row -> row.getString(0)).noneMatch(ks -> ks.startsWith("warmup_"));
    }
    assertThat(dir.resolve("cds/dsbulk.jsa")).isNotEmptyFile();
    assertThat(dir.resolve("cds/nostos-flink.jsa")).doesNotExist();
    assertThat((Map<String, Object>) r.get("ratios")).containsKeys("nostos-flink/driver", "nostos-flink/dsbulk",
        "nostos-flink sink/ceiling per thread", "driver/nostos-flink node CPU per row",
        "dsbulk/nostos-flink node CPU per row", "nostos-daemon/driver", "nostos-daemon/dsbulk");
    v.forEach((name, m) -> {
      assertThat(((Number) m.get("client_cpu_seconds")).doubleValue()).as(name).isPositive();
      assertThat(((Number) m.get("node_cpu_seconds_settled")).doubleValue()).as(name)
          .isGreaterThanOrEqualTo(((Number) m.get("node_cpu_seconds")).doubleValue());
    });
    // Settling flushed what the driver wrote through CQL: its rows are in an SSTable, not only in the memtable.
    assertThat(dataFiles("bench_driver")).isNotEmpty();
    try (CqlSession s = Sessions.open(node.target("bench_dsbulk"))) {
      DataSet.Row first = data.row(0);
      var row = s.execute("SELECT a, b, name, value FROM bench_dsbulk.dsbulk_t WHERE id = ?", first.id()).one();
      assertThat(List.of(row.getInt(0), row.getInt(1), row.getString(2), row.getString(3)))
          .containsExactly(first.a(), first.b(), first.name(), first.value());
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void serveMeasuresRestAndDriverAtEachConcurrency() {
    Map<String, Object> r = new ServeBench(node, LOG).run(new DataSet(ROWS, 120, 7), dir, "bench_serve_smoke",
        List.of(1, 2), Duration.ofSeconds(1), Duration.ZERO);
    List<Map<String, Object>> points = (List<Map<String, Object>>) r.get("points");
    assertThat(points).extracting(p -> p.get("mode") + "@" + p.get("clients"))
        .containsExactly("rest+cache@1", "rest@1", "driver@1", "rest+cache@2", "rest@2", "driver@2");
    points.forEach(p -> assertThat(((Number) p.get("requests")).longValue()).isPositive());
    // Only the cached server reports hits; only REST paths have a server whose CPU is counted.
    // The cache is filled before the measured points, so every cached read is a hit.
    assertThat(points).extracting(p -> p.get("cache_hit_ratio"))
        .containsExactly(1.0, null, null, 1.0, null, null);
    assertThat(points).extracting(p -> ((Map<String, Object>) p.get("cpu_us_per_request")).keySet().toString())
        .containsExactly("[client, server, cassandra]", "[client, server, cassandra]", "[client, cassandra]",
            "[client, server, cassandra]", "[client, server, cassandra]", "[client, cassandra]");
    assertThat((List<Map<String, Object>>) r.get("ratios")).extracting(x -> x.get("clients") + ": " + x.keySet())
        .containsExactly(
            "1: [clients, http_hop_cpu_us, driver_cpu_us, uncached_cpu_floor, uncached_cpu_ratio, uncached_p99_ratio, cached_p99_ratio]",
            "2: [clients, http_hop_cpu_us, driver_cpu_us, uncached_cpu_floor, uncached_cpu_ratio, uncached_p99_ratio, cached_p99_ratio]");
  }

  @Test
  @SuppressWarnings("unchecked")
  void swapTimesPromoteAndRollbackAtEachSize() {
    Map<String, Object> r = new SwapBench(node, LOG).run(List.of(300L, 600L), 80, 7, dir, 3);
    assertThat((List<Map<String, Object>>) r.get("points")).extracting(p -> p.get("rows") + " " + p.get("operation"))
        .containsExactly("300 rollback", "300 promote", "600 rollback", "600 promote");
  }

  @Test
  void percentilesUseTheNearestRank() {
    long[] samples = {5, 1, 4, 2, 3, 10, 9, 8, 7, 6};
    assertThat(Results.percentiles(samples, 50, 90, 99, 100)).containsExactly(5, 9, 10, 10);
    assertThat(Results.percentiles(new long[0], 50)).containsExactly(0);
  }
}
