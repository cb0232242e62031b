package io.nostos.pipelines;

import io.nostos.pipelines.spec.Spec;
import io.nostos.sstable.RangeResult;
import io.nostos.sstable.SSTableIO;
import io.nostos.transforms.GeneratorFactory;
import io.nostos.transforms.Generators;
import io.nostos.transforms.JoinGeneratorFactory;
import io.nostos.transforms.Record;
import io.nostos.transforms.RecordCoder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Distinct;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Turns a spec into a Beam pipeline: sources → generators (bad rows split off after each) →
 * SSTables per token range (none when the bad rows are over the limit) → stream → verify → bad-row
 * check → promote. Separate from {@code main} so tests can pass a {@code TestPipeline}.
 */
public final class NostosPipeline {
  private NostosPipeline() {}

  /**
   * What the generators produce.
   *
   * @param rows the dataset's records (the spec's output), bad rows removed
   * @param badRows every bad row split off after a source or generator
   * @param rowsRead how many rows the sources produced, as counts per bundle
   */
  public record Generated(PCollection<Record> rows, PCollection<Record> badRows, PCollection<Long> rowsRead) {}

  /** Adds the sources and generators of {@code spec} to {@code p}. */
  public static Generated generate(Pipeline p, Spec spec) {
    Map<String, PCollection<Record>> outputs = new HashMap<>();
    List<PCollection<Record>> bad = new ArrayList<>();
    List<PCollection<Long>> seen = new ArrayList<>();
    spec.sources().forEach((name, source) -> {
      PCollectionTuple split = BadRowsStage.split(Sources.read(p, name, source), name + "/SplitBadRows");
      bad.add(split.get(BadRowsStage.BAD));
      seen.add(split.get(BadRowsStage.SEEN));
      outputs.put(name, split.get(BadRowsStage.GOOD));
    });
    for (Spec.Generator g : spec.generators()) {
      GeneratorFactory f = Generators.find(g.type());
      PCollection<Record> out;
      if (f instanceof JoinGeneratorFactory) {
        PCollectionTuple in = PCollectionTuple.empty(p);
        for (String name : g.inputs()) {
          in = in.and(JoinGeneratorFactory.tag(name), outputs.get(name));
        }
        out = in.apply(g.name(), ((JoinGeneratorFactory) f).createJoin(g.config(), spec.keyNames(), g.inputs()));
      } else {
        out = input(g, outputs).apply(g.name(), f.create(g.config(), spec.keyNames()));
      }
      outputs.put(g.name(), splitBad(out.setCoder(RecordCoder.of()), g.name(), bad));
    }
    PCollection<Long> rowsRead = PCollectionList.of(seen).apply("AllRowsRead", Flatten.pCollections());
    PCollection<Record> badRows = PCollectionList.of(bad).apply("AllBadRows", Flatten.pCollections());
    return new Generated(outputs.get(spec.output()), badRows, rowsRead);
  }

  /** A generator's input: one named collection, or several combined with the input's name in {@code _input}. */
  private static PCollection<Record> input(Spec.Generator g, Map<String, PCollection<Record>> outputs) {
    if (g.inputs().size() == 1) {
      return outputs.get(g.inputs().get(0));
    }
    List<PCollection<Record>> tagged = new ArrayList<>();
    for (String name : g.inputs()) {
      tagged.add(outputs.get(name).apply(g.name() + "/From-" + name, MapElements.into(TypeDescriptor.of(Record.class))
          .via((Record r) -> {
            Map<String, Object> m = new LinkedHashMap<>(r.asMap());
            m.put(Generators.INPUT_COLUMN, name);
            return Record.of(m);
          })).setCoder(RecordCoder.of()));
    }
    return PCollectionList.of(tagged).apply(g.name() + "/Inputs", Flatten.pCollections());
  }

  private static PCollection<Record> splitBad(PCollection<Record> rows, String step, List<PCollection<Record>> bad) {
    PCollectionTuple t = BadRowsStage.split(rows, step + "/SplitBadRows");
    bad.add(t.get(BadRowsStage.BAD));
    return t.get(BadRowsStage.GOOD);
  }

  /**
   * Adds the whole run to {@code p}.
   *
   * @return one summary line per finished run (empty when the source had no rows)
   */
  public static PCollection<String> buildPipeline(Pipeline p, Spec spec, RunContext ctx) {
    // Every bad row and count of rows read reaches the sink's gate, which counts them before any
    // range is written, so the load waits on nothing else. Without generators the one source
    // feeds the table step directly and they stay with the rows until the sink rejects them (on
    // Flink, each split before the sink would serialize every row once more per branch); with
    // generators, what their splits took off is handed to the sink beside the rows.
    boolean sourceFeedsTable = spec.generators().isEmpty();
    PCollection<Record> rows;
    PCollection<Record> upstreamRejects = null;
    if (sourceFeedsTable) {
      Map.Entry<String, Spec.Source> source = spec.sources().entrySet().iterator().next();
      rows = Sources.read(p, source.getKey(), source.getValue());
    } else {
      Generated generated = generate(p, spec);
      rows = generated.rows();
      PCollection<Record> tallies = generated.rowsRead()
          .apply("RowsReadTallies", MapElements.into(TypeDescriptor.of(Record.class)).via(BadRowsStage::tally))
          .setCoder(RecordCoder.of());
      upstreamRejects = PCollectionList.of(generated.badRows()).and(tallies)
          .apply("SplitOffBeforeTheTable", Flatten.pCollections());
    }
    List<String> keyNames = spec.keyNames();
    PCollection<Record> tableRows = rows.apply("TableRows", ParDo.of(new TableLayout.TableRowsFn(keyNames,
            spec.layout(), spec.columns(), spec.badRows().maxDocumentBytes(), sourceFeedsTable)))
        .setCoder(RecordCoder.of());
    PCollection<String> fieldNames;
    if (spec.layout() == Spec.Layout.DOCUMENT) {
      fieldNames = tableRows
          .apply("FieldName", FlatMapElements.into(TypeDescriptors.strings()).via((Record r) ->
              BadRowsStage.isSideRecord(r) ? List.<String>of() : List.of((String) r.get(TableLayout.FIELD))))
          .apply("DistinctFields", Distinct.create());
    } else {
      fieldNames = p.apply("NoFields", Create.empty(StringUtf8Coder.of()));
    }
    SSTableIO.Write<Record> write = SSTableIO.<Record>write()
        .withSchema(ctx.table())
        .withRanges(ctx.ranges())
        .withRangeKeys(WorkerKeys.forGroups(p.getOptions(), ctx.ranges().size()))
        .withOutputDirectory(ctx.stagingDirectory())
        .withRowFunction(TableLayout.rowFunction(ctx.table(), spec.layout()))
        .withRejects(BadRowsStage::isSideRecord)
        .withRejectGate(new BadRowsStage.Gate(spec.badRows()))
        .withSortBufferMiB(ctx.sortBufferMib())
        .withSampleSizePerRange(ctx.samplePerRange());
    SSTableIO.WriteResult<Record> written = tableRows.apply("WriteSSTables",
        upstreamRejects == null ? write : write.withUpstreamRejects(upstreamRejects));
    PCollectionTuple rejected = BadRowsStage.splitRejected(written.getRejected());
    PCollection<Long> rowsRead = rejected.get(BadRowsStage.SEEN).apply("CountRowsRead", Sum.longsGlobally());
    PCollection<String> withinLimit = BadRowsStage.check(rejected.get(BadRowsStage.BAD), rowsRead, spec.badRows(),
        ctx.deadLetterDirectory());
    // Streaming does not wait for the check (the sink's gate already refused a run over the
    // limit), so ranges stream while others are written; on Flink, waiting here held every range
    // until the last was written. Promotion waits for it.
    PCollection<RangeResult> loaded = written.getRanges()
        .apply("StreamSSTables", SSTableIO.load()
            .withTable(ctx.table())
            .withTarget(ctx.loadTarget()))
        .apply("VerifyRange", ParDo.of(new VerifyRangeFn(ctx)))
        .setCoder(SerializableCoder.of(RangeResult.class));
    PCollectionView<List<String>> fields = fieldNames.apply("FieldNames", View.asList());
    Map<String, String> declared = new LinkedHashMap<>(spec.columns());
    return loaded
        .apply("AfterBadRowCheck", Wait.on(withinLimit))
        .apply("AllRanges", WithKeys.of(0))
        .setCoder(KvCoder.of(VarIntCoder.of(), SerializableCoder.of(RangeResult.class)))
        .apply("GatherRanges", GroupByKey.create())
        .apply("VerifyPromotePrune", ParDo.of(new Finalize(ctx, declared, fields)).withSideInputs(fields))
        .setCoder(StringUtf8Coder.of());
  }
}
