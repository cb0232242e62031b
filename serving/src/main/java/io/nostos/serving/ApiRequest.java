package io.nostos.serving;

import io.netty.handler.codec.http.HttpHeaders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** One HTTP request as a route handler sees it: decoded path and query parameters, headers, body. */
record ApiRequest(Map<String, String> pathParams, Map<String, List<String>> query, HttpHeaders headers, byte[] body) {

  String pathParam(String name) {
    String v = pathParams.get(name);
    if (v == null) {
      throw new IllegalArgumentException("the route has no parameter " + name);
    }
    return v;
  }

  /** The first value of a query parameter, or null. */
  String queryParam(String name) {
    List<String> v = query.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  String header(String name) {
    return headers.get(name);
  }

  String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The body as a JSON object, or a 400 saying what was expected. */
  Map<?, ?> bodyJsonObject(String expected) {
    try {
      Object parsed = Json.MAPPER.readValue(body, Object.class);
      if (parsed instanceof Map<?, ?> m) {
        return m;
      }
    } catch (IOException e) {
      // answered below
    }
    throw ApiException.badRequest("the body must be a JSON object: " + expected);
  }
}
