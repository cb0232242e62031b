package io.nostos.sstable;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.cassandra.db.DecoratedKey;
import org.apache.cassandra.dht.Murmur3Partitioner;
import org.apache.cassandra.io.sstable.Descriptor;
import org.apache.cassandra.io.sstable.format.FilterComponent;
import org.apache.cassandra.io.util.File;
import org.apache.cassandra.utils.IFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BloomFiltersTest {
  @TempDir Path tmp;

  private static DecoratedKey key(long i) {
    return Murmur3Partitioner.instance.decorateKey(ByteBuffer.allocate(8).putLong(0, i));
  }

  @Test
  void theRebuiltFilterHoldsEveryKeyAcrossBlocksAndFewOthers() throws Exception {
    CassandraClientMode.ensure();
    Path table = Files.createDirectories(tmp.resolve("ks/t-1"));
    Path data = Files.createFile(table.resolve("nb-1-big-Data.db"));
    BloomFilters filters = new BloomFilters();
    int keys = 40_000;  // more than two blocks of hashes
    for (long i = 0; i < keys; i++) {
      filters.add(key(i).getKey());
    }
    filters.writeFor(data);

    Descriptor descriptor = Descriptor.fromFileWithComponent(new File(data), false).left;
    try (IFilter filter = FilterComponent.load(descriptor)) {
      for (long i = 0; i < keys; i++) {
        assertThat(filter.isPresent(key(i))).as("key %d", i).isTrue();
      }
      int falsePositives = 0;
      for (long i = keys; i < 2L * keys; i++) {
        falsePositives += filter.isPresent(key(i)) ? 1 : 0;
      }
      assertThat(falsePositives).isLessThan(keys / 50);  // asked for 1%
    }
    assertThat(filters.partitions()).isEqualTo(keys);
  }
}
