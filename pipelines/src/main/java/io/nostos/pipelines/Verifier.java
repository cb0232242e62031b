package io.nostos.pipelines;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.nostos.catalog.Sessions;
import io.nostos.pipelines.spec.Spec;
import io.nostos.sstable.EncodedRow;
import io.nostos.sstable.RangeResult;
import io.nostos.sstable.TableSchema;
import io.nostos.sstable.TokenRange;
import io.nostos.sstable.TokenRangePlanner;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Collectors;

/**
 * Proves a loaded table holds what the sink wrote, before it may become current: the row count
 * of every range (counted over token sub-ranges, several at a time, so no single query scans too
 * much; skipped with {@code verify: sample}) and a random sample of rows read back by primary key,
 * column by column, byte for byte. Read-only; safe to repeat.
 */
final class Verifier {
  /** Count at most about this many rows per query. */
  private static final long ROWS_PER_COUNT_QUERY = 50_000;
  /**
   * The node counts in internal pages of the request's page size, each a new read of the range
   * from where the last stopped: pages of more than a sub-range's rows make that one read (about
   * 9% less node CPU than the driver's 5,000-row pages, 1M rows in 20 queries).
   */
  private static final int COUNT_PAGE_ROWS = (int) (2 * ROWS_PER_COUNT_QUERY);
  /** Count queries running at once, per node. */
  private static final int COUNTS_IN_FLIGHT = 4;

  private Verifier() {}

  /**
   * Checks ranges the sink wrote: with {@link Spec.Verify#COUNT}, that each holds exactly the rows
   * written; always, that its sampled rows read back equal, column by column. Ranges are disjoint
   * in tokens, so a range can be checked as soon as it is streamed, while others are still being
   * written.
   */
  static void verifyWritten(CqlSession session, TableSchema table, List<RangeResult> written, Spec.Verify verify) {
    if (verify == Spec.Verify.COUNT) {
      checkCounts(session, table, written.stream().map(r -> new Expected(r.rangeId(), r.range(), r.rows())).toList());
    }
    verifySample(session, table, written);
  }

  /** Checks that every planned range the sink wrote nothing for ({@code written} lacks it) is empty. */
  static void verifyUnwritten(CqlSession session, TableSchema table, List<TokenRange> planned,
      List<RangeResult> written) {
    Set<Integer> writtenIds = written.stream().map(RangeResult::rangeId).collect(Collectors.toSet());
    List<Expected> empty = new ArrayList<>();
    for (int i = 0; i < planned.size(); i++) {
      if (!writtenIds.contains(i)) {
        empty.add(new Expected(i, planned.get(i), 0));
      }
    }
    checkCounts(session, table, empty);
  }

  /** A planned range and the rows it must hold. */
  private record Expected(int rangeId, TokenRange range, long rows) {}

  private static void checkCounts(CqlSession session, TableSchema table, List<Expected> expected) {
    if (expected.isEmpty()) {
      return;
    }
    String tokenOf = "token(" + table.partitionKey().stream().map(c -> TableSchema.quote(c.name()))
        .collect(Collectors.joining(", ")) + ")";
    PreparedStatement count = session.prepare("SELECT count(*) FROM " + table.qualifiedName()
        + " WHERE " + tokenOf + " > ? AND " + tokenOf + " <= ?");
    long[] found = countConcurrently(session, count, expected);
    for (int i = 0; i < expected.size(); i++) {
      Expected e = expected.get(i);
      if (found[i] != e.rows()) {
        throw new VerificationException("range " + e.rangeId() + " " + e.range() + " of " + table.qualifiedName()
            + ": the sink wrote " + e.rows() + " rows but the table holds " + found[i]
            + "; the version is not promoted");
      }
    }
  }

  /**
   * The rows of each expected range, counted over sub-ranges of at most about
   * {@link #ROWS_PER_COUNT_QUERY} expected rows, {@link #COUNTS_IN_FLIGHT} queries per node at a
   * time: one count runs on one core of a node, so counting one sub-range after another leaves
   * the others idle (1M rows on 2 cores: 8.7 s one at a time, 5.0 s four at a time).
   */
  private static long[] countConcurrently(CqlSession session, PreparedStatement count, List<Expected> expected) {
    int inFlight = Math.min(64, COUNTS_IN_FLIGHT * Math.max(1, session.getMetadata().getNodes().size()));
    Semaphore slots = new Semaphore(inFlight);
    AtomicLongArray found = new AtomicLongArray(expected.size());
    List<CompletableFuture<?>> counts = new ArrayList<>();
    for (int i = 0; i < expected.size(); i++) {
      int index = i;
      Expected e = expected.get(i);
      int parts = (int) Math.max(1, Math.min(1024, (e.rows() + ROWS_PER_COUNT_QUERY - 1) / ROWS_PER_COUNT_QUERY));
      for (TokenRange sub : TokenRangePlanner.split(e.range(), parts)) {
        slots.acquireUninterruptibly();
        counts.add(session.executeAsync(count.bind(sub.start(), sub.end())
            .setPageSize(COUNT_PAGE_ROWS).setTimeout(Duration.ofMinutes(2)))
            .toCompletableFuture()
            .whenComplete((rs, error) -> slots.release())
            .thenAccept(rs -> {
              Row row = rs.one();
              found.addAndGet(index, row == null ? 0 : row.getLong(0));
            }));
      }
    }
    Sessions.await(CompletableFuture.allOf(counts.toArray(new CompletableFuture[0])));
    long[] out = new long[expected.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = found.get(i);
    }
    return out;
  }

  private static void verifySample(CqlSession session, TableSchema table, List<RangeResult> ranges) {
    List<TableSchema.Column> cols = table.columns();
    int keyCount = table.partitionKey().size() + table.clustering().size();
    List<TableSchema.Column> regular = cols.subList(keyCount, cols.size());
    if (regular.isEmpty()) {
      return;
    }
    String select = "SELECT " + regular.stream().map(c -> TableSchema.quote(c.name())).collect(Collectors.joining(", "))
        + " FROM " + table.qualifiedName() + " WHERE "
        + cols.subList(0, keyCount).stream().map(c -> TableSchema.quote(c.name()) + " = ?").collect(Collectors.joining(" AND "));
    PreparedStatement ps = session.prepare(SimpleStatement.newInstance(select));
    for (RangeResult r : ranges) {
      for (byte[] sampled : r.sample()) {
        List<ByteBuffer> values = EncodedRow.values(sampled);
        BoundStatement b = ps.bind();
        for (int i = 0; i < keyCount; i++) {
          b = b.setBytesUnsafe(i, values.get(i));
        }
        Row row = session.execute(b).one();
        if (row == null) {
          throw new VerificationException("a sampled row of range " + r.rangeId() + " is missing from "
              + table.qualifiedName() + "; the version is not promoted");
        }
        for (int i = 0; i < regular.size(); i++) {
          ByteBuffer expected = values.get(keyCount + i);
          ByteBuffer actual = row.getBytesUnsafe(i);
          boolean same = expected == null ? actual == null : expected.equals(actual);
          if (!same) {
            throw new VerificationException("column " + regular.get(i).name() + " of a sampled row of range "
                + r.rangeId() + " differs between what was written and what " + table.qualifiedName()
                + " returns; the version is not promoted");
          }
        }
      }
    }
  }

  /** The loaded table does not match what was written. */
  static final class VerificationException extends RuntimeException {
    VerificationException(String message) {
      super(message);
    }
  }
}
