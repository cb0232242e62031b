package io.nostos.catalog;

import java.io.Serializable;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where and how to reach the Cassandra cluster: contact points for CQL, the storage port used for
 * streaming, the JMX port used to clear snapshots, and the keyspace that holds the catalog.
 * Immutable and serializable so pipeline steps can carry it. {@link #toString()} never shows the
 * password.
 *
 * @param contactPoints {@code host:port} CQL endpoints
 * @param localDatacenter the driver's local datacenter (a single dev node calls it {@code datacenter1})
 * @param storagePort internode port that bulk loading streams to
 * @param jmxPort JMX port of every node (to clear snapshots after dropping tables)
 * @param catalogKeyspace keyspace of the {@code versions} catalog table
 * @param replication CQL replication map used when Nostos creates a keyspace
 * @param localDataDirectories data directories of nodes that run on this machine (the dev node);
 *     pruning removes the empty table folders Cassandra leaves there after a drop. Empty for
 *     remote clusters.
 */
public record CassandraTarget(
    List<String> contactPoints,
    String localDatacenter,
    int storagePort,
    int jmxPort,
    String catalogKeyspace,
    String replication,
    String username,
    String password,
    List<String> localDataDirectories)
    implements Serializable {

  public static final String DEFAULT_REPLICATION = "{'class': 'SimpleStrategy', 'replication_factor': 1}";

  public CassandraTarget {
    contactPoints = List.copyOf(Objects.requireNonNull(contactPoints, "contactPoints"));
    if (contactPoints.isEmpty()) {
      throw new IllegalArgumentException("at least one contact point (host:port) is required");
    }
    contactPoints.forEach(CassandraTarget::parse);
    localDataDirectories = localDataDirectories == null ? List.of() : List.copyOf(localDataDirectories);
    Objects.requireNonNull(localDatacenter, "localDatacenter");
    String problem = identifierProblem(catalogKeyspace);
    if (problem != null) {
      throw new IllegalArgumentException("catalog keyspace: " + problem);
    }
  }

  /** A single local node with default ports, catalog keyspace {@code nostos}. */
  public static CassandraTarget local(int nativePort, int storagePort, int jmxPort) {
    return new CassandraTarget(List.of("127.0.0.1:" + nativePort), "datacenter1", storagePort, jmxPort,
        "nostos", DEFAULT_REPLICATION, null, null, List.of());
  }

  /** Same target, noting the data directory of a node that runs on this machine. */
  public CassandraTarget withLocalDataDirectory(String dir) {
    return new CassandraTarget(contactPoints, localDatacenter, storagePort, jmxPort, catalogKeyspace, replication,
        username, password, List.of(dir));
  }

  /** Same target with another catalog keyspace. */
  public CassandraTarget withCatalogKeyspace(String keyspace) {
    return new CassandraTarget(contactPoints, localDatacenter, storagePort, jmxPort, keyspace, replication,
        username, password, localDataDirectories);
  }

  /** Contact points as socket addresses. */
  public List<InetSocketAddress> addresses() {
    List<InetSocketAddress> out = new ArrayList<>();
    for (String cp : contactPoints) {
      out.add(parse(cp));
    }
    return out;
  }

  /** Parses {@code host:port}; the port defaults to 9042. */
  public static InetSocketAddress parse(String hostPort) {
    String s = hostPort.trim();
    int colon = s.lastIndexOf(':');
    if (colon < 0) {
      return new InetSocketAddress(s, 9042);
    }
    try {
      return new InetSocketAddress(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad contact point '" + hostPort + "': expected host:port, e.g. 127.0.0.1:9042");
    }
  }

  /** Returns {@code null} for a safe unquoted CQL identifier, else what is wrong. */
  public static String identifierProblem(String name) {
    if (name == null || !name.matches("[a-z][a-z0-9_]{0,47}")) {
      return "'" + name + "' is not a valid name (lower case letter first, then a-z, 0-9, _; at most 48 characters)";
    }
    return null;
  }

  @Override
  public String toString() {
    return "CassandraTarget{contactPoints=" + contactPoints + ", dc=" + localDatacenter + ", storagePort="
        + storagePort + ", jmxPort=" + jmxPort + ", catalog=" + catalogKeyspace
        + (username != null ? ", user=" + username + ", password=****" : "") + "}";
  }
}
