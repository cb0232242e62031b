package io.nostos.catalog;

import static io.nostos.catalog.Versions.NOW;
import static io.nostos.catalog.Versions.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class RetentionTest {
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private static List<Integer> drop(List<DatasetVersion> versions, Integer current, int retain) {
    return Retention.versionsToDrop(versions, current == null ? OptionalInt.empty() : OptionalInt.of(current), retain,
        NOW, TIMEOUT, x -> false).stream().map(DatasetVersion::version).toList();
  }

  @Test
  void keepsTheCurrentAndNewestBackups() {
    List<DatasetVersion> vs = List.of(v(1, VersionState.BACKUP), v(2, VersionState.BACKUP), v(3, VersionState.BACKUP),
        v(4, VersionState.CURRENT));
    assertThat(drop(vs, 4, 3)).containsExactly(1);
    assertThat(drop(vs, 4, 1)).containsExactly(3, 2, 1);
    assertThat(drop(vs, 4, 10)).isEmpty();
  }

  @Test
  void neverDropsTheCurrentVersionEvenWhenOldest() {
    List<DatasetVersion> vs = List.of(v(1, VersionState.CURRENT), v(2, VersionState.ROLLED_BACK),
        v(3, VersionState.BACKUP), v(4, VersionState.LOADED));
    assertThat(drop(vs, 1, 2)).containsExactly(3, 2);
  }

  @Test
  void alwaysDropsFailedVersions() {
    List<DatasetVersion> vs = List.of(v(1, VersionState.CURRENT), v(2, VersionState.FAILED));
    assertThat(drop(vs, 1, 5)).containsExactly(2);
  }

  @Test
  void ignoresDroppedVersions() {
    List<DatasetVersion> vs = List.of(v(1, VersionState.DROPPED), v(2, VersionState.CURRENT));
    assertThat(drop(vs, 2, 1)).isEmpty();
  }

  @Test
  void dropsBuildsWhoseHeartbeatStopped() {
    List<DatasetVersion> vs = List.of(v(1, VersionState.CURRENT),
        v(2, VersionState.BUILDING, NOW.minus(Duration.ofMinutes(3)), "h:1"),
        v(3, VersionState.BUILDING, NOW.minus(Duration.ofSeconds(30)), "h:2"));
    assertThat(drop(vs, 1, 3)).containsExactly(2);
  }

  @Test
  void dropsBuildsWhoseOwnerIsGoneAtOnce() {
    List<DatasetVersion> vs = List.of(v(1, VersionState.CURRENT), v(2, VersionState.BUILDING, NOW, "h:99"));
    assertThat(Retention.versionsToDrop(vs, OptionalInt.of(1), 3, NOW, TIMEOUT, x -> x.owner().equals("h:99")))
        .extracting(DatasetVersion::version).containsExactly(2);
  }

  @Test
  void withoutCurrentVersionKeepsTheNewest() {
    List<DatasetVersion> vs = List.of(v(1, VersionState.LOADED), v(2, VersionState.LOADED), v(3, VersionState.LOADED));
    assertThat(drop(vs, null, 2)).containsExactly(1);
  }

  @Test
  void retainMustBePositive() {
    assertThatThrownBy(() -> drop(List.of(), null, 0)).hasMessage("retain must be at least 1, got 0");
  }
}
