package io.nostos.transforms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.Map;

/** The one JSON mapper of Nostos: compact output, whole numbers read as {@code Long}. */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.USE_LONG_FOR_INTS)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private Json() {}

  /** Compact JSON text of a JSON-shaped value. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write value as JSON: " + e.getMessage(), e);
    }
  }

  /** Parses JSON text into JSON-shaped Java values (maps, lists, strings, Long, Double, Boolean). */
  public static Object read(String text) {
    try {
      return Record.normalise(MAPPER.readValue(text, Object.class));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Parses a JSON object into a record. */
  @SuppressWarnings("unchecked")
  public static Record readRecord(String text) {
    Object v = read(text);
    if (!(v instanceof Map)) {
      throw new IllegalArgumentException("expected a JSON object, got: "
          + (text.length() > 80 ? text.substring(0, 80) + "…" : text));
    }
    return Record.of((Map<String, ?>) v);
  }
}
