package io.nostos.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The counting of {@link SharedSessions}, with stand-in sessions whose opening the test controls. */
class SharedSessionsTest {
  private static final CassandraTarget LOCAL = CassandraTarget.local(9042, 7000, 7199);

  /** A stand-in session: which target it was opened for, and in which order. */
  private record Session(String contactPoints, int number) {}

  private final List<CompletableFuture<Session>> openings = new ArrayList<>();
  private final List<Session> closed = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Session> firstClosed = new CompletableFuture<>();
  private final Set<Session> disconnected = ConcurrentHashMap.newKeySet();
  private final SharedSessions<Session> sessions = new SharedSessions<>(target -> {
    CompletableFuture<Session> opening = new CompletableFuture<>();
    openings.add(opening);
    return opening;
  }, s -> !disconnected.contains(s), s -> {
    closed.add(s);
    firstClosed.complete(s);
  });

  private void openNext(CassandraTarget target) {
    CompletableFuture<Session> last = openings.get(openings.size() - 1);
    last.complete(new Session(String.join(",", target.contactPoints()), openings.size()));
  }

  @Test
  void leasesOfOneClusterShareOneSessionUntilTheLastIsClosed() {
    SharedSessions.Lease<Session> first = sessions.acquire(LOCAL);
    SharedSessions.Lease<Session> second = sessions.acquire(LOCAL.withCatalogKeyspace("other_catalog"));
    openNext(LOCAL);
    assertThat(first.session()).isSameAs(second.session()).isEqualTo(new Session("127.0.0.1:9042", 1));
    assertThat(sessions.opened()).isEqualTo(1);

    first.close();
    first.close();  // a second close must not release the other lease's hold
    assertThat(closed).isEmpty();
    second.close();
    assertThat(closed).containsExactly(new Session("127.0.0.1:9042", 1));
    assertThat(sessions.open()).isZero();
  }

  @Test
  void anotherClusterGetsItsOwnSession() {
    try (SharedSessions.Lease<Session> a = sessions.acquire(LOCAL)) {
      openNext(LOCAL);
      CassandraTarget other = CassandraTarget.local(19042, 7000, 7199);
      try (SharedSessions.Lease<Session> b = sessions.acquire(other)) {
        openNext(other);
        assertThat(a.session()).isEqualTo(new Session("127.0.0.1:9042", 1));
        assertThat(b.session()).isEqualTo(new Session("127.0.0.1:19042", 2));
      }
      assertThat(closed).containsExactly(new Session("127.0.0.1:19042", 2));
    }
    assertThat(closed).containsExactly(new Session("127.0.0.1:19042", 2), new Session("127.0.0.1:9042", 1));
  }

  @Test
  void aSessionReleasedWhileOpeningIsClosedOnceOpen() {
    sessions.acquire(LOCAL).close();
    assertThat(closed).isEmpty();
    openNext(LOCAL);
    assertThat(closed).containsExactly(new Session("127.0.0.1:9042", 1));
  }

  @Test
  void aFailedOpeningIsReportedAndTheNextLeaseTriesAgain() {
    SharedSessions.Lease<Session> failed = sessions.acquire(LOCAL);
    openings.get(0).completeExceptionally(new IllegalStateException("no node at 127.0.0.1:9042"));
    assertThatThrownBy(failed::session).isInstanceOf(IllegalStateException.class)
        .hasMessage("no node at 127.0.0.1:9042");

    try (SharedSessions.Lease<Session> retry = sessions.acquire(LOCAL)) {
      openNext(LOCAL);
      assertThat(retry.session()).isEqualTo(new Session("127.0.0.1:9042", 2));
      failed.close();  // releasing the failed lease leaves the new session alone
      assertThat(closed).isEmpty();
    }
    assertThat(closed).containsExactly(new Session("127.0.0.1:9042", 2));
  }

  @Test
  void anIdleSessionIsKeptForTheNextLeaseThenClosed() throws Exception {
    sessions.keepIdleFor(Duration.ofHours(1));
    sessions.acquire(LOCAL).close();
    openNext(LOCAL);
    try (SharedSessions.Lease<Session> again = sessions.acquire(LOCAL)) {
      assertThat(again.session()).isEqualTo(new Session("127.0.0.1:9042", 1));
    }
    assertThat(sessions.opened()).isEqualTo(1);
    assertThat(closed).isEmpty();

    sessions.keepIdleFor(Duration.ofMillis(20));
    sessions.acquire(LOCAL).close();  // the new idle time applies from this release on
    assertThat(firstClosed.get(30, TimeUnit.SECONDS)).isEqualTo(new Session("127.0.0.1:9042", 1));
    assertThat(sessions.open()).isZero();
    assertThat(sessions.opened()).isEqualTo(1);
  }

  @Test
  void aKeptSessionThatLostTheClusterIsReplaced() {
    sessions.keepIdleFor(Duration.ofHours(1));
    sessions.acquire(LOCAL).close();
    openNext(LOCAL);
    disconnected.add(new Session("127.0.0.1:9042", 1));  // say, the node was restarted meanwhile
    try (SharedSessions.Lease<Session> fresh = sessions.acquire(LOCAL)) {
      assertThat(closed).containsExactly(new Session("127.0.0.1:9042", 1));
      openNext(LOCAL);
      assertThat(fresh.session()).isEqualTo(new Session("127.0.0.1:9042", 2));
    }
    assertThat(sessions.opened()).isEqualTo(2);
  }

  @Test
  void aNegativeIdleTimeIsRefused() {
    assertThatThrownBy(() -> sessions.keepIdleFor(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("idle time must be zero or more, not PT-1S");
  }
}
