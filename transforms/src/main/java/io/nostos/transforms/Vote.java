package io.nostos.transforms;

import com.google.auto.value.AutoValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Picks one value per key by a weighted vote of several signals ({@code type: vote}), e.g. the
 * language a user speaks from subtitle minutes, the browser's language and enrolled courses.
 *
 * <pre>{@code
 * rows.apply(Vote.into("language").withKey(List.of("user_id")).withCandidate("lang")
 *     .withStrength("minutes").withWeights(Map.of("subtitles", 0.5, "browser", 0.3, "enrollments", 0.2)));
 * // -> {"user_id": "u1", "language": {"value": "es", "share": 0.62, "scores": {"es": 0.62, "en": 0.38}}}
 * }</pre>
 * Each row votes for its candidate under its signal: the {@link Generators#INPUT_COLUMN input}
 * it came from unless {@link #withSignal(String)} names a column. Scores are computed as
 * described in {@link SignalScores}: per signal shares, weighted, normalised to sum to 1. The
 * winner has the highest score; ties go to the candidate that sorts first, so every run gives the
 * same answer. A strength that is not a non-negative number becomes a {@link BadRow}. One key's
 * rows must fit in memory.
 */
@AutoValue
public abstract class Vote extends PTransform<PCollection<Record>, PCollection<Record>> {
  abstract String getField();

  abstract List<String> getKey();

  abstract String getCandidate();

  abstract String getStrength();

  abstract String getSignal();

  abstract Map<String, Double> getWeights();

  abstract int getPrecision();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setField(String f);

    abstract Builder setKey(List<String> k);

    abstract Builder setCandidate(String c);

    abstract Builder setStrength(String s);

    abstract Builder setSignal(String s);

    abstract Builder setWeights(Map<String, Double> w);

    abstract Builder setPrecision(int p);

    abstract Vote build();
  }

  /** Puts the result in column {@code field}. */
  public static Vote into(String field) {
    if (field == null || field.isBlank()) {
      throw new IllegalArgumentException("Vote.into(field): field is empty");
    }
    return new AutoValue_Vote.Builder().setField(field).setKey(List.of()).setCandidate("").setStrength("")
        .setSignal("").setWeights(Map.of()).setPrecision(4).build();
  }

  /** The columns that identify a voter (the dataset key). Required. */
  public Vote withKey(List<String> key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("withKey(key) needs at least one column");
    }
    return toBuilder().setKey(List.copyOf(key)).build();
  }

  /** The column holding what is voted for. Required. */
  public Vote withCandidate(String column) {
    return toBuilder().setCandidate(Config.columnName(column, "withCandidate")).build();
  }

  /** A column with each row's strength (default: every row counts 1). */
  public Vote withStrength(String column) {
    return toBuilder().setStrength(Config.columnName(column, "withStrength")).build();
  }

  /** A column naming each row's signal (default: the input the row came from). */
  public Vote withSignal(String column) {
    return toBuilder().setSignal(Config.columnName(column, "withSignal")).build();
  }

  /** Weight per signal (positive); default: every signal weighs the same. */
  public Vote withWeights(Map<String, Double> weights) {
    weights.forEach((s, w) -> {
      if (w == null || w <= 0) {
        throw new IllegalArgumentException("withWeights: signal '" + s + "' needs a positive weight, got " + w);
      }
    });
    return toBuilder().setWeights(Map.copyOf(weights)).build();
  }

  /** Decimals kept in shares (default 4). */
  public Vote withPrecision(int decimals) {
    if (decimals < 1 || decimals > 12) {
      throw new IllegalArgumentException("withPrecision(decimals) must be between 1 and 12, got " + decimals);
    }
    return toBuilder().setPrecision(decimals).build();
  }

  @Override
  public PCollection<Record> expand(PCollection<Record> input) {
    if (getKey().isEmpty() || getCandidate().isEmpty()) {
      throw new IllegalArgumentException("Vote.into(" + getField() + ") needs withKey() and withCandidate()");
    }
    PCollectionTuple scored = input.apply("Scores", SignalScores.perKey(new SignalScores.Columns(getKey(),
        getCandidate(), emptyToNull(getStrength()), emptyToNull(getSignal()), getWeights()), getPrecision()));
    String field = getField();
    PCollection<Record> votes = scored.get(SignalScores.SCORES)
        .apply("Winner", MapElements.into(TypeDescriptor.of(Record.class)).via((Record r) -> winner(r, field)))
        .setCoder(RecordCoder.of());
    return PCollectionList.of(votes).and(scored.get(SignalScores.BAD)).apply("WithBadRows", Flatten.pCollections());
  }

  @SuppressWarnings("unchecked")
  private static Record winner(Record r, String field) {
    Map<String, Object> scores = (Map<String, Object>) r.get(SignalScores.SCORES_COLUMN);
    Map.Entry<String, Object> best = scores.entrySet().iterator().next();
    Map<String, Object> vote = new LinkedHashMap<>();
    vote.put("value", best.getKey());
    vote.put("share", best.getValue());
    vote.put("scores", scores);
    Map<String, Object> m = new LinkedHashMap<>(r.asMap());
    m.remove(SignalScores.SCORES_COLUMN);
    m.put(field, vote);
    return Record.of(m);
  }

  static String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("field", getField()));
    builder.add(DisplayData.item("candidate", getCandidate()));
    builder.add(DisplayData.item("weights", getWeights().toString()));
  }

  /** Spec support: {@code type: vote}. */
  public static final class Factory implements GeneratorFactory {
    @Override
    public String name() {
      return "vote";
    }

    @Override
    public String summary() {
      return "weighted vote of signals per key: field, candidate: col, strength: col, weights: {signal: w}";
    }

    @Override
    public Set<String> keys() {
      return Set.of("field", "candidate", "strength", "signal", "weights", "precision");
    }

    @Override
    public PTransform<PCollection<Record>, PCollection<Record>> create(Map<String, Object> config, List<String> keyColumns) {
      Config c = new Config("vote", config);
      Vote v = into(c.fieldName("field", keyColumns)).withKey(keyColumns).withCandidate(c.string("candidate"))
          .withWeights(SignalScores.weights(c));
      if (c.has("strength")) {
        v = v.withStrength(c.string("strength"));
      }
      if (c.has("signal")) {
        v = v.withSignal(c.string("signal"));
      }
      Integer precision = c.positiveInt("precision");
      return precision == null ? v : v.withPrecision(precision);
    }
  }
}
