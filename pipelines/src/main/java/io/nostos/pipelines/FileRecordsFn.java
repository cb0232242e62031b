package io.nostos.pipelines;

import io.nostos.pipelines.spec.Spec;
import io.nostos.transforms.BadRow;
import io.nostos.transforms.Json;
import io.nostos.transforms.Record;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Parses one whole file of a files source (delimited text or JSON lines) into records. A line
 * that does not parse becomes a {@link BadRow} ({@code unparsable_row}) whose detail names the
 * file and line; reading goes on. Safe to retry: a file is read from its start.
 */
final class FileRecordsFn extends DoFn<FileIO.ReadableFile, Record> {
  private final Spec.FilesSource spec;
  private final List<String> columnNames;

  /** {@code columnNames} overrides the file's header (from the spec or an UNLOAD manifest). */
  FileRecordsFn(Spec.FilesSource spec, List<String> columnNames) {
    this.spec = spec;
    this.columnNames = List.copyOf(columnNames);
  }

  @ProcessElement
  public void process(@Element FileIO.ReadableFile file, OutputReceiver<Record> out) throws IOException {
    String name = file.getMetadata().resourceId().toString();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(file.open()),
        StandardCharsets.UTF_8), 1 << 16)) {
      if (spec.format() == Spec.Format.JSONL) {
        readJsonLines(name, in, out);
      } else {
        readDelimited(name, in, out);
      }
    }
  }

  private static void readJsonLines(String name, BufferedReader in, OutputReceiver<Record> out) throws IOException {
    String line;
    int n = 0;
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

  private void readDelimited(String name, BufferedReader in, OutputReceiver<Record> out) throws IOException {
    CsvReader csv = new CsvReader(in, spec.delimiter(), spec.quote(), spec.escape());
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
      Map<String, Object> m = new LinkedHashMap<>();
      for (int i = 0; i < header.size(); i++) {
        String v = fields.get(i);
        m.put(header.get(i), v.equals(spec.nullMarker()) ? null : v);
      }
      out.output(Record.of(m));
    }
  }

  private static String printable(char c) {
    return c == '\t' ? "\\t" : String.valueOf(c);
  }
}
