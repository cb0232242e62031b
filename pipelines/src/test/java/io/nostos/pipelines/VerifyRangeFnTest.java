package io.nostos.pipelines;

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
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Per-range verification in a pipeline, against a real table: verified ranges pass, a short one fails the run. */
@ExtendWith(TestPipelineExtension.class)
class VerifyRangeFnTest {
  private static final List<TokenRange> PLANNED = TokenRangePlanner.plan(List.of(), 4);
  private static String ks;
  private static TableSchema table;
  private static long[] perRange;

  @BeforeAll
  static void tableWithFortyRows() {
    ks = TestCassandra.newKeyspace("verify_range");
    table = new TableSchema(ks, "t_v1", List.of(
        new TableSchema.Column("id", "text", TableSchema.Kind.PARTITION_KEY),
        new TableSchema.Column("v", "text", TableSchema.Kind.REGULAR)));
    perRange = new long[PLANNED.size()];
    try (CqlSession s = TestCassandra.session(ks)) {
      s.execute("CREATE KEYSPACE " + ks + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
      s.execute(table.createTableCql());
      for (int i = 0; i < 40; i++) {
        s.execute("INSERT INTO " + table.qualifiedName() + " (id, v) VALUES ('k" + i + "', 'x')");
      }
      for (Row r : s.execute("SELECT token(id) FROM " + table.qualifiedName())) {
        perRange[TokenRangePlanner.indexOf(PLANNED, r.getLong(0))]++;
      }
    }
  }

  private static RunContext ctx() {
    return new RunContext("t", 1, table, PLANNED, "/nowhere", TestCassandra.target(ks), null, 0, Spec.Verify.COUNT, 64,
        "/nowhere");
  }

  private static RangeResult claim(int rangeId, long rows) {
    return new RangeResult(rangeId, PLANNED.get(rangeId), "/nowhere", rows, rows, 0, 0, 0, List.of(), List.of(), 0);
  }

  private static PCollection<String> verified(TestPipeline p, List<RangeResult> claims) {
    return p.apply(Create.of(claims).withCoder(SerializableCoder.of(RangeResult.class)))
        .apply(ParDo.of(new VerifyRangeFn(ctx())))
        .apply(MapElements.into(TypeDescriptors.strings()).via(r -> r.rangeId() + ":" + r.rows()));
  }

  @Test
  void rangesThatHoldWhatWasWrittenComeOutOnce(TestPipeline p) {
    List<RangeResult> exact = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < perRange.length; i++) {
      exact.add(claim(i, perRange[i]));
      expected.add(i + ":" + perRange[i]);
    }
    PAssert.that(verified(p, exact)).containsInAnyOrder(expected);
    p.run().waitUntilFinish();
  }

  @Test
  void aRangeShortOfWhatWasWrittenFailsTheRun(TestPipeline p) {
    verified(p, List.of(claim(0, perRange[0]), claim(2, perRange[2] + 1)));
    assertThatThrownBy(() -> p.run().waitUntilFinish())
        .hasMessageContaining("range 2 " + PLANNED.get(2) + " of " + table.qualifiedName() + ": the sink wrote "
            + (perRange[2] + 1) + " rows but the table holds " + perRange[2] + "; the version is not promoted");
  }
}
