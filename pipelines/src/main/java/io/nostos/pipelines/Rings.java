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

  /** The ranges of a run: {@code requested} if set, else enough to keep every core busy. */
  static List<io.nostos.sstable.TokenRange> plan(CqlSession session, int requested) {
    int desired = requested > 0 ? requested : 2 * Math.max(1, Runtime.getRuntime().availableProcessors());
    return TokenRangePlanner.plan(ring(session), desired);
  }
}
