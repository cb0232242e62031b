package io.nostos.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import io.nostos.catalog.CatalogException;
import io.nostos.catalog.CatalogStore;
import io.nostos.catalog.DatasetVersion;
import io.nostos.catalog.VersionLifecycle;
import io.nostos.catalog.VersionState;
import io.nostos.pipelines.JobRunner;
import io.nostos.pipelines.spec.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Versions over several runs against a real node: retention drops the oldest version and frees
 * its snapshot on disk, rollback switches the current version, and a rolled-back version is never
 * promoted again by later runs.
 */
class VersionLifecycleTest {
  @TempDir Path tmp;

  private Spec spec(String ks, String dataset, int generation) throws IOException {
    Path data = tmp.resolve(dataset + "-" + generation + ".csv");
    StringBuilder csv = new StringBuilder("id,gen,label\n");
    for (int i = 0; i < 40; i++) {
      csv.append("k").append(i).append(',').append(generation).append(",\"label, ").append(i).append("\"\n");
    }
    Files.writeString(data, csv.toString());
    return Runs.spec(tmp, dataset + "-" + generation, "dataset: " + dataset + "\n"
        + "source: {type: files, path: " + data + ", format: csv}\n"
        + "key: [id]\n"
        + "retain_versions: 3\n"
        + "load: {keyspace: " + ks + ", ranges: 2}\n");
  }

  private static Map<Integer, VersionState> states(CatalogStore c, String dataset) {
    return c.versions(dataset).stream().collect(Collectors.toMap(DatasetVersion::version, DatasetVersion::state,
        (a, b) -> a, TreeMap::new));
  }

  @Test
  void retentionRollbackAndNoRepromotion() throws IOException {
    String ks = TestCassandra.newKeyspace("lifecycle");
    JobRunner runner = Runs.runner(ks, tmp.resolve("work"));
    for (int gen = 1; gen <= 4; gen++) {
      JobRunner.Outcome o = runner.run(spec(ks, "profiles", gen));
      assertThat(o.version()).isEqualTo(gen);
      assertThat(o.state()).isEqualTo(VersionState.CURRENT);
      assertThat(o.dropped()).isEqualTo(gen == 4 ? List.of(1) : List.of());
    }
    try (CqlSession s = TestCassandra.session(ks)) {
      CatalogStore catalog = new CatalogStore(s, ks);
      assertThat(states(catalog, "profiles")).isEqualTo(Map.of(
          1, VersionState.DROPPED, 2, VersionState.BACKUP, 3, VersionState.BACKUP, 4, VersionState.CURRENT));
      List<String> tables = s.execute("SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?", ks)
          .all().stream().map(r -> r.getString(0)).filter(t -> t.startsWith("profiles_")).sorted().toList();
      assertThat(tables).containsExactly("profiles_v2", "profiles_v3", "profiles_v4");
      assertThat(snapshotDirsOf(ks, "profiles_v1")).isEmpty();
      assertThat(tableDirsOf(ks, "profiles_v1")).as("nothing of the dropped table is left on disk").isEmpty();
      assertThat(tableDirsOf(ks, "profiles_v2")).hasSize(1);
      assertThat(Runs.documents(s, ks + ".profiles_v4", "id").get("k7")).isEqualTo(Map.of("gen", "4", "label", "label, 7"));

      VersionLifecycle lifecycle = new VersionLifecycle(s, TestCassandra.target(ks));
      DatasetVersion back = lifecycle.rollback("profiles", OptionalInt.empty());
      assertThat(back.version()).isEqualTo(3);
      assertThat(catalog.current("profiles")).hasValue(3);
      assertThat(Runs.currentTable(s, ks, "profiles")).isEqualTo(ks + ".profiles_v3");
      assertThat(catalog.version("profiles", 4).state()).isEqualTo(VersionState.ROLLED_BACK);
    }

    JobRunner.Outcome fifth = runner.run(spec(ks, "profiles", 5));
    assertThat(fifth.version()).isEqualTo(5);
    assertThat(fifth.dropped()).containsExactly(2);
    try (CqlSession s = TestCassandra.session(ks)) {
      CatalogStore catalog = new CatalogStore(s, ks);
      assertThat(states(catalog, "profiles")).isEqualTo(Map.of(1, VersionState.DROPPED, 2, VersionState.DROPPED,
          3, VersionState.BACKUP, 4, VersionState.ROLLED_BACK, 5, VersionState.CURRENT));
      VersionLifecycle lifecycle = new VersionLifecycle(s, TestCassandra.target(ks));
      // The default rollback target skips the rolled-back v4.
      assertThat(lifecycle.rollback("profiles", OptionalInt.empty()).version()).isEqualTo(3);
      // Only an explicit promote brings v4 back.
      assertThat(lifecycle.promote("profiles", 4).state()).isEqualTo(VersionState.CURRENT);
      assertThat(catalog.current("profiles")).hasValue(4);
      assertThatThrownBy(() -> lifecycle.rollback("profiles", OptionalInt.of(2)))
          .hasMessageContaining("cannot roll back to version 2: it is dropped");
    }
  }

  @Test
  void concurrentAllocationsNeverShareANumber() throws Exception {
    String ks = TestCassandra.newKeyspace("allocation");
    try (CqlSession s = TestCassandra.session(ks)) {
      CatalogStore catalog = new CatalogStore(s, ks);
      catalog.ensureSchema(TestCassandra.target(ks).replication());
      List<Integer> got = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
      List<Thread> threads = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Thread th = new Thread(() -> {
          for (int i = 0; i < 5; i++) {
            got.add(catalog.allocateVersion("contended"));
          }
        });
        threads.add(th);
        th.start();
      }
      for (Thread th : threads) {
        th.join();
      }
      assertThat(got).hasSize(20).doesNotHaveDuplicates();
      assertThat(got.stream().sorted().toList()).isEqualTo(java.util.stream.IntStream.rangeClosed(1, 20).boxed().toList());
    }
  }

  @Test
  void promotingAFailedVersionIsRefused() {
    String ks = TestCassandra.newKeyspace("refuse");
    try (CqlSession s = TestCassandra.session(ks)) {
      VersionLifecycle lifecycle = new VersionLifecycle(s, TestCassandra.target(ks));
      CatalogStore catalog = lifecycle.catalog();
      catalog.ensureSchema(TestCassandra.target(ks).replication());
      int v = catalog.allocateVersion("ds");
      catalog.recordBuilding("ds", v, ks, "ds_v" + v, "document", List.of("id"), "elsewhere:1");
      catalog.markFailed("ds", v, "boom");
      assertThatThrownBy(() -> lifecycle.promote("ds", v)).hasMessageContaining("is failed");
      assertThatThrownBy(() -> catalog.markLoaded("ds", v, 1, 1, Map.of())).isInstanceOf(CatalogException.class)
          .hasMessageContaining("could not become loaded: it is failed");
      assertThat(catalog.current("ds")).isEmpty();
    }
  }

  /** Directories of a table (any table id) under the node's data directory. */
  static List<Path> tableDirsOf(String ks, String table) throws IOException {
    try (Stream<Path> s = Files.list(TestCassandra.node().dataDirectory().resolve(ks))) {
      return s.filter(p -> p.getFileName().toString().startsWith(table + "-")).toList();
    }
  }

  /** Snapshot directories (of any tag) that belong to a table, under the node's data directory. */
  static List<Path> snapshotDirsOf(String ks, String table) throws IOException {
    Path ksDir = TestCassandra.node().dataDirectory().resolve(ks);
    if (!Files.exists(ksDir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(ksDir)) {
      return s.filter(Files::isDirectory)
          .filter(p -> p.getParent() != null && p.getParent().getFileName().toString().equals("snapshots"))
          .filter(p -> p.getParent().getParent().getFileName().toString().startsWith(table + "-"))
          .toList();
    }
  }
}
