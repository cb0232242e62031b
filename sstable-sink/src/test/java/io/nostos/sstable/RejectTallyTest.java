package io.nostos.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RejectTallyTest {
  @Test
  void packedTalliesAddUpByName() {
    Map<String, Long> total = RejectTally.newTotal();
    RejectTally.addTo(total, RejectTally.pack(Map.of("bad", 3L, "read", 1_000L)));
    RejectTally.addTo(total, RejectTally.pack(Map.of("read", 24L, "ünïcode", 1L)));
    RejectTally.addTo(total, RejectTally.pack(Map.of()));
    assertThat(total).containsExactly(Map.entry("bad", 3L), Map.entry("read", 1_024L), Map.entry("ünïcode", 1L));
  }

  @Test
  void aTallyIsNeverTakenForASortedRunNorARunForATally() {
    assertThat(RejectTally.isTally(RejectTally.pack(Map.of("bad", 1L)))).isTrue();
    assertThat(RejectTally.isTally(RejectTally.pack(Map.of()))).isTrue();
    byte[] run = SortedRun.pack(List.of(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}));
    assertThat(RejectTally.isTally(run)).isFalse();
    assertThat(RejectTally.isTally(new byte[] {(byte) 0xFF, (byte) 0xFF})).isFalse();
  }

  @Test
  void aTallyCutShortFailsRatherThanCountingLess() {
    byte[] packed = RejectTally.pack(Map.of("bad", 7L));
    byte[] cut = java.util.Arrays.copyOf(packed, packed.length - 3);
    assertThatThrownBy(() -> RejectTally.addTo(RejectTally.newTotal(), cut)).hasMessage("a packed tally is cut short");
  }
}
