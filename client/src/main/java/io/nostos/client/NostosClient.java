package io.nostos.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

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
 * missing key is {@link Optional#empty()}, not an error. Thread safe; share one instance, and
 * {@link #close()} it when done (closes its pooled connections).
 *
 * <p>Requests are HTTP/1.1 on persistent connections that the calling thread uses itself
 * ({@link Http1Connections}); {@link #getAsync} runs the same call on a shared pool of daemon
 * threads.
 */
public final class NostosClient implements AutoCloseable {
  private static final ExecutorService ASYNC = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "nostos-client-async");
    t.setDaemon(true);
    return t;
  });

  private final URI base;
  private final Http1Connections http;
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
    this.http = new Http1Connections(base);
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
      if (token != null && token.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
        throw new IllegalArgumentException("the token must not contain control characters (line breaks, tabs...)");
      }
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
    String path = "v1/datasets/" + encode(dataset) + "/docs/" + encode(key)
        + (fields.length == 0 ? "" : "?fields=" + encode(String.join(",", fields)));
    Http1Connections.Response r = send("GET", path, null);
    if (r.status() == 404 && r.body().contains("no document with key")) {
      return Optional.empty();
    }
    JsonNode body = check(r);
    return Optional.of(document(body.get("dataset").asText(), body.get("version").asInt(), body.get("key").asText(),
        body.get("fields")));
  }

  /** {@link #get} on a shared pool of daemon threads, for callers that must not block. */
  public CompletableFuture<Optional<Document>> getAsync(String dataset, String key, String... fields) {
    return CompletableFuture.supplyAsync(() -> get(dataset, key, fields), ASYNC);
  }

  /** Many documents at once (at most 1000 keys): the ones found, by key. */
  public Map<String, Document> batchGet(String dataset, List<String> keys, String... fields) {
    ObjectNode body = mapper.createObjectNode();
    keys.forEach(body.putArray("keys")::add);
    if (fields.length > 0) {
      List.of(fields).forEach(body.putArray("fields")::add);
    }
    JsonNode out = check(send("POST", "v1/datasets/" + encode(dataset) + "/docs:batchGet",
        body.toString().getBytes(StandardCharsets.UTF_8)));
    Map<String, Document> docs = new LinkedHashMap<>();
    for (JsonNode d : out.get("docs")) {
      docs.put(d.get("key").asText(), document(dataset, out.get("version").asInt(), d.get("key").asText(), d.get("fields")));
    }
    return docs;
  }

  /** Closes the pooled connections; the client can still be used (it opens new ones). */
  @Override
  public void close() {
    http.close();
  }

  private Document document(String dataset, int version, String key, JsonNode fields) {
    return new Document(dataset, version, key, fields, mapper);
  }

  /** One read, retried on connection errors, timeouts and 503 with doubling backoff. */
  private Http1Connections.Response send(String method, String path, byte[] body) {
    String target = base.getRawPath() + path;
    String headers = token == null ? "" : "Authorization: Bearer " + token + "\r\n";
    for (int attempt = 0; ; attempt++) {
      try {
        Http1Connections.Response r = http.exchange(method, target, headers, body, timeout);
        if (r.status() != 503 || attempt >= retries) {
          return r;
        }
      } catch (IOException e) {
        if (attempt >= retries) {
          throw new NostosException(0, "cannot reach " + base.resolve(path) + " after " + (attempt + 1)
              + " attempts: " + e, e);
        }
      }
      sleep(backoff.toMillis() << attempt);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NostosException(0, "interrupted while waiting to retry", e);
    }
  }

  private JsonNode check(Http1Connections.Response r) {
    JsonNode body;
    try {
      body = mapper.readTree(r.body());
    } catch (JsonProcessingException e) {
      throw new NostosException(r.status(), "the server answered " + r.status() + " with a body that is not JSON", e);
    }
    if (r.status() != 200) {
      String message = body.has("error") ? body.get("error").asText() : r.body();
      throw new NostosException(r.status(), message, null);
    }
    return body;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
