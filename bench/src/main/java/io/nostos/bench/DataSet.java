package io.nostos.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The benchmark data: {@code rows} rows of (id text, a int, b int, name text, value text) where
 * value is a JSON object of about {@code valueBytes} bytes. Deterministic: the same rows, seed and
 * size give the same file, byte for byte. Written once as CSV (header, RFC 4180 quoting with
 * doubled quotes), which every variant reads.
 */
public record DataSet(long rows, int valueBytes, long seed) {
  /** One row. */
  public record Row(String id, int a, int b, String name, String value) {}

  /** The columns, in file order. */
  public static final List<String> COLUMNS = List.of("id", "a", "b", "name", "value");

  /** The CQL table every variant loads into (columns layout). */
  public static String createTable(String qualifiedName) {
    return "CREATE TABLE IF NOT EXISTS " + qualifiedName + " (id text PRIMARY KEY, a int, b int, name text, value text)";
  }

  /** Creates keyspace {@code ks} if missing (with {@code replication}) and the table {@code ks.table} in it. */
  static void createTable(CqlSession s, String replication, String ks, String table) {
    s.execute("CREATE KEYSPACE IF NOT EXISTS " + ks + " WITH replication = " + replication);
    s.execute(createTable(ks + "." + table));
  }

  /** Row {@code i} (0-based). */
  public Row row(long i) {
    Random r = new Random(seed * 1_000_003L + i);
    String id = "user-" + Long.toString(Math.abs(r.nextLong()) % 1_000_000_000_000L, 36) + "-" + i;
    StringBuilder v = new StringBuilder("{\"segment\":\"s").append(r.nextInt(64)).append("\",\"scores\":[");
    while (v.length() < valueBytes - 24) {
      v.append(String.format("%.4f", r.nextDouble())).append(',');
    }
    v.setLength(v.length() - 1);
    v.append("],\"lang\":\"").append(r.nextBoolean() ? "en" : "es").append("\"}");
    return new Row(id, r.nextInt(1000), r.nextInt(), "name " + i, v.toString());
  }

  /** Writes the CSV file (when it does not exist yet with the expected name) and returns its path. */
  public Path csv(Path dir) {
    Path file = dir.resolve("data-" + rows + "-" + valueBytes + "-" + seed + ".csv");
    if (Files.exists(file)) {
      return file;
    }
    try {
      Files.createDirectories(dir);
      Path tmp = dir.resolve(file.getFileName() + ".tmp");
      try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        w.write(String.join(",", COLUMNS));
        w.write('\n');
        for (long i = 0; i < rows; i++) {
          Row row = row(i);
          w.write(row.id() + "," + row.a() + "," + row.b() + "," + row.name() + ",\"" + row.value().replace("\"", "\"\"")
              + "\"\n");
        }
      }
      Files.move(tmp, file);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Reads back a file {@link #csv} wrote, row by row. */
  public static void read(Path csv, Consumer<Row> out) {
    try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
      in.readLine();
      String line;
      while ((line = in.readLine()) != null) {
        String[] p = line.split(",", 5);
        String quoted = p[4];
        out.accept(new Row(p[0], Integer.parseInt(p[1]), Integer.parseInt(p[2]), p[3],
            quoted.substring(1, quoted.length() - 1).replace("\"\"", "\"")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + csv, e);
    }
  }
}
