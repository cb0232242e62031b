package io.nostos.transforms;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed access to a generator's YAML configuration, with errors that name the key (the spec
 * loader turns them into file:line:column messages). For use in {@link GeneratorFactory#create}.
 */
public final class Config {
  private final String generator;
  private final Map<String, Object> values;

  public Config(String generator, Map<String, Object> values) {
    this.generator = generator;
    this.values = values;
  }

  public boolean has(String key) {
    return values.containsKey(key) && values.get(key) != null;
  }

  public String string(String key) {
    Object v = required(key);
    if (!(v instanceof String) || ((String) v).isBlank()) {
      throw error(key, "must be a non-empty string");
    }
    return (String) v;
  }

  public String string(String key, String dflt) {
    return has(key) ? string(key) : dflt;
  }

  public boolean bool(String key, boolean dflt) {
    if (!has(key)) {
      return dflt;
    }
    Object v = values.get(key);
    if (!(v instanceof Boolean)) {
      throw error(key, "must be true or false");
    }
    return (Boolean) v;
  }

  public Integer positiveInt(String key) {
    if (!has(key)) {
      return null;
    }
    Object v = values.get(key);
    if (!(v instanceof Number) || ((Number) v).longValue() < 1 || ((Number) v).doubleValue() != ((Number) v).longValue()) {
      throw error(key, "must be a whole number of at least 1");
    }
    return ((Number) v).intValue();
  }

  public List<String> stringList(String key) {
    Object v = required(key);
    if (v instanceof String) {
      return List.of((String) v);
    }
    if (!(v instanceof List) || ((List<?>) v).isEmpty()) {
      throw error(key, "must be a non-empty list of column names");
    }
    List<String> out = new ArrayList<>();
    for (Object o : (List<?>) v) {
      if (!(o instanceof String)) {
        throw error(key, "must list column names (strings), found " + o);
      }
      out.add((String) o);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  public Map<String, Object> map(String key) {
    Object v = required(key);
    if (!(v instanceof Map) || ((Map<?, ?>) v).isEmpty()) {
      throw error(key, "must be a non-empty mapping");
    }
    return new LinkedHashMap<>((Map<String, Object>) v);
  }

  /** A column name to write, which must not be a key column. */
  public String fieldName(String key, List<String> keyColumns) {
    String field = string(key);
    if (keyColumns.contains(field)) {
      throw error(key, "'" + field + "' is a key column; pick another name");
    }
    return field;
  }

  /** Checks a column name passed to a {@code withX} setter. */
  public static String columnName(String column, String setter) {
    if (column == null || column.isBlank()) {
      throw new IllegalArgumentException(setter + "(column): column is empty");
    }
    return column;
  }

  public Object required(String key) {
    if (!has(key)) {
      throw new GeneratorConfigException(null, generator + ": '" + key + "' is required");
    }
    return values.get(key);
  }

  public GeneratorConfigException error(String key, String message) {
    return new GeneratorConfigException(key, generator + ": '" + key + "' " + message);
  }
}
