package io.nostos.sstable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.cassandra.db.DecoratedKey;
import org.apache.cassandra.dht.Murmur3Partitioner;
import org.apache.cassandra.io.sstable.Descriptor;
import org.apache.cassandra.io.sstable.format.FilterComponent;
import org.apache.cassandra.io.util.File;
import org.apache.cassandra.utils.FilterFactory;
import org.apache.cassandra.utils.IFilter;

/**
 * Rebuilds the bloom filter of an SSTable written by {@code CQLSSTableWriter}.
 *
 * <p>Why: the writer sizes its filter for zero keys (CASSANDRA-21423), so {@code Filter.db} is a
 * 20-bit filter that answers "maybe" for every key, and single-node or whole-file streaming keeps
 * it as is: every read of an absent key would then touch the disk. The sink collects the filter
 * hash of each partition key while writing and replaces the filter with a correctly sized one
 * before the SSTable is streamed.
 */
final class BloomFilters {
  /** False-positive chance of the filters we build; also set on the tables we create. */
  static final double FP_CHANCE = 0.01;

  /**
   * Hashes per block (two longs each). Blocks of 256 KiB stay below G1's humongous-object size, so
   * millions of partitions never need one large contiguous array in a small heap.
   */
  private static final int BLOCK_HASHES = 16 * 1024;

  private final List<long[]> blocks = new ArrayList<>();
  private int count;

  /** Records one partition key (call once per partition). */
  void add(ByteBuffer partitionKey) {
    DecoratedKey key = Murmur3Partitioner.instance.decorateKey(partitionKey);
    long[] h = new long[2];
    key.filterHash(h);
    int slot = count % BLOCK_HASHES;
    if (slot == 0) {
      blocks.add(new long[2 * BLOCK_HASHES]);
    }
    long[] block = blocks.get(count / BLOCK_HASHES);
    block[2 * slot] = h[0];
    block[2 * slot + 1] = h[1];
    count++;
  }

  int partitions() {
    return count;
  }

  /** Replaces the {@code Filter.db} of the SSTable whose {@code Data.db} is {@code dataFile}. */
  void writeFor(Path dataFile) {
    Descriptor descriptor = Descriptor.fromFileWithComponent(new File(dataFile), false).left;
    IFilter filter = FilterFactory.getFilter(Math.max(1, count), FP_CHANCE);
    try {
      for (int i = 0; i < count; i++) {
        long[] block = blocks.get(i / BLOCK_HASHES);
        int slot = i % BLOCK_HASHES;
        long h0 = block[2 * slot];
        long h1 = block[2 * slot + 1];
        filter.add(dest -> {
          dest[0] = h0;
          dest[1] = h1;
        });
      }
      FilterComponent.save(filter, descriptor, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write bloom filter for " + dataFile, e);
    } finally {
      filter.close();
    }
  }
}
