package io.nostos.catalog;

import com.datastax.oss.driver.api.core.CqlSession;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One driver session per cluster in this JVM, shared by everything that holds a {@link Lease} on
 * it: a load's own steps (the run, each worker's range checks, the finalize step) and, in the
 * daemon, the loads that follow. A session takes 0.1-0.4 s to open on a warm JVM and seconds on
 * a cold one; a load used to open three or more.
 *
 * <p>{@link #lease} returns at once and opens the session in the background if none is open or
 * opening; {@link Lease#session} waits for it. A session whose opening failed is forgotten, so the
 * next lease tries again. Once no lease holds a session it is closed, at once by default, or after
 * {@link #keepIdleSessionsFor} without a lease (what the daemon sets). Thread-safe.
 *
 * @param <S> the session type (a {@link CqlSession}; tests use stand-ins to check the counting)
 */
public final class SharedSessions<S> {
  private static final SharedSessions<CqlSession> CQL = new SharedSessions<>(Sessions::openInBackground,
      SharedSessions::connected, CqlSession::closeAsync);

  /** What makes two targets share a session: where it connects and as whom, nothing else. */
  private record Key(List<String> contactPoints, String localDatacenter, String username, String password) {
    static Key of(CassandraTarget t) {
      return new Key(t.contactPoints(), t.localDatacenter(), t.username(), t.password());
    }
  }

  private final class Entry {
    final CompletableFuture<S> opening;
    int leases;
    ScheduledFuture<?> closing;

    Entry(CompletableFuture<S> opening) {
      this.opening = opening;
    }
  }

  private final Function<CassandraTarget, CompletableFuture<S>> opener;
  private final Predicate<S> usable;
  private final Consumer<S> closer;
  private final Map<Key, Entry> entries = new HashMap<>();
  private Duration keepIdle = Duration.ZERO;
  private ScheduledExecutorService timer;
  private long opened;

  SharedSessions(Function<CassandraTarget, CompletableFuture<S>> opener, Predicate<S> usable, Consumer<S> closer) {
    this.opener = opener;
    this.usable = usable;
    this.closer = closer;
  }

  /**
   * Whether a kept session still reaches the cluster. After a node restart the driver reconnects
   * only after its reconnection delay (1 s, doubling to 60 s); a fresh session connects at once.
   */
  private static boolean connected(CqlSession s) {
    return !s.isClosed() && s.getMetadata().getNodes().values().stream().anyMatch(n -> n.getOpenConnections() > 0);
  }

  /** A lease on the shared driver session of {@code target}'s cluster; close it when done. */
  public static Lease<CqlSession> lease(CassandraTarget target) {
    return CQL.acquire(target);
  }

  /**
   * Keeps a driver session open for {@code idle} after its last lease is closed, so the next
   * lease within that time finds it open. {@link Duration#ZERO} (the default) closes it at once.
   */
  public static void keepIdleSessionsFor(Duration idle) {
    CQL.keepIdleFor(idle);
  }

  /** How many driver sessions this JVM has opened through leases. */
  public static long sessionsOpened() {
    return CQL.opened();
  }

  /** A hold on a shared session. Closing it twice is harmless; never close the session itself. */
  public static final class Lease<T> implements AutoCloseable {
    private final CompletableFuture<T> opening;
    private final Runnable release;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Lease(CompletableFuture<T> opening, Runnable release) {
      this.opening = opening;
      this.release = release;
    }

    /** The session, once open; throws what opening it failed with. */
    public T session() {
      return Sessions.await(opening);
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        release.run();
      }
    }
  }

  synchronized Lease<S> acquire(CassandraTarget target) {
    Key key = Key.of(Objects.requireNonNull(target, "target"));
    Entry e = entries.get(key);
    if (e != null && e.leases == 0 && e.opening.isDone() && !e.opening.isCompletedExceptionally()
        && !usable.test(e.opening.join())) {
      close(key, e);  // kept while idle, and no longer connected: open a new one
      e = null;
    }
    if (e == null) {
      Entry fresh = new Entry(opener.apply(target));
      opened++;
      entries.put(key, fresh);
      // Forget a session that failed to open, so that the next lease tries again.
      fresh.opening.whenComplete((s, failure) -> {
        if (failure != null) {
          forget(key, fresh);
        }
      });
      e = fresh;
    }
    e.leases++;
    if (e.closing != null) {
      e.closing.cancel(false);
      e.closing = null;
    }
    Entry held = e;
    return new Lease<>(e.opening, () -> release(key, held));
  }

  private synchronized void forget(Key key, Entry e) {
    entries.remove(key, e);
  }

  private synchronized void release(Key key, Entry e) {
    if (--e.leases > 0 || entries.get(key) != e) {
      return;  // still held, or forgotten after a failed open
    }
    if (keepIdle.isZero()) {
      close(key, e);
    } else {
      e.closing = timer().schedule(() -> closeIfIdle(key, e), keepIdle.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private synchronized void closeIfIdle(Key key, Entry e) {
    if (e.leases == 0 && entries.get(key) == e) {
      close(key, e);
    }
  }

  private void close(Key key, Entry e) {
    if (e.closing != null) {
      e.closing.cancel(false);
    }
    entries.remove(key);
    e.opening.thenAccept(closer);
  }

  synchronized void keepIdleFor(Duration idle) {
    if (idle.isNegative()) {
      throw new IllegalArgumentException("idle time must be zero or more, not " + idle);
    }
    keepIdle = idle;
  }

  synchronized long opened() {
    return opened;
  }

  synchronized int open() {
    return entries.size();
  }

  private ScheduledExecutorService timer() {
    if (timer == null) {
      timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "nostos-idle-sessions");
        t.setDaemon(true);
        return t;
      });
    }
    return timer;
  }
}
