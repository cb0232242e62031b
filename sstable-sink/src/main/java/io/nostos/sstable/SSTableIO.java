package io.nostos.sstable;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Writes a {@link PCollection} as sorted SSTables, one per token range, and streams them into a
 * Cassandra table.
 *
 * <h3>Writing</h3>
 * <pre>{@code
 * SSTableIO.WriteResult<MyRow> written = rows.apply(SSTableIO.<MyRow>write()
 *     .withSchema(schema)                       // keyspace, table, columns in bind order
 *     .withRanges(TokenRangePlanner.plan(ring, 8))
 *     .withOutputDirectory("/tmp/nostos/run-42")
 *     .withRowFunction(r -> List.of(r.id(), r.name())));
 * }</pre>
 * Each row is serialized with Cassandra's types and given its Murmur3 token. Each worker sorts the
 * rows it encodes into runs per token range (at most {@link Write#withSortBufferMiB} buffered per
 * worker), so the shuffle by range moves a few large sorted runs instead of every row. The writer of
 * a range merges its runs (spilling them to disk past the same budget) and writes the rows with
 * {@code CQLSSTableWriter} in sorted mode into {@code <dir>/range-<i>/<ks>/<table>}. The input must
 * be bounded and in the global window.
 * The result has one {@link RangeResult} per non-empty range: rows, bytes, token bounds, file
 * checksums and a row sample.
 *
 * <h3>Loading</h3>
 * <pre>{@code
 * PCollection<RangeResult> loaded = written.getRanges().apply(SSTableIO.load()
 *     .withTable(schema).withTarget(loadTarget));
 * }</pre>
 * The target table must already exist with the schema the ranges were written with. Each worker
 * learns the ring and the table's id once per table over a short driver connection, then streams
 * every range it is given with Cassandra's bulk-load protocol.
 *
 * <h3>Guarantees</h3>
 * Retrying a bundle rewrites its range directory from scratch and re-streams identical rows, so
 * retries never duplicate or lose data. Two input rows with the same primary key fail the write
 * with a {@link DuplicateKeyException} naming the key.
 */
public final class SSTableIO {
  private SSTableIO() {}

  /**
   * Decides, from what {@link Write#withRejects} diverted, whether the write goes ahead. Each
   * encoding bundle tallies its rejected elements with {@link #count}; the tallies travel to every
   * range's writer with the sorted runs, so each writer sees the total over the whole input as
   * soon as the input is encoded, and asks {@link #admits} before writing anything. No other step
   * of the pipeline is waited on, so ranges still stream while others are being written. A refused
   * write writes and outputs no range; reporting the refusal (and failing the pipeline) is left to
   * the caller, which has the rejected elements in {@link WriteResult#getRejected()}.
   */
  public interface RejectGate<T> extends Serializable {
    /** Adds one rejected element to {@code tally}, counts by name. */
    void count(T rejected, Map<String, Long> tally);

    /** Whether ranges may be written, given the counts summed over the whole input. */
    boolean admits(Map<String, Long> total);
  }

  /** Turns an input element into column values in the schema's bind order. */
  @FunctionalInterface
  public interface RowFunction<T> extends Serializable {
    List<?> apply(T element) throws Exception;
  }

  public static <T> Write<T> write() {
    return new AutoValue_SSTableIO_Write.Builder<T>()
        .setSortBufferMiB(64)
        .setSampleSizePerRange(16)
        .build();
  }

  public static Load load() {
    return new AutoValue_SSTableIO_Load.Builder().build();
  }

  /** See {@link SSTableIO}. */
  @AutoValue
  public abstract static class Write<T> extends PTransform<PCollection<T>, WriteResult<T>> {
    abstract @Nullable TableSchema getSchema();

    abstract @Nullable List<TokenRange> getRanges();

    abstract @Nullable String getOutputDirectory();

    abstract @Nullable RowFunction<T> getRowFunction();

    abstract @Nullable SerializableFunction<T, Boolean> getRejectFunction();

    abstract @Nullable RejectGate<T> getRejectGate();

    abstract @Nullable PCollection<T> getUpstreamRejects();

    abstract int getSortBufferMiB();

    abstract int getSampleSizePerRange();

    abstract @Nullable List<Integer> getRangeKeys();

    abstract Builder<T> toBuilder();

    @AutoValue.Builder
    abstract static class Builder<T> {
      abstract Builder<T> setSchema(TableSchema schema);

      abstract Builder<T> setRanges(List<TokenRange> ranges);

      abstract Builder<T> setOutputDirectory(String dir);

      abstract Builder<T> setRowFunction(RowFunction<T> fn);

      abstract Builder<T> setRejectFunction(SerializableFunction<T, Boolean> fn);

      abstract Builder<T> setRejectGate(RejectGate<T> gate);

      abstract Builder<T> setUpstreamRejects(PCollection<T> rejects);

      abstract Builder<T> setSortBufferMiB(int mib);

      abstract Builder<T> setSampleSizePerRange(int n);

      abstract Builder<T> setRangeKeys(List<Integer> keys);

      abstract Write<T> build();
    }

    /** The table the SSTables are for. */
    public Write<T> withSchema(TableSchema schema) {
      checkArgumentNotNull(schema, "withSchema(schema) called with null schema");
      return toBuilder().setSchema(schema).build();
    }

    /** The token ranges, sorted and covering the ring, as {@link TokenRangePlanner#plan} returns. */
    public Write<T> withRanges(List<TokenRange> ranges) {
      checkArgumentNotNull(ranges, "withRanges(ranges) called with null ranges");
      if (ranges.isEmpty()) {
        throw new IllegalArgumentException("withRanges(ranges) needs at least one range");
      }
      if (ranges.get(0).start() != TokenRangePlanner.MIN_TOKEN
          || ranges.get(ranges.size() - 1).end() != TokenRangePlanner.MAX_TOKEN) {
        throw new IllegalArgumentException("withRanges(ranges) must cover the whole ring; use TokenRangePlanner.plan()");
      }
      for (int i = 1; i < ranges.size(); i++) {
        if (ranges.get(i).start() != ranges.get(i - 1).end()) {
          throw new IllegalArgumentException("withRanges(ranges): range " + i + " does not start where range "
              + (i - 1) + " ends");
        }
      }
      return toBuilder().setRanges(List.copyOf(ranges)).build();
    }

    /** A local directory for the SSTables (and sort spill files). */
    public Write<T> withOutputDirectory(String dir) {
      checkArgumentNotNull(dir, "withOutputDirectory(dir) called with null dir");
      return toBuilder().setOutputDirectory(dir).build();
    }

    public Write<T> withRowFunction(RowFunction<T> fn) {
      checkArgumentNotNull(fn, "withRowFunction(fn) called with null fn");
      return toBuilder().setRowFunction(fn).build();
    }

    /**
     * Elements for which {@code isRejected} returns true are not written: they come out unchanged
     * in {@link WriteResult#getRejected()}. This lets a pipeline carry records it has already judged
     * unusable (bad rows, tallies) in the same collection up to the sink instead of splitting them
     * off earlier; on Flink every split is a fan-out that serializes each row once more per branch,
     * while the sink's own fan-out only carries sorted runs.
     */
    public Write<T> withRejects(SerializableFunction<T, Boolean> isRejected) {
      checkArgumentNotNull(isRejected, "withRejects(isRejected) called with null isRejected");
      return toBuilder().setRejectFunction(isRejected).build();
    }

    /**
     * Writes no range unless {@code gate} admits what {@link #withRejects} diverted, counted over
     * the whole input (see {@link RejectGate}). Needs {@link #withRejects}.
     */
    public Write<T> withRejectGate(RejectGate<T> gate) {
      checkArgumentNotNull(gate, "withRejectGate(gate) called with null gate");
      return toBuilder().setRejectGate(gate).build();
    }

    /**
     * Elements judged unusable before the write and never given to it (split off by earlier
     * steps): the gate counts them with the write's own rejects, and they come out in
     * {@link WriteResult#getRejected()} with them. Their tallies join the runs at the shuffle by
     * range, which moves the runs anyway, so the rows are not copied once more to carry them.
     * Needs {@link #withRejectGate}.
     */
    public Write<T> withUpstreamRejects(PCollection<T> rejects) {
      checkArgumentNotNull(rejects, "withUpstreamRejects(rejects) called with null rejects");
      return toBuilder().setUpstreamRejects(rejects).build();
    }

    /**
     * Memory for sorting, per worker (default 64 MiB): each encoding worker buffers up to this much
     * before handing out sorted runs; each range writer keeps runs in memory up to half of it,
     * spills further runs to disk, and reads them back through buffers sharing the other half.
     */
    public Write<T> withSortBufferMiB(int mib) {
      if (mib < 1) {
        throw new IllegalArgumentException("withSortBufferMiB(mib) needs at least 1 MiB, got " + mib);
      }
      return toBuilder().setSortBufferMiB(mib).build();
    }

    /** How many rows per range to keep for read-back verification (default 16). */
    public Write<T> withSampleSizePerRange(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("withSampleSizePerRange(n) must be >= 0, got " + n);
      }
      return toBuilder().setSampleSizePerRange(n).build();
    }

    /**
     * The key each range's sorted runs are grouped under, by range (default: the range's index).
     * A runner shuffles groups to workers by their key; keys it spreads evenly keep every worker
     * writing: on Flink, a range's worker is a hash of its key, and 4 ranges keyed 0 to 3 go 3 to
     * one worker and 1 to the other of 2. Keys must be distinct and one per range.
     */
    public Write<T> withRangeKeys(List<Integer> keys) {
      checkArgumentNotNull(keys, "withRangeKeys(keys) called with null keys");
      if (keys.stream().anyMatch(Objects::isNull) || new HashSet<>(keys).size() != keys.size()) {
        throw new IllegalArgumentException("withRangeKeys(keys) needs distinct keys, got " + keys);
      }
      return toBuilder().setRangeKeys(List.copyOf(keys)).build();
    }

    @Override
    public WriteResult<T> expand(PCollection<T> input) {
      TableSchema schema = checkArgumentNotNull(getSchema(), "withSchema() is required");
      List<TokenRange> ranges = checkArgumentNotNull(getRanges(), "withRanges() is required");
      List<Integer> keys = getRangeKeys() == null
          ? IntStream.range(0, ranges.size()).boxed().toList() : getRangeKeys();
      if (keys.size() != ranges.size()) {
        throw new IllegalArgumentException("withRangeKeys() gave " + keys.size() + " keys for " + ranges.size()
            + " ranges; give one per range of withRanges()");
      }
      String dir = checkArgumentNotNull(getOutputDirectory(), "withOutputDirectory() is required");
      RowFunction<T> fn = checkArgumentNotNull(getRowFunction(), "withRowFunction() is required");
      if (!(input.getWindowingStrategy().getWindowFn() instanceof GlobalWindows)) {
        throw new IllegalArgumentException("SSTableIO.write() needs its input in the global window, got "
            + input.getWindowingStrategy().getWindowFn() + ": apply it before any Window.into");
      }
      long budget = getSortBufferMiB() * 1024L * 1024L;
      SerializableFunction<T, Boolean> rejects = getRejectFunction();
      RejectGate<T> gate = getRejectGate();
      if (gate != null && rejects == null) {
        throw new IllegalArgumentException("withRejectGate() counts what withRejects() diverts; call withRejects() too");
      }
      PCollection<T> upstream = getUpstreamRejects();
      if (upstream != null && gate == null) {
        throw new IllegalArgumentException("withUpstreamRejects() are counted by the gate; call withRejectGate() too");
      }
      PCollectionTuple encoded = input.apply("EncodeIntoSortedRuns",
          ParDo.of(new EncodeFn<>(schema, ranges, keys, fn, rejects == null ? t -> false : rejects, gate, budget))
              .withOutputTags(EncodeFn.RUNS, TupleTagList.of(EncodeFn.<T>rejected())));
      PCollection<T> rejected = encoded.get(EncodeFn.<T>rejected()).setCoder(input.getCoder());
      KvCoder<Integer, byte[]> runCoder = KvCoder.of(VarIntCoder.of(), ByteArrayCoder.of());
      PCollection<KV<Integer, byte[]>> runs = encoded.get(EncodeFn.RUNS).setCoder(runCoder);
      if (upstream != null) {
        PCollection<KV<Integer, byte[]>> tallies = upstream
            .apply("TallyUpstreamRejects", ParDo.of(new TallyFn<>(keys, gate)))
            .setCoder(runCoder);
        runs = PCollectionList.of(runs).and(tallies).apply("RunsAndTallies", Flatten.pCollections());
        rejected = PCollectionList.of(rejected).and(upstream).apply("AllRejects", Flatten.pCollections());
      }
      PCollection<RangeResult> results = runs
          .apply("GroupByRange", GroupByKey.create())
          .apply("MergeAndWriteRange", ParDo.of(new WriteRangeFn(schema, ranges, keys, dir, budget,
              getSampleSizePerRange(), gate)))
          .setCoder(SerializableCoder.of(RangeResult.class));
      return new WriteResult<>(input.getPipeline(), results, rejected);
    }

    @Override
    public void populateDisplayData(DisplayData.Builder builder) {
      super.populateDisplayData(builder);
      TableSchema schema = getSchema();
      if (schema != null) {
        builder.add(DisplayData.item("table", schema.qualifiedName()));
      }
      List<TokenRange> ranges = getRanges();
      if (ranges != null) {
        builder.add(DisplayData.item("ranges", ranges.size()));
      }
      builder.addIfNotNull(DisplayData.item("outputDirectory", getOutputDirectory()));
      builder.add(DisplayData.item("sortBufferMiB", getSortBufferMiB()));
      builder.add(DisplayData.item("rejectGate", getRejectGate() != null));
    }
  }

  /**
   * The outcome of {@link Write}: one {@link RangeResult} per non-empty range, and the input
   * elements the write rejected (see {@link Write#withRejects}).
   */
  public static final class WriteResult<T> implements POutput {
    private static final TupleTag<RangeResult> RANGES = new TupleTag<>("ranges");
    private static final TupleTag<Object> REJECTED = new TupleTag<>("rejected");
    private final Pipeline pipeline;
    private final PCollection<RangeResult> ranges;
    private final PCollection<T> rejected;

    WriteResult(Pipeline pipeline, PCollection<RangeResult> ranges, PCollection<T> rejected) {
      this.pipeline = pipeline;
      this.ranges = ranges;
      this.rejected = rejected;
    }

    public PCollection<RangeResult> getRanges() {
      return ranges;
    }

    /** The elements {@link Write#withRejects} diverted, unchanged; empty without it. */
    public PCollection<T> getRejected() {
      return rejected;
    }

    @Override
    public Pipeline getPipeline() {
      return pipeline;
    }

    @Override
    public Map<TupleTag<?>, PValue> expand() {
      return Map.of(RANGES, ranges, REJECTED, rejected);
    }

    @Override
    public void finishSpecifyingOutput(String transformName, PInput input, PTransform<?, ?> transform) {}
  }

  /** See {@link SSTableIO}. Streams each written range; outputs the ranges once they are loaded. */
  @AutoValue
  public abstract static class Load extends PTransform<PCollection<RangeResult>, PCollection<RangeResult>> {
    abstract @Nullable TableSchema getTable();

    abstract @Nullable LoadTarget getTarget();

    abstract Builder toBuilder();

    @AutoValue.Builder
    abstract static class Builder {
      abstract Builder setTable(TableSchema table);

      abstract Builder setTarget(LoadTarget target);

      abstract Load build();
    }

    /**
     * The existing table to stream into, with the schema its SSTables were written with (the one
     * given to {@link Write#withSchema}).
     */
    public Load withTable(TableSchema table) {
      checkArgumentNotNull(table, "withTable(table) called with null table");
      return toBuilder().setTable(table).build();
    }

    public Load withTarget(LoadTarget target) {
      checkArgumentNotNull(target, "withTarget(target) called with null target");
      return toBuilder().setTarget(target).build();
    }

    @Override
    public PCollection<RangeResult> expand(PCollection<RangeResult> input) {
      TableSchema table = checkArgumentNotNull(getTable(), "withTable() is required");
      LoadTarget target = checkArgumentNotNull(getTarget(), "withTarget() is required");
      return input.apply("StreamRange", ParDo.of(new LoadFn(table, target)))
          .setCoder(SerializableCoder.of(RangeResult.class));
    }

    @Override
    public void populateDisplayData(DisplayData.Builder builder) {
      super.populateDisplayData(builder);
      TableSchema table = getTable();
      if (table != null) {
        builder.add(DisplayData.item("table", table.qualifiedName()));
      }
      LoadTarget t = getTarget();
      if (t != null) {
        builder.add(DisplayData.item("contactPoints", String.join(",", t.contactPoints())));
        builder.add(DisplayData.item("throttleMibPerSec", t.throttleMibPerSec()));
      }
    }
  }

  private static final class EncodeFn<T> extends DoFn<T, KV<Integer, byte[]>> {
    /**
     * Largest run handed to the shuffle: below G1's humongous-object size (half a region, 512 KiB
     * in a 1 GiB heap), so runs never need contiguous heap regions. At 4 MiB, 10M rows in a 1 GiB
     * heap failed with the heap fragmented by them.
     */
    private static final long MAX_RUN_BYTES = 256L * 1024;
    static final TupleTag<KV<Integer, byte[]>> RUNS = new TupleTag<>("runs");
    private static final TupleTag<?> REJECTED = new TupleTag<>("rejected");

    @SuppressWarnings("unchecked")
    static <T> TupleTag<T> rejected() {
      return (TupleTag<T>) REJECTED;
    }

    private final TableSchema schema;
    private final List<TokenRange> ranges;
    private final List<Integer> rangeKeys;
    private final RowFunction<T> fn;
    private final SerializableFunction<T, Boolean> isRejected;
    private final @Nullable RejectGate<T> gate;
    private final long budgetBytes;
    private final Progress.Step encoded = Progress.counter(Progress.ROWS_ENCODED);
    private transient RowEncoder encoder;
    private transient RunBuffer buffer;
    private transient Map<String, Long> tally;

    EncodeFn(TableSchema schema, List<TokenRange> ranges, List<Integer> rangeKeys, RowFunction<T> fn,
        SerializableFunction<T, Boolean> isRejected, @Nullable RejectGate<T> gate, long budgetBytes) {
      this.schema = schema;
      this.ranges = ranges;
      this.rangeKeys = rangeKeys;
      this.fn = fn;
      this.isRejected = isRejected;
      this.gate = gate;
      this.budgetBytes = budgetBytes;
    }

    @Setup
    public void setup() {
      encoder = new RowEncoder(schema);
    }

    @StartBundle
    public void startBundle() {
      buffer = new RunBuffer(ranges.size(), Math.min(MAX_RUN_BYTES, budgetBytes), budgetBytes);
      tally = RejectTally.newTotal();
    }

    @ProcessElement
    public void process(@Element T element, MultiOutputReceiver out) throws Exception {
      if (isRejected.apply(element)) {
        if (gate != null) {
          gate.count(element, tally);
        }
        out.get(EncodeFn.<T>rejected()).output(element);
        return;
      }
      byte[] row;
      try {
        row = encoder.encode(fn.apply(element));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("cannot write row " + abbreviate(element) + " to "
            + schema.qualifiedName() + ": " + e.getMessage(), e);
      }
      buffer.add(TokenRangePlanner.indexOf(ranges, EncodedRow.token(row)), row,
          (rangeId, run) -> out.get(RUNS).output(KV.of(rangeKeys.get(rangeId), run)));
      encoded.incOne();
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      encoded.flush();
      buffer.drain((rangeId, run) -> context.output(RUNS, KV.of(rangeKeys.get(rangeId), run),
          GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE));
      buffer = null;
      RejectTally.toEveryRange(tally, rangeKeys, packed -> context.output(RUNS, packed,
          GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE));
    }

    private static String abbreviate(Object o) {
      String s = String.valueOf(o);
      return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
  }

  /** Tallies, per bundle, rejects that never reached the write, for every range's writer. */
  private static final class TallyFn<T> extends DoFn<T, KV<Integer, byte[]>> {
    private final List<Integer> rangeKeys;
    private final RejectGate<T> gate;
    private transient Map<String, Long> tally;

    TallyFn(List<Integer> rangeKeys, RejectGate<T> gate) {
      this.rangeKeys = rangeKeys;
      this.gate = gate;
    }

    @StartBundle
    public void startBundle() {
      tally = RejectTally.newTotal();
    }

    @ProcessElement
    public void process(@Element T element) {
      gate.count(element, tally);
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      RejectTally.toEveryRange(tally, rangeKeys, packed -> context.output(packed,
          GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE));
    }
  }

  private static final class WriteRangeFn extends DoFn<KV<Integer, Iterable<byte[]>>, RangeResult> {
    private final TableSchema schema;
    private final List<TokenRange> ranges;
    private final List<Integer> rangeKeys;
    private final String dir;
    private final long budgetBytes;
    private final int sampleSize;
    private final @Nullable RejectGate<?> gate;
    private final Progress.Step rowsWritten = Progress.counter(Progress.ROWS_WRITTEN);
    private final Progress.Step writeNanos = Progress.counter(Progress.WRITE_NANOS);
    private final Progress.Step rangesWritten = Progress.counter(Progress.RANGES_WRITTEN);
    private final Progress.Step bytesWritten = Progress.counter(Progress.BYTES_WRITTEN);

    WriteRangeFn(TableSchema schema, List<TokenRange> ranges, List<Integer> rangeKeys, String dir, long budgetBytes,
        int sampleSize, @Nullable RejectGate<?> gate) {
      this.schema = schema;
      this.ranges = ranges;
      this.rangeKeys = rangeKeys;
      this.dir = dir;
      this.budgetBytes = budgetBytes;
      this.sampleSize = sampleSize;
      this.gate = gate;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<byte[]>> group, OutputReceiver<RangeResult> out) {
      int rangeId = rangeKeys.indexOf(group.getKey());
      Path rangeRoot = Paths.get(dir, "range-" + rangeId);
      Path spill = Paths.get(dir, "spill", "range-" + rangeId + "-" + java.util.UUID.randomUUID());
      RangeResult result;
      long started = System.nanoTime();
      try (RunMerger merger = new RunMerger(spill, budgetBytes, EncodedRow.ORDER)) {
        Map<String, Long> rejected = RejectTally.newTotal();
        boolean anyRows = false;
        for (byte[] run : group.getValue()) {
          if (RejectTally.isTally(run)) {
            RejectTally.addTo(rejected, run);
          } else {
            merger.add(run);
            anyRows = true;
          }
        }
        if (!anyRows || (gate != null && !gate.admits(rejected))) {
          return;
        }
        result = RangeWriter.write(schema, rangeId, ranges.get(rangeId), merger.merged(), rangeRoot, sampleSize,
            merger.spilledRuns());
      } finally {
        RangeWriter.deleteRecursively(spill);
      }
      writeNanos.inc(System.nanoTime() - started);
      rowsWritten.inc(result.rows());
      bytesWritten.inc(result.bytes());
      rangesWritten.inc(1);
      out.output(result);
    }
  }

  private static final class LoadFn extends DoFn<RangeResult, RangeResult> {
    private final TableSchema table;
    private final LoadTarget target;
    private final Progress.Step rangesStreamed = Progress.counter(Progress.RANGES_STREAMED);
    private final Progress.Step bytesStreamed = Progress.counter(Progress.BYTES_STREAMED);

    LoadFn(TableSchema table, LoadTarget target) {
      this.table = table;
      this.target = target;
    }

    @Setup
    public void setup() {
      RangeLoader.prefetchRing(target, table);  // while the ranges are still being written
    }

    @ProcessElement
    public void process(@Element RangeResult range, OutputReceiver<RangeResult> out) {
      RangeLoader.load(range, table, target);
      rangesStreamed.inc(1);
      bytesStreamed.inc(range.bytes());
      out.output(range);
    }
  }
}
