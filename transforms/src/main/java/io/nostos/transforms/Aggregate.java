package io.nostos.transforms;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Computes metrics per group ({@code type: aggregate}): count, count_distinct, sum, avg, min, max.
 *
 * <pre>{@code
 * rows.apply(Aggregate.by(List.of("user_id"))
 *     .withMetric("enrollments", Aggregate.Function.COUNT, null)
 *     .withMetric("minutes", Aggregate.Function.SUM, "minutes"));
 * // -> {"user_id": "u1", "enrollments": 3, "minutes": 310}
 * }</pre>
 * Output: one row per group with the group columns, then the metrics in the order given. Null
 * values are skipped ({@code count} without a column counts rows). {@code sum} is a whole number
 * when every input is, {@code avg} a double; {@code min}/{@code max} compare numbers as numbers
 * and anything else as text (ISO dates order correctly). Numbers held as text (CSV) are read as
 * numbers; a value that is not a number becomes a {@link BadRow} ({@code unparsable_value}).
 * Combines partial results before the shuffle, so a group may be larger than memory, except for
 * {@code count_distinct}, which holds the group's distinct values.
 */
@AutoValue
public abstract class Aggregate extends PTransform<PCollection<Record>, PCollection<Record>> {

  /** Aggregate functions. */
  public enum Function {
    COUNT, COUNT_DISTINCT, SUM, AVG, MIN, MAX;

    boolean numeric() {
      return this == SUM || this == AVG;
    }

    static Function parse(String s) {
      for (Function f : values()) {
        if (f.name().equalsIgnoreCase(s)) {
          return f;
        }
      }
      throw new IllegalArgumentException("unknown function '" + s + "'; use count, count_distinct, sum, avg, min or max");
    }
  }

  /** One output metric: its name, function and input column ({@code null} for a row count). */
  public record Metric(String name, Function function, String column) implements Serializable {}

  abstract List<String> getGroupBy();

  abstract List<Metric> getMetrics();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setGroupBy(List<String> g);

    abstract Builder setMetrics(List<Metric> m);

    abstract Aggregate build();
  }

  /** Groups by {@code columns} (usually the dataset key, possibly with more columns). */
  public static Aggregate by(List<String> columns) {
    if (columns == null || columns.isEmpty()) {
      throw new IllegalArgumentException("Aggregate.by(columns) needs at least one column");
    }
    return new AutoValue_Aggregate.Builder().setGroupBy(List.copyOf(columns)).setMetrics(List.of()).build();
  }

  /** Adds metric {@code name}; {@code column} may be null only for {@link Function#COUNT}. */
  public Aggregate withMetric(String name, Function function, String column) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("withMetric(name, ...): name is empty");
    }
    if (column == null && function != Function.COUNT) {
      throw new IllegalArgumentException("metric '" + name + "': " + function.name().toLowerCase() + " needs a column");
    }
    if (getGroupBy().contains(name) || getMetrics().stream().anyMatch(m -> m.name().equals(name))) {
      throw new IllegalArgumentException("metric '" + name + "' clashes with a group column or another metric");
    }
    List<Metric> m = new ArrayList<>(getMetrics());
    m.add(new Metric(name, function, column));
    return toBuilder().setMetrics(m).build();
  }

  @Override
  public PCollection<Record> expand(PCollection<Record> input) {
    if (getMetrics().isEmpty()) {
      throw new IllegalArgumentException("Aggregate.by(" + getGroupBy() + ") needs at least one withMetric()");
    }
    TupleTag<KV<String, Record>> good = new TupleTag<>() {};
    TupleTag<Record> bad = new TupleTag<>() {};
    PCollectionTuple keyed = input.apply("KeyAndReadValues",
        ParDo.of(new KeyFn(getGroupBy(), getMetrics(), good, bad)).withOutputTags(good, TupleTagList.of(bad)));
    keyed.get(bad).setCoder(RecordCoder.of());
    PCollection<Record> aggregated = keyed.get(good)
        .setCoder(KvCoder.of(StringUtf8Coder.of(), RecordCoder.of()))
        .apply("Combine", Combine.<String, Record, Record>perKey(new MetricsFn(getMetrics())))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), RecordCoder.of()))
        .apply("ToRecord", ParDo.of(new ToRecordFn(getGroupBy(), getMetrics())))
        .setCoder(RecordCoder.of());
    return PCollectionList.of(aggregated).and(keyed.get(bad)).apply("WithBadRows", Flatten.pCollections());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("groupBy", String.join(",", getGroupBy())));
    builder.add(DisplayData.item("metrics", getMetrics().toString()));
  }

  /** Keys each row by its group (as JSON) and reads each metric's input value. */
  private static final class KeyFn extends DoFn<Record, KV<String, Record>> {
    private final List<String> groupBy;
    private final List<Metric> metrics;
    private final TupleTag<KV<String, Record>> good;
    private final TupleTag<Record> bad;

    KeyFn(List<String> groupBy, List<Metric> metrics, TupleTag<KV<String, Record>> good, TupleTag<Record> bad) {
      this.groupBy = groupBy;
      this.metrics = metrics;
      this.good = good;
      this.bad = bad;
    }

    @ProcessElement
    public void process(@Element Record in, MultiOutputReceiver out) {
      String key = GroupKeys.of(in, groupBy);
      Map<String, Object> values = new LinkedHashMap<>();
      for (Metric m : metrics) {
        Object v = m.column() == null ? Boolean.TRUE : in.require(m.column());
        if (v != null && m.function().numeric() && !(v instanceof Number)) {
          try {
            v = ValueType.DOUBLE.cast(v);
          } catch (IllegalArgumentException notANumber) {
            out.get(bad).output(BadRow.of(BadRow.UNPARSABLE_VALUE, "aggregate: metric '" + m.name() + "': column '"
                + m.column() + "' is " + Json.write(in.get(m.column())) + ", not a number", in));
            return;
          }
          double d = (Double) v;
          v = d == Math.rint(d) && Math.abs(d) < 1e15 ? (Object) (long) d : (Object) d;
        }
        values.put(m.name(), v);
      }
      out.get(good).output(KV.of(key, Record.of(values)));
    }
  }

  /** Partial state of every metric of one group. */
  static final class Accumulator implements Serializable {
    final long[] counts;
    final long[] longSums;
    final double[] doubleSums;
    final boolean[] fractional;
    final Object[] extremes;
    final List<Set<String>> distinct;

    Accumulator(int n) {
      counts = new long[n];
      longSums = new long[n];
      doubleSums = new double[n];
      fractional = new boolean[n];
      extremes = new Object[n];
      distinct = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        distinct.add(new HashSet<>());
      }
    }
  }

  private static final class MetricsFn extends Combine.CombineFn<Record, Accumulator, Record> {
    private final List<Metric> metrics;

    MetricsFn(List<Metric> metrics) {
      this.metrics = metrics;
    }

    @Override
    public Accumulator createAccumulator() {
      return new Accumulator(metrics.size());
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<Accumulator> getAccumulatorCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry, org.apache.beam.sdk.coders.Coder<Record> input) {
      return SerializableCoder.of(Accumulator.class);
    }

    @Override
    public Accumulator addInput(Accumulator a, Record values) {
      for (int i = 0; i < metrics.size(); i++) {
        Object v = values.get(metrics.get(i).name());
        if (v == null) {
          continue;
        }
        a.counts[i]++;
        switch (metrics.get(i).function()) {
          case COUNT_DISTINCT -> a.distinct.get(i).add(Json.write(v));
          case SUM, AVG -> addNumber(a, i, (Number) v);
          case MIN -> a.extremes[i] = a.extremes[i] == null || compare(v, a.extremes[i]) < 0 ? v : a.extremes[i];
          case MAX -> a.extremes[i] = a.extremes[i] == null || compare(v, a.extremes[i]) > 0 ? v : a.extremes[i];
          default -> { }
        }
      }
      return a;
    }

    private static void addNumber(Accumulator a, int i, Number n) {
      if (n instanceof Long && !a.fractional[i]) {
        a.longSums[i] = Math.addExact(a.longSums[i], n.longValue());
      } else {
        if (!a.fractional[i]) {
          a.fractional[i] = true;
          a.doubleSums[i] = a.longSums[i];
        }
        a.doubleSums[i] += n.doubleValue();
      }
    }

    @Override
    public Accumulator mergeAccumulators(Iterable<Accumulator> parts) {
      Accumulator out = createAccumulator();
      for (Accumulator a : parts) {
        for (int i = 0; i < metrics.size(); i++) {
          out.counts[i] += a.counts[i];
          out.distinct.get(i).addAll(a.distinct.get(i));
          if (a.fractional[i]) {
            addNumber(out, i, a.doubleSums[i] + a.longSums[i]);
          } else {
            addNumber(out, i, a.longSums[i]);
          }
          Object e = a.extremes[i];
          if (e != null) {
            Function f = metrics.get(i).function();
            Object cur = out.extremes[i];
            if (cur == null || (f == Function.MIN ? compare(e, cur) < 0 : compare(e, cur) > 0)) {
              out.extremes[i] = e;
            }
          }
        }
      }
      return out;
    }

    @Override
    public Record extractOutput(Accumulator a) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (int i = 0; i < metrics.size(); i++) {
        double sum = a.fractional[i] ? a.doubleSums[i] : a.longSums[i];
        out.put(metrics.get(i).name(), switch (metrics.get(i).function()) {
          case COUNT -> a.counts[i];
          case COUNT_DISTINCT -> (long) a.distinct.get(i).size();
          case SUM -> a.counts[i] == 0 ? null : a.fractional[i] ? (Object) a.doubleSums[i] : (Object) a.longSums[i];
          case AVG -> a.counts[i] == 0 ? null : sum / a.counts[i];
          default -> a.extremes[i];
        });
      }
      return Record.of(out);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) {
      if (a instanceof Number && b instanceof Number) {
        return Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue());
      }
      if (a instanceof Comparable && a.getClass() == b.getClass()) {
        return ((Comparable) a).compareTo(b);
      }
      return Json.write(a).compareTo(Json.write(b));
    }
  }

  private static final class ToRecordFn extends DoFn<KV<String, Record>, Record> {
    private final List<String> groupBy;
    private final List<Metric> metrics;

    ToRecordFn(List<String> groupBy, List<Metric> metrics) {
      this.groupBy = groupBy;
      this.metrics = metrics;
    }

    @ProcessElement
    public void process(@Element KV<String, Record> group, OutputReceiver<Record> out) {
      Map<String, Object> m = GroupKeys.columns(groupBy, group.getKey());
      metrics.forEach(metric -> m.put(metric.name(), group.getValue().get(metric.name())));
      out.output(Record.of(m));
    }
  }

  /** Spec support: {@code type: aggregate}. */
  public static final class Factory implements GeneratorFactory {
    @Override
    public String name() {
      return "aggregate";
    }

    @Override
    public String summary() {
      return "metrics per key: group_by: [cols] (default the key), metrics: {n: count, m: {sum: col}, ...}";
    }

    @Override
    public Set<String> keys() {
      return Set.of("group_by", "metrics");
    }

    @Override
    public PTransform<PCollection<Record>, PCollection<Record>> create(Map<String, Object> config, List<String> keyColumns) {
      Config c = new Config("aggregate", config);
      Aggregate a = by(c.has("group_by") ? c.stringList("group_by") : keyColumns);
      for (Map.Entry<String, Object> e : c.map("metrics").entrySet()) {
        String name = e.getKey();
        Object spec = e.getValue();
        try {
          if ("count".equals(spec)) {
            a = a.withMetric(name, Function.COUNT, null);
          } else if (spec instanceof Map && ((Map<?, ?>) spec).size() == 1) {
            Map.Entry<?, ?> fn = ((Map<?, ?>) spec).entrySet().iterator().next();
            if (!(fn.getValue() instanceof String)) {
              throw new IllegalArgumentException("the function's value must be a column name");
            }
            a = a.withMetric(name, Function.parse(String.valueOf(fn.getKey())), (String) fn.getValue());
          } else {
            throw new IllegalArgumentException("write count, or {function: column} with function one of count, "
                + "count_distinct, sum, avg, min, max");
          }
        } catch (IllegalArgumentException ex) {
          throw c.error("metrics", "metric '" + name + "': " + ex.getMessage());
        }
      }
      return a;
    }
  }
}
