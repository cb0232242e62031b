package io.nostos.pipelines;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.TokenMap;
import com.datastax.oss.driver.api.core.metadata.token.TokenRange;
import io.nostos.sstable.RingRange;
import io.nostos.sstable.TokenRangePlanner;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads the cluster's ring from driver metadata and plans the run's token ranges. */
final class Rings {
  private Rings() {}

  /** Each node's primary ranges; empty if the driver has no token metadata. */
  static List<RingRange> ring(CqlSession session) {
    Optional<TokenMap> tokenMap = session.getMetadata().getTokenMap();
    List<RingRange> out = new ArrayList<>();
    if (tokenMap.isEmpty()) {
      return out;
    }
    TokenMap tm = tokenMap.get();
    for (Node node : session.getMetadata().getNodes().values()) {
      for (TokenRange r : tm.getTokenRanges(node)) {
        out.add(new RingRange(Long.parseLong(tm.format(r.getStart())), Long.parseLong(tm.format(r.getEnd())),
            Set.of(node.getHostId() == null ? node.getEndPoint().toString() : node.getHostId().toString())));
      }
    }
    return out;
  }

  /** Aim for ranges of about this much input, so each range's sort and SSTable stay moderate. */
  static final long BYTES_PER_RANGE = 256L * 1024 * 1024;

  /**
   * The ranges of a run: {@code requested} if set, else enough to keep every core busy and to
   * keep each range near {@link #BYTES_PER_RANGE} of input.
   */
  static List<io.nostos.sstable.TokenRange> plan(CqlSession session, int requested, long estimatedBytes) {
    return TokenRangePlanner.plan(ring(session), desiredRanges(requested, estimatedBytes,
        Runtime.getRuntime().availableProcessors()));
  }

  static int desiredRanges(int requested, long estimatedBytes, int cores) {
    if (requested > 0) {
      return requested;
    }
    long bySize = (estimatedBytes + BYTES_PER_RANGE - 1) / BYTES_PER_RANGE;
    return (int) Math.min(4096, Math.max(2L * Math.max(1, cores), bySize));
  }
}
