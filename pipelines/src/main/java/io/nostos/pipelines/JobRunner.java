package io.nostos.pipelines;

import com.datastax.oss.driver.api.core.CqlSession;
import io.nostos.catalog.CassandraTarget;
import io.nostos.catalog.CatalogStore;
import io.nostos.catalog.DatasetVersion;
import io.nostos.catalog.Retention;
import io.nostos.catalog.Sessions;
import io.nostos.catalog.SharedSessions;
import io.nostos.catalog.VersionLifecycle;
import io.nostos.catalog.VersionName;
import io.nostos.catalog.VersionState;
import io.nostos.pipelines.spec.Spec;
import io.nostos.sstable.LoadTarget;
import io.nostos.sstable.Progress;
import io.nostos.sstable.TableSchema;
import io.nostos.sstable.TokenRange;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Runs one spec end to end: allocate a version, create its table, run the pipeline (write, stream,
 * verify, promote), prune old versions and report. If anything fails before promotion, the
 * version is marked failed and its table dropped; the current version is never touched. Safe to
 * run again after a failure or a kill: the next run prunes what the abandoned one left.
 */
public final class JobRunner {
  private final CassandraTarget target;
  private final RunnerConfig runner;
  private final Path workDir;
  private final PrintStream progress;

  /**
   * What a finished run did.
   *
   * @param badRows bad rows per reason (empty when there were none, or when the pipeline ran on a
   *     remote cluster whose counters this process does not see)
   * @param deadLetter where bad rows were written, or null when there were none
   */
  public record Outcome(String dataset, int version, String table, VersionState state, long rows, long bytes,
      int ranges, List<Integer> dropped, Duration elapsed, Map<String, Long> badRows, String deadLetter) {}

  /** What a run would do. */
  public record Plan(String dataset, int nextVersion, String table, String createTable, List<TokenRange> ranges,
      OptionalInt current, List<DatasetVersion> wouldDrop) {}

  public JobRunner(CassandraTarget target, RunnerConfig runner, Path workDir, PrintStream progress) {
    this.target = target;
    this.runner = runner;
    this.workDir = workDir;
    this.progress = progress;
  }

  /** The cluster this runner loads into. */
  public CassandraTarget target() {
    return target;
  }

  /** Dry run: no table is created, no version allocated. */
  public Plan plan(Spec spec) {
    FileSystems.setDefaultPipelineOptions(runner.options(List.of(), spec.usesS3()));  // s3:// paths are sized too
    try (SharedSessions.Lease<CqlSession> lease = SharedSessions.lease(target)) {
      CqlSession session = lease.session();
      CatalogStore catalog = new CatalogStore(session, target.catalogKeyspace());
      boolean hasCatalog = catalog.exists();
      List<DatasetVersion> versions = hasCatalog ? catalog.versions(spec.dataset()) : List.of();
      OptionalInt current = hasCatalog ? catalog.current(spec.dataset()) : OptionalInt.empty();
      int next = versions.stream().mapToInt(DatasetVersion::version).max().orElse(0) + 1;
      String table = VersionName.of(spec.dataset(), next);
      TableSchema schema = TableLayout.schema(spec, spec.load().keyspace(), table);
      List<DatasetVersion> after = new ArrayList<>(versions);
      after.add(new DatasetVersion(spec.dataset(), next, VersionState.CURRENT, spec.load().keyspace(), table,
          spec.layout().name().toLowerCase(), spec.keyNames(), Map.of(), 0, 0, Instant.now(), null, null, null, null, null));
      List<DatasetVersion> drop = Retention.versionsToDrop(after, OptionalInt.of(next), spec.retainVersions(),
          Instant.now(), VersionLifecycle.DEFAULT_HEARTBEAT_TIMEOUT, v -> false);
      return new Plan(spec.dataset(), next, spec.load().keyspace() + "." + table, schema.createTableCql(),
          Rings.plan(session, spec.load().ranges(), SourceSize.estimateBytes(spec.sources())), current, drop);
    }
  }

  public Outcome run(Spec spec) {
    Instant start = Instant.now();
    Progress.reset();
    // Beam's options take seconds to set up in a fresh JVM, and so does the session: the lease
    // opens it in the background. The pipeline's steps in this JVM lease the same session.
    try (SharedSessions.Lease<CqlSession> lease = SharedSessions.lease(target)) {
      PipelineOptions options = runner.options(List.of(), spec.usesS3());
      FileSystems.setDefaultPipelineOptions(options);
      CqlSession session = lease.session();
      VersionLifecycle lifecycle = new VersionLifecycle(session, target);
      CatalogStore catalog = lifecycle.catalog();
      catalog.ensureSchema(target.replication());
      String ks = spec.load().keyspace();
      session.execute("CREATE KEYSPACE IF NOT EXISTS " + ks + " WITH replication = " + target.replication());
      List<DatasetVersion> before = catalog.versions(spec.dataset());
      removeStaleStaging(before);
      java.util.Set<Integer> droppedBefore = dropped(before);
      int version = catalog.allocateVersion(spec.dataset());
      String table = VersionName.of(spec.dataset(), version);
      TableSchema schema = TableLayout.schema(spec, ks, table);
      catalog.recordBuilding(spec.dataset(), version, ks, table, spec.layout().name().toLowerCase(), spec.keyNames(),
          VersionLifecycle.thisProcessOwner());
      Path staging = workDir.resolve("runs").resolve(table + "-" + System.currentTimeMillis());
      ScheduledExecutorService timers = Executors.newScheduledThreadPool(1, r -> {
        Thread t = new Thread(r, "nostos-heartbeat");
        t.setDaemon(true);
        return t;
      });
      int rangeCount;
      String deadLetter = (spec.badRows().deadLetter() != null ? stripSlash(spec.badRows().deadLetter())
          : workDir.resolve("dead-letter").toAbsolutePath().toString()) + "/" + table;
      // Created while the job reads and writes (0.2-0.4 s of schema change on the node, which the
      // job need not wait for): the stream step waits until it exists (RangeLoader.TABLE_WAIT).
      CompletableFuture<?> creatingTable = CompletableFuture.completedFuture(null);
      try {
        creatingTable = session.executeAsync(schema.createTableCql()).toCompletableFuture();
        List<TokenRange> ranges = Rings.plan(session, spec.load().ranges(), SourceSize.estimateBytes(spec.sources()));
        progress.printf("%s v%d: writing %s in %d token ranges (runner: %s)%n", spec.dataset(), version,
            schema.qualifiedName(), ranges.size(), runner.name());
        RunContext ctx = new RunContext(spec.dataset(), version, schema, ranges, staging.toString(),
            target, new LoadTarget(target.contactPoints(), target.storagePort(), target.username(), target.password(),
                spec.load().throttleMibPerSec(), 2),
            spec.load().verifySample(), spec.load().verify(), spec.load().sortBufferMib(), deadLetter);
        timers.scheduleAtFixedRate(() -> catalog.heartbeat(spec.dataset(), version), 10, 10, TimeUnit.SECONDS);
        timers.scheduleAtFixedRate(this::printProgress, 5, 5, TimeUnit.SECONDS);
        options.setJobName("nostos-" + table.replace('_', '-'));
        Pipeline p = Pipeline.create(options);
        NostosPipeline.buildPipeline(p, spec, ctx);
        try (LocalFlink.Scope local = LocalFlink.enter(options)) {
          p.run().waitUntilFinish();
        }
        Sessions.await(creatingTable);
        timers.shutdownNow();
        printProgress();
        if (catalog.version(spec.dataset(), version).state() == VersionState.BUILDING) {
          throw new IllegalStateException("the source returned no rows; an empty version is not loaded");
        }
        rangeCount = ranges.size();
      } catch (RuntimeException e) {
        timers.shutdownNow();
        // Waited for so that pruning drops the table, not races it; when it failed, that is the cause.
        Throwable createFailed = creatingTable.handle((created, failed) -> failed).join();
        String why = createFailed == null ? Failures.describe(e)
            : "creating table " + schema.qualifiedName() + " failed: " + Failures.describe(createFailed);
        try {
          catalog.markFailed(spec.dataset(), version, why);
          lifecycle.prune(spec.dataset(), spec.retainVersions());
        } catch (RuntimeException cleanup) {
          // The next run prunes what is left; the cause of the failure is what the user needs.
          e.addSuppressed(cleanup);
        }
        JobFailedException failed = new JobFailedException(spec.dataset() + " v" + version + " failed: " + why
            + " (the current version is unchanged)", e);
        try {
          deleteQuietly(staging);
        } catch (RuntimeException cleanup) {
          failed.addSuppressed(cleanup);
        }
        throw failed;
      }
      // The streamed files are deleted while the node drops the old versions (0.1-0.2 s for 1M rows).
      CompletableFuture<Void> deletingStaging = CompletableFuture.runAsync(() -> deleteQuietly(staging));
      try {
        lifecycle.prune(spec.dataset(), spec.retainVersions());
      } catch (RuntimeException e) {
        deletingStaging.handle((deleted, failed) -> null).join();  // a later run removes what is left
        throw new JobFailedException(spec.dataset() + " v" + version + " is loaded and "
            + catalog.version(spec.dataset(), version).state().label() + ", but dropping old versions failed: "
            + Failures.describe(e) + " (the next run retries)", e);
      }
      Sessions.await(deletingStaging);
      DatasetVersion v = catalog.version(spec.dataset(), version);
      List<Integer> dropped = dropped(catalog.versions(spec.dataset())).stream()
          .filter(n -> !droppedBefore.contains(n)).sorted().toList();
      Map<String, Long> badRows = BadRowsStage.localCounts();
      return new Outcome(spec.dataset(), version, v.keyspace() + "." + v.table(), v.state(), v.rows(), v.bytes(),
          rangeCount, dropped, Duration.between(start, Instant.now()), badRows, badRows.isEmpty() ? null : deadLetter);
    }
  }

  private static String stripSlash(String location) {
    return location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
  }

  private static java.util.Set<Integer> dropped(List<DatasetVersion> versions) {
    return versions.stream().filter(d -> d.state() == VersionState.DROPPED)
        .map(DatasetVersion::version).collect(java.util.stream.Collectors.toSet());
  }

  /**
   * Deletes staging directories that runs of this dataset (the one {@code versions} belong to)
   * left behind when they were killed (their version is no longer building, or its owner is gone).
   */
  private void removeStaleStaging(List<DatasetVersion> versions) {
    Path runs = workDir.resolve("runs");
    if (versions.isEmpty() || !Files.isDirectory(runs)) {
      return;
    }
    String dataset = versions.get(0).dataset();
    Map<Integer, DatasetVersion> byVersion = new java.util.HashMap<>();
    versions.forEach(v -> byVersion.put(v.version(), v));
    try (Stream<Path> dirs = Files.list(runs)) {
      for (Path dir : dirs.toList()) {
        String name = dir.getFileName().toString();
        int dash = name.lastIndexOf('-');
        VersionName.Parsed parsed;
        try {
          parsed = VersionName.parse(dash < 0 ? name : name.substring(0, dash));
        } catch (IllegalArgumentException notOurs) {
          continue;
        }
        DatasetVersion v = byVersion.get(parsed.version());
        boolean stillBuilding = v != null && v.state() == VersionState.BUILDING
            && !Retention.isAbandoned(v, Instant.now(), VersionLifecycle.DEFAULT_HEARTBEAT_TIMEOUT,
                VersionLifecycle::ownerIsGone);
        if (parsed.dataset().equals(dataset) && !stillBuilding) {
          deleteQuietly(dir);
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot list " + runs, e);
    }
  }

  private void printProgress() {
    Map<String, Long> p = Progress.snapshot();
    long bad = BadRowsStage.localCounts().values().stream().mapToLong(Long::longValue).sum();
    progress.printf("  read %,d rows · written %,d rows in %d ranges (%s) · streamed %d · verified %d%s%n",
        p.getOrDefault(Progress.ROWS_READ, 0L), p.getOrDefault(Progress.ROWS_WRITTEN, 0L),
        p.getOrDefault(Progress.RANGES_WRITTEN, 0L), Sizes.human(p.getOrDefault(Progress.BYTES_WRITTEN, 0L)),
        p.getOrDefault(Progress.RANGES_STREAMED, 0L), p.getOrDefault(Progress.RANGES_VERIFIED, 0L),
        bad == 0 ? "" : String.format(" · %,d bad rows", bad));
  }

  private static void deleteQuietly(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot delete staging directory " + dir, e);
    }
  }
}
