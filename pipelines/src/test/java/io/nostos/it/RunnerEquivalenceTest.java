package io.nostos.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import io.nostos.pipelines.JobRunner;
import io.nostos.pipelines.RunnerConfig;
import io.nostos.pipelines.spec.Spec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same spec gives the same table on DirectRunner, on Flink's local mini-cluster and on a real
 * Flink session cluster.
 */
class RunnerEquivalenceTest {
  @TempDir Path tmp;

  private Spec spec(String ks) {
    Path examples = Paths.get("..", "specs", "examples", "data").toAbsolutePath().normalize();
    return Runs.spec(tmp, "recs-" + ks, "dataset: recs\n"
        + "source:\n"
        + "  type: jdbc\n"
        + "  driver: org.duckdb.DuckDBDriver\n"
        + "  url: \"jdbc:duckdb:\"\n"
        + "  query: SELECT r.user_id, r.course_id, c.title, r.score FROM read_csv('" + examples + "/recommendations.csv') r"
        + " JOIN read_csv('" + examples + "/courses.csv') c USING (course_id)\n"
        + "key: [user_id]\n"
        + "generators:\n"
        + "  - type: group_list\n"
        + "    field: top\n"
        + "    items: [course_id, title, score]\n"
        + "    order_by: score desc\n"
        + "    limit: 4\n"
        + "load: {keyspace: " + ks + ", ranges: 3}\n");
  }

  @Test
  void directAndFlinkProduceTheSameTable() {
    String direct = TestCassandra.newKeyspace("direct");
    String flink = TestCassandra.newKeyspace("flink");
    JobRunner.Outcome d = Runs.runner(direct, tmp.resolve("w1")).run(spec(direct));
    JobRunner.Outcome f = Runs.runner(flink, tmp.resolve("w2"),
        RunnerConfig.load(Paths.get("..", "runner-configs", "flink-local.yaml"))).run(spec(flink));
    assertThat(f.rows()).isEqualTo(d.rows()).isEqualTo(200);
    try (CqlSession s = TestCassandra.session(direct)) {
      Map<String, Map<String, Object>> a = Runs.documents(s, direct + ".recs_v1", "user_id");
      Map<String, Map<String, Object>> b = Runs.documents(s, flink + ".recs_v1", "user_id");
      assertThat(a).hasSize(200);
      assertThat(b).isEqualTo(a);
    }
  }

  /**
   * A session cluster whose TaskManager has the Nostos classes on its own classpath (as with the
   * Nostos jar in Flink's lib/): the job stages only a token jar, runs on the cluster, and its
   * ranges are written and streamed by the TaskManager.
   */
  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void aFlinkSessionClusterProducesTheSameTableAsDirect() throws Exception {
    String direct = TestCassandra.newKeyspace("direct");
    String cluster = TestCassandra.newKeyspace("cluster");
    try (TestFlinkCluster flink = TestFlinkCluster.start(tmp.resolve("flink"))) {
      Path config = Files.writeString(tmp.resolve("cluster.yaml"), "runner: FlinkRunner\n"
          + "options:\n"
          + "  flinkMaster: " + flink.master() + "\n"
          + "  parallelism: 2\n"
          + "  filesToStage: " + tokenJar() + "\n");
      JobRunner.Outcome c = Runs.runner(cluster, tmp.resolve("w2"), RunnerConfig.load(config)).run(spec(cluster));
      assertThat(flink.jobs()).containsEntry("nostos-recs-v1", "FINISHED");
      assertThat(c.rows()).isEqualTo(200);
    }
    assertThat(Runs.runner(direct, tmp.resolve("w1")).run(spec(direct)).rows()).isEqualTo(200);
    try (CqlSession s = TestCassandra.session(direct)) {
      Map<String, Map<String, Object>> a = Runs.documents(s, direct + ".recs_v1", "user_id");
      assertThat(a).hasSize(200);
      assertThat(Runs.documents(s, cluster + ".recs_v1", "user_id")).isEqualTo(a);
    }
  }

  /** What the job stages: every class it needs is already on the TaskManager's classpath. */
  private Path tokenJar() throws IOException {
    Path jar = tmp.resolve("token.jar");
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
      j.putNextEntry(new JarEntry("README"));
      j.write("classes come from the TaskManager's classpath\n".getBytes(StandardCharsets.UTF_8));
      j.closeEntry();
    }
    return jar;
  }
}
