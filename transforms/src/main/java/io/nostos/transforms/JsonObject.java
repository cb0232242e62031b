package io.nostos.transforms;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
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
 * Builds a nested JSON object from columns by dotted paths ({@code type: json_object}).
 *
 * <pre>{@code
 * rows.apply(JsonObject.into("languages")
 *     .withPath("primary", "lang")
 *     .withPath("scores.subtitles", "subtitle_score"));
 * // {"lang": "en", "subtitle_score": 0.8} -> {"languages": {"primary": "en", "scores": {"subtitles": 0.8}}}
 * }</pre>
 * The input columns used are removed unless {@link #withKeepInputs(boolean) withKeepInputs(true)};
 * other columns pass through. Null values are left out of the object. Stateless; safe to retry.
 */
@AutoValue
public abstract class JsonObject extends PTransform<PCollection<Record>, PCollection<Record>> {

  /** A dotted path in the output object and the column that fills it. */
  public record Path(String path, String column) implements Serializable {}

  abstract String getField();

  abstract List<Path> getPaths();

  abstract boolean getKeepInputs();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setField(String f);

    abstract Builder setPaths(List<Path> p);

    abstract Builder setKeepInputs(boolean k);

    abstract JsonObject build();
  }

  /** Puts the object in column {@code field}. */
  public static JsonObject into(String field) {
    if (field == null || field.isBlank()) {
      throw new IllegalArgumentException("JsonObject.into(field): field is empty");
    }
    return new AutoValue_JsonObject.Builder().setField(field).setPaths(List.of()).setKeepInputs(false).build();
  }

  /** Sets {@code dottedPath} (e.g. {@code scores.browser}) to the value of {@code column}. */
  public JsonObject withPath(String dottedPath, String column) {
    if (dottedPath == null || dottedPath.isBlank() || dottedPath.startsWith(".") || dottedPath.endsWith(".")
        || dottedPath.contains("..")) {
      throw new IllegalArgumentException("withPath(): '" + dottedPath + "' is not a dotted path like a.b.c");
    }
    for (Path p : getPaths()) {
      if (p.path().equals(dottedPath) || p.path().startsWith(dottedPath + ".") || dottedPath.startsWith(p.path() + ".")) {
        throw new IllegalArgumentException("withPath(): path '" + dottedPath + "' conflicts with '" + p.path()
            + "' (a value cannot also be an object)");
      }
    }
    List<Path> l = new ArrayList<>(getPaths());
    l.add(new Path(dottedPath, column));
    return toBuilder().setPaths(List.copyOf(l)).build();
  }

  public JsonObject withKeepInputs(boolean keep) {
    return toBuilder().setKeepInputs(keep).build();
  }

  @Override
  public PCollection<Record> expand(PCollection<Record> input) {
    if (getPaths().isEmpty()) {
      throw new IllegalArgumentException("JsonObject.into(" + getField() + ") needs at least one withPath()");
    }
    return input.apply("BuildJsonObject", ParDo.of(new BuildFn(getField(), getPaths(), getKeepInputs())))
        .setCoder(RecordCoder.of());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("field", getField()));
    builder.add(DisplayData.item("paths", getPaths().toString()));
  }

  private static final class BuildFn extends DoFn<Record, Record> {
    private final String field;
    private final List<Path> paths;
    private final boolean keepInputs;

    BuildFn(String field, List<Path> paths, boolean keepInputs) {
      this.field = field;
      this.paths = paths;
      this.keepInputs = keepInputs;
    }

    @ProcessElement
    public void process(@Element Record in, OutputReceiver<Record> out) {
      Map<String, Object> root = new LinkedHashMap<>();
      Set<String> used = new HashSet<>();
      for (Path p : paths) {
        Object v;
        try {
          v = in.require(p.column());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("json_object '" + field + "': " + e.getMessage(), e);
        }
        used.add(p.column());
        if (v != null) {
          put(root, p.path().split("\\."), v);
        }
      }
      Map<String, Object> m = new LinkedHashMap<>();
      in.asMap().forEach((k, v) -> {
        if (keepInputs || !used.contains(k)) {
          m.put(k, v);
        }
      });
      m.put(field, root);
      out.output(Record.of(m));
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> root, String[] parts, Object value) {
      Map<String, Object> node = root;
      for (int i = 0; i < parts.length - 1; i++) {
        node = (Map<String, Object>) node.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
      }
      node.put(parts[parts.length - 1], value);
    }
  }

  /** Spec support: {@code type: json_object}. */
  public static final class Factory implements GeneratorFactory {
    @Override
    public String name() {
      return "json_object";
    }

    @Override
    public String summary() {
      return "nest columns into one JSON object: field: name, paths: {a.b: column}, keep_inputs: false";
    }

    @Override
    public Set<String> keys() {
      return Set.of("field", "paths", "keep_inputs");
    }

    @Override
    public PTransform<PCollection<Record>, PCollection<Record>> create(Map<String, Object> config, List<String> keyColumns) {
      Config c = new Config("json_object", config);
      String field = c.string("field");
      if (keyColumns.contains(field)) {
        throw c.error("field", "'" + field + "' is a key column; pick another name");
      }
      JsonObject t = JsonObject.into(field).withKeepInputs(c.bool("keep_inputs", false));
      for (Map.Entry<String, Object> e : c.map("paths").entrySet()) {
        if (!(e.getValue() instanceof String)) {
          throw c.error("paths", "path '" + e.getKey() + "' must map to a column name");
        }
        try {
          t = t.withPath(e.getKey(), (String) e.getValue());
        } catch (IllegalArgumentException ex) {
          throw c.error("paths", ex.getMessage());
        }
      }
      return t;
    }
  }
}
