package io.nostos.sstable;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects encoded rows per token range and hands them out as {@link SortedRun}s: a range's rows
 * leave as one run when they reach {@code maxRunBytes}, and the largest range's rows leave when all
 * ranges together reach {@code budgetBytes}. {@link #drain} hands out the rest. Memory use is about
 * the budget. Not thread safe: one per worker.
 */
final class RunBuffer {
  /** Receives a finished run. */
  interface RunSink {
    void accept(int rangeId, byte[] run);
  }

  /** Bytes counted for a row beyond its own length (list slot, array header). */
  static final int ROW_OVERHEAD = 24;

  private final long maxRunBytes;
  private final long budgetBytes;
  private final List<List<byte[]>> rows;
  private final long[] bytes;
  private long total;

  RunBuffer(int ranges, long maxRunBytes, long budgetBytes) {
    if (ranges < 1 || maxRunBytes < 1 || budgetBytes < 1) {
      throw new IllegalArgumentException("RunBuffer needs ranges, maxRunBytes and budgetBytes >= 1, got "
          + ranges + ", " + maxRunBytes + ", " + budgetBytes);
    }
    this.maxRunBytes = maxRunBytes;
    this.budgetBytes = budgetBytes;
    this.rows = new ArrayList<>(ranges);
    for (int i = 0; i < ranges; i++) {
      rows.add(new ArrayList<>());
    }
    this.bytes = new long[ranges];
  }

  /** Buffers a row of range {@code rangeId}; may hand one run to {@code sink}. */
  void add(int rangeId, byte[] row, RunSink sink) {
    rows.get(rangeId).add(row);
    long size = row.length + ROW_OVERHEAD;
    bytes[rangeId] += size;
    total += size;
    if (bytes[rangeId] >= maxRunBytes) {
      emit(rangeId, sink);
    } else if (total >= budgetBytes) {
      emit(largest(), sink);
    }
  }

  /** Hands every buffered row to {@code sink}, one run per non-empty range, and empties the buffer. */
  void drain(RunSink sink) {
    for (int i = 0; i < rows.size(); i++) {
      if (!rows.get(i).isEmpty()) {
        emit(i, sink);
      }
    }
  }

  private int largest() {
    int best = 0;
    for (int i = 1; i < bytes.length; i++) {
      if (bytes[i] > bytes[best]) {
        best = i;
      }
    }
    return best;
  }

  private void emit(int rangeId, RunSink sink) {
    List<byte[]> run = rows.get(rangeId);
    run.sort(EncodedRow.ORDER);
    byte[] packed = SortedRun.pack(run);
    run.clear();
    total -= bytes[rangeId];
    bytes[rangeId] = 0;
    sink.accept(rangeId, packed);
  }
}
