package io.nostos.serving;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The REST layer's one Jackson mapper (default settings), shared by request parsing, answers,
 * document reads and the cache, so its serializers are built and warmed once. Thread safe.
 */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}
}
