package io.nostos.sstable;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * Writes one token range's rows, already in {@link EncodedRow#ORDER}, into a single SSTable
 * ({@link SortedRowAppender}, a sorted {@code CQLSSTableWriter}'s), then fixes its bloom filter and
 * checksums its files.
 *
 * <p>The sort invariant is checked on every row: a row out of order is a bug upstream; two rows
 * with the same primary key are a data error and fail the range with the key named. Writing is
 * idempotent: the range directory is emptied first, so a retried bundle rewrites it.
 */
final class RangeWriter {
  private RangeWriter() {}

  static RangeResult write(TableSchema schema, int rangeId, TokenRange range, Iterator<byte[]> sorted,
      Path rangeRoot, int sampleSize, int spilledRuns) {
    Path dir = rangeRoot.resolve(schema.keyspace()).resolve(schema.table());
    deleteRecursively(rangeRoot);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    RowEncoder describer = new RowEncoder(schema);
    BloomFilters filter = new BloomFilters();
    List<byte[]> sample = new ArrayList<>();
    Random random = new Random(31L * rangeId + 7);
    long rows = 0;
    long minToken = Long.MAX_VALUE;
    long maxToken = Long.MIN_VALUE;
    byte[] previous = null;
    SortedRowAppender writer = SortedRowAppender.open(schema, dir);
    try {
      while (sorted.hasNext()) {
        byte[] row = sorted.next();
        long token = EncodedRow.token(row);
        if (!range.contains(token)) {
          throw new IllegalStateException("row with token " + token + " reached range " + rangeId + " " + range);
        }
        if (previous != null) {
          int c = EncodedRow.ORDER.compare(previous, row);
          if (c > 0) {
            throw new IllegalStateException("rows reached the writer out of token order in range " + rangeId);
          }
          if (EncodedRow.samePrimaryKey(previous, row)) {
            throw new DuplicateKeyException("primary key (" + describer.describeKey(row) + ") appears more than once in "
                + schema.qualifiedName() + "; each key (and field) must be unique: aggregate the rows "
                + "(e.g. with a group_list generator) or fix the source query");
          }
        }
        if (previous == null || !EncodedRow.samePartition(previous, row)) {
          filter.add(EncodedRow.partitionKey(row));
        }
        writer.append(row);
        rows++;
        minToken = Math.min(minToken, token);
        maxToken = Math.max(maxToken, token);
        if (sample.size() < sampleSize) {
          sample.add(row);
        } else {
          long j = (long) (random.nextDouble() * rows);
          if (j < sampleSize) {
            sample.set((int) j, row);
          }
        }
        previous = row;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing range " + rangeId + " of " + schema.qualifiedName() + " failed", e);
    } finally {
      try {
        writer.close();
      } catch (IOException e) {
        throw new UncheckedIOException("closing the SSTable writer of range " + rangeId + " failed", e);
      }
    }
    List<Path> dataFiles = list(dir).stream()
        .filter(p -> p.getFileName().toString().endsWith("-Data.db"))
        .collect(Collectors.toList());
    if (dataFiles.size() == 1) {
      filter.writeFor(dataFiles.get(0));
    } else if (dataFiles.size() > 1) {
      throw new IllegalStateException("range " + rangeId + " produced " + dataFiles.size()
          + " SSTables; the sink expects exactly one per range");
    }
    List<RangeResult.FileChecksum> files = new ArrayList<>();
    long bytes = 0;
    for (Path f : list(dir)) {
      long size = size(f);
      bytes += size;
      files.add(new RangeResult.FileChecksum(f.getFileName().toString(), size, crc32(f)));
    }
    return new RangeResult(rangeId, range, dir.toString(), rows, filter.partitions(), bytes,
        rows == 0 ? 0 : minToken, rows == 0 ? 0 : maxToken, files, sample, spilledRuns);
  }

  private static List<Path> list(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  private static long size(Path f) {
    try {
      return Files.size(f);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static long crc32(Path f) {
    CRC32 crc = new CRC32();
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(f)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        crc.update(buf, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f, e);
    }
    return crc.getValue();
  }

  static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }
}
