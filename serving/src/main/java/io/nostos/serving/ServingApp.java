package io.nostos.serving;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.internal.core.context.InternalDriverContext;
import com.datastax.oss.driver.internal.core.context.NettyOptions;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.util.RawValue;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.nostos.catalog.CassandraTarget;
import io.nostos.catalog.CatalogException;
import io.nostos.catalog.CatalogStore;
import io.nostos.catalog.DatasetVersion;
import io.nostos.catalog.VersionLifecycle;
import io.nostos.catalog.VersionState;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST layer over the current versions. All routes are here; handlers translate HTTP to the
 * catalog and {@link DocumentReader}.
 *
 * <pre>
 *   GET  /health
 *   GET  /v1/datasets
 *   GET  /v1/datasets/{dataset}
 *   GET  /v1/datasets/{dataset}/docs/{key}?fields=a,b&amp;version=N
 *   POST /v1/datasets/{dataset}/docs:batchGet          (body {"keys": [...], "fields": [...]}, at most 1000 keys)
 *   GET  /metrics, /openapi.json
 *   POST /v1/datasets/{dataset}/rollback               (admin token; body {"to": N} optional)
 *   POST /v1/datasets/{dataset}/versions/{n}/promote   (admin token)
 * </pre>
 * Errors are JSON {@code {"status": 404, "error": "..."}}, never a stack trace.
 *
 * <p>Document reads never block a thread: with the current-version pointer cached they run on
 * the HTTP event loop and answer when Cassandra does. The HTTP connections share the driver's
 * event loops, so with one I/O thread ({@code nostos serve --io-threads 1}) a read is parsed, sent
 * to Cassandra and answered without changing threads. Everything that waits on the catalog runs
 * on a small pool of its own ({@link #WORKERS} threads).
 */
public final class ServingApp {
  private static final Logger LOG = LoggerFactory.getLogger(ServingApp.class);
  /** Threads for the routes that wait on the catalog (admin routes, listings, pointer refreshes). */
  static final int WORKERS = 8;

  /** Bytes of document answers kept by default (64 MiB). */
  public static final long DEFAULT_CACHE_BYTES = 64L << 20;

  /**
   * Settings of the server; tokens may be null (then reads are open and admin routes refused);
   * {@code cacheBytes} bounds the {@link DocumentCache} (0: off).
   */
  public record Config(int port, String adminToken, String readToken, Duration pointerTtl, long cacheBytes) {
    public Config(int port, String adminToken, String readToken, Duration pointerTtl) {
      this(port, adminToken, readToken, pointerTtl, DEFAULT_CACHE_BYTES);
    }
  }

  /** A route that waits on Cassandra; it runs on the worker pool. */
  @FunctionalInterface
  private interface BlockingRoute {
    ApiResponse handle(ApiRequest request);
  }

  private final CqlSession session;
  private final CassandraTarget target;
  private final Config config;
  private final CatalogStore catalog;
  private final CurrentVersions current;
  private final ServingMetrics metrics = new ServingMetrics();
  private final DocumentReader reader;
  private final DocumentCache cache;
  private ExecutorService workers;
  private HttpServer server;
  private NioEventLoopGroup ownLoops;

  public ServingApp(CqlSession session, CassandraTarget target, Config config) {
    this.session = session;
    this.target = target;
    this.config = config;
    this.catalog = new CatalogStore(session, target.catalogKeyspace());
    this.current = new CurrentVersions(new CurrentVersions.Lookup() {
      @Override
      public OptionalInt current(String dataset) {
        return catalog.current(dataset);
      }

      @Override
      public DatasetVersion version(String dataset, int version) {
        return catalog.version(dataset, version);
      }
    }, config.pointerTtl(), Instant::now);
    this.reader = new DocumentReader(session, metrics);
    this.cache = new DocumentCache(config.cacheBytes());
  }

  /** Starts listening; returns the port (useful with port 0). */
  public int start() {
    workers = Executors.newFixedThreadPool(WORKERS, new DefaultThreadFactory("nostos-serving-worker", true));
    Router<HttpServer.Handler> routes = new Router<HttpServer.Handler>()
        .add("GET", "/health", blocking(this::health))
        .add("GET", "/metrics", r -> done(ApiResponse.text("text/plain; version=0.0.4",
            metrics.prometheus() + cache.prometheus())))
        .add("GET", "/openapi.json", r -> done(ApiResponse.text("application/json", openApi())))
        .add("POST", "/v1/datasets/{dataset}/docs:batchGet", this::batchGet)
        .add("GET", "/v1/datasets", blocking(this::datasets))
        .add("GET", "/v1/datasets/{dataset}", blocking(this::versions))
        .add("GET", "/v1/datasets/{dataset}/docs/<key>", this::document)
        .add("POST", "/v1/datasets/{dataset}/rollback", blocking(this::rollback))
        .add("POST", "/v1/datasets/{dataset}/versions/{n}/promote", blocking(this::promote));
    NettyOptions driverNetty = ((InternalDriverContext) session.getContext()).getNettyOptions();
    if (driverNetty.channelClass() == NioSocketChannel.class) {
      ownLoops = null;
      server = new HttpServer(routes, ServingApp::failure, metrics, driverNetty.ioEventLoopGroup());
    } else {
      // The driver uses a native transport this server does not carry; answer on loops of our own.
      ownLoops = new NioEventLoopGroup(0, new DefaultThreadFactory("nostos-http", true));
      server = new HttpServer(routes, ServingApp::failure, metrics, ownLoops);
    }
    try {
      return server.start(config.port());
    } catch (RuntimeException e) {
      stop();
      throw e;
    }
  }

  /** Closes the listener, the connections and the worker pool; the session stays open. */
  public void stop() {
    if (server != null) {
      server.stop();
    }
    if (ownLoops != null) {
      ownLoops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
    if (workers != null) {
      workers.shutdownNow();
    }
  }

  private HttpServer.Handler blocking(BlockingRoute route) {
    return r -> CompletableFuture.supplyAsync(() -> route.handle(r), workers);
  }

  private static CompletionStage<ApiResponse> done(ApiResponse response) {
    return CompletableFuture.completedFuture(response);
  }

  /** The answer to a failed request: its status and a message, never a stack trace. */
  static ApiResponse failure(Throwable thrown) {
    Throwable e = thrown;
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    if (e instanceof ApiException api) {
      return ApiResponse.error(api.status(), api.getMessage());
    }
    if (e instanceof AllNodesFailedException) {
      return ApiResponse.error(503, "Cassandra is unreachable");
    }
    if (e instanceof DriverTimeoutException) {
      return ApiResponse.error(503, "Cassandra did not answer in time");
    }
    if (e instanceof IllegalStateException || e instanceof CatalogException) {
      return ApiResponse.error(409, e.getMessage());
    }
    LOG.warn("internal error answering a request", e);
    return ApiResponse.error(500, "internal error: " + e.getClass().getSimpleName());
  }

  private ApiResponse health(ApiRequest r) {
    catalog.exists();
    session.execute("SELECT release_version FROM system.local");
    return ApiResponse.json(Map.of("status", "ok"));
  }

  private ApiResponse datasets(ApiRequest r) {
    requireRead(r);
    List<Map<String, Object>> out = new ArrayList<>();
    if (catalog.exists()) {
      catalog.datasets().forEach((name, cur) -> {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", name);
        m.put("current_version", cur.isPresent() ? cur.getAsInt() : null);
        m.put("rows", cur.isPresent() ? catalog.version(name, cur.getAsInt()).rows() : 0);
        out.add(m);
      });
    }
    return ApiResponse.json(Map.of("datasets", out));
  }

  private ApiResponse versions(ApiRequest r) {
    requireRead(r);
    String dataset = r.pathParam("dataset");
    List<DatasetVersion> versions = catalog.exists() ? catalog.versions(dataset) : List.of();
    if (versions.isEmpty()) {
      throw ApiException.notFound("no dataset named '" + dataset + "'");
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (DatasetVersion v : versions) {
      if (v.state() == VersionState.DROPPED) {
        continue;
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("version", v.version());
      m.put("state", v.state().label());
      m.put("created_at", v.createdAt() == null ? null : v.createdAt().toString());
      m.put("promoted_at", v.promotedAt() == null ? null : v.promotedAt().toString());
      m.put("rows", v.rows());
      m.put("bytes", v.bytes());
      out.add(m);
    }
    return ApiResponse.json(Map.of("dataset", dataset, "versions", out));
  }

  private CompletionStage<ApiResponse> document(ApiRequest r) {
    requireRead(r);
    String dataset = r.pathParam("dataset");
    String key = r.pathParam("key");
    return version(dataset, r.queryParam("version")).thenCompose(v -> {
      List<String> fields = fields(v, r.queryParam("fields"));
      return fieldsOf(v, key, fields).thenApply(found -> {
        RawValue doc = found.orElseThrow(() -> ApiException.notFound(
            "no document with key '" + key + "' in " + dataset + " v" + v.version()));
        Map<String, Object> out = answer(dataset, v);
        out.put("key", key);
        out.put("fields", doc);
        return ApiResponse.json(out);
      });
    });
  }

  /**
   * The document's fields as a JSON object, from the cache or else from Cassandra (and then kept);
   * empty if the version has no such key.
   */
  private CompletableFuture<Optional<RawValue>> fieldsOf(DatasetVersion v, String key, List<String> fields) {
    Optional<String> kept = cache.get(v, key, fields);
    if (kept.isPresent()) {
      return CompletableFuture.completedFuture(Optional.of(new RawValue(kept.get())));
    }
    return reader.readAsync(v, reader.parseKey(v, key), fields).toCompletableFuture().thenApply(found -> found.map(doc -> {
      String json = toJsonText(doc);
      cache.put(v, key, fields, json);
      return new RawValue(json);
    }));
  }

  /** Most keys one batchGet may ask for. */
  public static final int MAX_BATCH_KEYS = 1000;

  private CompletionStage<ApiResponse> batchGet(ApiRequest r) {
    requireRead(r);
    String dataset = r.pathParam("dataset");
    Map<?, ?> body = r.bodyJsonObject("{\"keys\": [...], \"fields\": [...]}");
    if (!(body.get("keys") instanceof List) || ((List<?>) body.get("keys")).isEmpty()) {
      throw ApiException.badRequest("'keys' must be a non-empty list");
    }
    List<?> keys = (List<?>) body.get("keys");
    if (keys.size() > MAX_BATCH_KEYS) {
      throw ApiException.badRequest(keys.size() + " keys asked for; at most " + MAX_BATCH_KEYS + " per batchGet");
    }
    String pinned = body.get("version") == null ? null : String.valueOf(body.get("version"));
    return version(dataset, pinned).thenCompose(v -> {
      List<String> fields = body.get("fields") instanceof List
          ? checkFields(v, ((List<?>) body.get("fields")).stream().map(String::valueOf).distinct().toList()) : List.of();
      List<String> encoded = new ArrayList<>();
      List<CompletableFuture<Optional<RawValue>>> reads = new ArrayList<>();
      for (Object k : keys) {
        String e = k instanceof String ? (String) k : toJsonText(k);
        encoded.add(e);
        reads.add(fieldsOf(v, e, fields));
      }
      return CompletableFuture.allOf(reads.toArray(new CompletableFuture[0])).thenApply(all -> {
        List<Map<String, Object>> docs = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < reads.size(); i++) {
          Optional<RawValue> d = reads.get(i).join();
          if (d.isPresent()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", encoded.get(i));
            m.put("fields", d.get());
            docs.add(m);
          } else {
            missing.add(encoded.get(i));
          }
        }
        Map<String, Object> out = answer(dataset, v);
        out.put("docs", docs);
        out.put("missing", missing);
        return ApiResponse.json(out);
      });
    });
  }

  /** The start of a document answer: which dataset and version it comes from. */
  private static Map<String, Object> answer(String dataset, DatasetVersion v) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("dataset", dataset);
    out.put("version", v.version());
    return out;
  }

  /** {@code o} as JSON text; o comes from parsed JSON or from stored JSON values, so it always can be. */
  private static String toJsonText(Object o) {
    try {
      return Json.MAPPER.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write " + o.getClass().getSimpleName() + " as JSON", e);
    }
  }

  private static String openApi() {
    try (java.io.InputStream in = ServingApp.class.getResourceAsStream("openapi.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException | NullPointerException e) {
      throw new IllegalStateException("openapi.json is missing from the build", e);
    }
  }

  private ApiResponse rollback(ApiRequest r) {
    requireAdmin(r);
    String dataset = r.pathParam("dataset");
    OptionalInt to = OptionalInt.empty();
    if (!r.bodyText().isBlank()) {
      Map<?, ?> body = r.bodyJsonObject("{\"to\": N}");
      if (body.get("to") != null) {
        to = OptionalInt.of(parseVersion(String.valueOf(body.get("to"))));
      }
    }
    DatasetVersion v = new VersionLifecycle(session, target).rollback(dataset, to);
    current.invalidate(dataset);
    return ApiResponse.json(Map.of("dataset", dataset, "current_version", v.version()));
  }

  private ApiResponse promote(ApiRequest r) {
    requireAdmin(r);
    String dataset = r.pathParam("dataset");
    DatasetVersion v = new VersionLifecycle(session, target).promote(dataset, parseVersion(r.pathParam("n")));
    current.invalidate(dataset);
    return ApiResponse.json(Map.of("dataset", dataset, "current_version", v.version()));
  }

  /**
   * The version a read is for: the cached current version without waiting, else (pointer expired,
   * or a pinned {@code version=N}) looked up in the catalog on the worker pool.
   */
  private CompletionStage<DatasetVersion> version(String dataset, String pinned) {
    if (pinned == null) {
      Optional<DatasetVersion> cached = current.fresh(dataset);
      if (cached.isPresent()) {
        return CompletableFuture.completedFuture(cached.get());
      }
    }
    return CompletableFuture.supplyAsync(() -> lookUpVersion(dataset, pinned), workers);
  }

  private DatasetVersion lookUpVersion(String dataset, String pinned) {
    if (!catalog.exists()) {
      throw ApiException.notFound("no dataset named '" + dataset + "': keyspace '" + target.catalogKeyspace()
          + "' holds no Nostos catalog (load a dataset first, or start the server with the right --catalog-keyspace)");
    }
    if (pinned == null) {
      return current.get(dataset);
    }
    DatasetVersion v = catalog.version(dataset, parseVersion(pinned));
    if (v == null || !v.state().holdsData()) {
      throw ApiException.notFound("version " + pinned + " of '" + dataset + "' does not exist or holds no data");
    }
    return v;
  }

  /** The fields of a {@code fields=a,b} query parameter, checked against the version's fields. */
  private static List<String> fields(DatasetVersion v, String param) {
    if (param == null || param.isBlank()) {
      return List.of();
    }
    return checkFields(v, Arrays.stream(param.split(",")).map(String::trim).filter(f -> !f.isEmpty()).distinct().toList());
  }

  /** {@code fields} if the version has them all, else a 400 naming the unknown ones. */
  private static List<String> checkFields(DatasetVersion v, List<String> fields) {
    List<String> unknown = fields.stream().filter(f -> !v.columns().containsKey(f)).toList();
    if (!unknown.isEmpty()) {
      throw ApiException.badRequest("unknown field" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
          + " in " + v.dataset() + " v" + v.version() + "; it has: " + String.join(", ", v.columns().keySet()));
    }
    return fields;
  }

  private static int parseVersion(String s) {
    try {
      int n = Integer.parseInt(s.startsWith("v") ? s.substring(1) : s);
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("'" + s + "' is not a version number");
    }
  }

  private void requireRead(ApiRequest r) {
    if (config.readToken() != null) {
      checkToken(r, config.readToken());
    }
  }

  private void requireAdmin(ApiRequest r) {
    if (config.adminToken() == null) {
      throw new ApiException(403, "admin routes are disabled: start the server with an admin token");
    }
    checkToken(r, config.adminToken());
  }

  private static void checkToken(ApiRequest r, String expected) {
    String header = r.header("Authorization");
    if (header == null || !header.startsWith("Bearer ")) {
      throw new ApiException(401, "missing 'Authorization: Bearer <token>' header");
    }
    byte[] given = header.substring("Bearer ".length()).getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(given, expected.getBytes(StandardCharsets.UTF_8))) {
      throw new ApiException(403, "the token is not valid for this route");
    }
  }
}
