package io.nostos.transforms;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shuffle key of a group: the values of its key columns as a JSON array, and back. Shared by
 * the generators that group or join by key (group_list, aggregate, vote, affinity, merge).
 */
final class GroupKeys {
  private GroupKeys() {}

  /** The key of {@code row} by {@code columns}; a column the row does not have fails the run. */
  static String of(Record row, List<String> columns) {
    List<Object> values = new ArrayList<>(columns.size());
    for (String c : columns) {
      values.add(row.require(c));
    }
    return Json.write(values);
  }

  /** The key columns and their values, in order, from a key made by {@link #of}. */
  static Map<String, Object> columns(List<String> columns, String key) {
    List<?> values = (List<?>) Json.read(key);
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      m.put(columns.get(i), values.get(i));
    }
    return m;
  }
}
