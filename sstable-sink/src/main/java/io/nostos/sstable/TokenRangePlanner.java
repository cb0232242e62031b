package io.nostos.sstable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Splits the Murmur3 ring into the token ranges the sink writes, one SSTable set per range. Pure.
 *
 * <p>Guarantees: the ranges are sorted, disjoint and cover every token; no range crosses a
 * boundary between ring ranges owned by different replica sets, so each range streams to exactly
 * one replica set (Cassandra can then stream whole SSTables). Adjacent ring ranges with the same
 * replicas are merged first; the merged ranges are then split into equal parts until there are
 * at least {@code desired} ranges, each getting parts in proportion to its width.
 */
public final class TokenRangePlanner {
  /** Lowest Murmur3 token; no key hashes to it. */
  public static final long MIN_TOKEN = Long.MIN_VALUE;
  public static final long MAX_TOKEN = Long.MAX_VALUE;

  private TokenRangePlanner() {}

  /**
   * Plans the ranges.
   *
   * @param ring the cluster's ring ranges (any order; may be empty for "unknown ring")
   * @param desired how many ranges to aim for (at least 1); the result has at least this many,
   *     and at least one per owned segment of the ring
   */
  public static List<TokenRange> plan(List<RingRange> ring, int desired) {
    if (desired < 1) {
      throw new IllegalArgumentException("desired range count must be at least 1, got " + desired);
    }
    List<Segment> segments = ownedSegments(ring);
    double total = segments.stream().mapToDouble(s -> s.range.width()).sum();
    List<TokenRange> out = new ArrayList<>();
    for (Segment s : segments) {
      int parts = Math.max(1, (int) Math.round(desired * s.range.width() / total));
      out.addAll(split(s.range, parts));
    }
    return out;
  }

  /** Splits {@code range} into {@code parts} ranges of (nearly) equal width. */
  public static List<TokenRange> split(TokenRange range, int parts) {
    List<TokenRange> out = new ArrayList<>(parts);
    long start = range.start();
    double step = range.width() / parts;
    for (int i = 1; i <= parts; i++) {
      long end = i == parts ? range.end() : (long) Math.floor((double) range.start() + step * i);
      if (end > start) {
        out.add(new TokenRange(start, end));
        start = end;
      }
    }
    return out;
  }

  /** The index of the range (from {@link #plan}) that holds {@code token}. */
  public static int indexOf(List<TokenRange> ranges, long token) {
    int lo = 0;
    int hi = ranges.size() - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (token <= ranges.get(mid).end()) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    if (!ranges.get(lo).contains(token)) {
      throw new IllegalArgumentException("token " + token + " is outside the planned ranges");
    }
    return lo;
  }

  private record Segment(TokenRange range, java.util.Set<String> replicas) {}

  /** Unwraps the ring into non-wrapping segments and merges neighbours with the same replicas. */
  private static List<Segment> ownedSegments(List<RingRange> ring) {
    List<Segment> pieces = new ArrayList<>();
    for (RingRange r : ring) {
      if (r.start() == r.end()) {
        // A single token owns the whole ring.
        pieces.add(new Segment(new TokenRange(MIN_TOKEN, MAX_TOKEN), r.replicas()));
      } else if (r.start() < r.end()) {
        pieces.add(new Segment(new TokenRange(r.start(), r.end()), r.replicas()));
      } else {
        if (r.start() < MAX_TOKEN) {
          pieces.add(new Segment(new TokenRange(r.start(), MAX_TOKEN), r.replicas()));
        }
        if (r.end() > MIN_TOKEN) {
          pieces.add(new Segment(new TokenRange(MIN_TOKEN, r.end()), r.replicas()));
        }
      }
    }
    if (pieces.isEmpty()) {
      return List.of(new Segment(new TokenRange(MIN_TOKEN, MAX_TOKEN), java.util.Set.of()));
    }
    pieces.sort(Comparator.comparingLong(s -> s.range.start()));
    checkCoverage(pieces);
    List<Segment> merged = new ArrayList<>();
    for (Segment s : pieces) {
      Segment last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && last.replicas.equals(s.replicas)) {
        merged.set(merged.size() - 1, new Segment(new TokenRange(last.range.start(), s.range.end()), s.replicas));
      } else {
        merged.add(s);
      }
    }
    return Collections.unmodifiableList(merged);
  }

  private static void checkCoverage(List<Segment> sorted) {
    long expected = MIN_TOKEN;
    for (Segment s : sorted) {
      if (s.range.start() != expected) {
        throw new IllegalArgumentException("ring ranges do not cover the ring: gap or overlap at token " + expected);
      }
      expected = s.range.end();
    }
    if (expected != MAX_TOKEN) {
      throw new IllegalArgumentException("ring ranges do not reach the highest token (stop at " + expected + ")");
    }
  }
}
