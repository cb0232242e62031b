package io.nostos.sstable;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Merges one range's {@link SortedRun}s into a single ordered stream with bounded memory. Runs
 * stay in memory up to half the byte budget; past it, each further run is appended to one spill
 * file as it arrives and read back during the merge through buffers that share the other half.
 * Deletes its spill file on {@link #close()}, so a retried range starts clean. Not thread safe.
 */
final class RunMerger implements AutoCloseable {
  private static final int MAX_READ_BUFFER = 1 << 16;
  private static final int MIN_READ_BUFFER = 1 << 12;

  private final Path spillDir;
  private final long budgetBytes;
  private final Comparator<byte[]> order;
  private final List<byte[]> inMemory = new ArrayList<>();
  private final List<long[]> spilled = new ArrayList<>();  // {offset, length} in the spill file
  private Path spillFile;
  private FileChannel spill;
  private long spillEnd;
  private long buffered;

  RunMerger(Path spillDir, long budgetBytes, Comparator<byte[]> order) {
    this.spillDir = spillDir;
    this.budgetBytes = budgetBytes;
    this.order = order;
  }

  /** Adds a run whose rows are already in this merger's order. */
  void add(byte[] run) {
    if (run.length == 0) {
      return;
    }
    if (buffered + run.length <= budgetBytes / 2) {
      inMemory.add(run);
      buffered += run.length;
      return;
    }
    try {
      if (spill == null) {
        Files.createDirectories(spillDir);
        spillFile = Files.createTempFile(spillDir, "runs-", ".bin");
        spill = FileChannel.open(spillFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
      }
      ByteBuffer b = ByteBuffer.wrap(run);
      while (b.hasRemaining()) {
        spill.write(b, spillEnd + b.position());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot spill a sorted run to " + spillDir + " (is the disk full?)", e);
    }
    spilled.add(new long[] {spillEnd, run.length});
    spillEnd += run.length;
  }

  /** How many runs were added. */
  int runs() {
    return inMemory.size() + spilled.size();
  }

  /** How many runs went to disk because the range did not fit the budget. */
  int spilledRuns() {
    return spilled.size();
  }

  /** All rows of all runs, in order. Call once, after the last {@link #add}. */
  Iterator<byte[]> merged() {
    List<Iterator<byte[]>> sources = new ArrayList<>();
    for (byte[] run : inMemory) {
      sources.add(SortedRun.rows(run));
    }
    if (!spilled.isEmpty()) {
      int readBuffer = (int) Math.max(MIN_READ_BUFFER, Math.min(MAX_READ_BUFFER, budgetBytes / 2 / spilled.size()));
      for (long[] region : spilled) {
        InputStream in = new RegionInputStream(spill, region[0], region[0] + region[1]);
        sources.add(SortedRun.rows(in, spillFile.toString(), readBuffer));
      }
    }
    return sources.size() == 1 ? sources.get(0) : new Merge(sources, order);
  }

  @Override
  public void close() {
    inMemory.clear();
    spilled.clear();
    if (spill == null) {
      return;
    }
    try {
      spill.close();
      Files.deleteIfExists(spillFile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete spill file " + spillFile, e);
    } finally {
      spill = null;
    }
  }

  /** Bytes {@code [from, to)} of a file channel, read at their positions (readers share the channel). */
  private static final class RegionInputStream extends InputStream {
    private final FileChannel channel;
    private final long end;
    private long pos;

    RegionInputStream(FileChannel channel, long from, long to) {
      this.channel = channel;
      this.pos = from;
      this.end = to;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (pos >= end) {
        return -1;
      }
      int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - pos)), pos);
      if (n > 0) {
        pos += n;
      }
      return n;
    }
  }

  /**
   * A k-way merge over ordered sources; ties keep source order. A tournament of losers: each row
   * out costs one comparison per level of the tree (log2 k), about half what a binary heap's
   * poll-then-add spends, where the heap was 5% of a load's CPU samples.
   */
  static final class Merge implements Iterator<byte[]> {
    private final List<Iterator<byte[]>> sources;
    private final Comparator<byte[]> order;
    /** Each source's current row; null once the source is done. */
    private final byte[][] heads;
    /** {@code tree[0]}: the winner; {@code tree[1..k-1]}: the loser of each match, by source. */
    private final int[] tree;
    private final int k;

    Merge(List<Iterator<byte[]>> sources, Comparator<byte[]> order) {
      this.sources = sources;
      this.order = order;
      this.k = Math.max(1, sources.size());
      this.heads = new byte[k][];
      for (int i = 0; i < sources.size(); i++) {
        heads[i] = sources.get(i).hasNext() ? sources.get(i).next() : null;
      }
      this.tree = new int[k];
      int[] winners = new int[2 * k];
      for (int leaf = k; leaf < 2 * k; leaf++) {
        winners[leaf] = leaf - k;
      }
      for (int node = k - 1; node >= 1; node--) {
        int a = winners[2 * node];
        int b = winners[2 * node + 1];
        boolean aWins = beats(a, b);
        winners[node] = aWins ? a : b;
        tree[node] = aWins ? b : a;
      }
      tree[0] = k == 1 ? 0 : winners[1];
    }

    /** Whether source {@code a}'s row goes out before source {@code b}'s; a done source never does. */
    private boolean beats(int a, int b) {
      if (heads[a] == null) {
        return false;
      }
      if (heads[b] == null) {
        return true;
      }
      int c = order.compare(heads[a], heads[b]);
      return c < 0 || (c == 0 && a < b);
    }

    @Override
    public boolean hasNext() {
      return heads[tree[0]] != null;
    }

    @Override
    public byte[] next() {
      int winner = tree[0];
      byte[] row = heads[winner];
      if (row == null) {
        throw new NoSuchElementException();
      }
      Iterator<byte[]> source = sources.get(winner);
      heads[winner] = source.hasNext() ? source.next() : null;
      int current = winner;
      for (int node = (winner + k) / 2; node >= 1; node /= 2) {
        if (beats(tree[node], current)) {
          int loser = current;
          current = tree[node];
          tree[node] = loser;
        }
      }
      tree[0] = current;
      return row;
    }
  }
}
