package io.nostos.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class VersionStateTest {
  @Test
  void codesAreFixed() {
    assertThat(Arrays.stream(VersionState.values()).mapToInt(VersionState::code).toArray())
        .containsExactly(1, 2, 3, 4, 5, 6, 7);
    for (VersionState s : VersionState.values()) {
      assertThat(VersionState.fromCode(s.code())).isEqualTo(s);
    }
    assertThatThrownBy(() -> VersionState.fromCode(8)).hasMessage("unknown version state code 8");
  }

  @Test
  void lifecycleTransitions() {
    assertThat(VersionState.BUILDING.canTransitionTo(VersionState.LOADED)).isTrue();
    assertThat(VersionState.BUILDING.canTransitionTo(VersionState.CURRENT)).isFalse();
    assertThat(VersionState.LOADED.canTransitionTo(VersionState.CURRENT)).isTrue();
    assertThat(VersionState.CURRENT.canTransitionTo(VersionState.BACKUP)).isTrue();
    assertThat(VersionState.CURRENT.canTransitionTo(VersionState.ROLLED_BACK)).isTrue();
    assertThat(VersionState.CURRENT.canTransitionTo(VersionState.DROPPED)).isFalse();
    assertThat(VersionState.BACKUP.canTransitionTo(VersionState.CURRENT)).isTrue();
    assertThat(VersionState.ROLLED_BACK.canTransitionTo(VersionState.CURRENT)).isTrue();
  }

  @Test
  void failedAndDroppedAreNeverPromoted() {
    assertThat(VersionState.FAILED.canTransitionTo(VersionState.CURRENT)).isFalse();
    assertThat(VersionState.FAILED.canTransitionTo(VersionState.LOADED)).isFalse();
    assertThat(VersionState.FAILED.canTransitionTo(VersionState.DROPPED)).isTrue();
    for (VersionState s : VersionState.values()) {
      assertThat(VersionState.DROPPED.canTransitionTo(s)).isFalse();
    }
  }

  @Test
  void labelsAreLowerCase() {
    assertThat(VersionState.ROLLED_BACK.label()).isEqualTo("rolled_back");
  }
}
