package io.nostos.transforms;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;

/**
 * Makes a generator from its spec configuration. Implementations are registered with
 * {@link java.util.ServiceLoader} (a line in
 * {@code META-INF/services/io.nostos.transforms.GeneratorFactory}) and found by {@link #name()},
 * the value of {@code type:} in a spec.
 */
public interface GeneratorFactory {
  /** The spec name, e.g. {@code group_list}. */
  String name();

  /** One line for {@code --help} and error messages. */
  String summary();

  /** Keys the configuration may contain (besides {@code type}); any other key is an error. */
  Set<String> keys();

  /**
   * Builds the transform.
   *
   * @param config the generator's keys and values as parsed from YAML
   * @param keyColumns the dataset's key columns
   * @throws GeneratorConfigException naming the bad key and what to write instead
   */
  PTransform<PCollection<Record>, PCollection<Record>> create(Map<String, Object> config, List<String> keyColumns);
}
