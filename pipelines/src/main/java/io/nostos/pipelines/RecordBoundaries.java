package io.nostos.pipelines;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds where records start in delimited text (or JSON lines), byte by byte, by the rules
 * {@link CsvReader} reads them with: quoted fields may hold newlines, a doubled quote inside
 * quotes is a quote, a quote opens a quoted field only at the field's start, an escape takes the
 * next character as is and at the end of a line escapes the newline, and {@code \n}, {@code \r}
 * and {@code \r\n} end lines. A large uncompressed file can then be parsed in parallel splits that
 * each begin at a record start and count lines from the right number.
 *
 * <p>Works on UTF-8 bytes, so the delimiter, quote and escape must be ASCII (bytes of multi-byte
 * characters are never ASCII); see {@link #supports}.
 */
final class RecordBoundaries {
  private RecordBoundaries() {}

  /**
   * A part of a file that starts at a record start.
   *
   * @param offset first byte
   * @param length bytes to read; the split ends at a record start or at the end of the file
   * @param firstLine line number of the split's first line (1-based)
   */
  record Split(long offset, long length, int firstLine) {}

  /** Whether files with these special characters can be split ({@code 0}: not used). */
  static boolean supports(char delimiter, char quote, char escape) {
    return ascii(delimiter) && (quote == 0 || ascii(quote)) && (escape == 0 || ascii(escape));
  }

  private static boolean ascii(char c) {
    return c > 0 && c < 0x80 && c != '\n' && c != '\r';
  }

  /**
   * Cuts {@code in} (all {@code size} bytes of a file) into splits of at least {@code targetBytes}
   * each, except the last, every one starting at a record start.
   */
  static List<Split> plan(InputStream in, long size, long targetBytes, char delimiter, char quote, char escape)
      throws IOException {
    if (!supports(delimiter, quote, escape)) {
      throw new IllegalArgumentException("cannot split on a non-ASCII delimiter, quote or escape");
    }
    Scanner s = new Scanner(in, delimiter, quote == 0 ? -1 : quote, escape == 0 ? -1 : escape);
    List<Split> splits = new ArrayList<>();
    long start = 0;
    int startLine = 1;
    while (true) {
      long next = s.nextRecordStartAtOrAfter(start + targetBytes);
      if (next < 0 || next >= size) {
        splits.add(new Split(start, size - start, startLine));
        return splits;
      }
      splits.add(new Split(start, next - start, startLine));
      start = next;
      startLine = s.line();
    }
  }

  /** One pass over the bytes, tracking what {@link CsvReader} would be inside of. */
  private static final class Scanner {
    private final InputStream in;
    private final int delimiter;
    private final int quote;
    private final int escape;
    private final byte[] buf = new byte[1 << 16];
    private int len;
    private int pos;
    private long consumed;  // bytes before buf[0]
    private int line = 1;   // line of the next byte
    private boolean quoted;
    private boolean fieldEmpty = true;
    private boolean escapedNewline;

    /** {@code quote} or {@code escape} -1 means not used (no byte equals it). */
    Scanner(InputStream in, int delimiter, int quote, int escape) {
      this.in = in;
      this.delimiter = delimiter;
      this.quote = quote;
      this.escape = escape;
    }

    int line() {
      return line;
    }

    private int peek() throws IOException {
      if (pos == len) {
        consumed += len;
        len = Math.max(0, in.read(buf));
        pos = 0;
        if (len == 0) {
          return -1;
        }
      }
      return buf[pos] & 0xff;
    }

    private int read() throws IOException {
      int b = peek();
      if (b >= 0) {
        pos++;
      }
      return b;
    }

    private long position() {
      return consumed + pos;
    }

    /**
     * Skips the run of ordinary bytes at {@code pos} (none of line ends, the escape, the quote,
     * and outside quotes the delimiter) in one tight loop over the buffer: what the scan does for
     * most bytes. Whether the field is empty after them is all they change.
     */
    private void skipOrdinary() {
      byte[] b = buf;
      int p = pos;
      int end = len;
      if (quoted) {
        while (p < end) {
          int c = b[p] & 0xff;
          if (c == quote || c == '\n' || c == '\r' || c == escape) {
            break;
          }
          p++;
        }
      } else {
        while (p < end) {
          int c = b[p] & 0xff;
          if (c == delimiter || c == '\n' || c == '\r' || c == quote || c == escape) {
            break;
          }
          p++;
        }
      }
      if (p > pos) {
        fieldEmpty = false;
        pos = p;
      }
    }

    /** The offset of the first record start at or after {@code target}, or -1 at the end of the input. */
    long nextRecordStartAtOrAfter(long target) throws IOException {
      while (true) {
        skipOrdinary();
        int b = read();
        if (b < 0) {
          return -1;
        }
        if (b == '\n' || b == '\r') {
          if (b == '\r' && peek() == '\n') {
            read();
          }
          line++;
          if (quoted || escapedNewline) {
            escapedNewline = false;
            fieldEmpty = false;  // the reader appends the newline to the field
            continue;
          }
          fieldEmpty = true;
          if (position() >= target) {
            return position();
          }
          continue;
        }
        if (b == escape) {
          int n = peek();
          if (n < 0 || n == '\n' || n == '\r') {
            escapedNewline = true;
          } else {
            read();
            fieldEmpty = false;
          }
          continue;
        }
        if (quoted) {
          if (b == quote) {
            if (peek() == quote) {
              read();
              fieldEmpty = false;
            } else {
              quoted = false;
            }
          } else {
            fieldEmpty = false;
          }
        } else if (b == quote && fieldEmpty) {
          quoted = true;
        } else if (b == delimiter) {
          fieldEmpty = true;
        } else {
          fieldEmpty = false;
        }
      }
    }
  }
}
