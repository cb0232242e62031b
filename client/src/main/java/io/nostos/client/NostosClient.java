package io.nostos.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Reads documents from a Nostos server, fetching only the fields it names.
 *
 * <pre>{@code
 * NostosClient client = NostosClient.builder("http://127.0.0.1:8080")
 *     .timeout(Duration.ofMillis(200))
 *     .build();
 * Optional<Document> doc = client.get("user_profile", "u0063", "languages");
 * String primary = doc.flatMap(d -> d.get("languages")).map(l -> l.get("primary").asText()).orElse("en");
 * }</pre>
 *
 * <h3>Guarantees</h3>
 * Reads are idempotent, so a read that fails with a connection error, a timeout or a 503 is
 * retried up to {@code retries} times with exponential backoff (starting at {@code backoff}).
 * Other errors are not retried and throw {@link NostosException} with the server's message. A
 * missing key is {@link Optional#empty()}, not an error. Thread safe; share one instance.
 */
public final class NostosClient {
  private final URI base;
  private final HttpClient http;
  private final Duration timeout;
  private final String token;
  private final int retries;
  private final Duration backoff;
  private final ObjectMapper mapper = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private NostosClient(Builder b) {
    this.base = URI.create(b.baseUrl.endsWith("/") ? b.baseUrl : b.baseUrl + "/");
    this.timeout = b.timeout;
    this.token = b.token;
    this.retries = b.retries;
    this.backoff = b.backoff;
    // The server speaks HTTP/1.1; without this the client offers an h2c upgrade on its connections.
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(b.timeout).build();
  }

  public static Builder builder(String baseUrl) {
    return new Builder(baseUrl);
  }

  /** Settings of a client; every setter checks its argument. */
  public static final class Builder {
    private final String baseUrl;
    private Duration timeout = Duration.ofSeconds(2);
    private String token;
    private int retries = 2;
    private Duration backoff = Duration.ofMillis(50);

    private Builder(String baseUrl) {
      Objects.requireNonNull(baseUrl, "baseUrl");
      if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
        throw new IllegalArgumentException("baseUrl must start with http:// or https://, got " + baseUrl);
      }
      this.baseUrl = baseUrl;
    }

    /** Per-request timeout (default 2 s). */
    public Builder timeout(Duration timeout) {
      if (timeout == null || timeout.isZero() || timeout.isNegative()) {
        throw new IllegalArgumentException("timeout must be positive");
      }
      this.timeout = timeout;
      return this;
    }

    /** Bearer token sent with every request (when the server protects reads). */
    public Builder token(String token) {
      this.token = token;
      return this;
    }

    /** Retries of a failed read (default 2) and the first backoff (default 50 ms, doubling). */
    public Builder retries(int retries, Duration backoff) {
      if (retries < 0) {
        throw new IllegalArgumentException("retries must be >= 0");
      }
      this.retries = retries;
      this.backoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    public NostosClient build() {
      return new NostosClient(this);
    }
  }

  /** The document with key {@code key} of the current version, only {@code fields} (all if none). */
  public Optional<Document> get(String dataset, String key, String... fields) {
    return join(getAsync(dataset, key, fields));
  }

  public CompletableFuture<Optional<Document>> getAsync(String dataset, String key, String... fields) {
    String path = "v1/datasets/" + encode(dataset) + "/docs/" + encode(key)
        + (fields.length == 0 ? "" : "?fields=" + encode(String.join(",", fields)));
    HttpRequest.Builder req = HttpRequest.newBuilder(base.resolve(path)).GET();
    return send(req, 0).thenApply(r -> {
      if (r.statusCode() == 404 && r.body().contains("no document with key")) {
        return Optional.empty();
      }
      JsonNode body = check(r);
      return Optional.of(document(body.get("dataset").asText(), body.get("version").asInt(), body.get("key").asText(),
          body.get("fields")));
    });
  }

  /** Many documents at once (at most 1000 keys): the ones found, by key. */
  public Map<String, Document> batchGet(String dataset, List<String> keys, String... fields) {
    ObjectNode body = mapper.createObjectNode();
    keys.forEach(body.putArray("keys")::add);
    if (fields.length > 0) {
      List.of(fields).forEach(body.putArray("fields")::add);
    }
    HttpRequest.Builder req = HttpRequest.newBuilder(base.resolve("v1/datasets/" + encode(dataset) + "/docs:batchGet"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    JsonNode out = check(join(send(req, 0)));
    Map<String, Document> docs = new LinkedHashMap<>();
    for (JsonNode d : out.get("docs")) {
      docs.put(d.get("key").asText(), document(dataset, out.get("version").asInt(), d.get("key").asText(), d.get("fields")));
    }
    return docs;
  }

  private Document document(String dataset, int version, String key, JsonNode fields) {
    return new Document(dataset, version, key, fields, mapper);
  }

  private CompletableFuture<HttpResponse<String>> send(HttpRequest.Builder req, int attempt) {
    req.timeout(timeout);
    if (token != null) {
      req.setHeader("Authorization", "Bearer " + token);
    }
    HttpRequest built = req.build();
    return http.sendAsync(built, HttpResponse.BodyHandlers.ofString())
        .handle((r, error) -> {
          boolean retryable = error != null || r.statusCode() == 503;
          if (retryable && attempt < retries) {
            long delay = backoff.toMillis() << attempt;
            return CompletableFuture.supplyAsync(() -> null,
                    CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS))
                .thenCompose(x -> send(req, attempt + 1));
          }
          if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            return CompletableFuture.<HttpResponse<String>>failedFuture(new NostosException(0,
                "cannot reach " + built.uri() + " after " + (attempt + 1) + " attempts: " + cause, cause));
          }
          return CompletableFuture.completedFuture(r);
        })
        .thenCompose(f -> f);
  }

  private JsonNode check(HttpResponse<String> r) {
    JsonNode body;
    try {
      body = mapper.readTree(r.body());
    } catch (JsonProcessingException e) {
      throw new NostosException(r.statusCode(), "the server answered " + r.statusCode() + " with a body that is not JSON", e);
    }
    if (r.statusCode() != 200) {
      String message = body.has("error") ? body.get("error").asText() : r.body();
      throw new NostosException(r.statusCode(), message, null);
    }
    return body;
  }

  private static <T> T join(CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof NostosException) {
        throw (NostosException) e.getCause();
      }
      throw e;
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
