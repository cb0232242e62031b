package io.nostos.pipelines;

import io.nostos.pipelines.spec.Spec;
import io.nostos.sstable.RangeResult;
import io.nostos.sstable.SSTableIO;
import io.nostos.transforms.GeneratorFactory;
import io.nostos.transforms.Generators;
import io.nostos.transforms.Record;
import io.nostos.transforms.RecordCoder;
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
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Turns a spec into a Beam pipeline: source → generators → SSTables per token range → stream →
 * verify, promote, prune. Separate from {@code main} so tests can pass a {@code TestPipeline}.
 */
public final class NostosPipeline {
  private NostosPipeline() {}

  /** The rows the generators produce, before they are mapped to the table. */
  public static PCollection<Record> generate(Pipeline p, Spec spec) {
    PCollection<Record> rows = Sources.read(p, spec.source());
    int i = 0;
    for (Spec.Generator g : spec.generators()) {
      GeneratorFactory f = Generators.find(g.type());
      rows = rows.apply((++i) + "-" + g.type(), f.create(g.config(), spec.keyNames())).setCoder(RecordCoder.of());
    }
    return rows;
  }

  /**
   * Adds the whole run to {@code p}.
   *
   * @return one summary line per finished run (empty when the source had no rows)
   */
  public static PCollection<String> buildPipeline(Pipeline p, Spec spec, RunContext ctx) {
    PCollection<Record> rows = generate(p, spec);
    List<String> keyNames = spec.keyNames();
    PCollection<Record> tableRows;
    PCollection<String> fieldNames;
    if (spec.layout() == Spec.Layout.DOCUMENT) {
      tableRows = rows
          .apply("DocumentCells", FlatMapElements.into(TypeDescriptor.of(Record.class))
              .via((Record r) -> TableLayout.documentCells(r, keyNames)))
          .setCoder(RecordCoder.of());
      fieldNames = tableRows
          .apply("FieldName", MapElements.into(TypeDescriptors.strings()).via((Record r) -> (String) r.get(TableLayout.FIELD)))
          .apply("DistinctFields", Distinct.create());
    } else {
      tableRows = rows;
      fieldNames = p.apply("NoFields", Create.empty(StringUtf8Coder.of()));
    }
    SSTableIO.WriteResult written = tableRows.apply("WriteSSTables", SSTableIO.<Record>write()
        .withSchema(ctx.table())
        .withRanges(ctx.ranges())
        .withOutputDirectory(ctx.stagingDirectory())
        .withRowFunction(TableLayout.rowFunction(ctx.table(), spec.layout()))
        .withSortBufferMiB(ctx.sortBufferMib())
        .withSampleSizePerRange(ctx.samplePerRange()));
    PCollection<RangeResult> loaded = written.getRanges().apply("StreamSSTables", SSTableIO.load()
        .withTable(ctx.table().keyspace(), ctx.table().table())
        .withTarget(ctx.loadTarget()));
    PCollectionView<List<String>> fields = fieldNames.apply("FieldNames", View.asList());
    Map<String, String> declared = new LinkedHashMap<>(spec.columns());
    return loaded
        .apply("AllRanges", WithKeys.of(0))
        .setCoder(KvCoder.of(VarIntCoder.of(), SerializableCoder.of(RangeResult.class)))
        .apply("GatherRanges", GroupByKey.create())
        .apply("VerifyPromotePrune", ParDo.of(new Finalize(ctx, declared, fields)).withSideInputs(fields))
        .setCoder(StringUtf8Coder.of());
  }
}
