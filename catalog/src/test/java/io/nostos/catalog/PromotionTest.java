package io.nostos.catalog;

import static io.nostos.catalog.Versions.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class PromotionTest {
  private final List<DatasetVersion> versions = List.of(v(1, VersionState.DROPPED), v(2, VersionState.BACKUP),
      v(3, VersionState.ROLLED_BACK), v(4, VersionState.BACKUP), v(5, VersionState.CURRENT), v(6, VersionState.FAILED));

  @Test
  void autoPromotesOnlyNewerVersions() {
    assertThat(Promotion.shouldAutoPromote(1, OptionalInt.empty())).isTrue();
    assertThat(Promotion.shouldAutoPromote(6, OptionalInt.of(5))).isTrue();
    assertThat(Promotion.shouldAutoPromote(4, OptionalInt.of(5))).isFalse();
  }

  @Test
  void rollbackGoesToTheNewestOlderBackup() {
    assertThat(Promotion.rollbackTarget(versions, OptionalInt.of(5), OptionalInt.empty()).version()).isEqualTo(4);
  }

  @Test
  void rollbackSkipsRolledBackVersions() {
    List<DatasetVersion> vs = List.of(v(2, VersionState.BACKUP), v(3, VersionState.ROLLED_BACK), v(4, VersionState.CURRENT));
    assertThat(Promotion.rollbackTarget(vs, OptionalInt.of(4), OptionalInt.empty()).version()).isEqualTo(2);
  }

  @Test
  void rollbackToAnExplicitVersion() {
    assertThat(Promotion.rollbackTarget(versions, OptionalInt.of(5), OptionalInt.of(2)).version()).isEqualTo(2);
  }

  @Test
  void rollbackRefusesVersionsWithoutData() {
    assertThatThrownBy(() -> Promotion.rollbackTarget(versions, OptionalInt.of(5), OptionalInt.of(1)))
        .hasMessageContaining("cannot roll back to version 1: it is dropped");
    assertThatThrownBy(() -> Promotion.rollbackTarget(versions, OptionalInt.of(5), OptionalInt.of(6)))
        .hasMessageContaining("it is failed");
    assertThatThrownBy(() -> Promotion.rollbackTarget(versions, OptionalInt.of(5), OptionalInt.of(9)))
        .hasMessage("version 9 does not exist");
    assertThatThrownBy(() -> Promotion.rollbackTarget(versions, OptionalInt.of(5), OptionalInt.of(5)))
        .hasMessage("version 5 is already current");
  }

  @Test
  void rollbackNeedsSomethingToRollBackTo() {
    assertThatThrownBy(() -> Promotion.rollbackTarget(List.of(v(1, VersionState.CURRENT)), OptionalInt.of(1),
        OptionalInt.empty())).hasMessage("no backup version older than current version 1 to roll back to");
    assertThatThrownBy(() -> Promotion.rollbackTarget(List.of(), OptionalInt.empty(), OptionalInt.empty()))
        .hasMessage("the dataset has no current version to roll back from");
  }

  @Test
  void explicitPromoteAcceptsRolledBackButNotFailed() {
    assertThat(Promotion.checkExplicitPromote(versions, 3, OptionalInt.of(5)).version()).isEqualTo(3);
    assertThatThrownBy(() -> Promotion.checkExplicitPromote(versions, 6, OptionalInt.of(5)))
        .hasMessageContaining("version 6 is failed");
    assertThatThrownBy(() -> Promotion.checkExplicitPromote(versions, 5, OptionalInt.of(5)))
        .hasMessage("version 5 is already current");
  }
}
