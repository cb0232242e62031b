package io.nostos.transforms;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/** Types the {@code columns} generator can cast to. Casting null gives null. */
public enum ValueType {
  /** Keep the value as it comes. */
  ANY,
  TEXT,
  /** 64-bit whole number. */
  BIGINT,
  DOUBLE,
  BOOLEAN,
  /** Parse a string as JSON (objects, arrays, numbers...). */
  JSON,
  /** ISO-8601 instant (UTC), from an ISO string, a date or epoch milliseconds. */
  TIMESTAMP;

  /** Parses a spec name ({@code text}, {@code bigint}...); the error lists valid names. */
  public static ValueType parse(String name) {
    for (ValueType t : values()) {
      if (t.name().equalsIgnoreCase(name)) {
        return t;
      }
    }
    if (name.equalsIgnoreCase("int") || name.equalsIgnoreCase("long") || name.equalsIgnoreCase("integer")) {
      return BIGINT;
    }
    if (name.equalsIgnoreCase("string") || name.equalsIgnoreCase("varchar")) {
      return TEXT;
    }
    if (name.equalsIgnoreCase("float")) {
      return DOUBLE;
    }
    throw new IllegalArgumentException("unknown type '" + name + "'; use one of: any, text, bigint, double, boolean, json, timestamp");
  }

  /** Casts a normalised value; the error quotes the value. */
  public Object cast(Object v) {
    if (v == null || this == ANY) {
      return v;
    }
    try {
      switch (this) {
        case TEXT:
          return v instanceof String ? v : (v instanceof java.util.Map || v instanceof java.util.List) ? Json.write(v) : v.toString();
        case BIGINT:
          if (v instanceof Long) {
            return v;
          }
          if (v instanceof Double) {
            double d = (Double) v;
            if (d != Math.rint(d)) {
              throw new IllegalArgumentException("has a fractional part");
            }
            return (long) d;
          }
          if (v instanceof Boolean) {
            return ((Boolean) v) ? 1L : 0L;
          }
          String s = v.toString().trim();
          return s.isEmpty() ? null : Long.parseLong(s);
        case DOUBLE:
          if (v instanceof Number) {
            return ((Number) v).doubleValue();
          }
          String ds = v.toString().trim();
          return ds.isEmpty() ? null : Double.parseDouble(ds);
        case BOOLEAN:
          if (v instanceof Boolean) {
            return v;
          }
          String b = v.toString().trim().toLowerCase();
          if (b.isEmpty()) {
            return null;
          }
          if (b.equals("true") || b.equals("t") || b.equals("1") || b.equals("yes")) {
            return true;
          }
          if (b.equals("false") || b.equals("f") || b.equals("0") || b.equals("no")) {
            return false;
          }
          throw new IllegalArgumentException("not a boolean");
        case JSON:
          return v instanceof String ? Json.read((String) v) : v;
        case TIMESTAMP:
          if (v instanceof Long) {
            return Instant.ofEpochMilli((Long) v).toString();
          }
          String t = v.toString().trim();
          if (t.isEmpty()) {
            return null;
          }
          try {
            return Instant.parse(t).toString();
          } catch (RuntimeException e) {
            try {
              return OffsetDateTime.parse(t).toInstant().toString();
            } catch (RuntimeException e2) {
              if (t.length() == 10) {
                return LocalDate.parse(t).atStartOfDay(java.time.ZoneOffset.UTC).toInstant().toString();
              }
              return java.time.LocalDateTime.parse(t.replace(' ', 'T')).toInstant(java.time.ZoneOffset.UTC).toString();
            }
          }
        default:
          return v;
      }
    } catch (RuntimeException e) {
      String shown = String.valueOf(v);
      throw new IllegalArgumentException("cannot cast '" + (shown.length() > 60 ? shown.substring(0, 60) + "…" : shown)
          + "' to " + name().toLowerCase() + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), e);
    }
  }
}
