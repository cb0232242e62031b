package io.nostos.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nostos.catalog.CatalogStore;
import io.nostos.catalog.DatasetVersion;
import io.nostos.catalog.VersionState;
import io.nostos.sstable.ClientJvmFlags;
import io.nostos.sstable.node.LocalCassandraNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nostos run} through the daemon as the {@code nostos} script runs it: the daemon
 * ({@code nostos daemon serve}) and each client ({@code DaemonClient}) in a JVM of its own, each
 * with its own working directory and environment, against the test node.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DaemonTest {
  @TempDir static Path tmp;
  private static Path home;
  private static Path clientDir;
  private static String ks;
  private static Process daemon;

  record Result(int code, String out, String err) {}

  @BeforeAll
  static void startDaemon() throws IOException {
    home = tmp.resolve("home");
    ks = TestCassandra.newKeyspace("daemon");
    clientDir = Files.createDirectories(tmp.resolve("client"));
    Path data = Files.createDirectories(tmp.resolve("data"));
    Files.writeString(data.resolve("rows.csv"), "id,v\na,1\nb,2\n");
    // A relative spec path the daemon can only find from the client's directory, and a variable
    // that only the client's environment has.
    Files.createDirectories(clientDir.resolve("specs"));
    Files.writeString(clientDir.resolve("specs/d.yaml"), "dataset: dmn\n"
        + "source: {type: files, path: \"${IT_DATA_DIR}/rows.csv\"}\nkey: [id]\nload: {keyspace: " + ks + "}\n");
    List<String> cmd = jvm();
    cmd.addAll(List.of("io.nostos.cli.NostosCli", "daemon", "serve", "--idle-timeout=10m"));
    daemon = new ProcessBuilder(cmd).directory(Files.createDirectories(tmp.resolve("daemon-cwd")).toFile())
        .redirectErrorStream(true).start();
    Runtime.getRuntime().addShutdownHook(new Thread(daemon::destroyForcibly));
    TestProcesses.Startup s = TestProcesses.awaitReady(daemon, l -> l.contains("nostos daemon ready"), "daemon-output");
    assertThat(s.ready()).as("the daemon exited before it was ready:\n" + s.before()).isTrue();
  }

  @AfterAll
  static void stopDaemon() throws InterruptedException {
    daemon.destroy();
    daemon.waitFor(30, TimeUnit.SECONDS);
  }

  @Test
  @Order(1)
  void loadsRunInTheDaemonFromTheClientsDirectoryWithItsEnvironment() throws Exception {
    Result first = client(Map.of("IT_DATA_DIR", tmp.resolve("data").toString()), "specs/d.yaml", "--json");
    assertThat(first.code()).as(first.err()).isEqualTo(0);
    assertThat(first.err()).contains("nostos: running in the daemon (pid " + daemon.pid() + ", up ")
        .contains(", load 1; --no-daemon runs in this process)");
    JsonNode run = new ObjectMapper().readTree(first.out());
    assertThat(run.get("table").asText()).isEqualTo(ks + ".dmn_v1");
    assertThat(run.get("state").asText()).isEqualTo("current");

    Result second = client(Map.of("IT_DATA_DIR", tmp.resolve("data").toString()), "specs/d.yaml");
    assertThat(second.code()).as(second.err()).isEqualTo(0);
    assertThat(second.err()).contains("(pid " + daemon.pid() + ", up ").contains(", load 2; ");
    assertThat(second.out()).startsWith("dmn v2 current: 2 rows, ");
    try (CqlSession s = TestCassandra.session(ks)) {
      assertThat(Runs.documents(s, Runs.currentTable(s, ks, "dmn"), "id"))
          .isEqualTo(new TreeMap<>(Map.of("a", Map.of("v", "1"), "b", Map.of("v", "2"))));
    }
    // Both loads, and every step of each, used one driver session, kept open between them.
    assertThat(status()).contains("\ndriver sessions: 1 opened since start, each kept 10 min after its last load\n");
  }

  @Test
  @Order(2)
  void aShellWithOtherAwsSettingsIsToldToRunTheLoadItself() throws Exception {
    Result r = client(Map.of("IT_DATA_DIR", tmp.resolve("data").toString(), "AWS_REGION", "xx-test-9"),
        "specs/d.yaml");
    assertThat(r.code()).isEqualTo(99);
    assertThat(r.err()).isEqualTo("nostos: not using the daemon (pid " + daemon.pid() + "): the daemon was started"
        + " with other values of AWS_REGION; running in this process (restart it with: nostos daemon stop &&"
        + " nostos daemon start)\n");
    try (CqlSession s = TestCassandra.session(ks)) {
      assertThat(new CatalogStore(s, ks).versions("dmn")).extracting(DatasetVersion::version).containsExactly(2, 1);
    }
  }

  @Test
  @Order(3)
  void aSecondDaemonOfTheSameHomeRefusesToStartAndLeavesTheFirstInCharge() throws Exception {
    List<String> cmd = jvm();
    cmd.addAll(List.of("io.nostos.cli.NostosCli", "daemon", "serve", "--idle-timeout=10m"));
    Path log = tmp.resolve("second-daemon.log");
    Process second = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean exited = second.waitFor(60, TimeUnit.SECONDS);
    second.destroyForcibly();
    String output = Files.readString(log);
    assertThat(exited).as("the second daemon exits:\n" + output).isTrue();
    assertThat(second.exitValue()).as(output).isNotZero();
    assertThat(output).contains("error: another daemon of " + home + " is running (pid " + daemon.pid() + ")");
    assertThat(Files.readString(home.resolve("daemon/daemon.properties"))).contains("pid=" + daemon.pid());
    assertThat(daemon.isAlive()).isTrue();
  }

  @Test
  @Order(4)
  void killingTheClientStopsTheDaemonAndItsLoadWithoutTouchingTheCurrentVersion() throws Exception {
    // A source that blocks for two minutes: the load is certainly running when the client is killed.
    Files.writeString(clientDir.resolve("slow.yaml"), "dataset: dmn_slow\nsource:\n  type: jdbc\n"
        + "  driver: org.postgresql.Driver\n  url: \"" + TestPostgres.jdbcUrl() + "\"\n  user: postgres\n"
        + "  password: ${PGPASSWORD}\n  query: \"SELECT 'x' AS id, 1 AS v FROM pg_sleep(120)\"\n"
        + "key: [id]\nload: {keyspace: " + ks + "}\n");
    Process c = clientProcess(Map.of("PGPASSWORD", "postgres"), List.of("slow.yaml")).redirectErrorStream(true).start();
    TestProcesses.Startup s = TestProcesses.awaitReady(c, l -> l.startsWith("dmn_slow v1: writing "), "client-output");
    assertThat(s.ready()).as(s.before()).isTrue();

    c.destroy();
    assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).as("the daemon exits").isTrue();
    assertThat(daemon.exitValue()).isEqualTo(130);
    assertThat(Files.exists(home.resolve("daemon/daemon.properties"))).as("its info file is removed").isFalse();
    try (CqlSession session = TestCassandra.session(ks)) {
      CatalogStore catalog = new CatalogStore(session, ks);
      DatasetVersion slow = catalog.version("dmn_slow", 1);
      assertThat(slow.state()).isEqualTo(VersionState.BUILDING);
      assertThat(slow.owner()).endsWith(":" + daemon.pid());
      assertThat(catalog.current("dmn_slow")).isEmpty();
      assertThat(catalog.current("dmn").getAsInt()).isEqualTo(2);
    }
  }

  /** A JVM on the test classpath, with the Nostos home of this test. */
  private static List<String> jvm() {
    List<String> cmd = new ArrayList<>(List.of(TestProcesses.java()));
    cmd.addAll(ClientJvmFlags.FLAGS);
    cmd.addAll(List.of("-Dnostos.home=" + home,
        "-Dlogback.configurationFile=" + Paths.get("src/main/resources/nostos-logback.xml").toAbsolutePath(),
        "-cp", System.getProperty("java.class.path")));
    return cmd;
  }

  /** What {@code nostos daemon status} prints. */
  private static String status() throws Exception {
    List<String> cmd = jvm();
    cmd.addAll(List.of("io.nostos.cli.NostosCli", "daemon", "status"));
    Path out = Files.createTempFile(tmp, "status", ".txt");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("daemon status finishes").isTrue();
    String text = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(text).isZero();
    return text;
  }

  private static ProcessBuilder clientProcess(Map<String, String> env, List<String> runArgs) {
    List<String> cmd = jvm();
    cmd.addAll(List.of("io.nostos.cli.DaemonClient", "run"));
    cmd.addAll(runArgs);
    LocalCassandraNode.Ports p = TestCassandra.node().ports();
    cmd.addAll(List.of("--cassandra", "127.0.0.1:" + p.nativePort(), "--storage-port",
        Integer.toString(p.storagePort()), "--jmx-port", Integer.toString(p.jmxPort()), "--catalog-keyspace", ks));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(clientDir.toFile());
    pb.environment().putAll(env);
    return pb;
  }

  private static Result client(Map<String, String> env, String... runArgs) throws Exception {
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    Process c = clientProcess(env, List.of(runArgs)).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(c.waitFor(5, TimeUnit.MINUTES)).as("the client finishes").isTrue();
    return new Result(c.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("  read "))
            .map(l -> l + "\n").reduce("", String::concat));
  }
}
