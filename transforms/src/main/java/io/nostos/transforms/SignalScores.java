package io.nostos.transforms;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Weighted, normalised scores of candidates per key, shared by {@link Vote} and {@link Affinity}.
 *
 * <p>Each row gives a candidate (a language, a domain...) a strength (a column, or 1 per row)
 * under a signal (subtitles, browser...). Per key and signal, strengths become shares that sum
 * to 1; a candidate's score is the weighted sum of its shares over the signals the key has,
 * divided by the sum of those signals' weights. Scores therefore sum to 1 whichever signals a key
 * lacks. Rows with a null candidate or strength are skipped; rows without the strength column
 * (an input that has none) count 1 each.
 */
final class SignalScores {
  /** Where each score-relevant value is read from. */
  record Columns(List<String> key, String candidate, String strength, String signal, Map<String, Double> weights)
      implements Serializable {}

  /** Per key: the key columns and {@link #SCORES_COLUMN}, candidate → score, highest first. */
  static final TupleTag<Record> SCORES = new TupleTag<>() {};
  static final String SCORES_COLUMN = "_scores";
  static final TupleTag<Record> BAD = new TupleTag<>() {};

  private SignalScores() {}

  /**
   * Scores of one key, highest first (ties: candidate name ascending), rounded to
   * {@code precision} decimals.
   *
   * @param strengths signal → candidate → summed strength
   * @param weights signal → weight; empty means every signal weighs 1
   * @throws IllegalArgumentException when a signal has no weight although weights are given
   */
  static Map<String, Double> scores(Map<String, Map<String, Double>> strengths, Map<String, Double> weights,
      int precision) {
    Map<String, Double> sum = new TreeMap<>();
    double totalWeight = 0;
    for (Map.Entry<String, Map<String, Double>> s : strengths.entrySet()) {
      double total = s.getValue().values().stream().mapToDouble(Double::doubleValue).sum();
      if (total <= 0) {
        continue;
      }
      Double w = weights.isEmpty() ? Double.valueOf(1.0) : weights.get(s.getKey());
      if (w == null) {
        throw new IllegalArgumentException("signal '" + s.getKey() + "' has no weight; weights are given for "
            + String.join(", ", new TreeMap<>(weights).keySet()) + " (the signal is the input a row came from, "
            + "or the signal column)");
      }
      totalWeight += w;
      for (Map.Entry<String, Double> c : s.getValue().entrySet()) {
        sum.merge(c.getKey(), w * c.getValue() / total, Double::sum);
      }
    }
    List<Map.Entry<String, Double>> entries = new ArrayList<>(sum.entrySet());
    entries.sort(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
    Map<String, Double> out = new LinkedHashMap<>();
    for (Map.Entry<String, Double> e : entries) {
      out.put(e.getKey(), round(e.getValue() / totalWeight, precision));
    }
    return out;
  }

  static double round(double v, int precision) {
    return BigDecimal.valueOf(v).setScale(precision, RoundingMode.HALF_UP).doubleValue();
  }

  /** Scores per key; outputs {@link #SCORES} and {@link #BAD} (strengths that are not numbers). */
  static PTransform<PCollection<Record>, PCollectionTuple> perKey(Columns cols, int precision) {
    return new PTransform<>() {
      @Override
      public PCollectionTuple expand(PCollection<Record> input) {
        TupleTag<KV<String, Record>> keyed = new TupleTag<>() {};
        PCollectionTuple parts = input.apply("ReadSignals",
            ParDo.of(new SignalFn(cols, keyed)).withOutputTags(keyed, TupleTagList.of(BAD)));
        PCollection<Record> scores = parts.get(keyed)
            .setCoder(KvCoder.of(StringUtf8Coder.of(), RecordCoder.of()))
            .apply("GroupByKey", GroupByKey.create())
            .apply("Score", ParDo.of(new ScoreFn(cols.key(), cols.weights(), precision)))
            .setCoder(RecordCoder.of());
        return PCollectionTuple.of(SCORES, scores).and(BAD, parts.get(BAD).setCoder(RecordCoder.of()));
      }
    };
  }

  /** Emits (key, {signal, candidate, strength}) per usable row. */
  private static final class SignalFn extends DoFn<Record, KV<String, Record>> {
    private final Columns cols;
    private final TupleTag<KV<String, Record>> keyed;

    SignalFn(Columns cols, TupleTag<KV<String, Record>> keyed) {
      this.cols = cols;
      this.keyed = keyed;
    }

    @ProcessElement
    public void process(@Element Record in, MultiOutputReceiver out) {
      String key = GroupKeys.of(in, cols.key());
      Object candidate = in.require(cols.candidate());
      // rows of an input that has no strength column count 1 each (e.g. a browser signal next to minutes watched)
      Object strength = cols.strength() == null || !in.has(cols.strength()) ? Long.valueOf(1) : in.get(cols.strength());
      if (candidate == null || strength == null) {
        return;
      }
      double s;
      try {
        s = ((Number) ValueType.DOUBLE.cast(strength)).doubleValue();
        if (s < 0) {
          throw new IllegalArgumentException("is negative");
        }
      } catch (IllegalArgumentException e) {
        out.get(BAD).output(BadRow.of(BadRow.UNPARSABLE_VALUE, "strength column '" + cols.strength() + "' "
            + e.getMessage(), in));
        return;
      }
      Object signal = cols.signal() == null ? in.get(Generators.INPUT_COLUMN) : in.require(cols.signal());
      out.get(keyed).output(KV.of(key, Record.of("s", signal == null ? "" : String.valueOf(signal),
          "c", candidate instanceof String ? candidate : Json.write(candidate), "w", s)));
    }
  }

  private static final class ScoreFn extends DoFn<KV<String, Iterable<Record>>, Record> {
    private final List<String> key;
    private final Map<String, Double> weights;
    private final int precision;

    ScoreFn(List<String> key, Map<String, Double> weights, int precision) {
      this.key = key;
      this.weights = weights;
      this.precision = precision;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<Record>> group, OutputReceiver<Record> out) {
      Map<String, Map<String, Double>> strengths = new TreeMap<>();
      for (Record r : group.getValue()) {
        strengths.computeIfAbsent((String) r.get("s"), k -> new TreeMap<>())
            .merge((String) r.get("c"), (Double) r.get("w"), Double::sum);
      }
      Map<String, Double> scores = scores(strengths, weights, precision);
      if (!scores.isEmpty()) {
        Map<String, Object> m = GroupKeys.columns(key, group.getKey());
        m.put(SCORES_COLUMN, scores);
        out.output(Record.of(m));
      }
    }
  }

  /** Reads {@code weights:} of a vote/affinity config: signal → positive number. */
  static Map<String, Double> weights(Config c) {
    if (!c.has("weights")) {
      return Map.of();
    }
    Map<String, Double> out = new TreeMap<>();
    for (Map.Entry<String, Object> e : c.map("weights").entrySet()) {
      if (!(e.getValue() instanceof Number) || ((Number) e.getValue()).doubleValue() <= 0) {
        throw c.error("weights", "signal '" + e.getKey() + "' must have a positive number as weight, e.g. 0.5");
      }
      out.put(e.getKey(), ((Number) e.getValue()).doubleValue());
    }
    return out;
  }
}
