package io.nostos.transforms;

/**
 * A generator's configuration is wrong. {@link #key()} names the offending key (or is
 * {@code null} for the generator as a whole) so the spec loader can point at its line.
 */
public class GeneratorConfigException extends IllegalArgumentException {
  private final String key;

  public GeneratorConfigException(String key, String message) {
    super(message);
    this.key = key;
  }

  public String key() {
    return key;
  }
}
