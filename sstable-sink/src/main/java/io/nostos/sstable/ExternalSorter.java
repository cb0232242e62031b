package io.nostos.sstable;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
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
 * Sorts byte records with bounded memory: records are buffered up to a byte budget, sorted and
 * spilled to a run file when the budget is exceeded; {@link #sorted()} merges the runs and the
 * in-memory remainder. Memory use is about the budget plus one buffered record per run. Deletes
 * its run files on {@link #close()}. Not thread safe.
 */
final class ExternalSorter implements AutoCloseable {
  private static final int RECORD_OVERHEAD = 48;

  private final Path spillDir;
  private final long budgetBytes;
  private final Comparator<byte[]> order;
  private final List<byte[]> buffer = new ArrayList<>();
  private final List<Path> runs = new ArrayList<>();
  private long buffered;

  ExternalSorter(Path spillDir, long budgetBytes, Comparator<byte[]> order) {
    this.spillDir = spillDir;
    this.budgetBytes = budgetBytes;
    this.order = order;
  }

  void add(byte[] record) {
    buffer.add(record);
    buffered += record.length + RECORD_OVERHEAD;
    if (buffered >= budgetBytes) {
      spill();
    }
  }

  /** How many sorted runs went to disk. */
  int spilledRuns() {
    return runs.size();
  }

  private void spill() {
    buffer.sort(order);
    try {
      Files.createDirectories(spillDir);
      Path run = Files.createTempFile(spillDir, "run-", ".bin");
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(run), 1 << 16))) {
        for (byte[] r : buffer) {
          out.writeInt(r.length);
          out.write(r);
        }
      }
      runs.add(run);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot spill sorted run to " + spillDir + " (is the disk full?)", e);
    }
    buffer.clear();
    buffered = 0;
  }

  /** All records added, in order. Call once, after the last {@link #add}. */
  Iterator<byte[]> sorted() {
    buffer.sort(order);
    if (runs.isEmpty()) {
      return buffer.iterator();
    }
    List<Iterator<byte[]>> sources = new ArrayList<>();
    for (Path run : runs) {
      sources.add(new RunReader(run));
    }
    sources.add(buffer.iterator());
    return new Merge(sources, order);
  }

  @Override
  public void close() {
    for (Path run : runs) {
      try {
        Files.deleteIfExists(run);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete spill file " + run, e);
      }
    }
    runs.clear();
    buffer.clear();
  }

  private static final class RunReader implements Iterator<byte[]> {
    private final DataInputStream in;
    private byte[] next;

    RunReader(Path run) {
      try {
        in = new DataInputStream(new BufferedInputStream(Files.newInputStream(run), 1 << 16));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read spill file " + run, e);
      }
      advance();
    }

    private void advance() {
      try {
        int len = in.readInt();
        next = new byte[len];
        in.readFully(next);
      } catch (EOFException eof) {
        next = null;
        closeQuietly();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read spill file", e);
      }
    }

    private void closeQuietly() {
      try {
        in.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public boolean hasNext() {
      return next != null;
    }

    @Override
    public byte[] next() {
      if (next == null) {
        throw new NoSuchElementException();
      }
      byte[] r = next;
      advance();
      return r;
    }
  }

  private static final class Merge implements Iterator<byte[]> {
    private record Head(byte[] record, Iterator<byte[]> source) {}

    private final PriorityQueue<Head> heap;

    Merge(List<Iterator<byte[]>> sources, Comparator<byte[]> order) {
      heap = new PriorityQueue<>(Math.max(1, sources.size()), (a, b) -> order.compare(a.record, b.record));
      for (Iterator<byte[]> s : sources) {
        if (s.hasNext()) {
          heap.add(new Head(s.next(), s));
        }
      }
    }

    @Override
    public boolean hasNext() {
      return !heap.isEmpty();
    }

    @Override
    public byte[] next() {
      Head h = heap.poll();
      if (h == null) {
        throw new NoSuchElementException();
      }
      if (h.source.hasNext()) {
        heap.add(new Head(h.source.next(), h.source));
      }
      return h.record;
    }
  }
}
