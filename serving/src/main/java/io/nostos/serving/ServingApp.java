package io.nostos.serving;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.nostos.catalog.CassandraTarget;
import io.nostos.catalog.CatalogException;
import io.nostos.catalog.CatalogStore;
import io.nostos.catalog.DatasetVersion;
import io.nostos.catalog.VersionLifecycle;
import io.nostos.catalog.VersionState;
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
 */
public final class ServingApp {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Settings of the server; tokens may be null (then reads are open and admin routes refused). */
  public record Config(int port, String adminToken, String readToken, Duration pointerTtl) {}

  private final CqlSession session;
  private final CassandraTarget target;
  private final Config config;
  private final CatalogStore catalog;
  private final CurrentVersions current;
  private final ServingMetrics metrics = new ServingMetrics();
  private final DocumentReader reader;
  private Javalin app;

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
  }

  /** Starts listening; returns the port (useful with port 0). */
  public int start() {
    app = Javalin.create(c -> c.showJavalinBanner = false)
        .before(ctx -> ctx.attribute("nostos.start", System.nanoTime()))
        .after(ctx -> {
          Long start = ctx.attribute("nostos.start");
          if (start != null) {
            String route = ctx.endpointHandlerPath();
            metrics.request(ctx.method().name(), route == null || route.isEmpty() ? "unmatched" : route,
                ctx.statusCode(), System.nanoTime() - start);
          }
        })
        .get("/health", this::health)
        .get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result(metrics.prometheus()))
        .get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi()))
        .post("/v1/datasets/{dataset}/docs:batchGet", this::batchGet)
        .get("/v1/datasets", this::datasets)
        .get("/v1/datasets/{dataset}", this::versions)
        .get("/v1/datasets/{dataset}/docs/<key>", this::document)
        .post("/v1/datasets/{dataset}/rollback", this::rollback)
        .post("/v1/datasets/{dataset}/versions/{n}/promote", this::promote)
        .exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()))
        .exception(AllNodesFailedException.class, (e, ctx) -> error(ctx, 503, "Cassandra is unreachable"))
        .exception(DriverTimeoutException.class, (e, ctx) -> error(ctx, 503, "Cassandra did not answer in time"))
        .exception(IllegalStateException.class, (e, ctx) -> error(ctx, 409, e.getMessage()))
        .exception(CatalogException.class, (e, ctx) -> error(ctx, 409, e.getMessage()))
        .exception(Exception.class, (e, ctx) -> error(ctx, 500, "internal error: " + e.getClass().getSimpleName()))
        .error(404, ctx -> {
          if (ctx.result() == null) {
            error(ctx, 404, "no route " + ctx.method() + " " + ctx.path());
          }
        })
        .start(config.port());
    return app.port();
  }

  public void stop() {
    if (app != null) {
      app.stop();
    }
  }

  private void health(Context ctx) {
    catalog.exists();
    session.execute("SELECT release_version FROM system.local");
    ctx.json(Map.of("status", "ok"));
  }

  private void datasets(Context ctx) {
    requireRead(ctx);
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
    ctx.json(Map.of("datasets", out));
  }

  private void versions(Context ctx) {
    requireRead(ctx);
    String dataset = ctx.pathParam("dataset");
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
    ctx.json(Map.of("dataset", dataset, "versions", out));
  }

  private void document(Context ctx) {
    requireRead(ctx);
    String dataset = ctx.pathParam("dataset");
    DatasetVersion v = version(dataset, ctx.queryParam("version"));
    List<String> fields = fields(v, ctx.queryParam("fields"));
    String key = ctx.pathParam("key");
    List<Object> keyValues = reader.parseKey(v, key);
    // Asynchronous: no request thread waits on Cassandra; the answer is written when the read completes.
    ctx.future(() -> reader.readAsync(v, keyValues, fields).toCompletableFuture().thenAccept(found -> {
      Map<String, Object> doc = found.orElseThrow(() -> ApiException.notFound(
          "no document with key '" + key + "' in " + dataset + " v" + v.version()));
      Map<String, Object> out = answer(dataset, v);
      out.put("key", key);
      out.put("fields", doc);
      ctx.json(out);
    }));
  }

  /** Most keys one batchGet may ask for. */
  public static final int MAX_BATCH_KEYS = 1000;

  private void batchGet(Context ctx) {
    requireRead(ctx);
    String dataset = ctx.pathParam("dataset");
    Map<?, ?> body;
    try {
      body = ctx.bodyAsClass(Map.class);
    } catch (RuntimeException e) {
      throw ApiException.badRequest("the body must be JSON: {\"keys\": [...], \"fields\": [...]}");
    }
    if (!(body.get("keys") instanceof List) || ((List<?>) body.get("keys")).isEmpty()) {
      throw ApiException.badRequest("'keys' must be a non-empty list");
    }
    List<?> keys = (List<?>) body.get("keys");
    if (keys.size() > MAX_BATCH_KEYS) {
      throw ApiException.badRequest(keys.size() + " keys asked for; at most " + MAX_BATCH_KEYS + " per batchGet");
    }
    DatasetVersion v = version(dataset, body.get("version") == null ? null : String.valueOf(body.get("version")));
    List<String> fields = body.get("fields") instanceof List
        ? checkFields(v, ((List<?>) body.get("fields")).stream().map(String::valueOf).distinct().toList()) : List.of();
    List<String> encoded = new ArrayList<>();
    List<CompletableFuture<Optional<Map<String, Object>>>> reads = new ArrayList<>();
    for (Object k : keys) {
      String e = k instanceof String ? (String) k : toJsonText(k);
      encoded.add(e);
      reads.add(reader.readAsync(v, reader.parseKey(v, e), fields).toCompletableFuture());
    }
    ctx.future(() -> CompletableFuture.allOf(reads.toArray(new CompletableFuture[0])).thenRun(() -> {
      List<Map<String, Object>> docs = new ArrayList<>();
      List<String> missing = new ArrayList<>();
      for (int i = 0; i < reads.size(); i++) {
        Optional<Map<String, Object>> d = reads.get(i).join();
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
      ctx.json(out);
    }));
  }

  /** The start of a document answer: which dataset and version it comes from. */
  private static Map<String, Object> answer(String dataset, DatasetVersion v) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("dataset", dataset);
    out.put("version", v.version());
    return out;
  }

  private static String toJsonText(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("bad key " + o);
    }
  }

  private static String openApi() {
    try (java.io.InputStream in = ServingApp.class.getResourceAsStream("openapi.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException | NullPointerException e) {
      throw new IllegalStateException("openapi.json is missing from the build", e);
    }
  }

  private void rollback(Context ctx) {
    requireAdmin(ctx);
    String dataset = ctx.pathParam("dataset");
    OptionalInt to = OptionalInt.empty();
    if (!ctx.body().isBlank()) {
      Map<?, ?> body = ctx.bodyAsClass(Map.class);
      if (body.get("to") != null) {
        to = OptionalInt.of(parseVersion(String.valueOf(body.get("to"))));
      }
    }
    DatasetVersion v = new VersionLifecycle(session, target).rollback(dataset, to);
    current.invalidate(dataset);
    ctx.json(Map.of("dataset", dataset, "current_version", v.version()));
  }

  private void promote(Context ctx) {
    requireAdmin(ctx);
    String dataset = ctx.pathParam("dataset");
    DatasetVersion v = new VersionLifecycle(session, target).promote(dataset, parseVersion(ctx.pathParam("n")));
    current.invalidate(dataset);
    ctx.json(Map.of("dataset", dataset, "current_version", v.version()));
  }

  private DatasetVersion version(String dataset, String pinned) {
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

  private void requireRead(Context ctx) {
    if (config.readToken() != null) {
      checkToken(ctx, config.readToken());
    }
  }

  private void requireAdmin(Context ctx) {
    if (config.adminToken() == null) {
      throw new ApiException(403, "admin routes are disabled: start the server with an admin token");
    }
    checkToken(ctx, config.adminToken());
  }

  private static void checkToken(Context ctx, String expected) {
    String header = ctx.header("Authorization");
    if (header == null || !header.startsWith("Bearer ")) {
      throw new ApiException(401, "missing 'Authorization: Bearer <token>' header");
    }
    byte[] given = header.substring("Bearer ".length()).getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(given, expected.getBytes(StandardCharsets.UTF_8))) {
      throw new ApiException(403, "the token is not valid for this route");
    }
  }

  private static void error(Context ctx, int status, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status);
    body.put("error", message);
    ctx.status(status).json(body);
  }
}
