package io.nostos.transforms;

import com.google.auto.value.AutoValue;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Joins several named inputs by key into one row per key ({@code type: merge}), with
 * {@link CoGroupByKey}: the data product that "aggregates all the features about a user in one
 * place".
 *
 * <pre>{@code
 * PCollectionTuple.of(JoinGeneratorFactory.tag("languages"), languages)
 *     .and(JoinGeneratorFactory.tag("affinity"), affinity)
 *     .apply(Merge.of(List.of("languages", "affinity")).withKey(List.of("user_id")));
 * // -> {"user_id": "u1", "language": {...}, "domain_affinity": {...}}
 * }</pre>
 * Output: the key columns, then each input's other columns in the order the inputs are listed.
 * A key present in any input is output (an outer join), unless {@link #withRequired} names inputs
 * it must be present in. Each input must have at most one row per key, and two inputs must not
 * have the same column: both fail the run with a message saying which input and key, since
 * silently picking one would change documents. Safe to retry.
 */
@AutoValue
public abstract class Merge extends PTransform<PCollectionTuple, PCollection<Record>> {
  abstract List<String> getInputs();

  abstract List<String> getKey();

  abstract List<String> getRequired();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setInputs(List<String> i);

    abstract Builder setKey(List<String> k);

    abstract Builder setRequired(List<String> r);

    abstract Merge build();
  }

  /** Merges the inputs named {@code inputs} (at least two), in this order. */
  public static Merge of(List<String> inputs) {
    if (inputs == null || inputs.size() < 2 || Set.copyOf(inputs).size() != inputs.size()) {
      throw new IllegalArgumentException("Merge.of(inputs) needs two or more distinct input names, got " + inputs);
    }
    return new AutoValue_Merge.Builder().setInputs(List.copyOf(inputs)).setKey(List.of()).setRequired(List.of()).build();
  }

  /** The join key (the dataset key). Required. */
  public Merge withKey(List<String> key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("withKey(key) needs at least one column");
    }
    return toBuilder().setKey(List.copyOf(key)).build();
  }

  /** Outputs only keys present in every one of {@code inputs} (an inner join on them). */
  public Merge withRequired(List<String> inputs) {
    for (String r : inputs) {
      if (!getInputs().contains(r)) {
        throw new IllegalArgumentException("withRequired: '" + r + "' is not one of the merged inputs " + getInputs());
      }
    }
    return toBuilder().setRequired(List.copyOf(inputs)).build();
  }

  @Override
  public PCollection<Record> expand(PCollectionTuple input) {
    if (getKey().isEmpty()) {
      throw new IllegalArgumentException("Merge.of(" + getInputs() + ") needs withKey()");
    }
    KeyedPCollectionTuple<String> keyed = null;
    for (String name : getInputs()) {
      TupleTag<Record> tag = JoinGeneratorFactory.tag(name);
      if (!input.has(tag)) {
        throw new IllegalArgumentException("Merge: input '" + name + "' is not in the tuple; it has " + input.getAll().keySet());
      }
      PCollection<KV<String, Record>> byKey = input.get(tag)
          .apply("Key-" + name, ParDo.of(new KeyFn(getKey())))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), RecordCoder.of()));
      keyed = keyed == null ? KeyedPCollectionTuple.of(tag, byKey) : keyed.and(tag, byKey);
    }
    return keyed.apply("CoGroupByKey", CoGroupByKey.create())
        .apply("MergeRows", ParDo.of(new MergeFn(getInputs(), getKey(), getRequired())))
        .setCoder(RecordCoder.of());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("inputs", String.join(",", getInputs())));
    builder.add(DisplayData.item("required", String.join(",", getRequired())));
  }

  private static final class KeyFn extends DoFn<Record, KV<String, Record>> {
    private final List<String> key;

    KeyFn(List<String> key) {
      this.key = key;
    }

    @ProcessElement
    public void process(@Element Record in, OutputReceiver<KV<String, Record>> out) {
      out.output(KV.of(GroupKeys.of(in, key), in));
    }
  }

  private static final class MergeFn extends DoFn<KV<String, CoGbkResult>, Record> {
    private final List<String> inputs;
    private final List<String> key;
    private final List<String> required;

    MergeFn(List<String> inputs, List<String> key, List<String> required) {
      this.inputs = inputs;
      this.key = key;
      this.required = required;
    }

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> group, OutputReceiver<Record> out) {
      Map<String, Object> m = GroupKeys.columns(key, group.getKey());
      Map<String, String> from = new LinkedHashMap<>();
      for (String name : inputs) {
        Iterator<Record> rows = group.getValue().getAll(JoinGeneratorFactory.tag(name)).iterator();
        if (!rows.hasNext()) {
          if (required.contains(name)) {
            return;
          }
          continue;
        }
        Record row = rows.next();
        if (rows.hasNext()) {
          throw new IllegalStateException("merge: input '" + name + "' has more than one row for key "
              + group.getKey() + "; reduce it to one row per key first (aggregate, group_list, vote...)");
        }
        for (Map.Entry<String, Object> e : row.asMap().entrySet()) {
          if (key.contains(e.getKey()) || e.getKey().equals(Generators.INPUT_COLUMN)) {
            continue;
          }
          String previous = from.putIfAbsent(e.getKey(), name);
          if (previous != null) {
            throw new IllegalStateException("merge: inputs '" + previous + "' and '" + name + "' both have column '"
                + e.getKey() + "'; rename one of them with a columns generator");
          }
          m.put(e.getKey(), e.getValue());
        }
      }
      out.output(Record.of(m));
    }
  }

  /** Spec support: {@code type: merge} with {@code input: [a, b, ...]}. */
  public static final class Factory implements JoinGeneratorFactory {
    @Override
    public String name() {
      return "merge";
    }

    @Override
    public String summary() {
      return "join inputs by key into one row: input: [a, b, c], required: [a]";
    }

    @Override
    public Set<String> keys() {
      return Set.of("required");
    }

    @Override
    public PTransform<PCollectionTuple, PCollection<Record>> createJoin(Map<String, Object> config,
        List<String> keyColumns, List<String> inputs) {
      Config c = new Config("merge", config);
      Merge m;
      try {
        m = of(inputs).withKey(keyColumns);
      } catch (IllegalArgumentException e) {
        throw new GeneratorConfigException(null, "merge needs input: [a, b, ...] with two or more distinct names");
      }
      if (c.has("required")) {
        try {
          m = m.withRequired(c.stringList("required"));
        } catch (IllegalArgumentException e) {
          throw c.error("required", e.getMessage());
        }
      }
      return m;
    }
  }
}
