package io.nostos.catalog;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Opens driver sessions for a {@link CassandraTarget}. */
public final class Sessions {
  private Sessions() {}

  /** A new session; the caller closes it. */
  public static CqlSession open(CassandraTarget target) {
    return open(target, 0);
  }

  /**
   * Starts opening a session on a thread of its own and returns at once, so the caller can do
   * other work meanwhile: in a fresh JVM a session takes seconds to open, much of it waiting on
   * the network. Take it with {@link #await}; the caller closes it. {@link SharedSessions} opens
   * its sessions this way.
   */
  public static CompletableFuture<CqlSession> openInBackground(CassandraTarget target) {
    return CompletableFuture.supplyAsync(() -> open(target), task -> {
      Thread t = new Thread(task, "nostos-session-open");
      t.setDaemon(true);
      t.start();
    });
  }

  /**
   * Waits for an asynchronous step of a session (opening one with {@link #openInBackground}, or
   * a statement) and returns its result, or throws the exception the step failed with.
   */
  public static <T> T await(CompletableFuture<T> step) {
    try {
      return step.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
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
        // A DDL statement returns once the driver has refreshed its schema metadata, and the driver
        // first waits this long for more schema events to refresh once for all. Its default, 1 s,
        // made every CREATE TABLE and DROP TABLE of a load take 1.2 s on a one-node cluster; with
        // 100 ms they take 0.2-0.3 s. A load changes the schema twice; nothing here makes bursts.
        .withDuration(DefaultDriverOption.METADATA_SCHEMA_WINDOW, Duration.ofMillis(100))
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
