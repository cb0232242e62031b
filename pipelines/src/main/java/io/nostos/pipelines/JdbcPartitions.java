package io.nostos.pipelines;

import io.nostos.pipelines.spec.Spec;
import java.io.Serializable;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a JDBC query into parallel reads that together return every row exactly once: ranges of
 * a column (the first and last open-ended, so rows outside the given bounds are not lost), or
 * buckets of an SQL expression; plus one read for the rows where the column or expression is
 * null. The planning is pure; {@link #bounds} asks the database for min and max.
 */
final class JdbcPartitions {
  /** One parallel read: a WHERE condition and its parameters ({@code Long} or {@code Timestamp}). */
  record Part(String where, List<Object> params) implements Serializable {}

  /** Inclusive bounds of a partition column, as numbers or timestamps (epoch millis). */
  record Bounds(long lower, long upper, boolean timestamps) {}

  private JdbcPartitions() {}

  /** The query of one part. */
  static String sql(String query, Part part) {
    return "SELECT * FROM " + subquery(query) + " WHERE " + part.where();
  }

  /** {@code query} as a named subquery, without a trailing semicolon. */
  private static String subquery(String query) {
    String q = query.strip();
    while (q.endsWith(";")) {
      q = q.substring(0, q.length() - 1).strip();
    }
    return "(" + q + ") nostos_src";
  }

  /** The reads of {@code partition} within {@code bounds} (ignored when bucketing). */
  static List<Part> plan(Spec.Partition partition, Bounds bounds) {
    List<Part> parts = new ArrayList<>();
    int n = partition.count();
    if (partition.byBuckets()) {
      String e = "(" + partition.bucketExpression() + ")";
      for (int i = 0; i < n; i++) {
        parts.add(new Part("mod(mod(" + e + ", " + n + ") + " + n + ", " + n + ") = ?", List.of((long) i)));
      }
      parts.add(new Part(e + " IS NULL", List.of()));
      return parts;
    }
    String c = partition.column();
    List<Long> cuts = cuts(bounds.lower(), bounds.upper(), n);
    if (cuts.isEmpty()) {
      parts.add(new Part(c + " IS NOT NULL", List.of()));
    } else {
      parts.add(new Part(c + " < ?", List.of(param(cuts.get(0), bounds))));
      for (int i = 0; i + 1 < cuts.size(); i++) {
        parts.add(new Part(c + " >= ? AND " + c + " < ?", List.of(param(cuts.get(i), bounds), param(cuts.get(i + 1), bounds))));
      }
      parts.add(new Part(c + " >= ?", List.of(param(cuts.get(cuts.size() - 1), bounds))));
    }
    parts.add(new Part(c + " IS NULL", List.of()));
    return parts;
  }

  /** The {@code n - 1} distinct points that cut [lower, upper] into {@code n} near-equal ranges. */
  static List<Long> cuts(long lower, long upper, int n) {
    List<Long> out = new ArrayList<>();
    BigInteger lo = BigInteger.valueOf(lower);
    BigInteger span = BigInteger.valueOf(upper).subtract(lo).add(BigInteger.ONE);
    for (int i = 1; i < n; i++) {
      long cut = lo.add(span.multiply(BigInteger.valueOf(i)).divide(BigInteger.valueOf(n))).longValueExact();
      if (cut > lower && cut <= upper && (out.isEmpty() || cut > out.get(out.size() - 1))) {
        out.add(cut);
      }
    }
    return out;
  }

  private static Object param(long v, Bounds b) {
    return b.timestamps() ? new Timestamp(v) : (Object) v;
  }

  /** Bounds from the spec, or the query's min and max of the column; null when the query has no rows. */
  static Bounds bounds(Spec.JdbcSource source) {
    Spec.Partition p = source.partition();
    if (p.byBuckets()) {
      return new Bounds(0, 0, false);
    }
    if (p.lower() != null) {
      Long lo = integer(p.lower());
      Long hi = integer(p.upper());
      if (lo != null && hi != null) {
        return new Bounds(lo, hi, false);
      }
      return new Bounds(epochMillis(p.lower()), epochMillis(p.upper()), true);
    }
    String q = "SELECT min(" + p.column() + "), max(" + p.column() + ") FROM " + subquery(source.query());
    try {
      Class.forName(source.driver());
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("JDBC driver " + source.driver() + " is not on the classpath", e);
    }
    try (Connection conn = DriverManager.getConnection(source.url(), source.user(), source.password());
        Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery(q)) {
      rs.next();
      Object lo = rs.getObject(1);
      Object hi = rs.getObject(2);
      if (lo == null) {
        return null;
      }
      if (lo instanceof Number) {
        return new Bounds((long) Math.floor(((Number) lo).doubleValue()), (long) Math.ceil(((Number) hi).doubleValue()), false);
      }
      return new Bounds(millis(lo), millis(hi), true);
    } catch (SQLException e) {
      throw new IllegalArgumentException("cannot find the bounds of partition column " + p.column() + " (" + q + "): "
          + e.getMessage() + "; give partition.lower and partition.upper, or check that the query returns "
          + p.column(), e);
    }
  }

  private static Long integer(String s) {
    try {
      return Long.parseLong(s.replace("_", ""));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static long epochMillis(String s) {
    try {
      if (s.length() == 10) {
        return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
      }
      try {
        return OffsetDateTime.parse(s).toInstant().toEpochMilli();
      } catch (RuntimeException e) {
        return LocalDateTime.parse(s.replace(' ', 'T')).toInstant(ZoneOffset.UTC).toEpochMilli();
      }
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("partition bound '" + s + "' is neither a whole number nor a date "
          + "(2024-01-31) or timestamp (2024-01-31T12:00:00Z)", e);
    }
  }

  private static long millis(Object v) {
    if (v instanceof Timestamp) {
      return ((Timestamp) v).getTime();
    }
    if (v instanceof java.sql.Date) {
      return ((java.sql.Date) v).getTime();
    }
    if (v instanceof java.util.Date) {
      return ((java.util.Date) v).getTime();
    }
    if (v instanceof LocalDate) {
      return ((LocalDate) v).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }
    if (v instanceof LocalDateTime) {
      return ((LocalDateTime) v).toInstant(ZoneOffset.UTC).toEpochMilli();
    }
    if (v instanceof OffsetDateTime) {
      return ((OffsetDateTime) v).toInstant().toEpochMilli();
    }
    if (v instanceof Instant) {
      return ((Instant) v).toEpochMilli();
    }
    throw new IllegalArgumentException("partition column values are " + v.getClass().getSimpleName()
        + "; use a numeric, date or timestamp column, or bucket_by");
  }
}
