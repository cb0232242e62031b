package io.nostos.catalog;

import java.util.EnumSet;
import java.util.Set;

/**
 * Lifecycle of one table version of a dataset. Codes are stored in the catalog and never change.
 *
 * <pre>
 *   BUILDING ──► LOADED ──► CURRENT ──► BACKUP ──► DROPPED
 *      │           │           │  ▲        │
 *      ▼           ▼           ▼  └────────┘ (rollback / promote)
 *   FAILED ──► DROPPED     ROLLED_BACK ──► CURRENT (explicit promote only) / DROPPED
 * </pre>
 */
public enum VersionState {
  /** Table created; data is being written and streamed. Readers never see it. */
  BUILDING(1),
  /** All ranges streamed and verified; may become current. */
  LOADED(2),
  /** The version readers get. Exactly one per dataset at most. */
  CURRENT(3),
  /** Was current; kept for rollback until retention drops it. */
  BACKUP(4),
  /** Writing, streaming or verification failed, or the run was abandoned. Never promoted. */
  FAILED(5),
  /** Was current and was rolled back. Only an explicit {@code promote} makes it current again. */
  ROLLED_BACK(6),
  /** Table dropped and its snapshots cleared. Kept in the catalog as history. */
  DROPPED(7);

  private final int code;

  VersionState(int code) {
    this.code = code;
  }

  /** The fixed numeric code stored in the catalog. */
  public int code() {
    return code;
  }

  /** The state with this code; throws if the code is unknown. */
  public static VersionState fromCode(int code) {
    for (VersionState s : values()) {
      if (s.code == code) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown version state code " + code);
  }

  /** Lower-case name used in CLI and JSON output. */
  public String label() {
    return name().toLowerCase();
  }

  /** Whether the lifecycle allows moving from this state to {@code next}. */
  public boolean canTransitionTo(VersionState next) {
    return allowedNext().contains(next);
  }

  /** States that hold a complete, verified table. */
  public boolean holdsData() {
    return this == LOADED || this == CURRENT || this == BACKUP || this == ROLLED_BACK;
  }

  private Set<VersionState> allowedNext() {
    switch (this) {
      case BUILDING:
        return EnumSet.of(LOADED, FAILED);
      case LOADED:
        return EnumSet.of(CURRENT, BACKUP, FAILED, DROPPED);
      case CURRENT:
        return EnumSet.of(BACKUP, ROLLED_BACK);
      case BACKUP:
        return EnumSet.of(CURRENT, DROPPED);
      case ROLLED_BACK:
        return EnumSet.of(CURRENT, DROPPED);
      case FAILED:
        return EnumSet.of(DROPPED);
      case DROPPED:
      default:
        return EnumSet.noneOf(VersionState.class);
    }
  }
}
