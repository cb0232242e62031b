package io.nostos.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import io.nostos.pipelines.spec.Spec;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Partitioned reads from PostgreSQL return exactly the source rows: none lost (rows outside the
 * given bounds, rows whose partition column is null) and none read twice (a duplicate key would
 * fail the load).
 */
class PartitionedJdbcTest {
  private static final int ROWS = 1200;

  @TempDir Path tmp;

  @BeforeAll
  static void events() {
    StringBuilder sql = new StringBuilder("DROP TABLE IF EXISTS events;\n"
        + "CREATE TABLE events (event_id text PRIMARY KEY, seq bigint, day date, amount integer);\n"
        + "INSERT INTO events SELECT 'e' || i, CASE WHEN i % 97 = 0 THEN NULL ELSE i - 100 END, "
        + "CASE WHEN i % 89 = 0 THEN NULL ELSE DATE '2024-01-01' + (i % 400) END, i * 7 "
        + "FROM generate_series(1, " + ROWS + ") AS i;\n");
    TestPostgres.execute(sql.toString());
  }

  private static Map<String, Map<String, Object>> expected() {
    Map<String, Map<String, Object>> out = new TreeMap<>();
    for (int i = 1; i <= ROWS; i++) {
      out.put("e" + i, Map.of("amount", (long) i * 7));
    }
    return out;
  }

  private Map<String, Map<String, Object>> load(String name, String partition) {
    String ks = TestCassandra.newKeyspace(name);
    Spec spec = Runs.spec(tmp, name, "dataset: " + name + "\n"
        + "source:\n"
        + "  type: jdbc\n"
        + "  driver: org.postgresql.Driver\n"
        + "  url: \"" + TestPostgres.jdbcUrl() + "\"\n"
        + "  user: postgres\n"
        + "  password: ${PGPASSWORD}\n"
        + "  query: SELECT event_id, seq, day, amount FROM events\n"
        + "  fetch_size: 100\n"
        + "  partition: " + partition + "\n"
        + "key: [event_id]\n"
        + "generators:\n"
        + "  - {type: columns, select: {event_id: event_id, amount: amount}}\n"
        + "load: {keyspace: " + ks + ", ranges: 2}\n");
    Runs.runner(ks, tmp.resolve("work")).run(spec);
    try (CqlSession s = TestCassandra.session(ks)) {
      return Runs.documents(s, ks + "." + name + "_v1", "event_id");
    }
  }

  @Test
  void byNumericRangesWithBoundsNarrowerThanTheData() {
    // seq runs from -99 to 1100 with nulls; rows below 0, above 1000 and null are read too
    assertThat(load("by_seq", "{column: seq, lower: 0, upper: 1000, count: 4}")).isEqualTo(expected());
  }

  @Test
  void byDateRangesBetweenTheQuerysMinAndMax() {
    assertThat(load("by_day", "{column: day, count: 5}")).isEqualTo(expected());
  }

  @Test
  void byHashBuckets() {
    assertThat(load("by_bucket", "{bucket_by: 'hashtext(event_id)', count: 6}")).isEqualTo(expected());
  }
}
