package io.nostos.pipelines;

import io.nostos.pipelines.spec.Spec;
import io.nostos.sstable.Progress;
import io.nostos.transforms.Json;
import io.nostos.transforms.Record;
import io.nostos.transforms.RecordCoder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/** Reads a spec's source as {@link Record}s. */
final class Sources {
  private Sources() {}

  static PCollection<Record> read(Pipeline p, Spec.Source source) {
    PCollection<Record> rows;
    if (source instanceof Spec.JdbcSource) {
      Spec.JdbcSource j = (Spec.JdbcSource) source;
      JdbcIO.DataSourceConfiguration ds = JdbcIO.DataSourceConfiguration.create(j.driver(), j.url());
      if (j.user() != null) {
        ds = ds.withUsername(j.user());
      }
      if (j.password() != null) {
        ds = ds.withPassword(j.password());
      }
      rows = p.apply("ReadJdbc", JdbcIO.<Record>read()
          .withDataSourceConfiguration(ds)
          .withQuery(j.query())
          .withFetchSize(j.fetchSize())
          .withRowMapper(new RecordRowMapper())
          .withCoder(RecordCoder.of()));
    } else {
      Spec.FilesSource f = (Spec.FilesSource) source;
      rows = p.apply("MatchFiles", FileIO.match().filepattern(f.path()))
          .apply("ReadMatches", FileIO.readMatches().withCompression(Compression.AUTO))
          .apply("ParseFiles", ParDo.of(new ParseFileFn(f)))
          .setCoder(RecordCoder.of());
    }
    return rows.apply("CountRowsRead", ParDo.of(new CountFn())).setCoder(RecordCoder.of());
  }

  /** Maps a JDBC row to a record named by column labels. */
  static final class RecordRowMapper implements JdbcIO.RowMapper<Record> {
    @Override
    public Record mapRow(ResultSet rs) throws Exception {
      ResultSetMetaData md = rs.getMetaData();
      Map<String, Object> m = new LinkedHashMap<>();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        m.put(md.getColumnLabel(i), rs.getObject(i));
      }
      return Record.of(m);
    }
  }

  private static final class CountFn extends DoFn<Record, Record> {
    private final Progress.Step read = Progress.counter(Progress.ROWS_READ);

    @ProcessElement
    public void process(@Element Record r, OutputReceiver<Record> out) {
      read.inc(1);
      out.output(r);
    }
  }

  /** Parses one whole file (CSV with RFC 4180 quoting, or JSON lines). */
  private static final class ParseFileFn extends DoFn<FileIO.ReadableFile, Record> {
    private final Spec.FilesSource spec;

    ParseFileFn(Spec.FilesSource spec) {
      this.spec = spec;
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, OutputReceiver<Record> out) throws IOException {
      String name = file.getMetadata().resourceId().toString();
      try (BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(file.open()),
          StandardCharsets.UTF_8), 1 << 16)) {
        if (spec.format() == Spec.Format.JSONL) {
          String line;
          int n = 0;
          while ((line = in.readLine()) != null) {
            n++;
            if (line.isBlank()) {
              continue;
            }
            try {
              out.output(Json.readRecord(line));
            } catch (IllegalArgumentException e) {
              throw new IllegalArgumentException(name + ":" + n + ": " + e.getMessage(), e);
            }
          }
          return;
        }
        CsvReader csv = new CsvReader(in, spec.delimiter(), spec.quote());
        List<String> header = spec.header() ? csv.next() : spec.columnNames();
        if (header == null) {
          return;
        }
        if (spec.header() && !spec.columnNames().isEmpty()) {
          header = spec.columnNames();
        }
        List<String> fields;
        while ((fields = csv.next()) != null) {
          if (fields.size() == 1 && fields.get(0).isEmpty()) {
            continue;
          }
          if (fields.size() != header.size()) {
            throw new IllegalArgumentException(name + ":" + csv.line() + ": expected " + header.size() + " fields ("
                + String.join(", ", header) + ") but found " + fields.size()
                + "; check the delimiter (" + spec.delimiter() + ") and quoting");
          }
          Map<String, Object> m = new LinkedHashMap<>();
          for (int i = 0; i < header.size(); i++) {
            String v = fields.get(i);
            m.put(header.get(i), v.equals(spec.nullMarker()) ? null : v);
          }
          out.output(Record.of(m));
        }
      }
    }
  }

  /** A small RFC 4180 reader: quoted fields may hold delimiters, doubled quotes and newlines. */
  static final class CsvReader {
    private final BufferedReader in;
    private final char delimiter;
    private final char quote;
    private int line;

    CsvReader(BufferedReader in, char delimiter, char quote) {
      this.in = in;
      this.delimiter = delimiter;
      this.quote = quote;
    }

    int line() {
      return line;
    }

    List<String> next() throws IOException {
      String l = in.readLine();
      if (l == null) {
        return null;
      }
      line++;
      List<String> out = new ArrayList<>();
      StringBuilder f = new StringBuilder();
      boolean quoted = false;
      int i = 0;
      while (true) {
        if (i >= l.length()) {
          if (quoted) {
            String more = in.readLine();
            if (more == null) {
              throw new IllegalArgumentException("line " + line + ": quoted field is not closed");
            }
            line++;
            f.append('\n');
            l = more;
            i = 0;
            continue;
          }
          break;
        }
        char c = l.charAt(i);
        if (quoted) {
          if (c == quote) {
            if (i + 1 < l.length() && l.charAt(i + 1) == quote) {
              f.append(quote);
              i++;
            } else {
              quoted = false;
            }
          } else {
            f.append(c);
          }
        } else if (c == quote && f.length() == 0) {
          quoted = true;
        } else if (c == delimiter) {
          out.add(f.toString());
          f.setLength(0);
        } else {
          f.append(c);
        }
        i++;
      }
      out.add(f.toString());
      return out;
    }
  }
}
