package io.nostos.pipelines;

import io.nostos.pipelines.spec.Spec;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Cuts each large uncompressed local file of a files source into {@link FileSplit}s of about
 * {@link #SPLIT_BYTES} that start at record starts, so several workers parse one big file;
 * other files (compressed, on S3, small, or with non-ASCII special characters) stay whole.
 * Planning reads the file once, without parsing it. Deterministic: a retry plans the same splits.
 */
final class PlanSplitsFn extends DoFn<FileIO.ReadableFile, FileSplit> {
  /** Bytes per split: small enough that a few splits per worker even out, large enough to stay cheap. */
  static final long SPLIT_BYTES = 32L * 1024 * 1024;

  private final Spec.FilesSource spec;
  private final List<String> columnNames;
  private final long splitBytes;

  PlanSplitsFn(Spec.FilesSource spec, List<String> columnNames) {
    this(spec, columnNames, SPLIT_BYTES);
  }

  PlanSplitsFn(Spec.FilesSource spec, List<String> columnNames, long splitBytes) {
    this.spec = spec;
    this.columnNames = List.copyOf(columnNames);
    this.splitBytes = splitBytes;
  }

  @ProcessElement
  public void process(@Element FileIO.ReadableFile file, OutputReceiver<FileSplit> out) throws IOException {
    String resource = file.getMetadata().resourceId().toString();
    long size = file.getMetadata().sizeBytes();
    boolean json = spec.format() == Spec.Format.JSONL;
    char delimiter = json ? ',' : spec.delimiter();
    char quote = json ? 0 : spec.quote();
    char escape = json ? 0 : spec.escape();
    if (file.getCompression() != Compression.UNCOMPRESSED || size < 2 * splitBytes
        || !"file".equals(file.getMetadata().resourceId().getScheme())
        || !RecordBoundaries.supports(delimiter, quote, escape)) {
      out.output(FileSplit.whole(resource, file.getCompression(), columnNames));
      return;
    }
    List<String> columns = columnNames.isEmpty() && spec.header() && !json ? header(file) : columnNames;
    List<RecordBoundaries.Split> splits;
    try (InputStream in = new BufferedInputStream(Channels.newInputStream(file.open()), 1 << 16)) {
      splits = RecordBoundaries.plan(in, size, splitBytes, delimiter, quote, escape);
    }
    for (RecordBoundaries.Split s : splits) {
      out.output(new FileSplit(resource, Compression.UNCOMPRESSED, s.offset(), s.length(), s.firstLine(), columns));
    }
  }

  /** The file's header fields, or empty when the file has no lines. */
  private List<String> header(FileIO.ReadableFile file) throws IOException {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(file.open()),
        StandardCharsets.UTF_8))) {
      List<String> fields = new CsvReader(in, spec.delimiter(), spec.quote(), spec.escape()).next();
      return fields == null ? List.of() : fields;
    } catch (CsvReader.MalformedRecordException e) {
      return List.of();  // the split holding line 1 reports it as a bad row
    }
  }
}
