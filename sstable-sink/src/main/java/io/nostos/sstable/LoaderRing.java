package io.nostos.sstable;

import com.datastax.driver.core.Cluster;
import com.datastax.driver.core.Host;
import com.datastax.driver.core.Metadata;
import com.datastax.driver.core.NettyOptions;
import com.datastax.driver.core.PlainTextAuthProvider;
import com.datastax.driver.core.Row;
import com.datastax.driver.core.Session;
import com.datastax.shaded.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.cassandra.cql3.statements.schema.CreateTableStatement;
import org.apache.cassandra.dht.IPartitioner;
import org.apache.cassandra.dht.Range;
import org.apache.cassandra.dht.Token;
import org.apache.cassandra.locator.InetAddressAndPort;
import org.apache.cassandra.schema.TableId;
import org.apache.cassandra.schema.TableMetadataRef;
import org.apache.cassandra.utils.FBUtilities;

/**
 * What the bulk loader must know of the cluster to stream one table: the token ranges each node
 * replicates, by storage address, and the table's metadata as its SSTables were written, under
 * the id the cluster gave the table. Fetched over one short-lived driver connection that reads
 * the ring and a single row of {@code system_schema.tables}. Cassandra's own
 * {@code NativeSSTableLoaderClient} instead rebuilds every table of the keyspace from
 * {@code system_schema} (two queries per table) and then waits out netty's 2-second quiet period
 * when it closes its connection. Read-only; safe to repeat.
 *
 * <p>A run creates its table while its ranges are written, so a fetch may come first: it then
 * waits, up to a given time, until the table exists and every node agrees on the schema.
 */
record LoaderRing(Map<InetAddressAndPort, List<Range<Token>>> rangesByEndpoint, TableMetadataRef table) {

  /** Closes the driver's event loops at once instead of after netty's default 2 s of quiet. */
  private static final NettyOptions CLOSE_AT_ONCE = new NettyOptions() {
    @Override
    public void onClusterClose(EventLoopGroup eventLoopGroup) {
      eventLoopGroup.shutdownGracefully(0, 15, TimeUnit.SECONDS).syncUninterruptibly();
    }
  };

  /** The longest pause between two looks for a table that does not exist yet. */
  private static final long MAX_POLL_MILLIS = 500;

  /**
   * Reads the ring and the id of {@code schema}'s table from the cluster behind the target's
   * contact points; streams go to each replica's address at the target's storage port. Waits up
   * to {@code waitForTable} for the table to exist on every node (zero: looks once).
   *
   * @throws IllegalStateException if the table does not exist by then
   */
  static LoaderRing fetch(LoadTarget target, TableSchema schema, Duration waitForTable) {
    return fetch(target, schema, waitForTable, () -> {});
  }

  /** {@link #fetch}, calling {@code onMissing} each time it looked and the table was not there (for tests). */
  static LoaderRing fetch(LoadTarget target, TableSchema schema, Duration waitForTable, Runnable onMissing) {
    List<InetSocketAddress> hosts = new ArrayList<>();
    for (String cp : target.contactPoints()) {
      int colon = cp.lastIndexOf(':');
      hosts.add(new InetSocketAddress(cp.substring(0, colon), Integer.parseInt(cp.substring(colon + 1))));
    }
    Cluster.Builder builder = Cluster.builder().addContactPointsWithPorts(hosts).allowBetaProtocolVersion()
        .withNettyOptions(CLOSE_AT_ONCE);
    if (target.username() != null) {
      builder = builder.withAuthProvider(new PlainTextAuthProvider(target.username(),
          target.password() == null ? "" : target.password()));
    }
    try (Cluster cluster = builder.build(); Session session = cluster.connect()) {
      Metadata metadata = cluster.getMetadata();
      IPartitioner partitioner = FBUtilities.newPartitioner(metadata.getPartitioner());
      Token.TokenFactory tokens = partitioner.getTokenFactory();
      Map<InetAddressAndPort, List<Range<Token>>> byEndpoint = new HashMap<>();
      for (com.datastax.driver.core.TokenRange r : metadata.getTokenRanges()) {
        Range<Token> range = new Range<>(tokens.fromString(r.getStart().getValue().toString()),
            tokens.fromString(r.getEnd().getValue().toString()));
        for (Host replica : metadata.getReplicas(Metadata.quote(schema.keyspace()), r)) {
          int broadcastPort = replica.getBroadcastSocketAddress() == null ? 0 : replica.getBroadcastSocketAddress().getPort();
          InetAddressAndPort endpoint = InetAddressAndPort.getByAddressOverrideDefaults(replica.getAddress(),
              broadcastPort != 0 ? broadcastPort : target.storagePort());
          byEndpoint.computeIfAbsent(endpoint, e -> new ArrayList<>()).add(range);
        }
      }
      UUID id = awaitTableId(cluster, session, target, schema, waitForTable, onMissing);
      TableMetadataRef table = TableMetadataRef.forOfflineTools(
          CreateTableStatement.parse(schema.createTableCql(), schema.keyspace())
              .id(TableId.fromUUID(id))
              .partitioner(partitioner)
              .build());
      return new LoaderRing(byEndpoint, table);
    }
  }

  /** The table's id once it exists and every node has the same schema; looks again with growing pauses. */
  private static UUID awaitTableId(Cluster cluster, Session session, LoadTarget target, TableSchema schema,
      Duration wait, Runnable onMissing) {
    long deadline = System.nanoTime() + wait.toNanos();
    long pauseMillis = 20;
    while (true) {
      Row row = session.execute("SELECT id FROM system_schema.tables WHERE keyspace_name = ? AND table_name = ?",
          schema.keyspace(), schema.table()).one();
      if (row != null && cluster.getMetadata().checkSchemaAgreement()) {
        return row.getUUID("id");
      }
      if (row == null) {
        onMissing.run();
      }
      if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pauseMillis) > deadline) {
        throw new IllegalStateException("table " + schema.qualifiedName() + (row == null ? " does not exist on "
            : " exists, but not yet on every node of ") + target.contactPoints()
            + (wait.isZero() ? "" : " after waiting " + wait.toSeconds() + " s")
            + ": create it before streaming into it");
      }
      try {
        Thread.sleep(pauseMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for table " + schema.qualifiedName(), e);
      }
      pauseMillis = Math.min(MAX_POLL_MILLIS, pauseMillis * 2);
    }
  }
}
