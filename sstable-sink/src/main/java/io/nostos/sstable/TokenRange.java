package io.nostos.sstable;

import java.io.Serializable;

/**
 * A contiguous range of Murmur3 tokens, {@code (start, end]}: start exclusive, end inclusive, as
 * Cassandra names ranges. {@code start == Long.MIN_VALUE} means "from the lowest token".
 */
public record TokenRange(long start, long end) implements Serializable {
  public TokenRange {
    if (end <= start) {
      throw new IllegalArgumentException("token range (" + start + ", " + end + "] is empty or wraps; split it first");
    }
  }

  public boolean contains(long token) {
    return token > start && token <= end;
  }

  /** Width of the range as a double (it can exceed Long.MAX_VALUE). */
  public double width() {
    return (double) end - (double) start;
  }

  @Override
  public String toString() {
    return "(" + start + ", " + end + "]";
  }
}
