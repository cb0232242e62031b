package io.nostos.sstable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * Merges one range's {@link SortedRun}s into a single ordered stream with bounded memory. Runs
 * stay in memory up to a byte budget; past it, each further run is written to a spill file as it
 * arrives and read back during the merge. Memory use is about the budget plus one read buffer per
 * spilled run. Deletes its spill files on {@link #close()}, so a retried range starts clean. Not
 * thread safe.
 */
final class RunMerger implements AutoCloseable {
  private static final int MAX_READ_BUFFER = 1 << 16;
  private static final int MIN_READ_BUFFER = 1 << 12;

  private final Path spillDir;
  private final long budgetBytes;
  private final Comparator<byte[]> order;
  private final List<byte[]> inMemory = new ArrayList<>();
  private final List<Path> spilled = new ArrayList<>();
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
    if (buffered + run.length <= budgetBytes) {
      inMemory.add(run);
      buffered += run.length;
      return;
    }
    try {
      Files.createDirectories(spillDir);
      Path file = Files.createTempFile(spillDir, "run-", ".bin");
      spilled.add(file);
      Files.write(file, run);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot spill a sorted run to " + spillDir + " (is the disk full?)", e);
    }
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
      int readBuffer = (int) Math.max(MIN_READ_BUFFER, Math.min(MAX_READ_BUFFER, budgetBytes / spilled.size()));
      for (Path file : spilled) {
        sources.add(SortedRun.rows(file, readBuffer));
      }
    }
    return sources.size() == 1 ? sources.get(0) : new Merge(sources, order);
  }

  @Override
  public void close() {
    for (Path file : spilled) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete spill file " + file, e);
      }
    }
    spilled.clear();
    inMemory.clear();
  }

  /** A k-way merge over ordered sources; ties keep source order. */
  private static final class Merge implements Iterator<byte[]> {
    private record Head(byte[] row, int source) {}

    private final List<Iterator<byte[]>> sources;
    private final PriorityQueue<Head> heap;

    Merge(List<Iterator<byte[]>> sources, Comparator<byte[]> order) {
      this.sources = sources;
      this.heap = new PriorityQueue<>(Math.max(1, sources.size()), (a, b) -> {
        int c = order.compare(a.row, b.row);
        return c != 0 ? c : Integer.compare(a.source, b.source);
      });
      for (int i = 0; i < sources.size(); i++) {
        if (sources.get(i).hasNext()) {
          heap.add(new Head(sources.get(i).next(), i));
        }
      }
    }

    @Override
    public boolean hasNext() {
      return !heap.isEmpty();
    }

    @Override
    public byte[] next() {
      Head head = heap.poll();
      if (head == null) {
        throw new NoSuchElementException();
      }
      Iterator<byte[]> source = sources.get(head.source);
      if (source.hasNext()) {
        heap.add(new Head(source.next(), head.source));
      }
      return head.row;
    }
  }
}
