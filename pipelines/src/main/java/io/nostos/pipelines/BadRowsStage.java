package io.nostos.pipelines;

import io.nostos.pipelines.spec.Spec;
import io.nostos.sstable.Progress;
import io.nostos.sstable.SSTableIO;
import io.nostos.transforms.BadRow;
import io.nostos.transforms.Json;
import io.nostos.transforms.Record;
import io.nostos.transforms.RecordCoder;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Handles bad rows (see {@link BadRow}): splits them off after each source and generator, counts
 * them per reason, writes them as JSON lines ({@code reason}, {@code detail}, {@code raw}) to the
 * dead-letter location, and fails the run, after writing them, when there are more than
 * {@code bad_rows.max}. Every bad row and every count of rows read reaches the sink in-band, where
 * {@link Gate} counts them again: a run over the limit writes and streams nothing, without the
 * load waiting on this stage, and promotion waits for the check, so the current version stays.
 */
final class BadRowsStage {
  static final TupleTag<Record> GOOD = new TupleTag<>() {};
  static final TupleTag<Record> BAD = new TupleTag<>() {};
  /** Progress counters of bad rows are named this prefix plus the reason. */
  static final String COUNTER_PREFIX = "bad_rows.";

  private BadRowsStage() {}

  /** Thrown when a run has more bad rows than its spec allows. */
  static final class TooManyBadRowsException extends IllegalStateException {
    TooManyBadRowsException(String message) {
      super(message);
    }
  }

  /** Per bundle, how many rows (good and bad) a split step saw; see {@link #split}. */
  static final TupleTag<Long> SEEN = new TupleTag<>() {};
  /** Reserved column of a {@link #tally} record. */
  static final String TALLY = "_rows_read";

  /** A record that carries, in-band with the rows, how many rows one bundle read. */
  static Record tally(long rows) {
    return Record.of(Map.of(TALLY, rows));
  }

  static boolean isTally(Record r) {
    return r.has(TALLY);
  }

  /** Whether the sink must not write {@code r}: a bad row or a tally. */
  static boolean isSideRecord(Record r) {
    return BadRow.is(r) || isTally(r);
  }

  /**
   * Separates what the sink rejected (see {@link #isSideRecord}) into bad rows ({@link #BAD}) and
   * per-bundle counts of rows read ({@link #SEEN}). Only side records flow here, so the split is
   * cheap on any runner.
   */
  static PCollectionTuple splitRejected(PCollection<Record> rejected) {
    PCollectionTuple t = rejected.apply("SplitRejected",
        ParDo.of(new SplitRejectedFn()).withOutputTags(BAD, TupleTagList.of(SEEN)));
    t.get(BAD).setCoder(RecordCoder.of());
    t.get(SEEN).setCoder(org.apache.beam.sdk.coders.VarLongCoder.of());
    return t;
  }

  /**
   * Splits {@code rows} into {@link #GOOD} and {@link #BAD}, and counts them in {@link #SEEN} (one
   * count per bundle). Counting here rather than in a second consumer of {@code rows} keeps the
   * rows in one chain of operators: on Flink, a collection read twice is serialized between them.
   */
  static PCollectionTuple split(PCollection<Record> rows, String step) {
    PCollectionTuple t = rows.apply(step, ParDo.of(new SplitFn()).withOutputTags(GOOD, TupleTagList.of(BAD).and(SEEN)));
    t.get(GOOD).setCoder(RecordCoder.of());
    t.get(BAD).setCoder(RecordCoder.of());
    t.get(SEEN).setCoder(org.apache.beam.sdk.coders.VarLongCoder.of());
    return t;
  }

  private static final class SplitFn extends DoFn<Record, Record> {
    private transient long seen;

    @StartBundle
    public void start() {
      seen = 0;
    }

    @ProcessElement
    public void process(@Element Record r, MultiOutputReceiver out) {
      seen++;
      out.get(BadRow.is(r) ? BAD : GOOD).output(r);
    }

    @FinishBundle
    public void finish(FinishBundleContext c) {
      if (seen > 0) {
        c.output(SEEN, seen, org.apache.beam.sdk.transforms.windowing.GlobalWindow.INSTANCE.maxTimestamp(),
            org.apache.beam.sdk.transforms.windowing.GlobalWindow.INSTANCE);
      }
    }
  }

  private static final class SplitRejectedFn extends DoFn<Record, Record> {
    @ProcessElement
    public void process(@Element Record r, MultiOutputReceiver out) {
      if (isTally(r)) {
        out.get(SEEN).output(((Number) r.get(TALLY)).longValue());
      } else {
        out.get(BAD).output(r);
      }
    }
  }

  /**
   * The sink's {@link SSTableIO.RejectGate}: counts, among the records the sink rejected, the bad
   * rows and the rows read (from the tallies), and admits the write when the bad rows are within
   * the policy. It sees exactly what {@link #check} counts, so both decide alike: the gate keeps a
   * run over the limit from writing, the check reports it after writing the dead letters.
   */
  static final class Gate implements SSTableIO.RejectGate<Record> {
    private static final String BAD_ROWS = "bad";
    private static final String ROWS_READ = "read";
    private final Spec.BadRows policy;

    Gate(Spec.BadRows policy) {
      this.policy = policy;
    }

    @Override
    public void count(Record rejected, Map<String, Long> tally) {
      if (isTally(rejected)) {
        tally.merge(ROWS_READ, ((Number) rejected.get(TALLY)).longValue(), Long::sum);
      } else {
        tally.merge(BAD_ROWS, 1L, Long::sum);
      }
    }

    @Override
    public boolean admits(Map<String, Long> total) {
      return !policy.exceeded(total.getOrDefault(BAD_ROWS, 0L), total.getOrDefault(ROWS_READ, 0L));
    }
  }

  /**
   * Counts and writes {@code bad} under {@code deadLetterDirectory} and checks the limit.
   *
   * @param rowsRead how many rows the sources produced (for a fractional limit)
   * @return one element once the bad rows are written and within the limit; promotion waits on it
   */
  static PCollection<String> check(PCollection<Record> bad, PCollection<Long> rowsRead, Spec.BadRows policy,
      String deadLetterDirectory) {
    PCollection<Record> counted = bad.apply("CountBadRows", ParDo.of(new CountByReasonFn())).setCoder(RecordCoder.of());
    WriteFilesResult<Void> written = counted
        .apply("BadRowsAsJson", MapElements.into(TypeDescriptors.strings()).via(BadRowsStage::jsonLine))
        .apply("WriteDeadLetter", TextIO.write().to(deadLetterDirectory + "/bad-rows").withSuffix(".jsonl")
            .withNumShards(1).<Void>withOutputFilenames().skipIfEmpty());
    PCollectionView<Map<String, Long>> byReason = bad
        .apply("Reasons", MapElements.into(TypeDescriptors.strings()).via(BadRow::reason))
        .apply("CountPerReason", Count.perElement())
        .apply("ReasonCounts", View.asMap());
    PCollectionView<Long> read = rowsRead.apply("RowsReadView", View.asSingleton());
    return bad.getPipeline()
        .apply("BadRowCheck", Create.of("check").withCoder(StringUtf8Coder.of()))
        .apply("AfterDeadLetter", Wait.on(written.getPerDestinationOutputFilenames()))
        .apply("CheckBadRows", ParDo.of(new CheckFn(policy, deadLetterDirectory, byReason, read))
            .withSideInputs(byReason, read))
        .setCoder(StringUtf8Coder.of());
  }

  static String jsonLine(Record r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("reason", r.get(BadRow.REASON));
    m.put("detail", r.get(BadRow.DETAIL));
    m.put("raw", r.get(BadRow.RAW));
    return Json.write(m);
  }

  /** Bad-row counts per reason from this JVM's progress counters. */
  static Map<String, Long> localCounts() {
    Map<String, Long> out = new TreeMap<>();
    Progress.snapshot().forEach((k, v) -> {
      if (k.startsWith(COUNTER_PREFIX)) {
        out.put(k.substring(COUNTER_PREFIX.length()), v);
      }
    });
    return out;
  }

  /** Counts bad rows per reason in Beam metrics and the local progress view. */
  private static final class CountByReasonFn extends DoFn<Record, Record> {
    private transient Map<String, Progress.Step> steps;

    @ProcessElement
    public void process(@Element Record r, OutputReceiver<Record> out) {
      if (steps == null) {
        steps = new HashMap<>();
      }
      steps.computeIfAbsent(BadRow.reason(r), reason -> Progress.counter(COUNTER_PREFIX + reason)).inc(1);
      out.output(r);
    }
  }

  private static final class CheckFn extends DoFn<String, String> {
    private final Spec.BadRows policy;
    private final String deadLetter;
    private final PCollectionView<Map<String, Long>> byReason;
    private final PCollectionView<Long> read;

    CheckFn(Spec.BadRows policy, String deadLetter, PCollectionView<Map<String, Long>> byReason,
        PCollectionView<Long> read) {
      this.policy = policy;
      this.deadLetter = deadLetter;
      this.byReason = byReason;
      this.read = read;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      Map<String, Long> reasons = new TreeMap<>(c.sideInput(byReason));
      long bad = reasons.values().stream().mapToLong(Long::longValue).sum();
      long rows = c.sideInput(read);
      if (policy.exceeded(bad, rows)) {
        List<String> parts = reasons.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList();
        throw new TooManyBadRowsException(bad + (bad == 1 ? " bad row" : " bad rows") + " out of " + rows + " read (" + String.join(", ", parts)
            + ") is more than bad_rows.max " + policy.limit() + "; they are written with their reasons to "
            + deadLetter + "/. Fix the source, or raise bad_rows.max in the spec. Nothing was loaded");
      }
      c.output("ok");
    }
  }
}
