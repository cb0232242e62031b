package io.nostos.transforms;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Collects the rows of each key into one ordered, optionally top-N list ({@code type: group_list}).
 *
 * <pre>{@code
 * rows.apply(GroupList.into("courses")
 *     .withKey(List.of("user_id"))
 *     .withItems(List.of("course_id", "score"))
 *     .withOrderBy(List.of(GroupList.SortKey.parse("score desc")))
 *     .withLimit(10));
 * // -> {"user_id": "u1", "courses": [{"course_id": "c9", "score": 0.9}, ...]}
 * }</pre>
 * Output: one row per key with the key columns and the list. Items are objects of the item
 * columns, or plain values when {@link #withScalarItems(boolean)} is set (a single item column).
 * Order: by the sort keys (nulls last), ties broken by the item's JSON text, so the output is the
 * same on every run and runner. One key's rows must fit in memory.
 */
@AutoValue
public abstract class GroupList extends PTransform<PCollection<Record>, PCollection<Record>> {

  /** One ordering column and its direction. */
  public record SortKey(String column, boolean descending) implements Serializable {
    /** Parses {@code "score desc"}, {@code "title"} or {@code "title asc"}. */
    public static SortKey parse(String s) {
      String[] parts = s.trim().split("\\s+");
      if (parts.length == 1) {
        return new SortKey(parts[0], false);
      }
      if (parts.length == 2 && (parts[1].equalsIgnoreCase("asc") || parts[1].equalsIgnoreCase("desc"))) {
        return new SortKey(parts[0], parts[1].equalsIgnoreCase("desc"));
      }
      throw new IllegalArgumentException("'" + s + "' is not a sort key; write 'column', 'column asc' or 'column desc'");
    }
  }

  abstract String getField();

  abstract List<String> getKey();

  abstract List<String> getItems();

  abstract boolean getScalarItems();

  abstract List<SortKey> getOrderBy();

  abstract int getLimit();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setField(String f);

    abstract Builder setKey(List<String> k);

    abstract Builder setItems(List<String> i);

    abstract Builder setScalarItems(boolean s);

    abstract Builder setOrderBy(List<SortKey> o);

    abstract Builder setLimit(int l);

    abstract GroupList build();
  }

  /** Puts the list in column {@code field}. */
  public static GroupList into(String field) {
    if (field == null || field.isBlank()) {
      throw new IllegalArgumentException("GroupList.into(field): field is empty");
    }
    return new AutoValue_GroupList.Builder().setField(field).setKey(List.of()).setItems(List.of())
        .setScalarItems(false).setOrderBy(List.of()).setLimit(0).build();
  }

  /** The columns that identify a group (the dataset key). Required. */
  public GroupList withKey(List<String> key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("withKey(key) needs at least one column");
    }
    return toBuilder().setKey(List.copyOf(key)).build();
  }

  /** Columns of each item (default: every column that is not a key column). */
  public GroupList withItems(List<String> items) {
    if (items == null || items.isEmpty()) {
      throw new IllegalArgumentException("withItems(items) needs at least one column");
    }
    return toBuilder().setItems(List.copyOf(items)).build();
  }

  /** Items are the bare value of the single item column instead of objects. */
  public GroupList withScalarItems(boolean scalar) {
    return toBuilder().setScalarItems(scalar).build();
  }

  public GroupList withOrderBy(List<SortKey> orderBy) {
    return toBuilder().setOrderBy(List.copyOf(orderBy)).build();
  }

  /** Keeps only the first {@code limit} items after ordering. */
  public GroupList withLimit(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("withLimit(limit) must be at least 1, got " + limit);
    }
    return toBuilder().setLimit(limit).build();
  }

  @Override
  public PCollection<Record> expand(PCollection<Record> input) {
    if (getKey().isEmpty()) {
      throw new IllegalArgumentException("GroupList.into(" + getField() + ") needs withKey()");
    }
    if (getScalarItems() && getItems().size() != 1) {
      throw new IllegalArgumentException("withScalarItems(true) needs exactly one item column, got " + getItems());
    }
    return input
        .apply("KeyRows", ParDo.of(new KeyFn(getKey(), carried())))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), RecordCoder.of()))
        .apply("GroupByKey", GroupByKey.create())
        .apply("BuildList", ParDo.of(new ListFn(getField(), getKey(), getItems(), getScalarItems(), getOrderBy(), getLimit())))
        .setCoder(RecordCoder.of());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("field", getField()));
    builder.add(DisplayData.item("key", String.join(",", getKey())));
    builder.add(DisplayData.item("orderBy", getOrderBy().toString()));
    builder.add(DisplayData.item("limit", getLimit()));
  }

  /** Columns each grouped row carries: the items plus the sort columns (empty = all non-key columns). */
  private List<String> carried() {
    if (getItems().isEmpty()) {
      return List.of();
    }
    java.util.LinkedHashSet<String> cols = new java.util.LinkedHashSet<>(getItems());
    getOrderBy().forEach(k -> cols.add(k.column()));
    return List.copyOf(cols);
  }

  private static final class KeyFn extends DoFn<Record, KV<String, Record>> {
    private final List<String> key;
    private final List<String> items;

    KeyFn(List<String> key, List<String> items) {
      this.key = key;
      this.items = items;
    }

    @ProcessElement
    public void process(@Element Record in, OutputReceiver<KV<String, Record>> out) {
      String groupKey = GroupKeys.of(in, key);
      Map<String, Object> item = new LinkedHashMap<>();
      if (items.isEmpty()) {
        in.asMap().forEach((c, v) -> {
          if (!key.contains(c)) {
            item.put(c, v);
          }
        });
      } else {
        for (String c : items) {
          item.put(c, in.require(c));
        }
      }
      out.output(KV.of(groupKey, Record.of(item)));
    }
  }

  private static final class ListFn extends DoFn<KV<String, Iterable<Record>>, Record> {
    private final String field;
    private final List<String> key;
    private final List<String> items;
    private final boolean scalar;
    private final List<SortKey> orderBy;
    private final int limit;

    ListFn(String field, List<String> key, List<String> items, boolean scalar, List<SortKey> orderBy, int limit) {
      this.field = field;
      this.key = key;
      this.items = items;
      this.scalar = scalar;
      this.orderBy = orderBy;
      this.limit = limit;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<Record>> group, OutputReceiver<Record> out) {
      List<Record> rows = new ArrayList<>();
      group.getValue().forEach(rows::add);
      rows.sort(order());
      if (limit > 0 && rows.size() > limit) {
        rows = rows.subList(0, limit);
      }
      List<Object> list = new ArrayList<>();
      for (Record r : rows) {
        if (scalar) {
          list.add(r.get(items.get(0)));
        } else if (items.isEmpty()) {
          list.add(r.asMap());
        } else {
          Map<String, Object> item = new LinkedHashMap<>();
          items.forEach(c -> item.put(c, r.get(c)));
          list.add(item);
        }
      }
      Map<String, Object> m = GroupKeys.columns(key, group.getKey());
      m.put(field, list);
      out.output(Record.of(m));
    }

    private Comparator<Record> order() {
      Comparator<Record> c = (a, b) -> 0;
      for (SortKey k : orderBy) {
        Comparator<Record> one = (a, b) -> compareValues(a.get(k.column()), b.get(k.column()), k.descending());
        c = c.thenComparing(one);
      }
      return c.thenComparing(Record::toString);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareValues(Object a, Object b, boolean descending) {
      if (a == null || b == null) {
        return a == null ? (b == null ? 0 : 1) : -1;  // nulls last in both directions
      }
      int c;
      if (a instanceof Number && b instanceof Number) {
        c = Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue());
      } else if (a instanceof Comparable && a.getClass() == b.getClass()) {
        c = ((Comparable) a).compareTo(b);
      } else {
        c = String.valueOf(a).compareTo(String.valueOf(b));
      }
      return descending ? -c : c;
    }
  }

  /** Spec support: {@code type: group_list}. */
  public static final class Factory implements GeneratorFactory {
    @Override
    public String name() {
      return "group_list";
    }

    @Override
    public String summary() {
      return "one ordered list per key: field: name, items: [cols] | col, order_by: 'col desc', limit: N";
    }

    @Override
    public Set<String> keys() {
      return Set.of("field", "items", "order_by", "limit");
    }

    @Override
    public PTransform<PCollection<Record>, PCollection<Record>> create(Map<String, Object> config, List<String> keyColumns) {
      Config c = new Config("group_list", config);
      String field = c.string("field");
      if (keyColumns.contains(field)) {
        throw c.error("field", "'" + field + "' is a key column; pick another name");
      }
      GroupList t = GroupList.into(field).withKey(keyColumns);
      if (c.has("items")) {
        boolean scalar = config.get("items") instanceof String;
        t = t.withItems(c.stringList("items")).withScalarItems(scalar);
      }
      if (c.has("order_by")) {
        List<SortKey> keys = new ArrayList<>();
        for (String s : c.stringList("order_by")) {
          for (String part : s.split(",")) {
            try {
              keys.add(SortKey.parse(part));
            } catch (IllegalArgumentException e) {
              throw c.error("order_by", e.getMessage());
            }
          }
        }
        t = t.withOrderBy(keys);
      }
      Integer limit = c.positiveInt("limit");
      if (limit != null) {
        t = t.withLimit(limit);
      }
      return t;
    }
  }
}
