package io.nostos.pipelines;

import io.nostos.pipelines.spec.Spec;
import io.nostos.sstable.CqlValues;
import io.nostos.sstable.SSTableIO;
import io.nostos.sstable.TableSchema;
import io.nostos.transforms.BadRow;
import io.nostos.transforms.Json;
import io.nostos.transforms.Record;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;

/**
 * How a dataset's records map to a CQL table, for both layouts:
 * <ul>
 *   <li>{@code document}: {@code PRIMARY KEY ((key...), field)} with {@code value text} holding
 *       the field's JSON. One CQL row per (key, field); null fields are not stored.
 *   <li>{@code columns}: {@code PRIMARY KEY ((key...))} and the typed columns of the spec.
 * </ul>
 */
public final class TableLayout {
  public static final String FIELD = "field";
  public static final String VALUE = "value";

  private TableLayout() {}

  /** The table of one version. */
  public static TableSchema schema(Spec spec, String keyspace, String table) {
    List<TableSchema.Column> cols = new ArrayList<>();
    for (Spec.KeyColumn k : spec.key()) {
      cols.add(new TableSchema.Column(k.name(), k.cqlType(), TableSchema.Kind.PARTITION_KEY));
    }
    if (spec.layout() == Spec.Layout.DOCUMENT) {
      cols.add(new TableSchema.Column(FIELD, "text", TableSchema.Kind.CLUSTERING));
      cols.add(new TableSchema.Column(VALUE, "text", TableSchema.Kind.REGULAR));
    } else {
      spec.columns().forEach((name, type) -> cols.add(new TableSchema.Column(name, type, TableSchema.Kind.REGULAR)));
    }
    return new TableSchema(keyspace, table, cols);
  }

  /**
   * The document layout's rows of one record: one record {@code {key..., field, value}} per
   * non-null, non-key field, value as JSON text.
   */
  static List<Record> documentCells(Record r, List<String> keyNames) {
    Map<String, Object> key = new LinkedHashMap<>();
    for (String k : keyNames) {
      Object v = r.require(k);
      if (v == null || (v instanceof String && ((String) v).isEmpty())) {
        throw new IllegalArgumentException("key column '" + k + "' is " + (v == null ? "null" : "empty") + " in row " + r);
      }
      key.put(k, v);
    }
    List<Record> out = new ArrayList<>();
    r.asMap().forEach((name, value) -> {
      if (!key.containsKey(name) && value != null) {
        Map<String, Object> cell = new LinkedHashMap<>(key);
        cell.put(FIELD, name);
        cell.put(VALUE, Json.write(value));
        out.add(Record.of(cell));
      }
    });
    return out;
  }

  /**
   * Why {@code r} cannot be loaded, as a {@link BadRow}, or null when it can: a null or empty key
   * ({@code null_key}), a value that does not fit its declared CQL column ({@code unparsable_value},
   * columns layout), or a document larger than {@code maxDocumentBytes} as JSON
   * ({@code oversize_document}). A key column the record does not have is a spec error and throws.
   * {@code columnTypes} are {@linkplain CqlValues#normaliseType normalised}.
   */
  static Record badRowOrNull(Record r, List<String> keyNames, Spec.Layout layout, Map<String, String> columnTypes,
      int maxDocumentBytes) {
    for (String k : keyNames) {
      Object v = r.require(k);
      if (v == null || (v instanceof String && ((String) v).isEmpty())) {
        return BadRow.of(BadRow.NULL_KEY, "key column '" + k + "' is " + (v == null ? "null" : "empty"), r);
      }
    }
    long jsonBytesAtMost = 2;  // of the document without its key columns, as jsonBytesAtMost(Map) bounds it
    for (Map.Entry<String, Object> e : r.asMap().entrySet()) {
      if (keyNames.contains(e.getKey())) {
        continue;
      }
      if (layout == Spec.Layout.COLUMNS) {
        String type = columnTypes.get(e.getKey());
        boolean jsonText = (e.getValue() instanceof Map || e.getValue() instanceof List)
            && ("text".equals(type) || "varchar".equals(type));
        if (type != null && !jsonText) {
          try {
            CqlValues.coerceNormalised(type, e.getValue());
          } catch (IllegalArgumentException ex) {
            return BadRow.of(BadRow.UNPARSABLE_VALUE, "column '" + e.getKey() + "' (" + type + "): " + ex.getMessage(), r);
          }
        }
      }
      jsonBytesAtMost = saturatingAdd(jsonBytesAtMost, 2 + jsonBytesAtMost(e.getKey()));
      jsonBytesAtMost = saturatingAdd(jsonBytesAtMost, jsonBytesAtMost(e.getValue()));
    }
    if (jsonBytesAtMost <= maxDocumentBytes) {
      return null;  // certainly small enough: skip serializing every row just to measure it
    }
    Map<String, Object> rest = new LinkedHashMap<>(r.asMap());
    rest.keySet().removeAll(keyNames);
    int bytes = Json.write(rest).getBytes(StandardCharsets.UTF_8).length;
    if (bytes > maxDocumentBytes) {
      return BadRow.of(BadRow.OVERSIZE_DOCUMENT, "the document is " + bytes + " bytes as JSON, more than "
          + "bad_rows.max_document_bytes (" + maxDocumentBytes + ")", r);
    }
    return null;
  }

  /**
   * An upper bound of the UTF-8 size of {@code value} as JSON, without serializing it: a character
   * takes at most 6 bytes (a backslash-u escape). {@link Long#MAX_VALUE} for values whose JSON
   * form this does not bound.
   */
  static long jsonBytesAtMost(Object value) {
    if (value == null) {
      return 4;
    }
    if (value instanceof CharSequence) {
      return 2 + 6L * ((CharSequence) value).length();
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
        || value instanceof Double || value instanceof Float || value instanceof Boolean) {
      return 32;
    }
    long total = 2;
    if (value instanceof Map) {
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        total = saturatingAdd(total, 2 + jsonBytesAtMost(String.valueOf(e.getKey())));
        total = saturatingAdd(total, jsonBytesAtMost(e.getValue()));
      }
      return total;
    }
    if (value instanceof Collection) {
      for (Object o : (Collection<?>) value) {
        total = saturatingAdd(total, 1 + jsonBytesAtMost(o));
      }
      return total;
    }
    return Long.MAX_VALUE;
  }

  private static long saturatingAdd(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }

  /**
   * Turns records into table rows (document cells, or the record itself). Bad rows, those it
   * receives and those it finds (null key, oversize document), stay in its one output for the
   * sink to reject (see {@link BadRowsStage#isSideRecord}): a second output would make Flink
   * serialize every row once per output. With {@code countRows}, it also emits one
   * {@link BadRowsStage#tally} per bundle of how many records it received.
   */
  static final class TableRowsFn extends DoFn<Record, Record> {
    private final List<String> keyNames;
    private final Spec.Layout layout;
    private final Map<String, String> columnTypes;
    private final int maxDocumentBytes;
    private final boolean countRows;
    private transient long received;

    TableRowsFn(List<String> keyNames, Spec.Layout layout, Map<String, String> columnTypes, int maxDocumentBytes,
        boolean countRows) {
      this.keyNames = List.copyOf(keyNames);
      this.layout = layout;
      this.columnTypes = new LinkedHashMap<>();
      columnTypes.forEach((name, type) -> this.columnTypes.put(name, CqlValues.normaliseType(type)));
      this.maxDocumentBytes = maxDocumentBytes;
      this.countRows = countRows;
    }

    @StartBundle
    public void startBundle() {
      received = 0;
    }

    @ProcessElement
    public void process(@Element Record r, OutputReceiver<Record> out) {
      received++;
      if (BadRow.is(r)) {
        out.output(r);
        return;
      }
      Record bad = badRowOrNull(r, keyNames, layout, columnTypes, maxDocumentBytes);
      if (bad != null) {
        out.output(bad);
      } else if (layout == Spec.Layout.DOCUMENT) {
        documentCells(r, keyNames).forEach(out::output);
      } else {
        out.output(r);
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      if (countRows && received > 0) {
        c.output(BadRowsStage.tally(received), GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
      }
    }
  }

  /**
   * The row function the sink uses: a record's values in the table's bind order. One pass over the
   * record's fields, each placed by a lookup of its column.
   */
  static SSTableIO.RowFunction<Record> rowFunction(TableSchema schema, Spec.Layout layout) {
    List<String> names = schema.columns().stream().map(TableSchema.Column::name).toList();
    int keyCount = schema.partitionKey().size();
    Map<String, Integer> position = new HashMap<>();
    boolean[] jsonText = new boolean[names.size()];
    for (int i = 0; i < names.size(); i++) {
      position.put(names.get(i), i);
      String type = schema.columns().get(i).cqlType();
      jsonText[i] = type.equals("text") || type.equals("varchar");
    }
    return r -> {
      Object[] values = new Object[names.size()];
      for (Map.Entry<String, Object> field : r.asMap().entrySet()) {
        Integer i = position.get(field.getKey());
        if (i == null) {
          if (layout == Spec.Layout.COLUMNS) {
            throw new IllegalArgumentException("column '" + field.getKey() + "' is not declared under columns: in the "
                + "spec (declared: " + String.join(", ", names.subList(keyCount, names.size())) + "); declare it or "
                + "drop it with a columns generator");
          }
          continue;
        }
        Object v = field.getValue();
        values[i] = jsonText[i] && (v instanceof Map || v instanceof List) ? Json.write(v) : v;
      }
      return Arrays.asList(values);
    };
  }
}
