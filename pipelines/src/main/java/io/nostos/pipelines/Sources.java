package io.nostos.pipelines;

import io.nostos.pipelines.spec.Spec;
import io.nostos.sstable.Progress;
import io.nostos.transforms.Record;
import io.nostos.transforms.RecordCoder;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Reads a spec's sources as {@link Record}s: JDBC queries (one read, or parallel partitioned
 * reads) and files (local or S3; CSV, Redshift UNLOAD text or JSON lines; gzip, bzip2 and zstd by
 * extension; by glob or UNLOAD manifest). Lines that do not parse come out as bad rows.
 */
final class Sources {
  private Sources() {}

  /** Reads source {@code name}; step names are prefixed with it so several sources can coexist. */
  static PCollection<Record> read(Pipeline p, String name, Spec.Source source) {
    PCollection<Record> rows = source instanceof Spec.JdbcSource
        ? readJdbc(p, name, (Spec.JdbcSource) source)
        : readFiles(p, name, (Spec.FilesSource) source);
    return rows.apply(name + "/CountRowsRead", ParDo.of(new CountFn())).setCoder(RecordCoder.of());
  }

  private static PCollection<Record> readJdbc(Pipeline p, String name, Spec.JdbcSource j) {
    if (j.partition() != null) {
      JdbcPartitions.Bounds bounds = JdbcPartitions.bounds(j);
      List<JdbcPartitions.Part> parts = bounds == null
          ? List.of(new JdbcPartitions.Part("1 = 1", List.of()))
          : JdbcPartitions.plan(j.partition(), bounds);
      return p.apply(name + "/Partitions", Create.of(parts).withCoder(SerializableCoder.of(JdbcPartitions.Part.class)))
          .apply(name + "/Spread", Spread.evenly(p.getOptions()))
          .apply(name + "/ReadPartition", ParDo.of(new JdbcPartitionReadFn(j)))
          .setCoder(RecordCoder.of());
    }
    JdbcIO.DataSourceConfiguration ds = JdbcIO.DataSourceConfiguration.create(j.driver(), j.url());
    if (j.user() != null) {
      ds = ds.withUsername(j.user());
    }
    if (j.password() != null) {
      ds = ds.withPassword(j.password());
    }
    return p.apply(name + "/ReadJdbc", JdbcIO.<Record>read()
        .withDataSourceConfiguration(ds)
        .withQuery(j.query())
        .withFetchSize(j.fetchSize())
        .withRowMapper(new RecordRowMapper())
        .withCoder(RecordCoder.of()));
  }

  private static PCollection<Record> readFiles(Pipeline p, String name, Spec.FilesSource f) {
    PCollection<FileIO.ReadableFile> files;
    List<String> columnNames = f.columnNames();
    if (f.manifest() != null) {
      UnloadManifest manifest = UnloadManifest.read(f.manifest());
      if (columnNames.isEmpty() && !f.header()) {
        if (manifest.columnNames().isEmpty()) {
          throw new IllegalArgumentException("UNLOAD manifest " + f.manifest() + " lists no column names (UNLOAD "
              + "without MANIFEST VERBOSE); give column_names: [a, b, ...] in the source");
        }
        columnNames = manifest.columnNames();
      }
      files = p.apply(name + "/ManifestEntries", Create.of(manifest.files()).withCoder(StringUtf8Coder.of()))
          .apply(name + "/MatchEntries", FileIO.matchAll().withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW)
              .withOutputParallelization(false))
          .apply(name + "/ReadMatches", FileIO.readMatches().withCompression(Compression.AUTO));
    } else {
      files = p.apply(name + "/Pattern", Create.of(f.path()).withCoder(StringUtf8Coder.of()))
          .apply(name + "/MatchFiles", FileIO.matchAll().withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW)
              .withOutputParallelization(false))
          .apply(name + "/ReadMatches", FileIO.readMatches().withCompression(Compression.AUTO));
    }
    // Matching does not spread the files over workers: SpreadSplits does, after large files are cut.
    return files.apply(name + "/PlanSplits", ParDo.of(new PlanSplitsFn(f, columnNames)))
        .setCoder(SerializableCoder.of(FileSplit.class))
        .apply(name + "/SpreadSplits", Spread.evenly(p.getOptions()))
        .apply(name + "/ParseFiles", ParDo.of(new FileRecordsFn(f))).setCoder(RecordCoder.of());
  }

  /** Maps a JDBC row to a record named by column labels. */
  static final class RecordRowMapper implements JdbcIO.RowMapper<Record> {
    @Override
    public Record mapRow(ResultSet rs) throws Exception {
      ResultSetMetaData md = rs.getMetaData();
      Map<String, Object> m = new LinkedHashMap<>();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        m.put(md.getColumnLabel(i), rs.getObject(i));
      }
      return Record.of(m);
    }
  }

  private static final class CountFn extends DoFn<Record, Record> {
    private final Progress.Step read = Progress.counter(Progress.ROWS_READ);

    @ProcessElement
    public void process(@Element Record r, OutputReceiver<Record> out) {
      read.incOne();
      out.output(r);
    }

    @FinishBundle
    public void finishBundle() {
      read.flush();
    }
  }
}
