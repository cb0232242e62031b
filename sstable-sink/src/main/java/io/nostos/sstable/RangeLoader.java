package io.nostos.sstable;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
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
 * {@code sstableloader} does), in this JVM. The table must exist. Ranges of one load stream at the
 * same time from as many threads as call this, under the process-wide limit of
 * {@link StreamThrottle}. Streaming the same files again is harmless: the rows are identical, so
 * a retried load leaves the same data.
 */
final class RangeLoader {
  private RangeLoader() {}

  static void load(RangeResult range, TableSchema schema, LoadTarget target) {
    if (range.rows() == 0) {
      return;
    }
    CassandraClientMode.ensure();
    StreamThrottle.apply(target.throttleMibPerSec());
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

  /**
   * The loader's view of the cluster for one table ({@link LoaderRing}), fetched once per JVM per
   * target table and shared by all its ranges. Streams over the storage port.
   */
  private static final class Client extends SSTableLoader.Client {
    /** The rings of the last tables streamed to; a daemon streams to a new table every load. */
    private static final Map<String, LoaderRing> RINGS = Collections.synchronizedMap(
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, LoaderRing> eldest) {
            return size() > 8;
          }
        });

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
