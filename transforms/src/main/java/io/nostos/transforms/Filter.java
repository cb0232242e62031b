package io.nostos.transforms;

import com.google.auto.value.AutoValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;

/**
 * Keeps the rows that satisfy every condition ({@code type: filter}).
 *
 * <pre>{@code
 * rows.apply(Filter.where(List.of(Predicate.parse("minutes >= 5"), Predicate.parse("lang is not null"))));
 * }</pre>
 * Conditions are ANDed; see {@link Predicate} for the syntax and typing. A row whose value cannot
 * be compared (text where a number is expected) becomes a {@link BadRow}
 * ({@code unparsable_value}); a condition on a column the row does not have fails the run.
 * Stateless; safe to retry.
 */
@AutoValue
public abstract class Filter extends PTransform<PCollection<Record>, PCollection<Record>> {
  abstract List<Predicate> getConditions();

  /** Keeps rows that satisfy all {@code conditions} (at least one). */
  public static Filter where(List<Predicate> conditions) {
    if (conditions == null || conditions.isEmpty()) {
      throw new IllegalArgumentException("Filter.where(conditions) needs at least one condition");
    }
    return new AutoValue_Filter(List.copyOf(conditions));
  }

  @Override
  public PCollection<Record> expand(PCollection<Record> input) {
    return input.apply("Where", ParDo.of(new WhereFn(getConditions()))).setCoder(RecordCoder.of());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("where", getConditions().toString()));
  }

  private static final class WhereFn extends DoFn<Record, Record> {
    private final List<Predicate> conditions;

    WhereFn(List<Predicate> conditions) {
      this.conditions = conditions;
    }

    @ProcessElement
    public void process(@Element Record in, OutputReceiver<Record> out) {
      for (Predicate c : conditions) {
        in.require(c.column());  // a column the row does not have is a spec error: fail the run
        boolean ok;
        try {
          ok = c.test(in);
        } catch (IllegalArgumentException e) {
          out.output(BadRow.of(BadRow.UNPARSABLE_VALUE, "filter: " + e.getMessage(), in));
          return;
        }
        if (!ok) {
          return;
        }
      }
      out.output(in);
    }
  }

  /** Spec support: {@code type: filter}. */
  public static final class Factory implements GeneratorFactory {
    @Override
    public String name() {
      return "filter";
    }

    @Override
    public String summary() {
      return "keep rows matching every condition: where: ['minutes >= 5', 'lang in [en, es]', 'email is not null']";
    }

    @Override
    public Set<String> keys() {
      return Set.of("where");
    }

    @Override
    public PTransform<PCollection<Record>, PCollection<Record>> create(Map<String, Object> config, List<String> keyColumns) {
      Config c = new Config("filter", config);
      List<Predicate> conditions = new ArrayList<>();
      for (String s : c.stringList("where")) {
        try {
          conditions.add(Predicate.parse(s));
        } catch (IllegalArgumentException e) {
          throw c.error("where", e.getMessage());
        }
      }
      return where(conditions);
    }
  }
}
