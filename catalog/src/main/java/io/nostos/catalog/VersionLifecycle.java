package io.nostos.catalog;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.metadata.Node;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Promote, rollback and prune: each is a pure decision ({@link Promotion}, {@link Retention})
 * followed by a thin effect on the catalog and the cluster. Shared by the CLI, the pipeline's
 * finalize step and the serving layer.
 *
 * <p>All operations are safe to retry: a promote that lost a race re-reads and decides again; a
 * prune that failed halfway drops what is left on the next call.
 */
public final class VersionLifecycle {
  /** A build that has not sent a heartbeat for this long is abandoned. */
  public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofMinutes(2);
  private static final int RACE_RETRIES = 5;

  private final CqlSession session;
  private final CassandraTarget target;
  private final CatalogStore catalog;
  private final Duration heartbeatTimeout;

  public VersionLifecycle(CqlSession session, CassandraTarget target) {
    this(session, target, DEFAULT_HEARTBEAT_TIMEOUT);
  }

  public VersionLifecycle(CqlSession session, CassandraTarget target, Duration heartbeatTimeout) {
    this.session = session;
    this.target = target;
    this.catalog = new CatalogStore(session, target.catalogKeyspace());
    this.heartbeatTimeout = heartbeatTimeout;
  }

  public CatalogStore catalog() {
    return catalog;
  }

  /**
   * After a verified load: makes {@code version} current unless a newer version already is.
   *
   * @return whether it became current
   */
  public boolean autoPromote(String dataset, int version) {
    for (int i = 0; i < RACE_RETRIES; i++) {
      OptionalInt current = catalog.current(dataset);
      if (!Promotion.shouldAutoPromote(version, current)) {
        return false;
      }
      if (catalog.swapCurrent(dataset, version, EnumSet.of(VersionState.LOADED), current, VersionState.BACKUP)) {
        return true;
      }
      DatasetVersion v = catalog.version(dataset, version);
      if (v == null || v.state() != VersionState.LOADED) {
        throw new CatalogException("version " + version + " of '" + dataset + "' cannot be promoted: it is "
            + (v == null ? "missing" : v.state().label()));
      }
    }
    throw new CatalogException("promotion of " + dataset + " v" + version + " kept losing races; run promote again");
  }

  /** Explicitly makes {@code version} current (also a rolled-back one). Returns the new current version. */
  public DatasetVersion promote(String dataset, int version) {
    for (int i = 0; i < RACE_RETRIES; i++) {
      OptionalInt current = catalog.current(dataset);
      DatasetVersion v = Promotion.checkExplicitPromote(catalog.versions(dataset), version, current);
      if (catalog.swapCurrent(dataset, v.version(), Promotion.PROMOTABLE, current, VersionState.BACKUP)) {
        return catalog.version(dataset, version);
      }
    }
    throw new CatalogException("promotion of " + dataset + " v" + version + " kept losing races; try again");
  }

  /** Makes the previous (or the given) version current; the current one becomes rolled_back. */
  public DatasetVersion rollback(String dataset, OptionalInt to) {
    for (int i = 0; i < RACE_RETRIES; i++) {
      OptionalInt current = catalog.current(dataset);
      DatasetVersion t = Promotion.rollbackTarget(catalog.versions(dataset), current, to);
      if (catalog.swapCurrent(dataset, t.version(), Promotion.ROLLBACK_TARGETS, current, VersionState.ROLLED_BACK)) {
        return catalog.version(dataset, t.version());
      }
    }
    throw new CatalogException("rollback of " + dataset + " kept losing races; try again");
  }

  /**
   * Drops the versions retention no longer keeps (and failed or abandoned builds), then clears
   * their drop snapshots on every node.
   *
   * @return the versions dropped
   */
  public List<DatasetVersion> prune(String dataset, int retain) {
    List<DatasetVersion> versions = catalog.versions(dataset);
    OptionalInt current = catalog.current(dataset);
    List<DatasetVersion> drop = Retention.versionsToDrop(
        versions, current, retain, Instant.now(), heartbeatTimeout, VersionLifecycle::ownerIsGone);
    List<DatasetVersion> dropped = new ArrayList<>();
    Set<String> keyspaces = new java.util.TreeSet<>();
    for (DatasetVersion v : drop) {
      if (v.state() == VersionState.BUILDING) {
        catalog.markFailed(dataset, v.version(), "abandoned: its run stopped before finishing");
      }
      // Mark first so nothing promotes or rolls back to a table that is about to disappear.
      catalog.markDropped(dataset, v.version());
      session.execute("DROP TABLE IF EXISTS " + v.keyspace() + "." + v.table());
      keyspaces.add(v.keyspace());
      dropped.add(v.withState(VersionState.DROPPED));
    }
    for (DatasetVersion v : versions) {
      if (v.state() == VersionState.DROPPED && v.keyspace() != null) {
        keyspaces.add(v.keyspace());
        // A drop that failed after the version was marked dropped is finished here.
        if (tableExists(v.keyspace(), v.table())) {
          session.execute("DROP TABLE IF EXISTS " + v.keyspace() + "." + v.table());
        }
      }
    }
    for (String ks : keyspaces) {
      for (String host : nodeHosts()) {
        SnapshotCleaner.clearDropSnapshots(host, target.jmxPort(), ks, dataset);
      }
      for (String dataDir : target.localDataDirectories()) {
        EmptyTableDirectories.remove(java.nio.file.Paths.get(dataDir, ks), dataset);
      }
    }
    return dropped;
  }

  private boolean tableExists(String keyspace, String table) {
    return session.getMetadata().getKeyspace(keyspace).flatMap(k -> k.getTable(table)).isPresent();
  }

  private List<String> nodeHosts() {
    List<String> hosts = new ArrayList<>();
    for (Node node : session.getMetadata().getNodes().values()) {
      InetSocketAddress addr = node.getBroadcastRpcAddress().orElse((InetSocketAddress) node.getEndPoint().resolve());
      hosts.add(addr.getAddress().getHostAddress());
    }
    return hosts;
  }

  /** {@code host:pid} of this process, recorded as the owner of the versions it builds. */
  public static String thisProcessOwner() {
    return hostName() + ":" + ProcessHandle.current().pid();
  }

  /** True when the owner ran on this host and its process no longer exists. */
  public static boolean ownerIsGone(DatasetVersion v) {
    String owner = v.owner();
    if (owner == null) {
      return false;
    }
    int colon = owner.lastIndexOf(':');
    if (colon < 0 || !owner.substring(0, colon).equals(hostName())) {
      return false;
    }
    try {
      long pid = Long.parseLong(owner.substring(colon + 1));
      return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
