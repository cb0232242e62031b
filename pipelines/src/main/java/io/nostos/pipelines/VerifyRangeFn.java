package io.nostos.pipelines;

import com.datastax.oss.driver.api.core.CqlSession;
import io.nostos.catalog.Sessions;
import io.nostos.catalog.SharedSessions;
import io.nostos.sstable.Progress;
import io.nostos.sstable.RangeResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;

/**
 * Verifies each streamed range ({@link Verifier#verifyWritten}) as soon as it arrives, on a
 * thread of its own, so the cluster counts one range while this worker streams the next and
 * others are still being written; with the count after the last stream, the run's tail is one
 * range's check instead of the whole table's. A range is output only once it has verified, at the
 * end of its bundle; one that does not verify fails the bundle, so it never reaches
 * {@link Finalize} and the version is not promoted. Read-only against the cluster; safe to retry.
 */
final class VerifyRangeFn extends DoFn<RangeResult, RangeResult> {
  private final RunContext ctx;
  private final Progress.Step rangesVerified = Progress.counter(Progress.RANGES_VERIFIED);
  private transient ExecutorService checker;
  private transient SharedSessions.Lease<CqlSession> lease;
  private transient List<CompletableFuture<RangeResult>> pending;

  VerifyRangeFn(RunContext ctx) {
    this.ctx = ctx;
  }

  @Setup
  public void setup() {
    lease = SharedSessions.lease(ctx.target());  // opens in the background unless this JVM has it open
    checker = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "nostos-verify-range");
      t.setDaemon(true);
      return t;
    });
  }

  @StartBundle
  public void startBundle() {
    pending = new ArrayList<>();
  }

  @ProcessElement
  public void process(@Element RangeResult range) {
    pending.add(CompletableFuture.supplyAsync(() -> {
      // On the checker thread: streaming never waits for the session to open.
      Verifier.verifyWritten(lease.session(), ctx.table(), List.of(range), ctx.verify());
      return range;
    }, checker));
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext c) {
    for (CompletableFuture<RangeResult> check : pending) {
      RangeResult verified = Sessions.await(check);
      rangesVerified.inc(1);  // here: Beam counts metrics only on the thread that runs the DoFn
      c.output(verified, GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
    }
    pending = null;
  }

  @Teardown
  public void teardown() throws InterruptedException {
    if (checker != null) {
      checker.shutdownNow();
      checker.awaitTermination(30, TimeUnit.SECONDS);
    }
    if (lease != null) {
      lease.close();
    }
  }
}
