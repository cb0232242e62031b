package io.nostos.sstable;

import static io.nostos.sstable.TokenRangePlanner.MAX_TOKEN;
import static io.nostos.sstable.TokenRangePlanner.MIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenRangePlannerTest {
  /** Two nodes, tokens -100 (a) and 100 (b): a owns (100, -100] wrapping, b owns (-100, 100]. */
  private static final List<RingRange> TWO_NODES = List.of(
      new RingRange(100, -100, Set.of("a")), new RingRange(-100, 100, Set.of("b")));

  private static void assertCoversTheRing(List<TokenRange> ranges) {
    assertThat(ranges.get(0).start()).isEqualTo(MIN_TOKEN);
    assertThat(ranges.get(ranges.size() - 1).end()).isEqualTo(MAX_TOKEN);
    for (int i = 1; i < ranges.size(); i++) {
      assertThat(ranges.get(i).start()).isEqualTo(ranges.get(i - 1).end());
    }
  }

  @Test
  void unknownRingIsSplitEvenly() {
    List<TokenRange> r = TokenRangePlanner.plan(List.of(), 4);
    assertThat(r).hasSize(4);
    assertCoversTheRing(r);
    assertThat(r.get(1).start()).isEqualTo(-4611686018427387904L);
    assertThat(r.get(2).start()).isEqualTo(0L);
  }

  @Test
  void neverCrossesAnOwnershipBoundary() {
    List<TokenRange> r = TokenRangePlanner.plan(TWO_NODES, 1);
    assertThat(r).containsExactly(new TokenRange(MIN_TOKEN, -100), new TokenRange(-100, 100),
        new TokenRange(100, MAX_TOKEN));
  }

  @Test
  void mergesNeighboursWithTheSameOwnerThenSplits() {
    List<RingRange> vnodes = List.of(new RingRange(10, -10, Set.of("a")), new RingRange(-10, 0, Set.of("a")),
        new RingRange(0, 10, Set.of("a")));
    List<TokenRange> one = TokenRangePlanner.plan(vnodes, 1);
    assertThat(one).containsExactly(new TokenRange(MIN_TOKEN, MAX_TOKEN));
    List<TokenRange> four = TokenRangePlanner.plan(vnodes, 4);
    assertThat(four).hasSize(4);
    assertCoversTheRing(four);
  }

  @Test
  void partsFollowTheWidthOfEachSegment() {
    // b's segment (-100, 100] is tiny: it keeps one range; the wrapping segment gets the rest.
    List<TokenRange> r = TokenRangePlanner.plan(TWO_NODES, 8);
    assertCoversTheRing(r);
    assertThat(r).contains(new TokenRange(-100, 100));
    assertThat(r).hasSize(9);
  }

  @Test
  void indexOfFindsTheRangeHoldingAToken() {
    List<TokenRange> r = TokenRangePlanner.plan(List.of(), 3);
    assertThat(TokenRangePlanner.indexOf(r, MIN_TOKEN + 1)).isEqualTo(0);
    assertThat(TokenRangePlanner.indexOf(r, r.get(0).end())).isEqualTo(0);
    assertThat(TokenRangePlanner.indexOf(r, r.get(0).end() + 1)).isEqualTo(1);
    assertThat(TokenRangePlanner.indexOf(r, MAX_TOKEN)).isEqualTo(2);
  }

  @Test
  void rejectsRingsWithGaps() {
    assertThatThrownBy(() -> TokenRangePlanner.plan(List.of(new RingRange(0, 10, Set.of("a"))), 2))
        .hasMessageContaining("ring ranges do not cover the ring");
  }

  @Test
  void rejectsNonPositiveCounts() {
    assertThatThrownBy(() -> TokenRangePlanner.plan(List.of(), 0))
        .hasMessage("desired range count must be at least 1, got 0");
  }

  @Test
  void splitKeepsEveryToken() {
    List<TokenRange> parts = TokenRangePlanner.split(new TokenRange(0, 10), 3);
    assertThat(parts).containsExactly(new TokenRange(0, 3), new TokenRange(3, 6), new TokenRange(6, 10));
  }
}
