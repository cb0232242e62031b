package io.nostos.sstable;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A sorted run: rows already in {@link EncodedRow#ORDER}, packed into one {@code byte[]} as
 * {@code (length:int32, row bytes)} pairs. The encoding step emits runs instead of single rows so
 * the shuffle by token range moves a few large arrays rather than millions of small ones; the
 * writing step merges a range's runs. A spilled run file holds exactly these bytes.
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

  /** The rows of a run file, read through a buffer of {@code bufferBytes}; the file closes at its end. */
  static Iterator<byte[]> rows(Path file, int bufferBytes) {
    return new FileRows(file, bufferBytes);
  }

  private static final class FileRows implements Iterator<byte[]> {
    private final Path file;
    private final DataInputStream in;
    private byte[] next;

    FileRows(Path file, int bufferBytes) {
      this.file = file;
      try {
        in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), bufferBytes));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read spill file " + file, e);
      }
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
        throw new UncheckedIOException("cannot read spill file " + file + " (was it deleted or truncated?)", e);
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
