package io.nostos.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a route answers: a status, a content type and the body bytes. */
record ApiResponse(int status, String contentType, byte[] body) {

  static ApiResponse json(Object value) {
    return json(200, value);
  }

  static ApiResponse json(int status, Object value) {
    try {
      return new ApiResponse(status, "application/json", Json.MAPPER.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the answer as JSON", e);
    }
  }

  static ApiResponse text(String contentType, String body) {
    return new ApiResponse(200, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  /** The error body every failure has: {@code {"status": 404, "error": "..."}}. */
  static ApiResponse error(int status, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status);
    body.put("error", message);
    return json(status, body);
  }
}
