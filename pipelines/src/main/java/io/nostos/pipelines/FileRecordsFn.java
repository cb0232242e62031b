package io.nostos.pipelines;

import io.nostos.pipelines.spec.Spec;
import io.nostos.transforms.BadRow;
import io.nostos.transforms.Json;
import io.nostos.transforms.Record;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Parses one {@link FileSplit} of a files source (delimited text or JSON lines) into records. A
 * line that does not parse becomes a {@link BadRow} ({@code unparsable_row}) whose detail names
 * the file and line; reading goes on. Safe to retry: a split is read from its start.
 */
final class FileRecordsFn extends DoFn<FileSplit, Record> {
  private final Spec.FilesSource spec;

  FileRecordsFn(Spec.FilesSource spec) {
    this.spec = spec;
  }

  @ProcessElement
  public void process(@Element FileSplit split, OutputReceiver<Record> out) throws IOException {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(open(split), StandardCharsets.UTF_8), 1 << 16)) {
      if (spec.format() == Spec.Format.JSONL) {
        readJsonLines(split, in, out);
      } else {
        readDelimited(split, in, out);
      }
    }
  }

  /** The split's bytes, decompressed. */
  private static InputStream open(FileSplit split) throws IOException {
    ReadableByteChannel channel = FileSystems.open(FileSystems.matchNewResource(split.resource(), false));
    if (split.offset() > 0) {
      ((SeekableByteChannel) channel).position(split.offset());
    }
    InputStream in = Channels.newInputStream(split.compression().readDecompressed(channel));
    return split.length() < 0 ? in : new LimitedInputStream(in, split.length());
  }

  private static void readJsonLines(FileSplit split, BufferedReader in, OutputReceiver<Record> out)
      throws IOException {
    String name = split.resource();
    String line;
    int n = split.firstLine() - 1;
    while ((line = in.readLine()) != null) {
      n++;
      if (line.isBlank()) {
        continue;
      }
      Record r;
      try {
        r = Json.readRecord(line);
      } catch (IllegalArgumentException e) {
        out.output(BadRow.of(BadRow.UNPARSABLE_ROW, name + ":" + n + ": " + e.getMessage(), line));
        continue;
      }
      out.output(r);
    }
  }

  private void readDelimited(FileSplit split, BufferedReader in, OutputReceiver<Record> out) throws IOException {
    String name = split.resource();
    List<String> columnNames = split.columnNames();
    CsvReader csv = new CsvReader(in, spec.delimiter(), spec.quote(), spec.escape(), split.firstLine());
    List<String> header = columnNames;
    while (true) {
      List<String> fields;
      try {
        fields = csv.next();
      } catch (CsvReader.MalformedRecordException e) {
        out.output(BadRow.of(BadRow.UNPARSABLE_ROW, name + ":" + e.getMessage(), e.raw()));
        return;
      }
      if (fields == null) {
        return;
      }
      if (spec.header() && csv.recordLine() == 1) {
        header = columnNames.isEmpty() ? fields : columnNames;
        continue;
      }
      if (fields.size() == 1 && fields.get(0).isEmpty()) {
        continue;
      }
      if (fields.size() != header.size()) {
        out.output(BadRow.of(BadRow.UNPARSABLE_ROW, name + ":" + csv.recordLine() + ": expected " + header.size()
            + " fields (" + String.join(", ", header) + ") but found " + fields.size() + "; check the delimiter ("
            + printable(spec.delimiter()) + "), quoting and escaping", csv.raw()));
        continue;
      }
      for (int i = 0; i < fields.size(); i++) {
        if (fields.get(i).equals(spec.nullMarker())) {
          fields.set(i, null);
        }
      }
      out.output(Record.ofText(header, fields));
    }
  }

  /** At most {@code remaining} bytes of a stream; closes it. */
  private static final class LimitedInputStream extends FilterInputStream {
    private long remaining;

    LimitedInputStream(InputStream in, long limit) {
      super(in);
      this.remaining = limit;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int b = super.read();
      if (b >= 0) {
        remaining--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int n = super.read(b, off, (int) Math.min(len, remaining));
      if (n > 0) {
        remaining -= n;
      }
      return n;
    }
  }

  private static String printable(char c) {
    return c == '\t' ? "\\t" : String.valueOf(c);
  }
}
