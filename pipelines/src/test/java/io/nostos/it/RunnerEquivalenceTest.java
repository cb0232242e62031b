package io.nostos.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import io.nostos.pipelines.JobRunner;
import io.nostos.pipelines.RunnerConfig;
import io.nostos.pipelines.spec.Spec;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same spec gives the same table on DirectRunner and on Flink's local mini-cluster. */
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
}
