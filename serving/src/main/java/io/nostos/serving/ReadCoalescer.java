package io.nostos.serving;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Sends the reads that an event loop receives during one turn of its loop as few queries:
 * reads of one group (in the REST layer: the same table, the same fields, the same replicas) go
 * out together, at most {@code maxKeys} keys per query, and a key asked for twice in a turn is
 * read once.
 *
 * <p>Nothing waits for a batch to fill. The first read of a turn schedules a task on its loop;
 * the loop runs it right after the I/O of that turn, and the task sends whatever the turn
 * gathered. A read that arrives alone therefore goes out alone and at once; under load the turns
 * gather more reads and the queries carry more keys, which is when fewer, larger queries pay.
 * A read made on another thread is handed to its loop and joins the loop's next turn.
 *
 * <p>A turn's pending reads belong to the loop's thread and are only touched from it. Thread safe.
 *
 * @param <G> what reads must share to go in one query
 * @param <K> a key; equal keys of one group in one turn are read once
 * @param <R> the answer for one key
 */
final class ReadCoalescer<G, K, R> {

  /** Reads several keys of one group in one query. */
  @FunctionalInterface
  interface BatchRead<G, K, R> {
    /** The answers of {@code keys}, one entry per key found; a key without an entry has no answer. */
    CompletionStage<Map<K, R>> read(G group, List<K> keys);
  }

  private final int maxKeys;
  private final BatchRead<G, K, R> batchRead;
  /** The reads gathered in the current turn of this thread's loop, by group and then key. */
  private final ThreadLocal<Map<G, Map<K, List<CompletableFuture<Optional<R>>>>>> turn =
      ThreadLocal.withInitial(LinkedHashMap::new);

  /** {@code maxKeys} of 1 sends every read alone. */
  ReadCoalescer(int maxKeys, BatchRead<G, K, R> batchRead) {
    if (maxKeys < 1) {
      throw new IllegalArgumentException("at most " + maxKeys + " keys per query: must be 1 or more");
    }
    this.maxKeys = maxKeys;
    this.batchRead = batchRead;
  }

  /**
   * The answer for {@code key} of {@code group}, or empty if it has none; the read joins the
   * current turn of {@code loop} (the loop of the request's connection).
   */
  CompletionStage<Optional<R>> read(EventExecutor loop, G group, K key) {
    if (maxKeys == 1) {
      return send(group, List.of(key)).thenApply(found -> Optional.ofNullable(found.get(key)));
    }
    CompletableFuture<Optional<R>> answer = new CompletableFuture<>();
    if (loop.inEventLoop()) {
      gather(loop, group, key, answer);
    } else {
      loop.execute(() -> gather(loop, group, key, answer));
    }
    return answer;
  }

  private void gather(EventExecutor loop, G group, K key, CompletableFuture<Optional<R>> answer) {
    Map<G, Map<K, List<CompletableFuture<Optional<R>>>>> gathered = turn.get();
    if (gathered.isEmpty()) {
      loop.execute(this::flush);
    }
    gathered.computeIfAbsent(group, g -> new LinkedHashMap<>()).computeIfAbsent(key, k -> new ArrayList<>(1)).add(answer);
  }

  /** Sends what this turn gathered. Runs on the loop; reads made while it runs go to the next turn. */
  private void flush() {
    Map<G, Map<K, List<CompletableFuture<Optional<R>>>>> gathered = turn.get();
    turn.set(new LinkedHashMap<>());
    gathered.forEach((group, waiting) -> {
      List<K> keys = new ArrayList<>(waiting.keySet());
      for (int from = 0; from < keys.size(); from += maxKeys) {
        List<K> chunk = keys.subList(from, Math.min(keys.size(), from + maxKeys));
        send(group, chunk).whenComplete((found, error) -> {
          for (K key : chunk) {
            for (CompletableFuture<Optional<R>> answer : waiting.get(key)) {
              if (error != null) {
                answer.completeExceptionally(error);
              } else {
                answer.complete(Optional.ofNullable(found.get(key)));
              }
            }
          }
        });
      }
    });
  }

  private CompletionStage<Map<K, R>> send(G group, List<K> keys) {
    try {
      return batchRead.read(group, keys);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
