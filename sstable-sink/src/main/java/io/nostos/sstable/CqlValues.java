package io.nostos.sstable;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Converts plain Java values (what JDBC, CSV and JSON give) to the Java class Cassandra's type
 * for a CQL type expects, e.g. an {@code Integer} for {@code bigint} becomes a {@code Long}, an
 * ISO string for {@code timestamp} becomes a {@code Date}. Errors name the type and the value.
 */
public final class CqlValues {
  private CqlValues() {}

  /** Converts {@code value} for the CQL type {@code cqlType}; {@code null} stays {@code null}. */
  public static Object coerce(String cqlType, Object value) {
    return coerceNormalised(normaliseType(cqlType), value);
  }

  /**
   * A CQL type as {@link #coerce} reads it: trimmed, lower case. Callers converting many values
   * of one column normalise its type once and call {@link #coerceNormalised}.
   */
  public static String normaliseType(String cqlType) {
    return cqlType.trim().toLowerCase(Locale.ROOT);
  }

  /** {@link #coerce} for a type already passed through {@link #normaliseType}. */
  public static Object coerceNormalised(String t, Object value) {
    if (value == null) {
      return null;
    }
    try {
      if (t.startsWith("frozen<")) {
        return coerceNormalised(inner(t, "frozen<"), value);
      }
      if (t.startsWith("list<")) {
        String el = inner(t, "list<");
        List<Object> out = new ArrayList<>();
        for (Object o : asCollection(value)) {
          out.add(coerceNormalised(el, o));
        }
        return out;
      }
      if (t.startsWith("set<")) {
        String el = inner(t, "set<");
        LinkedHashSet<Object> out = new LinkedHashSet<>();
        for (Object o : asCollection(value)) {
          out.add(coerceNormalised(el, o));
        }
        return out;
      }
      if (t.startsWith("map<")) {
        String[] kv = splitTop(inner(t, "map<"));
        Map<Object, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
          out.put(coerceNormalised(kv[0], e.getKey()), coerceNormalised(kv[1], e.getValue()));
        }
        return out;
      }
      switch (t) {
        case "text":
        case "varchar":
        case "ascii":
          return value instanceof String ? value : String.valueOf(value);
        case "bigint":
        case "counter":
          return value instanceof Number ? Long.valueOf(exactLong((Number) value)) : Long.valueOf(value.toString().trim());
        case "int":
          return value instanceof Number ? Integer.valueOf(Math.toIntExact(exactLong((Number) value)))
              : Integer.valueOf(value.toString().trim());
        case "smallint":
          return value instanceof Number ? Short.valueOf((short) Math.toIntExact(exactLong((Number) value)))
              : Short.valueOf(value.toString().trim());
        case "double":
          return value instanceof Number ? ((Number) value).doubleValue() : Double.valueOf(value.toString().trim());
        case "float":
          return value instanceof Number ? ((Number) value).floatValue() : Float.valueOf(value.toString().trim());
        case "boolean":
          if (value instanceof Boolean) {
            return value;
          }
          String b = value.toString().trim().toLowerCase();
          if (b.equals("true") || b.equals("t") || b.equals("1")) {
            return Boolean.TRUE;
          }
          if (b.equals("false") || b.equals("f") || b.equals("0")) {
            return Boolean.FALSE;
          }
          throw new IllegalArgumentException("not a boolean");
        case "decimal":
          return value instanceof BigDecimal ? value : new BigDecimal(value.toString().trim());
        case "varint":
          return value instanceof BigInteger ? value : new BigInteger(value.toString().trim());
        case "uuid":
        case "timeuuid":
          return value instanceof UUID ? value : UUID.fromString(value.toString().trim());
        case "timestamp":
          return toDate(value);
        case "blob":
          if (value instanceof ByteBuffer) {
            return value;
          }
          if (value instanceof byte[]) {
            return ByteBuffer.wrap((byte[]) value);
          }
          throw new IllegalArgumentException("not bytes");
        default:
          throw new IllegalArgumentException("unsupported CQL type");
      }
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("cannot convert " + describe(value) + " to CQL type " + t
          + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
    }
  }

  private static long exactLong(Number n) {
    if (n instanceof Double || n instanceof Float) {
      double d = n.doubleValue();
      if (d != Math.rint(d)) {
        throw new IllegalArgumentException("has a fractional part");
      }
      return (long) d;
    }
    if (n instanceof BigDecimal) {
      return ((BigDecimal) n).longValueExact();
    }
    if (n instanceof BigInteger) {
      return ((BigInteger) n).longValueExact();
    }
    return n.longValue();
  }

  private static Date toDate(Object value) {
    if (value instanceof Date) {
      return new Date(((Date) value).getTime());
    }
    if (value instanceof Instant) {
      return Date.from((Instant) value);
    }
    if (value instanceof Number) {
      return new Date(((Number) value).longValue());
    }
    if (value instanceof LocalDate) {
      return Date.from(((LocalDate) value).atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
    }
    String s = value.toString().trim();
    try {
      return Date.from(Instant.parse(s));
    } catch (RuntimeException e) {
      try {
        return Date.from(OffsetDateTime.parse(s).toInstant());
      } catch (RuntimeException e2) {
        return Date.from(LocalDate.parse(s).atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
      }
    }
  }

  private static Collection<?> asCollection(Object value) {
    if (value instanceof Collection) {
      return (Collection<?>) value;
    }
    throw new IllegalArgumentException("not a list");
  }

  private static String inner(String t, String prefix) {
    if (!t.endsWith(">")) {
      throw new IllegalArgumentException("malformed type");
    }
    return t.substring(prefix.length(), t.length() - 1).trim();
  }

  private static String[] splitTop(String s) {
    int depth = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '<') {
        depth++;
      } else if (c == '>') {
        depth--;
      } else if (c == ',' && depth == 0) {
        return new String[] {s.substring(0, i).trim(), s.substring(i + 1).trim()};
      }
    }
    throw new IllegalArgumentException("malformed map type");
  }

  private static String describe(Object value) {
    String s = String.valueOf(value);
    if (s.length() > 60) {
      s = s.substring(0, 60) + "…";
    }
    return value.getClass().getSimpleName() + " '" + s + "'";
  }
}
