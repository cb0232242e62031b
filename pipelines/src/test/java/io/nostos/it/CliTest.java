package io.nostos.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nostos.catalog.SharedSessions;
import io.nostos.cli.NostosCli;
import io.nostos.sstable.node.LocalCassandraNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user or a scheduler sees it: exit codes, messages, --json. */
class CliTest {
  @TempDir Path tmp;

  record Result(int code, String out, String err) {}

  private static synchronized Result cli(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
    try {
      int code = NostosCli.execute(args);
      return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  private static List<String> connection(String ks) {
    LocalCassandraNode.Ports p = TestCassandra.node().ports();
    return List.of("--cassandra", "127.0.0.1:" + p.nativePort(), "--storage-port", Integer.toString(p.storagePort()),
        "--jmx-port", Integer.toString(p.jmxPort()), "--catalog-keyspace", ks);
  }

  private static String[] args(List<String> head, List<String> tail) {
    List<String> all = new ArrayList<>(head);
    all.addAll(tail);
    return all.toArray(new String[0]);
  }

  @Test
  void yamlSyntaxErrorExitsTwoWithFileLineColumnAndNoStackTrace() throws IOException {
    Path spec = tmp.resolve("broken.yaml");
    Files.writeString(spec, "dataset: x\nsource:\n  type: files\n   path: a.csv\n");
    Result r = cli("validate", spec.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith(spec + ":4:");
    assertThat(r.err()).contains("YAML syntax error").doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void unknownGeneratorExitsTwoAndSuggestsTheName() throws IOException {
    Path spec = tmp.resolve("gen.yaml");
    Files.writeString(spec, "dataset: x\nsource: {type: files, path: a.csv}\nkey: [id]\ngenerators:\n  - type: group_lst\n");
    Result r = cli("run", spec.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains(spec + ":5:11: unknown generator 'group_lst' (did you mean 'group_list'?)")
        .doesNotContain("\tat ");
  }

  @Test
  void devStatusWithoutANodeSaysHowToStartOne() {
    String previous = System.getProperty("nostos.home");
    System.setProperty("nostos.home", tmp.resolve("home").toString());
    try {
      Result r = cli("dev", "status");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.out()).isEqualTo("not running (start it with: nostos dev up)\n");
      assertThat(cli("dev", "sideways").code()).isEqualTo(2);
    } finally {
      if (previous == null) {
        System.clearProperty("nostos.home");
      } else {
        System.setProperty("nostos.home", previous);
      }
    }
  }

  @Test
  void unreachableClusterExitsOneWithAHint() {
    Result r = cli("versions", "anything", "--cassandra", "127.0.0.1:1");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("error: cannot reach Cassandra at 127.0.0.1:1.\n"
        + "Start the local node with 'nostos dev up', or pass --cassandra host:port.").doesNotContain("\tat ");
  }

  @Test
  void validateJsonListsProblems() throws IOException {
    Path spec = tmp.resolve("bad.yaml");
    Files.writeString(spec, "dataset: Bad-Name\nsource: {type: files, path: a.csv}\nkey: [id]\nretain: 2\n");
    Result r = cli("validate", "--json", spec.toString());
    assertThat(r.code()).isEqualTo(2);
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.get("valid").asBoolean()).isFalse();
    assertThat(json.get("problems").get(0).get("line").asInt()).isEqualTo(1);
    assertThat(json.get("problems").get(1).get("message").asText())
        .isEqualTo("unknown key 'retain' in the spec (did you mean 'retain_versions'?); valid keys: bad_rows, columns, "
            + "dataset, description, generators, key, layout, load, retain_versions, source, sources, version");
  }

  @Test
  void runVersionsRollbackPromoteWithJson() throws IOException {
    String ks = TestCassandra.newKeyspace("cli");
    Path csv = tmp.resolve("d.csv");
    Files.writeString(csv, "id,v\na,1\nb,2\n");
    Path spec = tmp.resolve("cli.yaml");
    Files.writeString(spec, "dataset: cli_ds\nsource: {type: files, path: d.csv}\nkey: [id]\nload: {keyspace: " + ks + "}\n");
    List<String> conn = connection(ks);

    Result first = cli(args(List.of("run", "--json", spec.toString()), conn));
    assertThat(first.code()).as(first.err()).isEqualTo(0);
    JsonNode run = new ObjectMapper().readTree(first.out());
    assertThat(run.get("version").asInt()).isEqualTo(1);
    assertThat(run.get("state").asText()).isEqualTo("current");
    assertThat(run.get("rows").asLong()).isEqualTo(2);

    Result noBackup = cli(args(List.of("rollback", "cli_ds"), conn));
    assertThat(noBackup.code()).isEqualTo(1);
    assertThat(noBackup.err()).contains("no backup version older than current version 1");

    assertThat(cli(args(List.of("run", spec.toString()), conn)).code()).isEqualTo(0);
    Result versions = cli(args(List.of("versions", "--json", "cli_ds"), conn));
    JsonNode list = new ObjectMapper().readTree(versions.out());
    assertThat(list.size()).isEqualTo(2);
    assertThat(list.get(0).get("state").asText()).isEqualTo("current");
    assertThat(list.get(1).get("state").asText()).isEqualTo("backup");

    Result rollback = cli(args(List.of("rollback", "cli_ds"), conn));
    assertThat(rollback.code()).isEqualTo(0);
    assertThat(rollback.out()).contains("cli_ds v1 is now current");
    Result promote = cli(args(List.of("promote", "cli_ds", "v2"), conn));
    assertThat(promote.code()).isEqualTo(0);
    assertThat(promote.out()).contains("cli_ds v2 is now current");
    assertThat(cli(args(List.of("promote", "cli_ds", "two"), conn)).code()).isEqualTo(2);

    Result plan = cli(args(List.of("plan", "--json", spec.toString()), conn));
    assertThat(plan.code()).as(plan.err()).isEqualTo(0);
    JsonNode p = new ObjectMapper().readTree(plan.out());
    assertThat(p.get("next_version").asInt()).isEqualTo(3);
    assertThat(p.get("table").asText()).isEqualTo(ks + ".cli_ds_v3");
    assertThat(p.get("current_version").asInt()).isEqualTo(2);
    assertThat(p.get("would_drop")).isEmpty();
    assertThat(p.get("create_table").asText()).contains("'enabled': 'false'");
    assertThat(cli(args(List.of("versions", "no_such"), conn)).err()).contains("no dataset named 'no_such'");
  }

  @Test
  void severalSpecsLoadInOneProcessAndStopAtTheFirstFailure() throws IOException {
    String ks = TestCassandra.newKeyspace("cli_many");
    Files.writeString(tmp.resolve("a.csv"), "id,v\na,1\nb,2\n");
    Files.writeString(tmp.resolve("dup.csv"), "id,v\na,1\na,2\n");
    Path one = spec("one", "a.csv", ks);
    Path two = spec("two", "a.csv", ks);
    Path dup = spec("dup", "dup.csv", ks);
    List<String> conn = connection(ks);

    long sessionsBefore = SharedSessions.sessionsOpened();
    Result both = cli(args(List.of("run", "--json", one.toString(), two.toString()), conn));
    assertThat(both.code()).as(both.err()).isEqualTo(0);
    // Both loads and all their steps use one session (none if an earlier test's is still open).
    assertThat(SharedSessions.sessionsOpened() - sessionsBefore).isLessThanOrEqualTo(1);
    List<String> lines = both.out().lines().toList();
    assertThat(lines).hasSize(2);
    ObjectMapper m = new ObjectMapper();
    assertThat(List.of(m.readTree(lines.get(0)).get("table").asText(), m.readTree(lines.get(1)).get("table").asText()))
        .containsExactly(ks + ".one_v1", ks + ".two_v1");
    assertThat(m.readTree(lines.get(1)).get("state").asText()).isEqualTo("current");

    // dup fails (a key twice): one is not loaded again, and stderr says so.
    Result failed = cli(args(List.of("run", dup.toString(), one.toString()), conn));
    assertThat(failed.code()).isEqualTo(1);
    assertThat(failed.err()).contains("not run, since dup failed: " + one).contains("appears more than once");
    Result versions = cli(args(List.of("versions", "--json", "one"), conn));
    assertThat(m.readTree(versions.out()).size()).isEqualTo(1);

    // Two specs of one dataset are refused before anything runs.
    Path again = tmp.resolve("again.yaml");
    Files.copy(one, again);
    Result same = cli(args(List.of("run", one.toString(), again.toString()), conn));
    assertThat(same.code()).isEqualTo(2);
    assertThat(same.err()).contains("error: " + again + " and " + one + " both load dataset one");
  }

  private Path spec(String dataset, String csv, String ks) throws IOException {
    Path f = tmp.resolve(dataset + ".yaml");
    Files.writeString(f, "dataset: " + dataset + "\nsource: {type: files, path: " + csv + "}\nkey: [id]\n"
        + "load: {keyspace: " + ks + "}\n");
    return f;
  }
}
