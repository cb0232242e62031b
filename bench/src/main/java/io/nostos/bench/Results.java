package io.nostos.bench;

import io.nostos.transforms.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Printing benchmark tables and writing their JSON results; percentile arithmetic. */
final class Results {
  private Results() {}

  /** Writes {@code result} to {@code dir/<name>-<timestamp>.json} and returns the path. */
  static Path write(Path dir, String name, Map<String, Object> result) {
    try {
      Files.createDirectories(dir);
      Path f = dir.resolve(name + "-" + Instant.now().toString().replace(':', '-') + ".json");
      Files.writeString(f, Json.write(result) + "\n");
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write results to " + dir, e);
    }
  }

  /** Prints rows as an aligned text table with {@code header}. */
  static void table(PrintStream out, List<String> header, List<List<String>> rows) {
    int[] w = new int[header.size()];
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    for (List<String> r : all) {
      for (int i = 0; i < r.size(); i++) {
        w[i] = Math.max(w[i], r.get(i).length());
      }
    }
    for (List<String> r : all) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < r.size(); i++) {
        String cell = r.get(i);
        line.append(i == 0 ? String.format("%-" + w[i] + "s", cell) : String.format("  %" + w[i] + "s", cell));
      }
      out.println(line);
    }
  }

  /**
   * Percentiles of {@code samples} (nearest rank), e.g. {@code percentiles(ns, 50, 95, 99, 100)}.
   * Sorts a copy; an empty sample gives zeros.
   */
  static long[] percentiles(long[] samples, double... ps) {
    long[] sorted = samples.clone();
    Arrays.sort(sorted);
    long[] out = new long[ps.length];
    for (int i = 0; i < ps.length; i++) {
      if (sorted.length == 0) {
        continue;
      }
      int rank = (int) Math.ceil(ps[i] / 100.0 * sorted.length);
      out[i] = sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }
    return out;
  }

  static String fmt(double v, int decimals) {
    return String.format("%,." + decimals + "f", v);
  }

  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
