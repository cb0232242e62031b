package io.nostos.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReadCoalescerTest {
  private final EventExecutor loop = new DefaultEventLoop();
  /** Every query sent, as "group:key,key". */
  private final List<String> queries = new CopyOnWriteArrayList<>();

  @AfterEach
  void stopLoop() {
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** Answers every key but those starting with "missing" with its upper case, and records the query. */
  private CompletionStage<Map<String, String>> answer(String group, List<String> keys) {
    queries.add(group + ":" + String.join(",", keys));
    Map<String, String> found = new HashMap<>();
    keys.stream().filter(k -> !k.startsWith("missing")).forEach(k -> found.put(k, k.toUpperCase()));
    return CompletableFuture.completedFuture(found);
  }

  /** Makes {@code reads} in one task on the loop, so in one turn of it; their answers, in order. */
  private List<Optional<String>> inOneTurn(ReadCoalescer<String, String, String> coalescer, List<String[]> reads) {
    List<CompletionStage<Optional<String>>> answers = loop.submit(() -> {
      List<CompletionStage<Optional<String>>> out = new ArrayList<>();
      for (String[] read : reads) {
        out.add(coalescer.read(loop, read[0], read[1]));
      }
      return out;
    }).syncUninterruptibly().getNow();
    return answers.stream().map(a -> a.toCompletableFuture().join()).toList();
  }

  private static String[] read(String group, String key) {
    return new String[] {group, key};
  }

  @Test
  void readsOfOneTurnShareAQueryPerGroupAndEachGetsItsOwnAnswer() {
    ReadCoalescer<String, String, String> c = new ReadCoalescer<>(32, this::answer);
    List<Optional<String>> answers = inOneTurn(c, List.of(read("t1", "a"), read("t1", "b"), read("t2", "c"),
        read("t1", "a"), read("t1", "missing-1")));
    assertThat(answers).containsExactly(Optional.of("A"), Optional.of("B"), Optional.of("C"), Optional.of("A"),
        Optional.empty());
    assertThat(queries).as("a key asked twice is read once; groups keep the order they came in")
        .containsExactly("t1:a,b,missing-1", "t2:c");
  }

  @Test
  void aTurnWithMoreKeysThanTheLimitSendsSeveralQueries() {
    ReadCoalescer<String, String, String> c = new ReadCoalescer<>(2, this::answer);
    List<Optional<String>> answers = inOneTurn(c, List.of(read("t", "a"), read("t", "b"), read("t", "c"),
        read("t", "d"), read("t", "e")));
    assertThat(answers).extracting(Optional::orElseThrow).containsExactly("A", "B", "C", "D", "E");
    assertThat(queries).containsExactly("t:a,b", "t:c,d", "t:e");
  }

  @Test
  void readsOfSeparateTurnsGoInSeparateQueries() {
    ReadCoalescer<String, String, String> c = new ReadCoalescer<>(32, this::answer);
    assertThat(inOneTurn(c, List.of(read("t", "a"), read("t", "b")))).extracting(Optional::orElseThrow)
        .containsExactly("A", "B");
    assertThat(inOneTurn(c, List.<String[]>of(read("t", "a")))).extracting(Optional::orElseThrow).containsExactly("A");
    assertThat(queries).containsExactly("t:a,b", "t:a");
  }

  @Test
  void aReadFromAnotherThreadIsHandedToTheLoop() {
    List<Thread> senders = new CopyOnWriteArrayList<>();
    ReadCoalescer<String, String, String> c = new ReadCoalescer<>(32, (group, keys) -> {
      senders.add(Thread.currentThread());
      return answer(group, keys);
    });
    assertThat(c.read(loop, "t", "a").toCompletableFuture().join()).hasValue("A");
    assertThat(senders).hasSize(1).allMatch(loop::inEventLoop);
    assertThat(queries).containsExactly("t:a");
  }

  @Test
  void aFailedQueryFailsEveryReadInItAndNoOther() {
    ReadCoalescer<String, String, String> c = new ReadCoalescer<>(32, (group, keys) -> {
      if (group.equals("broken")) {
        throw new IllegalStateException("table gone");
      }
      return group.equals("down") ? CompletableFuture.failedFuture(new IllegalStateException("node down"))
          : answer(group, keys);
    });
    List<CompletionStage<Optional<String>>> answers = loop.submit(() -> List.of(
        c.read(loop, "broken", "a"), c.read(loop, "down", "b"), c.read(loop, "down", "c"), c.read(loop, "t", "d")))
        .syncUninterruptibly().getNow();
    Function<Integer, CompletableFuture<Optional<String>>> nth = i -> answers.get(i).toCompletableFuture();
    assertThatThrownBy(() -> nth.apply(0).join()).isInstanceOf(CompletionException.class).hasRootCauseMessage("table gone");
    assertThatThrownBy(() -> nth.apply(1).join()).hasRootCauseMessage("node down");
    assertThatThrownBy(() -> nth.apply(2).join()).hasRootCauseMessage("node down");
    assertThat(nth.apply(3).join()).hasValue("D");
  }

  @Test
  void oneKeyPerQuerySendsEveryReadAloneAtOnce() {
    ReadCoalescer<String, String, String> c = new ReadCoalescer<>(1, this::answer);
    assertThat(inOneTurn(c, List.of(read("t", "a"), read("t", "a"), read("t", "missing"))))
        .containsExactly(Optional.of("A"), Optional.of("A"), Optional.empty());
    assertThat(queries).containsExactly("t:a", "t:a", "t:missing");
    assertThatThrownBy(() -> new ReadCoalescer<String, String, String>(0, this::answer))
        .hasMessageContaining("must be 1 or more");
  }
}
