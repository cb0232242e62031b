package io.nostos.it;

import com.datastax.oss.driver.api.core.CqlSession;
import io.nostos.catalog.CassandraTarget;
import io.nostos.catalog.Sessions;
import io.nostos.sstable.node.LocalCassandraNode;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real Cassandra 5.0 node per test JVM, started on free loopback ports with the same launcher
 * as {@code nostos dev up}, and stopped when the JVM exits. Each test gets its own keyspace (which
 * also holds that test's version catalog).
 */
public final class TestCassandra {
  private static LocalCassandraNode node;
  private static final AtomicInteger KEYSPACES = new AtomicInteger();

  private TestCassandra() {}

  /** The node, started on first use. */
  public static synchronized LocalCassandraNode node() {
    if (node == null) {
      Path home = Paths.get("target", "test-cassandra-" + ProcessHandle.current().pid()).toAbsolutePath();
      LocalCassandraNode n = new LocalCassandraNode(home, LocalCassandraNode.Ports.free(), "768m");
      n.start(Duration.ofSeconds(240));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> n.stop(Duration.ofSeconds(30))));
      node = n;
    }
    return node;
  }

  /** A fresh keyspace name for one test; the catalog of {@link #target(String)} lives in it too. */
  public static String newKeyspace(String hint) {
    String clean = hint.toLowerCase().replaceAll("[^a-z0-9]+", "_");
    if (clean.length() > 30) {
      clean = clean.substring(0, 30);
    }
    return "t" + KEYSPACES.incrementAndGet() + "_" + clean;
  }

  /** Connection settings for the test node, with the catalog in {@code keyspace}. */
  public static CassandraTarget target(String keyspace) {
    LocalCassandraNode.Ports p = node().ports();
    return CassandraTarget.local(p.nativePort(), p.storagePort(), p.jmxPort()).withCatalogKeyspace(keyspace)
        .withLocalDataDirectory(node().dataDirectory().toString());
  }

  public static CqlSession session(String keyspace) {
    return Sessions.open(target(keyspace));
  }
}
