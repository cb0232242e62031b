package io.nostos.sstable;

import java.util.Collections;
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

  static void load(RangeResult range, TableSchema schema, LoadTarget target) {
    if (range.rows() == 0) {
      return;
    }
    CassandraClientMode.ensure();
    synchronized (LOCK) {
      long bytesPerSec = target.throttleMibPerSec() == 0 ? 0 : target.throttleMibPerSec() * 1024L * 1024L;
      DatabaseDescriptor.setStreamThroughputOutboundBytesPerSec(bytesPerSec);
      DatabaseDescriptor.setEntireSSTableStreamThroughputOutboundMebibytesPerSec(target.throttleMibPerSec());
      Client client = new Client(target, schema);
      SSTableLoader loader = new SSTableLoader(new File(range.directory()), client, new OutputHandler.LogOutput(),
          target.connectionsPerHost(), schema.keyspace(), schema.table());
      StreamState state;
      try {
        state = loader.stream(Collections.emptySet()).get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while streaming range " + range.rangeId(), e);
      } catch (Exception e) {
        throw new IllegalStateException("streaming range " + range.rangeId() + " of " + schema.qualifiedName()
            + " to " + target.contactPoints() + " failed (failed hosts: " + loader.getFailedHosts() + "): " + e, e);
      }
      if (state.hasFailedSession() || !loader.getFailedHosts().isEmpty()) {
        throw new IllegalStateException("streaming range " + range.rangeId() + " of " + schema.qualifiedName()
            + " failed for hosts " + loader.getFailedHosts());
      }
    }
  }

  /**
   * The loader's view of the cluster for one table ({@link LoaderRing}), fetched once per JVM per
   * target table and shared by all its ranges. Streams over the storage port.
   */
  private static final class Client extends SSTableLoader.Client {
    private static final Map<String, LoaderRing> RINGS = new ConcurrentHashMap<>();

    private final LoadTarget target;
    private final TableSchema schema;
    private LoaderRing ring;

    Client(LoadTarget target, TableSchema schema) {
      this.target = target;
      this.schema = schema;
    }

    @Override
    public void init(String keyspace) {
      ring = RINGS.computeIfAbsent(target.contactPoints() + "/" + schema.qualifiedName(),
          k -> LoaderRing.fetch(target, schema));
      ring.rangesByEndpoint().forEach((endpoint, ranges) -> ranges.forEach(r -> addRangeForEndpoint(r, endpoint)));
    }

    @Override
    public TableMetadataRef getTableMetadata(String tableName) {
      return tableName.equals(schema.table()) ? ring.table() : null;
    }

    @Override
    public StreamingChannel.Factory getConnectionFactory() {
      return new BulkLoadConnectionFactory(new EncryptionOptions.ServerEncryptionOptions(), target.storagePort());
    }
  }
}
