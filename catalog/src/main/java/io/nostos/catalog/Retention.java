package io.nostos.catalog;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Predicate;

/**
 * Decides which versions of a dataset to drop. Pure: no I/O.
 *
 * <p>Rules: the current version is never dropped; failed versions are always dropped; a build
 * whose owner process is known to be dead, or whose heartbeat is older than the timeout, is
 * abandoned and dropped; of the versions that hold data (current, loaded, backup, rolled back) the
 * current one plus the newest {@code retain - 1} others are kept (the newest {@code retain} when
 * there is no current version).
 */
public final class Retention {
  private Retention() {}

  /**
   * Versions to drop, newest first.
   *
   * @param versions all versions of one dataset (any order; dropped ones are ignored)
   * @param current the current version, if any
   * @param retain how many data-holding versions to keep, including the current one (at least 1)
   * @param now the time of the decision
   * @param heartbeatTimeout a building version silent for longer than this is abandoned
   * @param ownerDead whether the owner process of a building version is known to be gone
   */
  public static List<DatasetVersion> versionsToDrop(
      List<DatasetVersion> versions,
      OptionalInt current,
      int retain,
      Instant now,
      Duration heartbeatTimeout,
      Predicate<DatasetVersion> ownerDead) {
    if (retain < 1) {
      throw new IllegalArgumentException("retain must be at least 1, got " + retain);
    }
    List<DatasetVersion> drop = new ArrayList<>();
    List<DatasetVersion> sorted = new ArrayList<>(versions);
    sorted.sort(Comparator.comparingInt(DatasetVersion::version).reversed());
    int othersToKeep = current.isPresent() ? retain - 1 : retain;
    int keptOthers = 0;
    for (DatasetVersion v : sorted) {
      boolean isCurrent = current.isPresent() && current.getAsInt() == v.version();
      if (isCurrent || v.state() == VersionState.DROPPED) {
        continue;
      }
      switch (v.state()) {
        case FAILED:
          drop.add(v);
          break;
        case BUILDING:
          if (isAbandoned(v, now, heartbeatTimeout, ownerDead)) {
            drop.add(v);
          }
          break;
        default:
          if (keptOthers < othersToKeep) {
            keptOthers++;
          } else {
            drop.add(v);
          }
      }
    }
    return drop;
  }

  /** A build is abandoned when its owner is gone or it stopped sending heartbeats. */
  public static boolean isAbandoned(
      DatasetVersion v, Instant now, Duration heartbeatTimeout, Predicate<DatasetVersion> ownerDead) {
    if (v.state() != VersionState.BUILDING) {
      return false;
    }
    if (ownerDead.test(v)) {
      return true;
    }
    Instant last = v.heartbeatAt() != null ? v.heartbeatAt() : v.createdAt();
    return last == null || last.plus(heartbeatTimeout).isBefore(now);
  }
}
