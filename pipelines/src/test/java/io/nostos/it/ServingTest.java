package io.nostos.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nostos.client.Document;
import io.nostos.client.NostosClient;
import io.nostos.client.NostosException;
import io.nostos.serving.ServingApp;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST layer over real HTTP, reading versions loaded by the pipeline into the real node. */
class ServingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static String ks;
  private static CqlSession session;
  private static ServingApp app;
  private static String base;

  @TempDir static Path tmp;

  @BeforeAll
  static void loadTwoVersionsAndServe() throws IOException {
    ks = TestCassandra.newKeyspace("serving");
    for (int gen = 1; gen <= 2; gen++) {
      Path csv = tmp.resolve("profiles-" + gen + ".csv");
      Files.writeString(csv, "id,lang,score,tier\n"
          + "\"a b/c\",es,0." + gen + ",gold\n"
          + "\"ü\"\"quote\",en,1." + gen + ",silver\n");
      Runs.runner(ks, tmp.resolve("work")).run(Runs.spec(tmp, "profiles-" + gen, "dataset: profiles\n"
          + "source: {type: files, path: " + csv + "}\n"
          + "key: [id]\n"
          + "generators:\n"
          + "  - type: columns\n"
          + "    select: {id: id, lang: lang, score: {from: score, type: double}, tier: tier}\n"
          + "load: {keyspace: " + ks + "}\n"));
    }
    Path byCountry = tmp.resolve("by_country.csv");
    Files.writeString(byCountry, "country,id,name\nBR,42,Ana\nUS,42,Bob\n");
    Runs.runner(ks, tmp.resolve("work")).run(Runs.spec(tmp, "by_country", "dataset: by_country\n"
        + "source: {type: files, path: " + byCountry + "}\n"
        + "key: [country, {id: bigint}]\n"
        + "layout: columns\n"
        + "columns: {name: text}\n"
        + "load: {keyspace: " + ks + "}\n"));
    StringBuilder scores = new StringBuilder("id,name,points\n");
    for (int i = 1; i <= 50; i++) {
      scores.append(i).append(",player ").append(i).append(',').append(i * 10).append('\n');
    }
    Files.writeString(tmp.resolve("scores.csv"), scores);
    Runs.runner(ks, tmp.resolve("work")).run(Runs.spec(tmp, "scores", "dataset: scores\n"
        + "source: {type: files, path: " + tmp.resolve("scores.csv") + "}\n"
        + "key: [{id: int}]\n"
        + "layout: columns\n"
        + "columns: {name: text, points: int}\n"
        + "load: {keyspace: " + ks + "}\n"));
    session = TestCassandra.session(ks);
    app = new ServingApp(session, TestCassandra.target(ks), new ServingApp.Config(0, "admin-secret", null, Duration.ZERO));
    base = "http://127.0.0.1:" + app.start();
  }

  @AfterAll
  static void stop() {
    app.stop();
    session.close();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** An error answer: its status, and the JSON body {"status": ..., "error": message}. */
  private static void assertError(HttpResponse<String> r, int status, String message) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(JSON.readTree(r.body())).isEqualTo(JSON.createObjectNode().put("status", status).put("error", message));
  }

  private static String key(String raw) {
    return URLEncoder.encode(raw, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Test
  void returnsOnlyTheFieldsAskedFor() throws Exception {
    HttpResponse<String> r = get("/v1/datasets/profiles/docs/" + key("a b/c") + "?fields=lang,score");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(JSON.readTree(r.body())).isEqualTo(JSON.readTree(
        "{\"dataset\":\"profiles\",\"version\":2,\"key\":\"a b/c\",\"fields\":{\"lang\":\"es\",\"score\":0.2}}"));
  }

  @Test
  void compositeKeysAreJsonArrays() throws Exception {
    HttpResponse<String> r = get("/v1/datasets/by_country/docs/" + key("[\"BR\",42]"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(JSON.readTree(r.body()).get("fields")).isEqualTo(JSON.readTree("{\"name\":\"Ana\"}"));
    assertError(get("/v1/datasets/by_country/docs/BR"), 400, "a composite key is a JSON array such as [\"a\",1]; got: BR");
    assertThat(get("/v1/datasets/by_country/docs/" + key("[\"BR\",\"x\"]")).statusCode()).isEqualTo(400);
  }

  @Test
  void awkwardKeysAndPinnedVersions() throws Exception {
    HttpResponse<String> r = get("/v1/datasets/profiles/docs/" + key("ü\"quote") + "?version=1");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode doc = JSON.readTree(r.body());
    assertThat(doc.get("version").asInt()).isEqualTo(1);
    assertThat(doc.get("fields")).isEqualTo(JSON.readTree("{\"lang\":\"en\",\"score\":1.1,\"tier\":\"silver\"}"));
  }

  @Test
  void errorsAreJsonWithTheRightStatus() throws Exception {
    assertError(get("/v1/datasets/profiles/docs/x?fields=lang,colour"), 400,
        "unknown field colour in profiles v2; it has: lang, score, tier");
    assertError(get("/v1/datasets/profiles/docs/nobody"), 404, "no document with key 'nobody' in profiles v2");
    assertThat(get("/v1/datasets/nothing/docs/x").statusCode()).isEqualTo(404);
    assertThat(get("/v1/datasets/profiles/docs/x?version=v9").statusCode()).isEqualTo(404);
    assertThat(get("/v1/datasets/profiles/docs/x?version=abc").statusCode()).isEqualTo(400);
    assertThat(post("/v1/datasets/profiles/rollback", null).statusCode()).isEqualTo(401);
    assertThat(post("/v1/datasets/profiles/rollback", "wrong").statusCode()).isEqualTo(403);
  }

  private static HttpResponse<String> postJson(String path, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void batchGetReadsManyKeysAndNamesTheMissingOnes() throws Exception {
    HttpResponse<String> r = postJson("/v1/datasets/profiles/docs:batchGet",
        "{\"keys\": [\"a b/c\", \"nobody\", \"ü\\\"quote\"], \"fields\": [\"tier\"]}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(JSON.readTree(r.body())).isEqualTo(JSON.readTree("{\"dataset\":\"profiles\",\"version\":2,\"docs\":["
        + "{\"key\":\"a b/c\",\"fields\":{\"tier\":\"gold\"}},{\"key\":\"ü\\\"quote\",\"fields\":{\"tier\":\"silver\"}}],"
        + "\"missing\":[\"nobody\"]}"));
    StringBuilder many = new StringBuilder("{\"keys\": [");
    for (int i = 0; i <= ServingApp.MAX_BATCH_KEYS; i++) {
      many.append(i == 0 ? "" : ",").append('"').append(i).append('"');
    }
    HttpResponse<String> tooMany = postJson("/v1/datasets/profiles/docs:batchGet", many.append("]}").toString());
    assertThat(tooMany.statusCode()).isEqualTo(400);
    assertThat(tooMany.body()).contains("1001 keys asked for; at most 1000 per batchGet");
  }

  @Test
  void metricsAndOpenApi() throws Exception {
    get("/v1/datasets/profiles/docs/" + key("a b/c"));
    String metrics = get("/metrics").body();
    assertThat(metrics).contains("nostos_http_request_seconds_count{method=\"GET\",route=\"/v1/datasets/{dataset}/docs/<key>\"}");
    assertThat(metrics).contains("nostos_cassandra_request_seconds_bucket{le=\"+Inf\"}");
    JsonNode api = JSON.readTree(get("/openapi.json").body());
    assertThat(api.get("paths").has("/v1/datasets/{dataset}/docs:batchGet")).isTrue();
  }

  @Test
  void aRepeatedReadIsAnsweredFromTheCacheWithTheSameBody() throws Exception {
    String path = "/v1/datasets/profiles/docs/" + key("ü\"quote") + "?fields=tier,lang";
    long hitsBefore = cacheCount("hit");
    long missesBefore = cacheCount("miss");
    HttpResponse<String> first = get(path);
    HttpResponse<String> second = get(path);
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(JSON.readTree(second.body()).get("fields")).isEqualTo(JSON.readTree("{\"tier\":\"silver\",\"lang\":\"en\"}"));
    assertThat(cacheCount("miss") - missesBefore).isEqualTo(1);
    assertThat(cacheCount("hit") - hitsBefore).isEqualTo(1);
    // batchGet shares the cache: the same key and fields are a hit there too, a new key a miss.
    HttpResponse<String> batch = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/datasets/profiles/docs:batchGet"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"keys\": [\"ü\\\"quote\", \"nobody\"], \"fields\": [\"tier\", \"lang\"]}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(JSON.readTree(batch.body()).get("docs")).isEqualTo(JSON.readTree(
        "[{\"key\":\"ü\\\"quote\",\"fields\":{\"tier\":\"silver\",\"lang\":\"en\"}}]"));
    assertThat(cacheCount("hit") - hitsBefore).isEqualTo(2);
    assertThat(cacheCount("miss") - missesBefore).isEqualTo(2);
  }

  private static long cacheCount(String result) throws Exception {
    String prefix = "nostos_document_cache_requests_total{result=\"" + result + "\"} ";
    return get("/metrics").body().lines().filter(l -> l.startsWith(prefix))
        .mapToLong(l -> Long.parseLong(l.substring(prefix.length()))).findFirst().orElseThrow();
  }

  @Test
  void concurrentReadsOfAnIntKeyInTheColumnsLayoutEachGetTheirOwnDocument() throws Exception {
    StringBuilder keys = new StringBuilder("{\"keys\": [999");
    StringBuilder docs = new StringBuilder();
    for (int i = 50; i >= 1; i--) {
      keys.append(',').append(i);
      docs.append(docs.length() == 0 ? "" : ",").append("{\"key\":\"").append(i).append("\",\"fields\":{\"points\":")
          .append(i * 10).append("}}");
    }
    HttpResponse<String> r = postJson("/v1/datasets/scores/docs:batchGet", keys.append("], \"fields\": [\"points\"]}").toString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(JSON.readTree(r.body())).isEqualTo(JSON.readTree(
        "{\"dataset\":\"scores\",\"version\":1,\"docs\":[" + docs + "],\"missing\":[\"999\"]}"));
    // Single reads at the same time from many threads: each answer is its own key's.
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 1; i <= 50; i++) {
      answers.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(base + "/v1/datasets/scores/docs/" + i)).GET().build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    for (int i = 1; i <= 50; i++) {
      assertThat(JSON.readTree(answers.get(i - 1).join().body()).get("fields"))
          .isEqualTo(JSON.readTree("{\"name\":\"player " + i + "\",\"points\":" + i * 10 + "}"));
    }
  }

  @Test
  void wrongMethodsAndUnknownRoutesAreJsonErrors() throws Exception {
    assertError(get("/v1/datasets/profiles/docs:batchGet"), 405,
        "GET is not allowed on /v1/datasets/profiles/docs:batchGet; use POST");
    assertError(get("/v2/anything"), 404, "no route GET /v2/anything");
  }

  @Test
  void aMalformedRequestIsA400AndTheConnectionCloses() throws Exception {
    try (java.net.Socket socket = new java.net.Socket(URI.create(base).getHost(), URI.create(base).getPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write("GET /health HTTP/x.y\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      // readAllBytes returns only because the server closes the connection.
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 400 Bad Request").endsWith("{\"status\":400,\"error\":\"malformed HTTP request\"}");
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    // The first request waits on Cassandra, the second is answered at once: the answers must still
    // come back in the order they were asked for.
    String host = URI.create(base).getHost();
    try (java.net.Socket socket = new java.net.Socket(host, URI.create(base).getPort())) {
      socket.setSoTimeout(10_000);
      String requests = "GET /v1/datasets/profiles/docs/" + key("a b/c") + "?fields=tier&version=1 HTTP/1.1\r\n"
          + "Host: x\r\n\r\n"
          + "GET /openapi.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
      socket.getOutputStream().write(requests.getBytes(StandardCharsets.US_ASCII));
      String answers = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int document = answers.indexOf("\"fields\":{\"tier\":\"gold\"}");
      int openApi = answers.indexOf("\"openapi\"");
      assertThat(document).as(answers).isPositive();
      assertThat(openApi).as(answers).isGreaterThan(document);
    }
  }

  /** What a backend maps a profile document to. */
  record Profile(String lang, double score, String tier) {}

  @Test
  void clientReadsOnlyTheFieldsItNeeds() {
    NostosClient client = NostosClient.builder(base).timeout(Duration.ofSeconds(5)).build();
    Document doc = client.get("profiles", "a b/c", "lang", "score").orElseThrow();
    assertThat(doc.version()).isEqualTo(2);
    assertThat(doc.getString("lang")).hasValue("es");
    assertThat(doc.getDouble("score")).hasValue(0.2);
    assertThat(doc.get("tier")).isEmpty();
    assertThat(client.get("profiles", "ü\"quote").orElseThrow().as(Profile.class))
        .isEqualTo(new Profile("en", 1.2, "silver"));
    assertThat(client.get("profiles", "nobody")).isEmpty();
    assertThat(client.batchGet("profiles", java.util.List.of("a b/c", "nobody"), "tier").keySet())
        .containsExactly("a b/c");
    assertThatThrownBy(() -> client.get("profiles", "a b/c", "colour"))
        .isInstanceOfSatisfying(NostosException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessage("unknown field colour in profiles v2; it has: lang, score, tier");
  }

  @Test
  void clientRetriesThenSaysWhatFailed() {
    NostosClient client = NostosClient.builder("http://127.0.0.1:1").timeout(Duration.ofMillis(500))
        .retries(2, Duration.ofMillis(10)).build();
    assertThatThrownBy(() -> client.get("profiles", "x"))
        .isInstanceOfSatisfying(NostosException.class, e -> assertThat(e.status()).isZero())
        .hasMessageStartingWith("cannot reach http://127.0.0.1:1/v1/datasets/profiles/docs/x after 3 attempts");
  }

  @Test
  void aServerPointedAtAKeyspaceWithoutACatalogSaysSo() throws Exception {
    ServingApp lost = new ServingApp(session, TestCassandra.target(ks + "_nowhere"),
        new ServingApp.Config(0, null, null, Duration.ZERO));
    String url = "http://127.0.0.1:" + lost.start() + "/v1/datasets/profiles/docs/" + key("a b/c");
    try {
      assertError(HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString()),
          404, "no dataset named 'profiles': keyspace '" + ks + "_nowhere' holds no Nostos catalog (load a dataset "
              + "first, or start the server with the right --catalog-keyspace)");
    } finally {
      lost.stop();
    }
  }

  @Test
  void readsCanRequireTheirOwnToken() throws Exception {
    ServingApp guarded = new ServingApp(session, TestCassandra.target(ks),
        new ServingApp.Config(0, "admin-secret", "reader", Duration.ZERO));
    String url = "http://127.0.0.1:" + guarded.start() + "/v1/datasets/profiles/docs/" + key("a b/c") + "?fields=tier";
    try {
      assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
      HttpResponse<String> ok = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer reader")
          .GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(JSON.readTree(ok.body()).get("fields")).isEqualTo(JSON.readTree("{\"tier\":\"gold\"}"));
      NostosClient client = NostosClient.builder(url.substring(0, url.indexOf("/v1"))).token("reader").build();
      assertThat(client.get("profiles", "a b/c", "tier").orElseThrow().getString("tier")).hasValue("gold");
    } finally {
      guarded.stop();
    }
  }

  @Test
  void cassandraUnreachableIsA503() throws Exception {
    // A driver whose local datacenter has no node: every request fails as if the cluster were down.
    try (CqlSession blind = CqlSession.builder()
        .addContactPoint(TestCassandra.target(ks).addresses().get(0))
        .withLocalDatacenter("nowhere").build()) {
      ServingApp down = new ServingApp(blind, TestCassandra.target(ks), new ServingApp.Config(0, null, null, Duration.ZERO));
      int port = down.start();
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/v1/datasets/profiles/docs/x")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        assertError(r, 503, "Cassandra is unreachable");
      } finally {
        down.stop();
      }
    }
  }

  @Test
  void listsDatasetsAndVersions() throws Exception {
    JsonNode list = JSON.readTree(get("/v1/datasets").body());
    assertThat(list.get("datasets")).isEqualTo(JSON.readTree("[{\"dataset\":\"by_country\",\"current_version\":1,\"rows\":2},"
        + "{\"dataset\":\"profiles\",\"current_version\":2,\"rows\":6},"
        + "{\"dataset\":\"scores\",\"current_version\":1,\"rows\":50}]"));
    JsonNode versions = JSON.readTree(get("/v1/datasets/profiles").body()).get("versions");
    assertThat(versions.size()).isEqualTo(2);
    assertThat(versions.get(0).get("state").asText()).isEqualTo("current");
    assertThat(get("/health").statusCode()).isEqualTo(200);
  }

  @Test
  void rollbackAndPromoteSwitchReads() throws Exception {
    // Read v2 first, so the answer is in the document cache when the pointer moves.
    assertThat(JSON.readTree(get("/v1/datasets/profiles/docs/" + key("a b/c") + "?fields=score").body())
        .get("fields").get("score").asDouble()).isEqualTo(0.2);
    HttpResponse<String> back = post("/v1/datasets/profiles/rollback", "admin-secret");
    assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
    assertThat(JSON.readTree(get("/v1/datasets/profiles/docs/" + key("a b/c") + "?fields=score").body())
        .get("fields").get("score").asDouble()).isEqualTo(0.1);
    HttpResponse<String> again = post("/v1/datasets/profiles/versions/2/promote", "admin-secret");
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    assertThat(JSON.readTree(get("/v1/datasets/profiles/docs/" + key("a b/c") + "?fields=score").body())
        .get("fields").get("score").asDouble()).isEqualTo(0.2);
  }
}
