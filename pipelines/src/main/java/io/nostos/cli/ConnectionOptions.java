package io.nostos.cli;

import io.nostos.catalog.CassandraTarget;
import io.nostos.sstable.node.LocalCassandraNode;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/** Options that say which Cassandra cluster to use; default: the dev node ({@code nostos dev up}). */
final class ConnectionOptions {
  @Option(names = "--cassandra", paramLabel = "HOST:PORT[,HOST:PORT...]",
      description = "CQL contact points. Default: $NOSTOS_CASSANDRA, else the local dev node (127.0.0.1:9042).")
  String contactPoints;

  @Option(names = "--datacenter", paramLabel = "DC", defaultValue = "${env:NOSTOS_DATACENTER:-datacenter1}",
      description = "Local datacenter of the driver (default: ${DEFAULT-VALUE}).")
  String datacenter;

  @Option(names = "--storage-port", paramLabel = "PORT",
      description = "Internode port that bulk loading streams to (default: 7000, or the dev node's).")
  Integer storagePort;

  @Option(names = "--jmx-port", paramLabel = "PORT",
      description = "JMX port of the nodes, used to clear snapshots of dropped tables (default: 7199, or the dev node's).")
  Integer jmxPort;

  @Option(names = "--catalog-keyspace", paramLabel = "KEYSPACE", defaultValue = "nostos",
      description = "Keyspace of the version catalog (default: ${DEFAULT-VALUE}).")
  String catalogKeyspace;

  @Option(names = "--username", paramLabel = "USER", defaultValue = "${env:NOSTOS_CASSANDRA_USER}",
      description = "Cassandra user; the password is read from $NOSTOS_CASSANDRA_PASSWORD.")
  String username;

  CassandraTarget target() {
    LocalCassandraNode.Ports dev = LocalCassandraNode.recordedPorts(NostosHome.nodeHome())
        .orElse(LocalCassandraNode.Ports.defaults());
    String cps = contactPoints != null ? contactPoints : System.getenv("NOSTOS_CASSANDRA");
    boolean local = cps == null;
    List<String> points = local ? List.of("127.0.0.1:" + dev.nativePort())
        : Arrays.stream(cps.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    int storage = storagePort != null ? storagePort : local ? dev.storagePort() : 7000;
    int jmx = jmxPort != null ? jmxPort : local ? dev.jmxPort() : 7199;
    CassandraTarget t = new CassandraTarget(points, datacenter, storage, jmx, catalogKeyspace,
        CassandraTarget.DEFAULT_REPLICATION, username,
        username == null ? null : System.getenv("NOSTOS_CASSANDRA_PASSWORD"), List.of());
    return local ? t.withLocalDataDirectory(NostosHome.devNode().dataDirectory().toString()) : t;
  }
}
