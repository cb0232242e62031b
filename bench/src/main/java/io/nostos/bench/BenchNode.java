package io.nostos.bench;

import io.nostos.catalog.CassandraTarget;
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

  static BenchNode start(Path dir, String heap) {
    LocalCassandraNode n = new LocalCassandraNode(dir.resolve("node").toAbsolutePath(), LocalCassandraNode.Ports.free(), heap);
    n.start(Duration.ofSeconds(240));
    return new BenchNode(n);
  }

  LocalCassandraNode.Ports ports() {
    return node.ports();
  }

  /** native,storage,jmx — how {@link Variant} takes them. */
  String portsArg() {
    return ports().nativePort() + "," + ports().storagePort() + "," + ports().jmxPort();
  }

  CassandraTarget target(String keyspace) {
    return CassandraTarget.local(ports().nativePort(), ports().storagePort(), ports().jmxPort())
        .withCatalogKeyspace(keyspace).withLocalDataDirectory(node.dataDirectory().toString());
  }

  @Override
  public void close() {
    node.stop(Duration.ofSeconds(60));
  }
}
