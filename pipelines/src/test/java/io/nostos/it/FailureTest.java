package io.nostos.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import io.nostos.catalog.CatalogStore;
import io.nostos.catalog.DatasetVersion;
import io.nostos.catalog.VersionState;
import io.nostos.pipelines.JobFailedException;
import io.nostos.pipelines.JobRunner;
import io.nostos.pipelines.spec.Spec;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failed and abandoned runs never change the current version and leave nothing behind. */
class FailureTest {
  @TempDir Path tmp;

  private Spec spec(String ks, String name, String csv) throws IOException {
    Path data = tmp.resolve(name + ".csv");
    Files.writeString(data, csv);
    return Runs.spec(tmp, name, "dataset: items\n"
        + "source: {type: files, path: " + data + "}\n"
        + "key: [id]\n"
        + "layout: columns\n"
        + "columns: {price: bigint}\n"
        + "load: {keyspace: " + ks + "}\n");
  }

  private static List<String> tables(CqlSession s, String ks) {
    return s.execute("SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?", ks).all().stream()
        .map(r -> r.getString(0)).filter(t -> t.startsWith("items_")).sorted().toList();
  }

  /**
   * After a failed second run of "items": v1 is still current, v2 is recorded as dropped, and only
   * v1's table exists. Returns v2's catalog entry.
   */
  private static DatasetVersion failedSecondVersionLeftTheFirstCurrent(CqlSession s, String ks) {
    CatalogStore catalog = new CatalogStore(s, ks);
    assertThat(catalog.current("items")).hasValue(1);
    DatasetVersion failed = catalog.version("items", 2);
    assertThat(failed.state()).isEqualTo(VersionState.DROPPED);
    assertThat(tables(s, ks)).containsExactly("items_v1");
    return failed;
  }

  @Test
  void duplicateKeysFailTheRunAndKeepTheCurrentVersion() throws IOException {
    String ks = TestCassandra.newKeyspace("duplicates");
    JobRunner runner = Runs.runner(ks, tmp.resolve("work"));
    runner.run(spec(ks, "good", "id,price\na,1\nb,2\n"));

    assertThatThrownBy(() -> runner.run(spec(ks, "bad", "id,price\na,1\nb,2\nb,3\n")))
        .isInstanceOf(JobFailedException.class)
        .hasMessageContaining("items v2 failed")
        .hasMessageContaining("primary key (id=b) appears more than once")
        .hasMessageContaining("the current version is unchanged");

    try (CqlSession s = TestCassandra.session(ks)) {
      assertThat(failedSecondVersionLeftTheFirstCurrent(s, ks).message()).contains("appears more than once");
      assertThat(s.execute("SELECT price FROM " + ks + ".items_v1 WHERE id = 'b'").one().getLong(0)).isEqualTo(2L);
    }
    assertThat(tmp.resolve("work/runs")).as("the staging of both runs").isEmptyDirectory();
  }

  @Test
  void aKeyCassandraWouldRefuseFailsTheRunNamingItsSize() throws IOException {
    String ks = TestCassandra.newKeyspace("hugekey");
    JobRunner runner = Runs.runner(ks, tmp.resolve("work"));
    runner.run(spec(ks, "good", "id,price\na,1\n"));

    assertThatThrownBy(() -> runner.run(spec(ks, "huge", "id,price\nb,2\n" + "k".repeat(70_000) + ",3\n")))
        .isInstanceOf(JobFailedException.class)
        .hasMessageContaining("items v2 failed")
        .hasMessageContaining("the partition key is 70000 bytes; Cassandra keys are at most 65535 bytes")
        .hasMessageContaining("the current version is unchanged");

    try (CqlSession s = TestCassandra.session(ks)) {
      failedSecondVersionLeftTheFirstCurrent(s, ks);
      assertThat(s.execute("SELECT id, price FROM " + ks + ".items_v1").all().stream()
          .map(r -> r.getString(0) + "=" + r.getLong(1)).toList()).containsExactly("a=1");
    }
  }

  @Test
  void badValueNamesTheRowAndTheType() throws IOException {
    String ks = TestCassandra.newKeyspace("badvalue");
    assertThatThrownBy(() -> Runs.runner(ks, tmp.resolve("work")).run(spec(ks, "bad", "id,price\na,12x\n")))
        .isInstanceOf(JobFailedException.class)
        .hasMessageContaining("1 bad row out of 1 read (unparsable_value: 1) is more than bad_rows.max 0");
    Path deadLetter = tmp.resolve("work/dead-letter/items_v1/bad-rows-00000-of-00001.jsonl");
    assertThat(Files.readString(deadLetter)).isEqualTo("{\"reason\":\"unparsable_value\",\"detail\":\"column 'price' "
        + "(bigint): cannot convert String '12x' to CQL type bigint: For input string: \\\"12x\\\"\",\"raw\":\"{\\\"id\\\":\\\"a\\\","
        + "\\\"price\\\":\\\"12x\\\"}\"}\n");
  }

  @Test
  void anAbandonedBuildIsDroppedByTheNextRun() throws Exception {
    String ks = TestCassandra.newKeyspace("abandoned");
    JobRunner runner = Runs.runner(ks, tmp.resolve("work"));
    runner.run(spec(ks, "v1", "id,price\na,1\n"));
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    try (CqlSession s = TestCassandra.session(ks)) {
      CatalogStore catalog = new CatalogStore(s, ks);
      int v = catalog.allocateVersion("items");
      catalog.recordBuilding("items", v, ks, "items_v" + v, "columns", List.of("id"),
          InetAddress.getLocalHost().getHostName() + ":" + gone.pid());
      s.execute("CREATE TABLE " + ks + ".items_v" + v + " (id text PRIMARY KEY, price bigint)");
      Files.createDirectories(tmp.resolve("work/runs/items_v" + v + "-1700000000000/range-0"));
      assertThat(tables(s, ks)).containsExactly("items_v1", "items_v2");
    }
    JobRunner.Outcome third = runner.run(spec(ks, "v3", "id,price\na,3\n"));
    assertThat(third.version()).isEqualTo(3);
    try (CqlSession s = TestCassandra.session(ks)) {
      CatalogStore catalog = new CatalogStore(s, ks);
      assertThat(catalog.version("items", 2).state()).isEqualTo(VersionState.DROPPED);
      assertThat(catalog.version("items", 2).message()).contains("abandoned");
      assertThat(tables(s, ks)).containsExactly("items_v1", "items_v3");
      assertThat(catalog.current("items")).hasValue(3);
      assertThat(tmp.resolve("work/runs/items_v2-1700000000000")).as("staging left by the killed run").doesNotExist();
      assertThat(tmp.resolve("work/runs")).as("the staging of the runs that finished").isEmptyDirectory();
    }
  }

  @Test
  void aPruneFailureKeepsTheNewVersionCurrentAndIsRetriedByTheNextRun() throws IOException {
    String ks = TestCassandra.newKeyspace("prunefail");
    String spec1 = "dataset: items\nsource: {type: files, path: one.csv}\nkey: [id]\nretain_versions: 1\n"
        + "load: {keyspace: " + ks + "}\n";
    Files.writeString(tmp.resolve("one.csv"), "id,price\na,1\n");
    Spec spec = Runs.spec(tmp, "one", spec1);
    Runs.runner(ks, tmp.resolve("work")).run(spec);
    io.nostos.catalog.CassandraTarget good = TestCassandra.target(ks);
    io.nostos.catalog.CassandraTarget noJmx = new io.nostos.catalog.CassandraTarget(good.contactPoints(),
        good.localDatacenter(), good.storagePort(), 1, ks, good.replication(), null, null, List.of());
    JobRunner broken = new JobRunner(noJmx, io.nostos.pipelines.RunnerConfig.direct(), tmp.resolve("work"),
        new java.io.PrintStream(java.io.PrintStream.nullOutputStream()));

    assertThatThrownBy(() -> broken.run(spec))
        .isInstanceOf(JobFailedException.class)
        .hasMessageStartingWith("items v2 is loaded and current, but dropping old versions failed: could not clear "
            + "snapshots of dropped " + ks + ".items_v* tables on node 127.0.0.1 (JMX port 1)");
    try (CqlSession s = TestCassandra.session(ks)) {
      CatalogStore catalog = new CatalogStore(s, ks);
      assertThat(catalog.current("items")).hasValue(2);
      assertThat(catalog.version("items", 1).state()).isEqualTo(VersionState.DROPPED);
      assertThat(tables(s, ks)).containsExactly("items_v2");
    }
    assertThat(VersionLifecycleTest.snapshotDirsOf(ks, "items_v1")).isNotEmpty();

    Runs.runner(ks, tmp.resolve("work")).run(spec);
    assertThat(VersionLifecycleTest.snapshotDirsOf(ks, "items_v1")).isEmpty();
  }

  @Test
  void anEmptySourceLoadsNothing() throws IOException {
    String ks = TestCassandra.newKeyspace("empty");
    assertThatThrownBy(() -> Runs.runner(ks, tmp.resolve("work")).run(spec(ks, "empty", "id,price\n")))
        .hasMessageContaining("the source returned no rows");
    try (CqlSession s = TestCassandra.session(ks)) {
      assertThat(new CatalogStore(s, ks).current("items")).isEmpty();
      assertThat(tables(s, ks)).isEmpty();
    }
  }
}
