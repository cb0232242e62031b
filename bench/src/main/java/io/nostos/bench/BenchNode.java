package io.nostos.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import io.nostos.catalog.CassandraTarget;
import io.nostos.catalog.Sessions;
import io.nostos.sstable.node.LocalCassandraNode;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The Cassandra node a benchmark runs against: a fresh single node started from the Maven
 * classpath under the bench directory, on free ports, stopped when the benchmark ends.
 */
final class BenchNode implements AutoCloseable {
  private final LocalCassandraNode node;

  private BenchNode(LocalCassandraNode node) {
    this.node = node;
  }

  /**
   * Starts the node; one left running by an interrupted benchmark is stopped first, so every
   * run starts from a fresh process. Stopped on exit, also on Ctrl-C.
   */
  static BenchNode start(Path dir, String heap) {
    Path home = dir.resolve("node").toAbsolutePath();
    LocalCassandraNode.recordedPorts(home).ifPresent(ports -> new LocalCassandraNode(home, ports, heap)
        .stop(Duration.ofSeconds(60)));
    LocalCassandraNode n = new LocalCassandraNode(home, LocalCassandraNode.Ports.free(), heap);
    n.start(Duration.ofSeconds(240));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> n.stop(Duration.ofSeconds(60))));
    return new BenchNode(n);
  }

  LocalCassandraNode.Ports ports() {
    return node.ports();
  }

  /** The node's process (for its CPU time). */
  ProcessHandle process() {
    return node.process().orElseThrow(() -> new IllegalStateException("the bench node is not running"));
  }

  /** native,storage,jmx — how {@link Variant} takes them. */
  String portsArg() {
    return ports().nativePort() + "," + ports().storagePort() + "," + ports().jmxPort();
  }

  CassandraTarget target(String keyspace) {
    return CassandraTarget.local(ports().nativePort(), ports().storagePort(), ports().jmxPort())
        .withCatalogKeyspace(keyspace).withLocalDataDirectory(node.dataDirectory().toString());
  }

  /** Drops keyspace {@code ks} if it exists, so a benchmark starts from empty tables. */
  void dropKeyspace(String ks) {
    try (CqlSession s = Sessions.open(target(ks))) {
      s.execute("DROP KEYSPACE IF EXISTS " + ks);
    }
  }

  @Override
  public void close() {
    node.stop(Duration.ofSeconds(60));
  }
}
