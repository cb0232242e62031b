package io.nostos.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import io.nostos.catalog.CassandraTarget;
import io.nostos.it.TestCassandra;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.cassandra.dht.Range;
import org.apache.cassandra.dht.Token;
import org.apache.cassandra.locator.InetAddressAndPort;
import org.apache.cassandra.schema.TableMetadata;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The loader's view of the real test node: its whole ring, and the table under the node's id. */
class LoaderRingTest {
  @BeforeAll
  static void clientMode() {
    CassandraClientMode.ensure();
  }

  private static TableSchema schema(String ks, String table) {
    return new TableSchema(ks, table, List.of(
        new TableSchema.Column("id", "text", TableSchema.Kind.PARTITION_KEY),
        new TableSchema.Column("field", "text", TableSchema.Kind.CLUSTERING),
        new TableSchema.Column("value", "text", TableSchema.Kind.REGULAR)));
  }

  private static LoadTarget loadTarget(CassandraTarget t) {
    return new LoadTarget(t.contactPoints(), t.storagePort(), null, null, 0, 1);
  }

  @Test
  void seesTheWholeRingOnTheNodeAndTheTableUnderItsId() {
    String ks = TestCassandra.newKeyspace("loader_ring");
    CassandraTarget target = TestCassandra.target(ks);
    TableSchema schema = schema(ks, "docs_v1");
    UUID id;
    try (CqlSession s = TestCassandra.session(ks)) {
      s.execute("CREATE KEYSPACE " + ks + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
      s.execute(schema.createTableCql());
      s.execute("CREATE TABLE " + ks + ".other (k int PRIMARY KEY)");
      id = s.execute("SELECT id FROM system_schema.tables WHERE keyspace_name = ? AND table_name = ?", ks, "docs_v1")
          .one().getUuid(0);
    }

    LoaderRing ring = LoaderRing.fetch(loadTarget(target), schema, Duration.ZERO);

    Map<InetAddressAndPort, List<Range<Token>>> byEndpoint = ring.rangesByEndpoint();
    assertThat(byEndpoint).containsOnlyKeys(InetAddressAndPort.getByAddressOverrideDefaults(
        java.net.InetAddress.getLoopbackAddress(), target.storagePort()));
    List<Range<Token>> ranges = byEndpoint.values().iterator().next();
    assertThat(Range.normalize(ranges)).containsExactly(new Range<>(
        ranges.get(0).left.getPartitioner().getMinimumToken(), ranges.get(0).left.getPartitioner().getMinimumToken()));
    TableMetadata table = ring.table().get();
    assertThat(table.id.asUUID()).isEqualTo(id);
    assertThat(table.keyspace).isEqualTo(ks);
    assertThat(table.name).isEqualTo("docs_v1");
    assertThat(table.partitionKeyColumns()).extracting(c -> c.name.toString()).containsExactly("id");
    assertThat(table.clusteringColumns()).extracting(c -> c.name.toString()).containsExactly("field");
    assertThat(table.regularColumns()).extracting(c -> c.name.toString()).containsExactly("value");
  }

  @Test
  void aFetchThatLooksBeforeTheTableExistsWaitsForIt() {
    String ks = TestCassandra.newKeyspace("loader_ring_early");
    CassandraTarget target = TestCassandra.target(ks);
    TableSchema schema = schema(ks, "docs_v2");
    AtomicInteger misses = new AtomicInteger();
    try (CqlSession s = TestCassandra.session(ks)) {
      s.execute("CREATE KEYSPACE " + ks + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");

      // As in a run, the table is created while the stream step already looks for it.
      LoaderRing ring = LoaderRing.fetch(loadTarget(target), schema, RangeLoader.TABLE_WAIT, () -> {
        if (misses.getAndIncrement() == 0) {
          s.execute(schema.createTableCql());
        }
      });

      UUID id = s.execute("SELECT id FROM system_schema.tables WHERE keyspace_name = ? AND table_name = ?", ks,
          "docs_v2").one().getUuid(0);
      assertThat(misses.get()).isPositive();
      assertThat(ring.table().get().id.asUUID()).isEqualTo(id);
    }
  }

  @Test
  void aMissingTableIsNamedWithWhatToDo() {
    String ks = TestCassandra.newKeyspace("loader_ring_missing");
    CassandraTarget target = TestCassandra.target(ks);
    try (CqlSession s = TestCassandra.session(ks)) {
      s.execute("CREATE KEYSPACE " + ks + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    }

    assertThatThrownBy(() -> LoaderRing.fetch(loadTarget(target), schema(ks, "docs_v9"), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("table " + ks + ".docs_v9 does not exist")
        .hasMessageEndingWith("after waiting 1 s: create it before streaming into it");
  }
}
