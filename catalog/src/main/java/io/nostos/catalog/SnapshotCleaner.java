package io.nostos.catalog;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Clears the snapshots that {@code DROP TABLE} leaves behind (auto_snapshot) so the disk is really
 * freed, on one node, over JMX (what {@code nodetool clearsnapshot} does). Idempotent: clearing
 * snapshots that are already gone does nothing.
 */
public final class SnapshotCleaner {
  private static final String STORAGE_SERVICE = "org.apache.cassandra.db:type=StorageService";
  /** Prefix Cassandra gives the snapshot it takes when a table is dropped. */
  static final String DROP_PREFIX = "dropped-";

  private SnapshotCleaner() {}

  /** A snapshot found on a node. */
  public record Snapshot(String tag, String keyspace, String table) {}

  /**
   * Clears every drop snapshot of a versioned table of {@code dataset} in {@code keyspace} on the
   * node at {@code host:jmxPort}.
   *
   * @return the snapshots cleared
   */
  public static List<Snapshot> clearDropSnapshots(String host, int jmxPort, String keyspace, String dataset) {
    JMXServiceURL url;
    try {
      url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://" + host + ":" + jmxPort + "/jmxrmi");
    } catch (IOException e) {
      throw new CatalogException("bad JMX address " + host + ":" + jmxPort, e);
    }
    try (JMXConnector connector = JMXConnectorFactory.connect(url)) {
      MBeanServerConnection mbs = connector.getMBeanServerConnection();
      ObjectName ss = new ObjectName(STORAGE_SERVICE);
      @SuppressWarnings("unchecked")
      Map<String, TabularData> details = (Map<String, TabularData>) mbs.invoke(
          ss, "getSnapshotDetails", new Object[] {Map.of()}, new String[] {Map.class.getName()});
      List<Snapshot> toClear = dropSnapshotsOf(details, keyspace, dataset);
      for (Snapshot s : toClear) {
        mbs.invoke(ss, "clearSnapshot", new Object[] {s.tag(), new String[] {s.keyspace()}},
            new String[] {String.class.getName(), String[].class.getName()});
      }
      return toClear;
    } catch (Exception e) {
      throw new CatalogException("could not clear snapshots of dropped " + keyspace + "." + dataset
          + "_v* tables on node " + host + " (JMX port " + jmxPort + "): " + e
          + ". The tables are dropped, but their snapshots keep disk space until you run "
          + "'nodetool clearsnapshot' on that node, or fix JMX access and run the job again.", e);
    }
  }

  /** Picks, from a node's snapshot details, the drop snapshots of versioned tables of a dataset. */
  static List<Snapshot> dropSnapshotsOf(Map<String, TabularData> details, String keyspace, String dataset) {
    List<Snapshot> out = new ArrayList<>();
    for (Map.Entry<String, TabularData> e : details.entrySet()) {
      String tag = e.getKey();
      if (!tag.startsWith(DROP_PREFIX)) {
        continue;
      }
      for (Object o : e.getValue().values()) {
        CompositeData row = (CompositeData) o;
        String ks = (String) row.get("Keyspace name");
        String table = (String) row.get("Column family name");
        if (keyspace.equals(ks) && isVersionOf(table, dataset)) {
          out.add(new Snapshot(tag, ks, table));
          break;
        }
      }
    }
    return out;
  }

  private static boolean isVersionOf(String table, String dataset) {
    try {
      return VersionName.parse(table).dataset().equals(dataset);
    } catch (IllegalArgumentException notVersioned) {
      return false;
    }
  }
}
