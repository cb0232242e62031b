package io.nostos.pipelines;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import io.nostos.it.TestCassandra;
import io.nostos.pipelines.spec.Spec;
import io.nostos.sstable.RangeResult;
import io.nostos.sstable.TableSchema;
import io.nostos.sstable.TokenRange;
import io.nostos.sstable.TokenRangePlanner;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Verification against a real table: counts per planned range, including ranges the sink left
 * empty, and no counts with {@code verify: sample}.
 */
class VerifierTest {
  private static final List<TokenRange> PLANNED = TokenRangePlanner.plan(List.of(), 4);

  private static RangeResult claim(int rangeId, long rows) {
    return new RangeResult(rangeId, PLANNED.get(rangeId), "/nowhere", rows, rows, 0, 0, 0, List.of(), List.of(), 0);
  }

  @Test
  void countsEveryPlannedRange() {
    String ks = TestCassandra.newKeyspace("verifier");
    TableSchema table = new TableSchema(ks, "t_v1", List.of(
        new TableSchema.Column("id", "text", TableSchema.Kind.PARTITION_KEY),
        new TableSchema.Column("v", "text", TableSchema.Kind.REGULAR)));
    try (CqlSession s = TestCassandra.session(ks)) {
      s.execute("CREATE KEYSPACE " + ks + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
      s.execute(table.createTableCql());
      long[] perRange = new long[PLANNED.size()];
      for (int i = 0; i < 40; i++) {
        s.execute("INSERT INTO " + table.qualifiedName() + " (id, v) VALUES ('k" + i + "', 'x')");
      }
      for (Row r : s.execute("SELECT token(id) FROM " + table.qualifiedName())) {
        perRange[TokenRangePlanner.indexOf(PLANNED, r.getLong(0))]++;
      }
      List<RangeResult> exact = new ArrayList<>();
      for (int i = 0; i < perRange.length; i++) {
        exact.add(claim(i, perRange[i]));
      }
      assertThatCode(() -> Verifier.verifyWritten(s, table, exact, Spec.Verify.COUNT)).doesNotThrowAnyException();
      assertThatCode(() -> Verifier.verifyUnwritten(s, table, PLANNED, exact)).doesNotThrowAnyException();

      List<RangeResult> oneShort = new ArrayList<>(exact);
      oneShort.set(2, claim(2, perRange[2] - 1));
      assertThatThrownBy(() -> Verifier.verifyWritten(s, table, oneShort, Spec.Verify.COUNT))
          .hasMessage("range 2 " + PLANNED.get(2) + " of " + table.qualifiedName() + ": the sink wrote "
              + (perRange[2] - 1) + " rows but the table holds " + perRange[2] + "; the version is not promoted");
      // verify: sample does not count: the same wrong claim passes (its sampled rows are what it checks).
      assertThatCode(() -> Verifier.verifyWritten(s, table, oneShort, Spec.Verify.SAMPLE)).doesNotThrowAnyException();

      // A range the sink did not write must be empty.
      List<RangeResult> missingRange = new ArrayList<>(exact.subList(1, exact.size()));
      assertThatCode(() -> Verifier.verifyWritten(s, table, missingRange, Spec.Verify.COUNT)).doesNotThrowAnyException();
      assertThatThrownBy(() -> Verifier.verifyUnwritten(s, table, PLANNED, missingRange))
          .hasMessageStartingWith("range 0 ").hasMessageContaining("the sink wrote 0 rows but the table holds " + perRange[0]);
    }
  }
}
