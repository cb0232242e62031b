package io.nostos.sstable;

import java.io.Serializable;
import java.util.Set;

/**
 * One range of the cluster's token ring and the replicas that own it, as read from the driver's
 * token map. {@code (start, end]}; the range that wraps past the highest token has
 * {@code start > end}.
 */
public record RingRange(long start, long end, Set<String> replicas) implements Serializable {
  public RingRange {
    replicas = Set.copyOf(replicas);
  }
}
