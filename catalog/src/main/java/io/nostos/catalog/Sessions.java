package io.nostos.catalog;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import java.time.Duration;

/** Opens driver sessions for a {@link CassandraTarget}. */
public final class Sessions {
  private Sessions() {}

  /** A new session; the caller closes it. */
  public static CqlSession open(CassandraTarget target) {
    return open(target, 0);
  }

  /**
   * A new session whose network I/O runs on {@code ioThreads} event-loop threads (0: the driver's
   * default, twice the processors); the caller closes it.
   */
  public static CqlSession open(CassandraTarget target, int ioThreads) {
    if (ioThreads < 0) {
      throw new IllegalArgumentException("ioThreads must be 0 (driver default) or more, not " + ioThreads);
    }
    DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
        .withInt(DefaultDriverOption.NETTY_IO_SIZE, ioThreads)
        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
        .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
        .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, Duration.ofSeconds(30))
        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(30))
        .withString(DefaultDriverOption.REQUEST_CONSISTENCY, "LOCAL_QUORUM")
        .withString(DefaultDriverOption.REQUEST_SERIAL_CONSISTENCY, "LOCAL_SERIAL")
        .withBoolean(DefaultDriverOption.REQUEST_WARN_IF_SET_KEYSPACE, false)
        // Close in milliseconds instead of netty's default 2 s quiet period (CLI runs are short).
        .withInt(DefaultDriverOption.NETTY_IO_SHUTDOWN_QUIET_PERIOD, 0)
        .withInt(DefaultDriverOption.NETTY_ADMIN_SHUTDOWN_QUIET_PERIOD, 0)
        .build();
    CqlSessionBuilder b = CqlSession.builder()
        .addContactPoints(target.addresses())
        .withLocalDatacenter(target.localDatacenter())
        .withConfigLoader(config);
    if (target.username() != null) {
      b = b.withAuthCredentials(target.username(), target.password() == null ? "" : target.password());
    }
    return b.build();
  }
}
