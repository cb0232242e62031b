package io.nostos.transforms;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;

/**
 * Selects, renames and casts columns ({@code type: columns} in a spec).
 *
 * <pre>{@code
 * rows.apply(Columns.select()
 *     .withColumn("user_id", "id", ValueType.TEXT)
 *     .withColumn("score", "raw_score", ValueType.DOUBLE));
 * }</pre>
 * Output rows hold the selected columns in the order given (then, with
 * {@link #withKeepOthers(boolean) withKeepOthers(true)}, the columns not mentioned). A missing
 * input column fails the run (the spec names a column the source does not have); a value that
 * does not cast becomes a {@link BadRow} ({@code unparsable_value}) naming the column.
 * Stateless; safe to retry.
 */
@AutoValue
public abstract class Columns extends PTransform<PCollection<Record>, PCollection<Record>> {

  /** One output column: its name, the input column it comes from and the type to cast to. */
  public record Mapping(String name, String from, ValueType type) implements Serializable {}

  abstract List<Mapping> getMappings();

  abstract boolean getKeepOthers();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setMappings(List<Mapping> m);

    abstract Builder setKeepOthers(boolean keep);

    abstract Columns build();
  }

  public static Columns select() {
    return new AutoValue_Columns.Builder().setMappings(List.of()).setKeepOthers(false).build();
  }

  /** Adds output column {@code name}, read from input column {@code from}, cast to {@code type}. */
  public Columns withColumn(String name, String from, ValueType type) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("withColumn(name, from, type): name is empty");
    }
    if (from == null || from.isBlank()) {
      throw new IllegalArgumentException("withColumn(name, from, type): from is empty for column " + name);
    }
    if (getMappings().stream().anyMatch(m -> m.name().equals(name))) {
      throw new IllegalArgumentException("withColumn(): column '" + name + "' is selected twice");
    }
    List<Mapping> m = new ArrayList<>(getMappings());
    m.add(new Mapping(name, from, type == null ? ValueType.ANY : type));
    return toBuilder().setMappings(List.copyOf(m)).build();
  }

  /** Whether columns not selected are passed through unchanged (default false). */
  public Columns withKeepOthers(boolean keep) {
    return toBuilder().setKeepOthers(keep).build();
  }

  @Override
  public PCollection<Record> expand(PCollection<Record> input) {
    if (getMappings().isEmpty()) {
      throw new IllegalArgumentException("Columns.select() needs at least one withColumn()");
    }
    return input.apply("SelectColumns", ParDo.of(new SelectFn(getMappings(), getKeepOthers())))
        .setCoder(RecordCoder.of());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("columns", getMappings().toString()));
    builder.add(DisplayData.item("keepOthers", getKeepOthers()));
  }

  private static final class SelectFn extends DoFn<Record, Record> {
    private final List<Mapping> mappings;
    private final boolean keepOthers;

    SelectFn(List<Mapping> mappings, boolean keepOthers) {
      this.mappings = mappings;
      this.keepOthers = keepOthers;
    }

    @ProcessElement
    public void process(@Element Record in, OutputReceiver<Record> out) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (Mapping c : mappings) {
        Object value = in.require(c.from());
        try {
          m.put(c.name(), c.type().cast(value));
        } catch (IllegalArgumentException e) {
          out.output(BadRow.of(BadRow.UNPARSABLE_VALUE, "columns: column '" + c.name() + "': " + e.getMessage(), in));
          return;
        }
      }
      if (keepOthers) {
        java.util.Set<String> used = new java.util.HashSet<>();
        mappings.forEach(c -> used.add(c.from()));
        in.asMap().forEach((k, v) -> {
          if (!used.contains(k) && !m.containsKey(k)) {
            m.put(k, v);
          }
        });
      }
      out.output(Record.of(m));
    }
  }

  /** Spec support: {@code type: columns}. */
  public static final class Factory implements GeneratorFactory {
    @Override
    public String name() {
      return "columns";
    }

    @Override
    public String summary() {
      return "select, rename and cast columns: select: {out: in | {from: in, type: bigint}}, keep_others: false";
    }

    @Override
    public java.util.Set<String> keys() {
      return java.util.Set.of("select", "keep_others");
    }

    @Override
    public PTransform<PCollection<Record>, PCollection<Record>> create(Map<String, Object> config, List<String> keyColumns) {
      Config c = new Config("columns", config);
      Columns t = Columns.select().withKeepOthers(c.bool("keep_others", false));
      for (Map.Entry<String, Object> e : c.map("select").entrySet()) {
        String name = e.getKey();
        Object v = e.getValue();
        if (v instanceof String) {
          t = t.withColumn(name, (String) v, ValueType.ANY);
        } else if (v instanceof Map) {
          Map<?, ?> spec = (Map<?, ?>) v;
          for (Object k : spec.keySet()) {
            if (!"from".equals(k) && !"type".equals(k)) {
              throw c.error("select", "column '" + name + "': unknown key '" + k + "' (use from and type)");
            }
          }
          Object from = spec.get("from") == null ? name : spec.get("from");
          ValueType type;
          try {
            type = spec.get("type") == null ? ValueType.ANY : ValueType.parse(String.valueOf(spec.get("type")));
          } catch (IllegalArgumentException ex) {
            throw c.error("select", "column '" + name + "': " + ex.getMessage());
          }
          t = t.withColumn(name, String.valueOf(from), type);
        } else if (v == null) {
          t = t.withColumn(name, name, ValueType.ANY);
        } else {
          throw c.error("select", "column '" + name + "' must map to an input column name or {from: ..., type: ...}");
        }
      }
      return t;
    }
  }
}
