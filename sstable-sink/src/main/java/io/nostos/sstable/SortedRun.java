package io.nostos.sstable;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A sorted run: rows already in {@link EncodedRow#ORDER}, packed into one {@code byte[]} as
 * {@code (length:int32, row bytes)} pairs. The encoding step emits runs instead of single rows so
 * the shuffle by token range moves a few large arrays rather than millions of small ones; the
 * writing step merges a range's runs. A spilled run is these bytes as they are.
 */
final class SortedRun {
  private SortedRun() {}

  /** Packs rows that are already sorted. */
  static byte[] pack(List<byte[]> sortedRows) {
    int size = 0;
    for (byte[] row : sortedRows) {
      size += 4 + row.length;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    for (byte[] row : sortedRows) {
      out.putInt(row.length).put(row);
    }
    return out.array();
  }

  /** The rows of a packed run, each as its own array, in order. */
  static Iterator<byte[]> rows(byte[] run) {
    return new Iterator<>() {
      private int pos;

      @Override
      public boolean hasNext() {
        return pos < run.length;
      }

      @Override
      public byte[] next() {
        if (pos >= run.length) {
          throw new NoSuchElementException();
        }
        int len = EncodedRow.intAt(run, pos);
        byte[] row = Arrays.copyOfRange(run, pos + 4, pos + 4 + len);
        pos += 4 + len;
        return row;
      }
    };
  }

  /** The rows of a run read from {@code in} (named {@code source} in errors); closes it at the end. */
  static Iterator<byte[]> rows(InputStream in, String source) {
    return new StreamRows(new DataInputStream(in), source);
  }

  private static final class StreamRows implements Iterator<byte[]> {
    private final DataInputStream in;
    private final String source;
    private byte[] next;

    StreamRows(DataInputStream in, String source) {
      this.in = in;
      this.source = source;
      advance();
    }

    private void advance() {
      try {
        int len;
        try {
          len = in.readInt();
        } catch (EOFException end) {
          next = null;
          in.close();
          return;
        }
        next = new byte[len];
        in.readFully(next);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read sorted run from " + source + " (was it deleted or truncated?)", e);
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
      byte[] row = next;
      advance();
      return row;
    }
  }
}
