package io.nostos.sstable;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.cassandra.config.DatabaseDescriptor;
import org.apache.cassandra.config.EncryptionOptions;
import org.apache.cassandra.io.sstable.SSTableLoader;
import org.apache.cassandra.io.util.File;
import org.apache.cassandra.schema.TableMetadataRef;
import org.apache.cassandra.streaming.StreamState;
import org.apache.cassandra.streaming.StreamingChannel;
import org.apache.cassandra.tools.BulkLoadConnectionFactory;
import org.apache.cassandra.utils.NativeSSTableLoaderClient;
import org.apache.cassandra.utils.OutputHandler;

/**
 * Streams one range's SSTables to the cluster with Cassandra's bulk-load protocol (what
 * {@code sstableloader} does), in this JVM. The table must exist. Streaming the same files again
 * is harmless: the rows are identical, so a retried load leaves the same data.
 */
final class RangeLoader {
  /** One load at a time per JVM: throttles are JVM-wide settings in cassandra-all. */
  private static final Object LOCK = new Object();

  private RangeLoader() {}

  static void load(RangeResult range, String keyspace, String table, LoadTarget target) {
    if (range.rows() == 0) {
      return;
    }
    CassandraClientMode.ensure();
    List<InetSocketAddress> hosts = new ArrayList<>();
    for (String cp : target.contactPoints()) {
      int colon = cp.lastIndexOf(':');
      hosts.add(new InetSocketAddress(cp.substring(0, colon), Integer.parseInt(cp.substring(colon + 1))));
    }
    synchronized (LOCK) {
      long bytesPerSec = target.throttleMibPerSec() == 0 ? 0 : target.throttleMibPerSec() * 1024L * 1024L;
      DatabaseDescriptor.setStreamThroughputOutboundBytesPerSec(bytesPerSec);
      DatabaseDescriptor.setEntireSSTableStreamThroughputOutboundMebibytesPerSec(target.throttleMibPerSec());
      Client client = new Client(hosts, target, table);
      SSTableLoader loader = new SSTableLoader(new File(range.directory()), client, new OutputHandler.LogOutput(),
          target.connectionsPerHost(), keyspace, table);
      StreamState state;
      try {
        state = loader.stream(Collections.emptySet()).get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while streaming range " + range.rangeId(), e);
      } catch (Exception e) {
        throw new IllegalStateException("streaming range " + range.rangeId() + " of " + keyspace + "." + table
            + " to " + target.contactPoints() + " failed (failed hosts: " + loader.getFailedHosts() + "): " + e, e);
      }
      if (state.hasFailedSession() || !loader.getFailedHosts().isEmpty()) {
        throw new IllegalStateException("streaming range " + range.rangeId() + " of " + keyspace + "." + table
            + " failed for hosts " + loader.getFailedHosts());
      }
    }
  }

  /**
   * The loader's view of the cluster: ring ownership and table schema, fetched once per JVM per
   * target table (a driver connection takes seconds) and shared by all ranges of that table.
   * Streams over the storage port.
   */
  private static final class Client extends SSTableLoader.Client {
    private static final Map<String, NativeSSTableLoaderClient> RINGS = new ConcurrentHashMap<>();

    private final List<InetSocketAddress> hosts;
    private final LoadTarget target;
    private final String table;
    private NativeSSTableLoaderClient ring;

    Client(List<InetSocketAddress> hosts, LoadTarget target, String table) {
      this.hosts = hosts;
      this.target = target;
      this.table = table;
    }

    @Override
    public void init(String keyspace) {
      String key = hosts + "/" + keyspace + "/" + table;
      ring = RINGS.compute(key, (k, cached) -> {
        if (cached != null && cached.getTableMetadata(table) != null) {
          return cached;
        }
        NativeSSTableLoaderClient fresh = new NativeSSTableLoaderClient(hosts, target.storagePort(),
            target.username(), target.password(), null);
        fresh.init(keyspace);
        return fresh;
      });
      ring.getEndpointToRangesMap().forEach((endpoint, ranges) -> ranges.forEach(r -> addRangeForEndpoint(r, endpoint)));
    }

    @Override
    public TableMetadataRef getTableMetadata(String tableName) {
      return ring.getTableMetadata(tableName);
    }

    @Override
    public StreamingChannel.Factory getConnectionFactory() {
      return new BulkLoadConnectionFactory(new EncryptionOptions.ServerEncryptionOptions(), target.storagePort());
    }
  }
}
