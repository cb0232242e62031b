package io.nostos.transforms.example;

import com.google.auto.value.AutoValue;
import io.nostos.transforms.BadRow;
import io.nostos.transforms.Config;
import io.nostos.transforms.GeneratorFactory;
import io.nostos.transforms.Record;
import io.nostos.transforms.RecordCoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;

/**
 * The worked example of README "Writing your own generator": labels a number by the bucket it
 * falls in ({@code type: bucketize}).
 *
 * <pre>{@code
 * - type: bucketize
 *   column: minutes
 *   field: engagement
 *   bounds: [10, 60]             # < 10 → low, < 60 → medium, otherwise high
 *   labels: [low, medium, high]
 * }</pre>
 * A value that is not a number becomes a bad row; null stays null. Stateless; safe to retry.
 */
@AutoValue
public abstract class Bucketize extends PTransform<PCollection<Record>, PCollection<Record>> {
  abstract String getColumn();

  abstract String getField();

  abstract List<Double> getBounds();

  abstract List<String> getLabels();

  /** Labels {@code column} into {@code field}: {@code labels.get(i)} for values below {@code bounds.get(i)}. */
  public static Bucketize of(String column, String field, List<Double> bounds, List<String> labels) {
    if (labels.size() != bounds.size() + 1) {
      throw new IllegalArgumentException("needs one label more than bounds: " + bounds.size() + " bounds, "
          + labels.size() + " labels");
    }
    for (int i = 1; i < bounds.size(); i++) {
      if (bounds.get(i) <= bounds.get(i - 1)) {
        throw new IllegalArgumentException("bounds must increase, got " + bounds);
      }
    }
    return new AutoValue_Bucketize(column, field, List.copyOf(bounds), List.copyOf(labels));
  }

  @Override
  public PCollection<Record> expand(PCollection<Record> input) {
    return input.apply("Label", ParDo.of(new LabelFn(getColumn(), getField(), getBounds(), getLabels())))
        .setCoder(RecordCoder.of());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("column", getColumn())).add(DisplayData.item("bounds", getBounds().toString()));
  }

  private static final class LabelFn extends DoFn<Record, Record> {
    private final String column;
    private final String field;
    private final List<Double> bounds;
    private final List<String> labels;

    LabelFn(String column, String field, List<Double> bounds, List<String> labels) {
      this.column = column;
      this.field = field;
      this.bounds = bounds;
      this.labels = labels;
    }

    @ProcessElement
    public void process(@Element Record in, OutputReceiver<Record> out) {
      Object v = in.require(column);
      String label = null;
      if (v != null) {
        double d;
        try {
          d = v instanceof Number ? ((Number) v).doubleValue() : Double.parseDouble(v.toString());
        } catch (NumberFormatException e) {
          out.output(BadRow.of(BadRow.UNPARSABLE_VALUE, "bucketize: '" + column + "' is not a number: " + v, in));
          return;
        }
        int i = 0;
        while (i < bounds.size() && d >= bounds.get(i)) {
          i++;
        }
        label = labels.get(i);
      }
      Map<String, Object> m = new LinkedHashMap<>(in.asMap());
      m.put(field, label);
      out.output(Record.of(m));
    }
  }

  /** Registered in META-INF/services/io.nostos.transforms.GeneratorFactory. */
  public static final class Factory implements GeneratorFactory {
    @Override
    public String name() {
      return "bucketize";
    }

    @Override
    public String summary() {
      return "label a number by bucket: column, field, bounds: [10, 60], labels: [low, medium, high]";
    }

    @Override
    public Set<String> keys() {
      return Set.of("column", "field", "bounds", "labels");
    }

    @Override
    public PTransform<PCollection<Record>, PCollection<Record>> create(Map<String, Object> config, List<String> keyColumns) {
      Config c = new Config("bucketize", config);
      List<Double> bounds = new ArrayList<>();
      if (!(c.required("bounds") instanceof List)) {
        throw c.error("bounds", "must be a list of numbers, e.g. [10, 60]");
      }
      for (Object o : (List<?>) c.required("bounds")) {
        if (!(o instanceof Number)) {
          throw c.error("bounds", "must be a list of numbers, found " + o);
        }
        bounds.add(((Number) o).doubleValue());
      }
      try {
        return of(c.string("column"), c.fieldName("field", keyColumns), bounds, c.stringList("labels"));
      } catch (IllegalArgumentException e) {
        throw c.error("labels", e.getMessage());
      }
    }
  }
}
