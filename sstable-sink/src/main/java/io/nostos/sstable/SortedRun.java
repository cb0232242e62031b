package io.nostos.sstable;

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

  /**
   * The rows of a run read from {@code in} (named {@code source} in errors) through a buffer of
   * {@code bufferBytes}; closes it at the end. A run cut short fails rather than ending early.
   */
  static Iterator<byte[]> rows(InputStream in, String source, int bufferBytes) {
    return new StreamRows(in, source, bufferBytes);
  }

  /**
   * Reads rows out of its own buffer: a {@code DataInputStream} over a {@code BufferedInputStream}
   * took four synchronized single-byte reads per row length, 4% of a load's CPU samples.
   */
  private static final class StreamRows implements Iterator<byte[]> {
    private final InputStream in;
    private final String source;
    private final byte[] buffer;
    private int pos;
    private int limit;
    private byte[] next;

    StreamRows(InputStream in, String source, int bufferBytes) {
      this.in = in;
      this.source = source;
      this.buffer = new byte[Math.max(4, bufferBytes)];
      advance();
    }

    private void advance() {
      try {
        if (!buffered(4)) {
          if (limit > pos) {
            throw new EOFException((limit - pos) + " bytes after the last row");
          }
          next = null;
          in.close();
          return;
        }
        int len = EncodedRow.intAt(buffer, pos);
        pos += 4;
        byte[] row = new byte[len];
        int fromBuffer = Math.min(len, limit - pos);
        System.arraycopy(buffer, pos, row, 0, fromBuffer);
        pos += fromBuffer;
        if (fromBuffer < len && in.readNBytes(row, fromBuffer, len - fromBuffer) < len - fromBuffer) {
          throw new EOFException("a row of " + len + " bytes is cut short");
        }
        next = row;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read sorted run from " + source + " (was it deleted or truncated?)", e);
      }
    }

    /** Whether at least {@code n} bytes are in the buffer, reading more as needed; false at the end. */
    private boolean buffered(int n) throws IOException {
      if (limit - pos >= n) {
        return true;
      }
      System.arraycopy(buffer, pos, buffer, 0, limit - pos);
      limit -= pos;
      pos = 0;
      while (limit < n) {
        int read = in.read(buffer, limit, buffer.length - limit);
        if (read < 0) {
          return false;
        }
        limit += read;
      }
      return true;
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
