package io.nostos.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import io.nostos.pipelines.spec.Spec;
import java.sql.Timestamp;
import java.util.List;
import org.junit.jupiter.api.Test;

class JdbcPartitionsTest {
  @Test
  void rangesAreOpenAtBothEndsAndNullsGetTheirOwnRead() {
    List<JdbcPartitions.Part> parts = JdbcPartitions.plan(new Spec.Partition("id", null, null, null, 4),
        new JdbcPartitions.Bounds(1, 100, false));
    assertThat(parts).containsExactly(
        new JdbcPartitions.Part("id < ?", List.of(26L)),
        new JdbcPartitions.Part("id >= ? AND id < ?", List.of(26L, 51L)),
        new JdbcPartitions.Part("id >= ? AND id < ?", List.of(51L, 76L)),
        new JdbcPartitions.Part("id >= ?", List.of(76L)),
        new JdbcPartitions.Part("id IS NULL", List.of()));
  }

  @Test
  void timestampsAreBoundAsTimestamps() {
    List<JdbcPartitions.Part> parts = JdbcPartitions.plan(new Spec.Partition("day", null, null, null, 2),
        new JdbcPartitions.Bounds(0, 1000, true));
    assertThat(parts.get(0)).isEqualTo(new JdbcPartitions.Part("day < ?", List.of(new Timestamp(500))));
  }

  @Test
  void narrowRangesGetFewerCutsAndNeverAnEmptyOne() {
    assertThat(JdbcPartitions.cuts(5, 7, 10)).containsExactly(6L, 7L);
    assertThat(JdbcPartitions.cuts(5, 5, 3)).isEmpty();
    assertThat(JdbcPartitions.plan(new Spec.Partition("id", null, null, null, 3), new JdbcPartitions.Bounds(5, 5, false)))
        .containsExactly(new JdbcPartitions.Part("id IS NOT NULL", List.of()), new JdbcPartitions.Part("id IS NULL", List.of()));
    assertThat(JdbcPartitions.cuts(Long.MIN_VALUE, Long.MAX_VALUE, 2)).containsExactly(0L);
  }

  @Test
  void bucketsCoverNegativeHashesAndNulls() {
    List<JdbcPartitions.Part> parts = JdbcPartitions.plan(new Spec.Partition(null, null, null, "hashtext(k)", 2), null);
    assertThat(parts).containsExactly(
        new JdbcPartitions.Part("mod(mod((hashtext(k)), 2) + 2, 2) = ?", List.of(0L)),
        new JdbcPartitions.Part("mod(mod((hashtext(k)), 2) + 2, 2) = ?", List.of(1L)),
        new JdbcPartitions.Part("(hashtext(k)) IS NULL", List.of()));
    assertThat(JdbcPartitions.sql("SELECT a FROM t;\n", parts.get(2)))
        .isEqualTo("SELECT * FROM (SELECT a FROM t) nostos_src WHERE (hashtext(k)) IS NULL");
  }
}
