package io.nostos.transforms;

import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * A generator that joins several named inputs (sources or other generators' outputs) instead of
 * reading one collection, e.g. {@code merge}. The spec names the inputs with {@code input: [a, b]};
 * the transform receives them in a {@link PCollectionTuple} under {@link #tag(String)}.
 */
public interface JoinGeneratorFactory extends GeneratorFactory {
  /** The tag an input named {@code name} has in the tuple the transform receives. */
  static org.apache.beam.sdk.values.TupleTag<Record> tag(String name) {
    return new org.apache.beam.sdk.values.TupleTag<>(name);
  }

  /**
   * Builds the transform.
   *
   * @param inputs the names of the inputs, in the order the spec lists them
   * @throws GeneratorConfigException naming the bad key and what to write instead
   */
  PTransform<PCollectionTuple, PCollection<Record>> createJoin(Map<String, Object> config, List<String> keyColumns,
      List<String> inputs);

  /** A join generator has no single-input form. */
  @Override
  default PTransform<PCollection<Record>, PCollection<Record>> create(Map<String, Object> config,
      List<String> keyColumns) {
    throw new GeneratorConfigException(null, name() + " joins several inputs; list them with input: [a, b]");
  }
}
