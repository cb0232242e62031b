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
 * Normalised per-category scores per key ({@code type: affinity}), e.g. how much of a user's
 * learning goes to each subject domain.
 *
 * <pre>{@code
 * rows.apply(Affinity.into("domains").withKey(List.of("user_id")).withCategory("domain").withStrength("hours"));
 * // -> {"user_id": "u1", "domains": {"data-science": 0.55, "programming": 0.45}}
 * }</pre>
 * The field maps category to score, highest first; scores sum to 1 (before {@link #withTop}).
 * With several signals (several inputs, or {@link #withSignal(String)}), each signal's shares are
 * weighted as in {@link SignalScores}. A strength that is not a non-negative number becomes a
 * {@link BadRow}. One key's rows must fit in memory.
 */
@AutoValue
public abstract class Affinity extends PTransform<PCollection<Record>, PCollection<Record>> {
  abstract String getField();

  abstract List<String> getKey();

  abstract String getCategory();

  abstract String getStrength();

  abstract String getSignal();

  abstract Map<String, Double> getWeights();

  abstract int getTop();

  abstract int getPrecision();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setField(String f);

    abstract Builder setKey(List<String> k);

    abstract Builder setCategory(String c);

    abstract Builder setStrength(String s);

    abstract Builder setSignal(String s);

    abstract Builder setWeights(Map<String, Double> w);

    abstract Builder setTop(int t);

    abstract Builder setPrecision(int p);

    abstract Affinity build();
  }

  /** Puts the scores in column {@code field}. */
  public static Affinity into(String field) {
    if (field == null || field.isBlank()) {
      throw new IllegalArgumentException("Affinity.into(field): field is empty");
    }
    return new AutoValue_Affinity.Builder().setField(field).setKey(List.of()).setCategory("").setStrength("")
        .setSignal("").setWeights(Map.of()).setTop(0).setPrecision(4).build();
  }

  /** The columns that identify a group (the dataset key). Required. */
  public Affinity withKey(List<String> key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("withKey(key) needs at least one column");
    }
    return toBuilder().setKey(List.copyOf(key)).build();
  }

  /** The column holding the category. Required. */
  public Affinity withCategory(String column) {
    return toBuilder().setCategory(Config.columnName(column, "withCategory")).build();
  }

  /** A column with each row's strength (default: every row counts 1). */
  public Affinity withStrength(String column) {
    return toBuilder().setStrength(Config.columnName(column, "withStrength")).build();
  }

  /** A column naming each row's signal (default: the input the row came from). */
  public Affinity withSignal(String column) {
    return toBuilder().setSignal(Config.columnName(column, "withSignal")).build();
  }

  /** Weight per signal (positive); default: every signal weighs the same. */
  public Affinity withWeights(Map<String, Double> weights) {
    weights.forEach((s, w) -> {
      if (w == null || w <= 0) {
        throw new IllegalArgumentException("withWeights: signal '" + s + "' needs a positive weight, got " + w);
      }
    });
    return toBuilder().setWeights(Map.copyOf(weights)).build();
  }

  /** Keeps only the {@code n} highest categories. */
  public Affinity withTop(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("withTop(n) must be at least 1, got " + n);
    }
    return toBuilder().setTop(n).build();
  }

  /** Decimals kept in scores (default 4). */
  public Affinity withPrecision(int decimals) {
    if (decimals < 1 || decimals > 12) {
      throw new IllegalArgumentException("withPrecision(decimals) must be between 1 and 12, got " + decimals);
    }
    return toBuilder().setPrecision(decimals).build();
  }

  @Override
  public PCollection<Record> expand(PCollection<Record> input) {
    if (getKey().isEmpty() || getCategory().isEmpty()) {
      throw new IllegalArgumentException("Affinity.into(" + getField() + ") needs withKey() and withCategory()");
    }
    PCollectionTuple scored = input.apply("Scores", SignalScores.perKey(new SignalScores.Columns(getKey(),
        getCategory(), Vote.emptyToNull(getStrength()), Vote.emptyToNull(getSignal()), getWeights()), getPrecision()));
    String field = getField();
    int top = getTop();
    PCollection<Record> affinities = scored.get(SignalScores.SCORES)
        .apply("Shape", MapElements.into(TypeDescriptor.of(Record.class)).via((Record r) -> shape(r, field, top)))
        .setCoder(RecordCoder.of());
    return PCollectionList.of(affinities).and(scored.get(SignalScores.BAD)).apply("WithBadRows", Flatten.pCollections());
  }

  @SuppressWarnings("unchecked")
  private static Record shape(Record r, String field, int top) {
    Map<String, Object> scores = (Map<String, Object>) r.get(SignalScores.SCORES_COLUMN);
    Map<String, Object> kept = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : scores.entrySet()) {
      if (top > 0 && kept.size() == top) {
        break;
      }
      kept.put(e.getKey(), e.getValue());
    }
    Map<String, Object> m = new LinkedHashMap<>(r.asMap());
    m.remove(SignalScores.SCORES_COLUMN);
    m.put(field, kept);
    return Record.of(m);
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("field", getField()));
    builder.add(DisplayData.item("category", getCategory()));
    builder.add(DisplayData.item("top", getTop()));
  }

  /** Spec support: {@code type: affinity}. */
  public static final class Factory implements GeneratorFactory {
    @Override
    public String name() {
      return "affinity";
    }

    @Override
    public String summary() {
      return "normalised scores per category: field, category: col, strength: col, weights: {signal: w}, top: N";
    }

    @Override
    public Set<String> keys() {
      return Set.of("field", "category", "strength", "signal", "weights", "top", "precision");
    }

    @Override
    public PTransform<PCollection<Record>, PCollection<Record>> create(Map<String, Object> config, List<String> keyColumns) {
      Config c = new Config("affinity", config);
      Affinity a = into(c.fieldName("field", keyColumns)).withKey(keyColumns).withCategory(c.string("category"))
          .withWeights(SignalScores.weights(c));
      if (c.has("strength")) {
        a = a.withStrength(c.string("strength"));
      }
      if (c.has("signal")) {
        a = a.withSignal(c.string("signal"));
      }
      Integer top = c.positiveInt("top");
      if (top != null) {
        a = a.withTop(top);
      }
      Integer precision = c.positiveInt("precision");
      return precision == null ? a : a.withPrecision(precision);
    }
  }
}
