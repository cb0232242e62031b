package io.nostos.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.Optional;

/**
 * One document as served: the dataset, the version it was read from, its key and the fields
 * asked for. Immutable.
 */
public final class Document {
  private final String dataset;
  private final int version;
  private final String key;
  private final JsonNode fields;
  private final ObjectMapper mapper;

  Document(String dataset, int version, String key, JsonNode fields, ObjectMapper mapper) {
    this.dataset = dataset;
    this.version = version;
    this.key = key;
    this.fields = fields;
    this.mapper = mapper;
  }

  public String dataset() {
    return dataset;
  }

  /** The version the document was read from. */
  public int version() {
    return version;
  }

  public String key() {
    return key;
  }

  /** The names of the fields present. */
  public Iterator<String> fieldNames() {
    return fields.fieldNames();
  }

  /** A field as JSON, if present. */
  public Optional<JsonNode> get(String field) {
    return Optional.ofNullable(fields.get(field)).filter(n -> !n.isNull());
  }

  public Optional<String> getString(String field) {
    return get(field).map(JsonNode::asText);
  }

  public Optional<Long> getLong(String field) {
    return get(field).filter(JsonNode::isNumber).map(JsonNode::asLong);
  }

  public Optional<Double> getDouble(String field) {
    return get(field).filter(JsonNode::isNumber).map(JsonNode::asDouble);
  }

  public Optional<Boolean> getBoolean(String field) {
    return get(field).filter(JsonNode::isBoolean).map(JsonNode::asBoolean);
  }

  /** One field mapped to a Java type with Jackson, e.g. {@code field("languages", Languages.class)}. */
  public <T> Optional<T> field(String field, Class<T> type) {
    return get(field).map(n -> convert(n, type));
  }

  /** All fields mapped to a Java type (a record or bean whose properties are the field names). */
  public <T> T as(Class<T> type) {
    return convert(fields, type);
  }

  private <T> T convert(JsonNode node, Class<T> type) {
    try {
      return mapper.treeToValue(node, type);
    } catch (JsonProcessingException e) {
      throw new NostosException(0, "cannot map " + dataset + "/" + key + " to " + type.getSimpleName() + ": "
          + e.getOriginalMessage(), e);
    }
  }

  @Override
  public String toString() {
    return dataset + " v" + version + " " + key + " " + fields;
  }
}
