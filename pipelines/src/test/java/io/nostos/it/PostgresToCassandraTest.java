package io.nostos.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import io.nostos.catalog.VersionState;
import io.nostos.pipelines.JobRunner;
import io.nostos.pipelines.spec.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end against real servers: PostgreSQL (the Redshift stand-in) → Beam (DirectRunner) →
 * SSTables → streamed into a real Cassandra node → verified and promoted. What is read back from
 * Cassandra must equal what the source rows say.
 */
class PostgresToCassandraTest {
  private static final int USERS = 500;

  @TempDir Path tmp;

  @BeforeAll
  static void sourceTables() {
    StringBuilder sql = new StringBuilder(
        "DROP TABLE IF EXISTS users;\n"
            + "CREATE TABLE users (id bigint PRIMARY KEY, name text, lang text, score double precision, "
            + "country text, active boolean);\n"
            + "DROP TABLE IF EXISTS recs;\n"
            + "CREATE TABLE recs (user_id bigint, item text, score double precision);\n");
    for (int i = 1; i <= USERS; i++) {
      String name = i % 50 == 0 ? null : "'user \"" + i + "\" / ü'";
      sql.append("INSERT INTO users VALUES (").append(i).append(", ").append(name).append(", '")
          .append(i % 3 == 0 ? "es" : "en").append("', ").append(i / 8.0).append(", '")
          .append(i % 2 == 0 ? "BR" : "US").append("', ").append(i % 4 == 0).append(");\n");
      for (int j = 0; j < i % 7; j++) {
        sql.append("INSERT INTO recs VALUES (").append(i).append(", 'item-").append(j).append("', ")
            .append((i * 31 + j * 17) % 100 / 100.0).append(");\n");
      }
    }
    TestPostgres.execute(sql.toString());
  }

  private String jdbcSource(String query) {
    return "source:\n"
        + "  type: jdbc\n"
        + "  driver: org.postgresql.Driver\n"
        + "  url: \"" + TestPostgres.jdbcUrl() + "\"\n"
        + "  user: postgres\n"
        + "  password: ${PGPASSWORD}\n"
        + "  query: " + query + "\n";
  }

  @Test
  void documentLayoutHoldsEveryFieldOfEverySourceRow() {
    String ks = TestCassandra.newKeyspace("documents");
    Spec spec = Runs.spec(tmp, "users", "dataset: users\n"
        + jdbcSource("SELECT id, name, lang, score, country, active FROM users")
        + "key: [{id: bigint}]\n"
        + "generators:\n"
        + "  - type: json_object\n"
        + "    field: profile\n"
        + "    paths: {name: name, locale.lang: lang, locale.country: country}\n"
        + "load: {keyspace: " + ks + ", ranges: 5, verify_sample: 50}\n");
    JobRunner.Outcome outcome = Runs.runner(ks, tmp.resolve("work")).run(spec);

    assertThat(outcome.state()).isEqualTo(VersionState.CURRENT);
    assertThat(outcome.version()).isEqualTo(1);
    assertThat(outcome.rows()).isEqualTo(USERS * 3L);  // fields: profile, score, active
    Map<String, Map<String, Object>> expected = new TreeMap<>();
    for (int i = 1; i <= USERS; i++) {
      Map<String, Object> locale = new LinkedHashMap<>();
      locale.put("lang", i % 3 == 0 ? "es" : "en");
      locale.put("country", i % 2 == 0 ? "BR" : "US");
      Map<String, Object> profile = new LinkedHashMap<>();
      if (i % 50 != 0) {
        profile.put("name", "user \"" + i + "\" / ü");
      }
      profile.put("locale", locale);
      Map<String, Object> doc = new TreeMap<>();
      doc.put("active", i % 4 == 0);
      doc.put("profile", profile);
      doc.put("score", i / 8.0);  // a double stays a double, also when whole (1.0)
      expected.put(Long.toString(i), doc);
    }
    try (CqlSession s = TestCassandra.session(ks)) {
      assertThat(Runs.documents(s, ks + ".users_v1", "id")).isEqualTo(expected);
      // Document layout: a reader fetches only the fields it asks for.
      Row one = s.execute("SELECT value FROM " + ks + ".users_v1 WHERE id = 42 AND field = 'profile'").one();
      assertThat(one.getString(0)).isEqualTo("{\"name\":\"user \\\"42\\\" / ü\",\"locale\":{\"lang\":\"es\",\"country\":\"BR\"}}");
    }
  }

  @Test
  void tablesGetRealBloomFiltersAndCompactionIsOff() throws IOException {
    String ks = TestCassandra.newKeyspace("bloom");
    Spec spec = Runs.spec(tmp, "bloom", "dataset: bloom\n"
        + jdbcSource("SELECT id, lang FROM users")
        + "key: [{id: bigint}]\n"
        + "load: {keyspace: " + ks + ", ranges: 2}\n");
    Runs.runner(ks, tmp.resolve("work")).run(spec);
    List<Path> filters = new ArrayList<>();
    try (Stream<Path> files = Files.walk(TestCassandra.node().dataDirectory().resolve(ks))) {
      files.filter(p -> p.getFileName().toString().endsWith("-Filter.db")).forEach(filters::add);
    }
    assertThat(filters).hasSize(2);
    for (Path f : filters) {
      // CQLSSTableWriter alone leaves a 16-byte filter sized for zero keys (CASSANDRA-21423).
      assertThat(Files.size(f)).as(f.toString()).isGreaterThan(100);
    }
    try (CqlSession s = TestCassandra.session(ks)) {
      Row t = s.execute("SELECT compaction FROM system_schema.tables WHERE keyspace_name = ? AND table_name = ?",
          ks, "bloom_v1").one();
      assertThat(t.getMap(0, String.class, String.class)).containsEntry("enabled", "false");
    }
  }

  @Test
  void columnsLayoutWithCompositeKeyEqualsSourceRows() {
    String ks = TestCassandra.newKeyspace("columns");
    Spec spec = Runs.spec(tmp, "by_country", "dataset: by_country\n"
        + jdbcSource("SELECT country, id, name, score, active FROM users")
        + "key: [country, {id: bigint}]\n"
        + "layout: columns\n"
        + "columns: {name: text, score: double, active: boolean}\n"
        + "load: {keyspace: " + ks + ", sort_buffer_mib: 1}\n");
    Runs.runner(ks, tmp.resolve("work")).run(spec);
    Map<String, String> actual = new TreeMap<>();
    Map<String, String> expected = new TreeMap<>();
    for (int i = 1; i <= USERS; i++) {
      expected.put((i % 2 == 0 ? "BR" : "US") + "/" + i,
          (i % 50 == 0 ? null : "user \"" + i + "\" / ü") + "|" + (i / 8.0) + "|" + (i % 4 == 0));
    }
    try (CqlSession s = TestCassandra.session(ks)) {
      for (Row r : s.execute("SELECT country, id, name, score, active FROM " + ks + ".by_country_v1")) {
        actual.put(r.getString(0) + "/" + r.getLong(1), r.getString(2) + "|" + r.getDouble(3) + "|" + r.getBoolean(4));
      }
    }
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void groupListKeepsTopItemsInOrder() {
    String ks = TestCassandra.newKeyspace("lists");
    Spec spec = Runs.spec(tmp, "recs", "dataset: recs\n"
        + jdbcSource("SELECT user_id, item, score FROM recs")
        + "key: [{user_id: bigint}]\n"
        + "generators:\n"
        + "  - type: group_list\n"
        + "    field: items\n"
        + "    items: item\n"
        + "    order_by: score desc\n"
        + "    limit: 3\n"
        + "load: {keyspace: " + ks + "}\n");
    Runs.runner(ks, tmp.resolve("work")).run(spec);
    Map<String, Map<String, Object>> expected = new TreeMap<>();
    for (int i = 1; i <= USERS; i++) {
      if (i % 7 == 0) {
        continue;
      }
      List<double[]> rows = new ArrayList<>();
      for (int j = 0; j < i % 7; j++) {
        rows.add(new double[] {j, (i * 31 + j * 17) % 100 / 100.0});
      }
      rows.sort((a, b) -> a[1] != b[1] ? Double.compare(b[1], a[1]) : Double.compare(a[0], b[0]));
      List<Object> items = new ArrayList<>();
      for (double[] r : rows.subList(0, Math.min(3, rows.size()))) {
        items.add("item-" + (int) r[0]);
      }
      expected.put(Integer.toString(i), Map.of("items", items));
    }
    try (CqlSession s = TestCassandra.session(ks)) {
      assertThat(Runs.documents(s, ks + ".recs_v1", "user_id")).isEqualTo(expected);
    }
  }
}
