package io.nostos.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.cassandra.streaming.StreamManager.StreamRateLimiter;
import org.junit.jupiter.api.Test;

class StreamThrottleTest {
  private static final double MIB = 1024 * 1024;

  @Test
  void eachLoadsLimitReachesTheRateLimiterThatStreamsUse() {
    // In this order the rate limiter is created during the first load, as in a daemon: with the
    // first limit. Before StreamThrottle, the next loads kept it.
    StreamThrottle.apply(0);
    assertThat(StreamRateLimiter.getRateLimiterRateInBytes()).isEqualTo(Double.MAX_VALUE);
    assertThat(StreamRateLimiter.getEntireSSTableRateLimiterRateInBytes()).isEqualTo(Double.MAX_VALUE);

    StreamThrottle.apply(5);
    assertThat(StreamRateLimiter.getRateLimiterRateInBytes()).isEqualTo(5 * MIB);
    assertThat(StreamRateLimiter.getEntireSSTableRateLimiterRateInBytes()).isEqualTo(5 * MIB);

    StreamThrottle.apply(40);
    assertThat(StreamRateLimiter.getRateLimiterRateInBytes()).isEqualTo(40 * MIB);
    assertThat(StreamRateLimiter.getEntireSSTableRateLimiterRateInBytes()).isEqualTo(40 * MIB);

    StreamThrottle.apply(0);
    assertThat(StreamRateLimiter.getRateLimiterRateInBytes()).isEqualTo(Double.MAX_VALUE);
    assertThat(StreamRateLimiter.getEntireSSTableRateLimiterRateInBytes()).isEqualTo(Double.MAX_VALUE);
  }

  @Test
  void aNegativeLimitIsRefused() {
    assertThatThrownBy(() -> StreamThrottle.apply(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("throttle must be >= 0 MiB/s (0 = unthrottled), got -1");
  }
}
