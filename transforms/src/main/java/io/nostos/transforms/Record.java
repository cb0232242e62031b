package io.nostos.transforms;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One row flowing through a pipeline: named values in a fixed order. Values are JSON-shaped and
 * normalised on the way in: whole numbers become {@code Long}, other numbers {@code Double},
 * dates and times ISO-8601 strings, bytes base64 strings, maps {@code Map<String, Object>} and
 * collections {@code List<Object>}. Immutable.
 */
public final class Record implements Serializable {
  private final Map<String, Object> values;

  private Record(Map<String, Object> normalised) {
    this.values = Collections.unmodifiableMap(normalised);
  }

  /** A record with the given values, normalised. */
  public static Record of(Map<String, ?> values) {
    Map<String, Object> m = new LinkedHashMap<>();
    values.forEach((k, v) -> m.put(k, normalise(v)));
    return new Record(m);
  }

  /**
   * A record of text values, as a delimited file gives them: {@code names.get(i)} holds
   * {@code values.get(i)}, which may be null. Text needs no normalising, so this builds the record
   * in one pass (a reader's hot path). A name given twice keeps its last value, as in {@link #of(Map)}.
   */
  public static Record ofText(List<String> names, List<String> values) {
    if (names.size() != values.size()) {
      throw new IllegalArgumentException(names.size() + " names for " + values.size() + " values");
    }
    Map<String, Object> m = new LinkedHashMap<>(names.size() * 4 / 3 + 1);
    for (int i = 0; i < names.size(); i++) {
      m.put(names.get(i), values.get(i));
    }
    return new Record(m);
  }

  /** Convenience for tests and examples: {@code Record.of("id", 1, "name", "a")}. */
  public static Record of(Object... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("Record.of needs name, value pairs");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      m.put((String) namesAndValues[i], normalise(namesAndValues[i + 1]));
    }
    return new Record(m);
  }

  public Object get(String name) {
    return values.get(name);
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  public Set<String> names() {
    return values.keySet();
  }

  public Map<String, Object> asMap() {
    return values;
  }

  /** Value of a column that must exist; the error lists the columns the row has. */
  public Object require(String name) {
    if (!values.containsKey(name)) {
      throw new IllegalArgumentException("column '" + name + "' is not in the row; the row has: "
          + String.join(", ", values.keySet()));
    }
    return values.get(name);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Record && values.equals(((Record) o).values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return Json.write(values);
  }

  /** Normalises a value to the JSON-shaped types described above. */
  public static Object normalise(Object v) {
    if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Double) {
      return v;
    }
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Float) {
      return Double.valueOf(v.toString());
    }
    if (v instanceof BigInteger) {
      BigInteger b = (BigInteger) v;
      return b.bitLength() < 64 ? (Object) b.longValue() : b.toString();
    }
    if (v instanceof BigDecimal) {
      BigDecimal d = ((BigDecimal) v).stripTrailingZeros();
      if (d.scale() <= 0 && d.precision() - d.scale() < 19) {
        return d.longValueExact();
      }
      return d.doubleValue();
    }
    if (v instanceof Number) {
      return ((Number) v).doubleValue();
    }
    if (v instanceof java.sql.Timestamp) {
      return ((java.sql.Timestamp) v).toInstant().toString();
    }
    if (v instanceof java.sql.Date) {
      return ((java.sql.Date) v).toLocalDate().toString();
    }
    if (v instanceof java.util.Date) {
      return ((java.util.Date) v).toInstant().toString();
    }
    if (v instanceof TemporalAccessor) {
      return v.toString();
    }
    if (v instanceof byte[]) {
      return Base64.getEncoder().encodeToString((byte[]) v);
    }
    if (v instanceof Map) {
      Map<String, Object> m = new LinkedHashMap<>();
      ((Map<?, ?>) v).forEach((k, x) -> m.put(String.valueOf(k), normalise(x)));
      return Collections.unmodifiableMap(m);
    }
    if (v instanceof Collection) {
      List<Object> l = new ArrayList<>();
      for (Object x : (Collection<?>) v) {
        l.add(normalise(x));
      }
      return Collections.unmodifiableList(l);
    }
    if (v instanceof Object[]) {
      return normalise(java.util.Arrays.asList((Object[]) v));
    }
    if (v instanceof java.sql.Array) {
      try {
        return normalise(((java.sql.Array) v).getArray());
      } catch (java.sql.SQLException e) {
        throw new IllegalArgumentException("cannot read SQL array: " + e.getMessage(), e);
      }
    }
    return v.toString();
  }
}
