package io.nostos.catalog;

import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** Pure decisions about which version becomes current. No I/O. */
public final class Promotion {
  /** States an explicit promote accepts. */
  public static final Set<VersionState> PROMOTABLE =
      EnumSet.of(VersionState.LOADED, VersionState.BACKUP, VersionState.ROLLED_BACK);
  /** States a rollback may go to. */
  public static final Set<VersionState> ROLLBACK_TARGETS =
      EnumSet.of(VersionState.BACKUP, VersionState.LOADED);

  private Promotion() {}

  /**
   * Whether a freshly loaded version should become current at the end of its run. It does when
   * there is no current version or it is newer than the current one: a slow run that finishes
   * after a newer version was promoted never replaces it, and it stays a backup.
   */
  public static boolean shouldAutoPromote(int candidate, OptionalInt current) {
    return current.isEmpty() || candidate > current.getAsInt();
  }

  /**
   * Checks that an explicit {@code promote} of {@code target} is allowed and returns it.
   *
   * @throws IllegalStateException saying why not
   */
  public static DatasetVersion checkExplicitPromote(List<DatasetVersion> versions, int target, OptionalInt current) {
    DatasetVersion v = find(versions, target)
        .orElseThrow(() -> new IllegalStateException("version " + target + " does not exist"));
    if (current.isPresent() && current.getAsInt() == target) {
      throw new IllegalStateException("version " + target + " is already current");
    }
    if (!PROMOTABLE.contains(v.state())) {
      throw new IllegalStateException("version " + target + " is " + v.state().label()
          + "; only loaded, backup or rolled_back versions can be promoted");
    }
    return v;
  }

  /**
   * The version a rollback goes to: {@code to} if given (it must be a backup or loaded version),
   * else the newest backup or loaded version older than the current one.
   *
   * @throws IllegalStateException saying why there is nothing to roll back to
   */
  public static DatasetVersion rollbackTarget(List<DatasetVersion> versions, OptionalInt current, OptionalInt to) {
    if (current.isEmpty()) {
      throw new IllegalStateException("the dataset has no current version to roll back from");
    }
    int cur = current.getAsInt();
    if (to.isPresent()) {
      int t = to.getAsInt();
      if (t == cur) {
        throw new IllegalStateException("version " + t + " is already current");
      }
      DatasetVersion v = find(versions, t)
          .orElseThrow(() -> new IllegalStateException("version " + t + " does not exist"));
      if (!ROLLBACK_TARGETS.contains(v.state())) {
        throw new IllegalStateException("cannot roll back to version " + t + ": it is " + v.state().label()
            + " (only backup or loaded versions hold a verified table)");
      }
      return v;
    }
    return versions.stream()
        .filter(v -> v.version() < cur && ROLLBACK_TARGETS.contains(v.state()))
        .max(Comparator.comparingInt(DatasetVersion::version))
        .orElseThrow(() -> new IllegalStateException(
            "no backup version older than current version " + cur + " to roll back to"));
  }

  private static Optional<DatasetVersion> find(List<DatasetVersion> versions, int version) {
    return versions.stream().filter(v -> v.version() == version).findFirst();
  }
}
