package io.nostos.pipelines;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads delimited text one record at a time: RFC 4180 quoting (quoted fields may hold
 * delimiters, doubled quotes and newlines) and, when an escape character is set, backslash-style
 * escapes as Redshift's UNLOAD ... ESCAPE writes them (the escaped character is taken as is; an
 * escape at the end of a line escapes the newline). Keeps the raw text of each record for
 * dead-letter output.
 */
final class CsvReader {
  /** A record that cannot be read; {@link #raw()} holds its text. */
  static final class MalformedRecordException extends Exception {
    private final String raw;

    MalformedRecordException(String message, String raw) {
      super(message);
      this.raw = raw;
    }

    String raw() {
      return raw;
    }
  }

  private final BufferedReader in;
  private final char delimiter;
  private final char quote;
  private final char escape;
  /** The last record's first line; {@link #rawMore} holds the rest of a record that spans lines. */
  private String rawFirst;
  private final StringBuilder rawMore = new StringBuilder();
  /** The field being read; reused from record to record. */
  private final StringBuilder f = new StringBuilder();
  /** Fields of the last record: the next one's list starts that large. */
  private int fieldCount = 10;
  private int line;
  private int recordLine;

  /** {@code quote} or {@code escape} 0 means not used. */
  CsvReader(BufferedReader in, char delimiter, char quote, char escape) {
    this(in, delimiter, quote, escape, 1);
  }

  /** Reads text whose first line is line {@code firstLine} of its file (for error messages). */
  CsvReader(BufferedReader in, char delimiter, char quote, char escape, int firstLine) {
    this.in = in;
    this.delimiter = delimiter;
    this.quote = quote;
    this.escape = escape;
    this.line = firstLine - 1;
  }

  /** The line the last record started on (1-based). */
  int recordLine() {
    return recordLine;
  }

  /** The text of the last record, as read. */
  String raw() {
    return rawMore.length() == 0 ? rawFirst : rawFirst + rawMore;
  }

  /**
   * The end of the run of ordinary characters starting at {@code i} (which is one): copied at
   * once rather than character by character, the reader's hot loop.
   */
  private int plainRunEnd(String l, int i, boolean quoted) {
    int end = i + 1;
    while (end < l.length()) {
      char d = l.charAt(end);
      if ((quote != 0 && d == quote) || (escape != 0 && d == escape) || (!quoted && d == delimiter)) {
        break;
      }
      end++;
    }
    return end;
  }

  /** The next record's fields (a new list the caller may change), or null at the end. */
  List<String> next() throws IOException, MalformedRecordException {
    String l = in.readLine();
    if (l == null) {
      return null;
    }
    line++;
    recordLine = line;
    rawFirst = l;
    rawMore.setLength(0);
    List<String> out = new ArrayList<>(fieldCount);
    f.setLength(0);
    boolean quoted = false;
    int i = 0;
    while (true) {
      if (i >= l.length()) {
        boolean escapedNewline = escape != 0 && i > 0 && endsWithEscape(l);
        if (quoted || escapedNewline) {
          String more = in.readLine();
          if (more == null) {
            throw new MalformedRecordException("line " + recordLine + ": " + (quoted ? "quoted field is not closed"
                : "escape at the end of the file"), raw());
          }
          line++;
          rawMore.append('\n').append(more);
          f.append('\n');
          l = more;
          i = 0;
          continue;
        }
        break;
      }
      char c = l.charAt(i);
      if (escape != 0 && c == escape) {
        if (i + 1 < l.length()) {
          f.append(l.charAt(i + 1));
          i += 2;
        } else {
          i++;  // escaped newline: handled at the end of the line
        }
        continue;
      }
      if (quoted) {
        if (c == quote) {
          if (i + 1 < l.length() && l.charAt(i + 1) == quote) {
            f.append(quote);
            i++;
          } else {
            quoted = false;
          }
        } else {
          int end = plainRunEnd(l, i, true);
          f.append(l, i, end);
          i = end;
          continue;
        }
      } else if (quote != 0 && c == quote && f.length() == 0) {
        quoted = true;
      } else if (c == delimiter) {
        out.add(f.toString());
        f.setLength(0);
      } else {
        int end = plainRunEnd(l, i, false);
        if (f.length() == 0 && end < l.length() && l.charAt(end) == delimiter) {
          out.add(l.substring(i, end));  // the whole field: no copy through the builder
          i = end + 1;
          continue;
        }
        f.append(l, i, end);
        i = end;
        continue;
      }
      i++;
    }
    out.add(f.toString());
    fieldCount = out.size();
    return out;
  }

  /** Whether the line ends with an odd number of escape characters (the last one escapes the newline). */
  private boolean endsWithEscape(String l) {
    int n = 0;
    for (int i = l.length() - 1; i >= 0 && l.charAt(i) == escape; i--) {
      n++;
    }
    return n % 2 == 1;
  }
}
