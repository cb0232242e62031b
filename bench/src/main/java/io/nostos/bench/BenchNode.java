package io.nostos.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import io.nostos.catalog.CassandraTarget;
import io.nostos.catalog.Sessions;
import io.nostos.sstable.node.LocalCassandraNode;
import java.io.IOException;
import java.net.MalformedURLException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * The Cassandra node a benchmark runs against: a fresh single node started from the Maven
 * classpath under the bench directory, on free ports, stopped when the benchmark ends.
 */
final class BenchNode implements AutoCloseable {
  private static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(10);
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

  /** The node's CPU time so far, in seconds (0 where the system does not report it). */
  double cpuSeconds() {
    return ChildJvm.cpuNanos(process()) / 1e9;
  }

  /**
   * Lets the node finish the work a load left it: flushes keyspace {@code ks} if it exists (rows
   * written through CQL sit in memtables and the commit log until then) and waits until no
   * compaction is running or pending, over JMX as {@code nodetool flush} and
   * {@code compactionstats} do. What a write path costs the node is its CPU until this returns,
   * not only while the client runs.
   */
  void settle(String ks) {
    JMXServiceURL url;
    try {
      url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + ports().jmxPort() + "/jmxrmi");
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
    try (JMXConnector connector = JMXConnectorFactory.connect(url)) {
      MBeanServerConnection mbs = connector.getMBeanServerConnection();
      ObjectName storage = new ObjectName("org.apache.cassandra.db:type=StorageService");
      if (((List<?>) mbs.getAttribute(storage, "Keyspaces")).contains(ks)) {  // the writer variant makes none
        mbs.invoke(storage, "forceKeyspaceFlush", new Object[] {ks, new String[0]},
            new String[] {String.class.getName(), String[].class.getName()});
      }
      ObjectName manager = new ObjectName("org.apache.cassandra.db:type=CompactionManager");
      ObjectName pending = new ObjectName("org.apache.cassandra.metrics:type=Compaction,name=PendingTasks");
      long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
      while (((Number) mbs.getAttribute(pending, "Value")).intValue() > 0
          || !((List<?>) mbs.getAttribute(manager, "Compactions")).isEmpty()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the bench node still compacts " + SETTLE_TIMEOUT.toMinutes()
              + " minutes after a load into " + ks);
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the bench node settled", e);
    } catch (IOException | JMException e) {
      throw new IllegalStateException("cannot flush " + ks + " or read compactions over JMX (port "
          + ports().jmxPort() + "): " + e, e);
    }
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
