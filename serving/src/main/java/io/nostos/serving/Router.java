package io.nostos.serving;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Matches a method and a raw request path against route patterns, in the order they were added.
 * A pattern is a path whose segments are literals, {@code {name}} (exactly one segment) or, last,
 * {@code <name>} (the rest of the path, slashes included). Parameters are decoded with the
 * decoder given to {@link #match}. A trailing slash is ignored. Pure and immutable once built.
 */
final class Router<H> {
  /** A route: the pattern is also its name in metrics. */
  record Route<H>(String method, String pattern, H handler) {}

  /** A matched route and its decoded parameters. */
  record Match<H>(Route<H> route, Map<String, String> params) {}

  /** What a path resolved to: a match, or the methods the path would accept (empty: no such path). */
  record Result<H>(Optional<Match<H>> match, List<String> allowedMethods) {}

  private record Compiled<H>(Route<H> route, List<String> segments) {}

  private final List<Compiled<H>> routes = new ArrayList<>();

  /** Adds a route; the pattern must start with '/' and a {@code <rest>} segment must come last. */
  Router<H> add(String method, String pattern, H handler) {
    if (!pattern.startsWith("/")) {
      throw new IllegalArgumentException("a route pattern starts with '/': " + pattern);
    }
    List<String> segments = segments(pattern);
    for (int i = 0; i < segments.size() - 1; i++) {
      if (segments.get(i).startsWith("<")) {
        throw new IllegalArgumentException("a <rest> segment must be the last one: " + pattern);
      }
    }
    routes.add(new Compiled<>(new Route<>(method, pattern, handler), segments));
    return this;
  }

  /** The first route matching {@code method} and {@code rawPath}, else the methods the path accepts. */
  Result<H> match(String method, String rawPath, UnaryOperator<String> decode) {
    List<String> path = segments(rawPath);
    List<String> allowed = new ArrayList<>();
    for (Compiled<H> c : routes) {
      Map<String, String> params = params(c.segments(), path, decode);
      if (params == null) {
        continue;
      }
      if (c.route().method().equals(method)) {
        return new Result<>(Optional.of(new Match<>(c.route(), params)), List.of());
      }
      if (!allowed.contains(c.route().method())) {
        allowed.add(c.route().method());
      }
    }
    return new Result<>(Optional.empty(), allowed);
  }

  /** The parameters if {@code path} fits {@code pattern}, else null. */
  private static Map<String, String> params(List<String> pattern, List<String> path, UnaryOperator<String> decode) {
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < pattern.size(); i++) {
      String p = pattern.get(i);
      if (p.startsWith("<")) {
        if (i >= path.size()) {
          return null;
        }
        params.put(p.substring(1, p.length() - 1), decode.apply(String.join("/", path.subList(i, path.size()))));
        return params;
      }
      if (i >= path.size()) {
        return null;
      }
      String s = path.get(i);
      if (p.startsWith("{")) {
        if (s.isEmpty()) {
          return null;
        }
        params.put(p.substring(1, p.length() - 1), decode.apply(s));
      } else if (!p.equals(s)) {
        return null;
      }
    }
    return pattern.size() == path.size() ? params : null;
  }

  /** "/a/b/" → [a, b]; "/" → []. Empty inner segments are kept ("/a//b" → [a, "", b]). */
  private static List<String> segments(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    if (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.isEmpty() ? List.of() : List.of(p.split("/", -1));
  }
}
