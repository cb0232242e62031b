package io.nostos.transforms;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The registry of generators found through {@link ServiceLoader}, by spec name. */
public final class Generators {
  /**
   * When a generator's {@code input} lists several names, their rows are combined and each row
   * gets this column, holding the name of the input it came from ({@code vote} and
   * {@code affinity} use it as the default signal).
   */
  public static final String INPUT_COLUMN = "_input";

  private static final Map<String, GeneratorFactory> BY_NAME = load();

  private Generators() {}

  private static Map<String, GeneratorFactory> load() {
    Map<String, GeneratorFactory> m = new TreeMap<>();
    for (GeneratorFactory f : ServiceLoader.load(GeneratorFactory.class, Generators.class.getClassLoader())) {
      GeneratorFactory previous = m.put(f.name(), f);
      if (previous != null) {
        throw new IllegalStateException("two generators are registered as '" + f.name() + "': "
            + previous.getClass().getName() + " and " + f.getClass().getName());
      }
    }
    return m;
  }

  /** The factory registered as {@code name}, or {@code null}. */
  public static GeneratorFactory find(String name) {
    return BY_NAME.get(name);
  }

  /** All registered factories, sorted by name. */
  public static Map<String, GeneratorFactory> all() {
    return BY_NAME;
  }
}
