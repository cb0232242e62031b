package io.nostos.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class RouterTest {
  private static final UnaryOperator<String> DECODE = s -> URLDecoder.decode(s, StandardCharsets.UTF_8);

  private final Router<String> router = new Router<String>()
      .add("GET", "/health", "health")
      .add("POST", "/v1/datasets/{dataset}/docs:batchGet", "batchGet")
      .add("GET", "/v1/datasets", "datasets")
      .add("GET", "/v1/datasets/{dataset}", "versions")
      .add("GET", "/v1/datasets/{dataset}/docs/<key>", "document")
      .add("POST", "/v1/datasets/{dataset}/versions/{n}/promote", "promote");

  private Router.Match<String> match(String method, String path) {
    return router.match(method, path, DECODE).match().orElseThrow(() -> new AssertionError("no match for " + path));
  }

  @Test
  void literalAndParameterSegments() {
    assertThat(match("GET", "/health").route().handler()).isEqualTo("health");
    assertThat(match("GET", "/v1/datasets").route().handler()).isEqualTo("datasets");
    Router.Match<String> m = match("GET", "/v1/datasets/profiles");
    assertThat(m.route().pattern()).isEqualTo("/v1/datasets/{dataset}");
    assertThat(m.params()).isEqualTo(Map.of("dataset", "profiles"));
    assertThat(match("POST", "/v1/datasets/p/versions/3/promote").params()).isEqualTo(Map.of("dataset", "p", "n", "3"));
    assertThat(match("POST", "/v1/datasets/p/docs:batchGet").route().handler()).isEqualTo("batchGet");
  }

  @Test
  void restParameterTakesSlashesAndIsDecodedOnce() {
    Router.Match<String> m = match("GET", "/v1/datasets/p/docs/a%20b%2Fc/d%2525");
    assertThat(m.route().handler()).isEqualTo("document");
    assertThat(m.params()).isEqualTo(Map.of("dataset", "p", "key", "a b/c/d%25"));
    assertThat(router.match("GET", "/v1/datasets/p/docs/", DECODE).match()).as("the key is not optional").isEmpty();
  }

  @Test
  void trailingSlashIsIgnoredButEmptySegmentsAreNot() {
    assertThat(match("GET", "/v1/datasets/").route().handler()).isEqualTo("datasets");
    assertThat(router.match("GET", "/v1//datasets", DECODE).match()).isEmpty();
    assertThat(router.match("GET", "/v1/datasets//docs/x", DECODE).match()).as("empty {dataset}").isEmpty();
  }

  @Test
  void wrongMethodNamesTheAllowedOnesAndUnknownPathsNone() {
    Router.Result<String> wrong = router.match("GET", "/v1/datasets/p/docs:batchGet", DECODE);
    assertThat(wrong.match()).isEmpty();
    assertThat(wrong.allowedMethods()).containsExactly("POST");
    Router.Result<String> unknown = router.match("GET", "/nope", DECODE);
    assertThat(unknown.match()).isEmpty();
    assertThat(unknown.allowedMethods()).isEmpty();
  }

  @Test
  void badPatternsAreRefused() {
    assertThatThrownBy(() -> new Router<String>().add("GET", "health", "h")).hasMessageContaining("starts with '/'");
    assertThatThrownBy(() -> new Router<String>().add("GET", "/a/<rest>/b", "h")).hasMessageContaining("last one");
    assertThat(List.of(match("GET", "/health").route().method())).containsExactly("GET");
  }
}
