package io.nostos.sstable;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
   * How long a ring fetch waits for its table to exist on every node: a run creates the table
   * while its ranges are written, so the stream step may start first.
   */
  static final Duration TABLE_WAIT = Duration.ofSeconds(60);

  /**
   * Starts fetching the loader's view of the cluster for {@code schema}'s table in the background,
   * so that the first range to stream finds it ready (0.1-0.2 s). Waits up to {@link #TABLE_WAIT}
   * for the table. A failed fetch is not kept: the first stream fetches again (without waiting) and
   * reports what fails.
   */
  static CompletableFuture<LoaderRing> prefetchRing(LoadTarget target, TableSchema schema) {
    return ringOf(target, schema);
  }

  /** The loader's view of the cluster for {@code schema}'s table: the prefetched one if it came. */
  static LoaderRing ring(LoadTarget target, TableSchema schema) {
    try {
      return ringOf(target, schema).join();
    } catch (CompletionException prefetchFailed) {
      return LoaderRing.fetch(target, schema, Duration.ZERO);  // once more, here: its failure is the one to report
    }
  }

  /** The rings of the last tables streamed to; a daemon streams to a new table every load. */
  private static final Map<String, CompletableFuture<LoaderRing>> RINGS = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<LoaderRing>> eldest) {
      return size() > 8;
    }
  };

  private static CompletableFuture<LoaderRing> ringOf(LoadTarget target, TableSchema schema) {
    String key = target.contactPoints() + "/" + schema.qualifiedName();
    synchronized (RINGS) {
      CompletableFuture<LoaderRing> ring = RINGS.get(key);
      if (ring == null || ring.isCompletedExceptionally()) {
        ring = CompletableFuture.supplyAsync(() -> LoaderRing.fetch(target, schema, TABLE_WAIT), task -> {
          Thread t = new Thread(task, "nostos-loader-ring");
          t.setDaemon(true);
          t.start();
        });
        RINGS.put(key, ring);
      }
      return ring;
    }
  }

  /**
   * The loader's view of the cluster for one table ({@link LoaderRing}), fetched once per JVM per
   * target table and shared by all its ranges. Streams over the storage port.
   */
  private static final class Client extends SSTableLoader.Client {
    private final LoadTarget target;
    private final TableSchema schema;
    private LoaderRing ring;

    Client(LoadTarget target, TableSchema schema) {
      this.target = target;
      this.schema = schema;
    }

    @Override
    public void init(String keyspace) {
      ring = ring(target, schema);
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
