package io.nostos.pipelines;

import io.nostos.pipelines.spec.Spec;
import io.nostos.transforms.BadRow;
import io.nostos.transforms.Record;
import io.nostos.transforms.RecordCoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A big file is parsed in splits by several workers, and they read exactly what one reader would. */
@ExtendWith(TestPipelineExtension.class)
class FileSplitsTest {
  @TempDir Path tmp;

  private static Spec.FilesSource csv(Path path) {
    return new Spec.FilesSource(path.toString(), null, Spec.Format.CSV, true, ',', '"', (char) 0, "", List.of());
  }

  /** Rows 1..n with a quoted two-line note on every third row; row 7 has a field too few. */
  private static String rows(int n) {
    StringBuilder b = new StringBuilder("id,note\n");
    for (int i = 1; i <= n; i++) {
      b.append(i == 7 ? "7\n" : i % 3 == 0 ? i + ",\"note " + i + "\nsecond line\"\n" : i + ",plain " + i + "\n");
    }
    return b.toString();
  }

  /** What parsing {@link #rows} from {@code file} gives. */
  private static List<String> expected(int n, Path file) {
    List<String> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      if (i != 7) {
        out.add(i + "=" + (i % 3 == 0 ? "note " + i + "\nsecond line" : "plain " + i));
      }
    }
    // row 7 is on line 10: the header, then rows 3 and 6 take two lines each
    out.add("bad: unparsable_row " + file + ":10: expected 2 fields (id, note) but found 1; "
        + "check the delimiter (,), quoting and escaping");
    return out;
  }

  private static PCollection<String> parse(TestPipeline p, Path file, Spec.FilesSource spec, long splitBytes) {
    return p.apply(FileIO.match().filepattern(file.toString()))
        .apply(FileIO.readMatches())
        .apply(ParDo.of(new PlanSplitsFn(spec, List.of(), splitBytes)))
        .setCoder(SerializableCoder.of(FileSplit.class))
        .apply(Reshuffle.viaRandomKey())
        .apply(ParDo.of(new FileRecordsFn(spec))).setCoder(RecordCoder.of())
        .apply(MapElements.into(TypeDescriptors.strings()).via((Record r) -> BadRow.is(r)
            ? "bad: " + BadRow.reason(r) + " " + r.get(BadRow.DETAIL)
            : r.get("id") + "=" + r.get("note")));
  }

  @Test
  void aLargeFileIsParsedInSplitsWithTheRightLineNumbers(TestPipeline p) throws Exception {
    Path file = tmp.resolve("big.csv");
    Files.writeString(file, rows(200));
    PAssert.that(parse(p, file, csv(file), 100)).containsInAnyOrder(expected(200, file));
    p.run();
  }

  @Test
  void theSplitsCoverTheFileAndStartAtRecords(TestPipeline p) throws Exception {
    Path file = tmp.resolve("big.csv");
    Files.writeString(file, rows(200));
    PCollection<String> splits = p.apply(FileIO.match().filepattern(file.toString()))
        .apply(FileIO.readMatches())
        .apply(ParDo.of(new PlanSplitsFn(csv(file), List.of(), 1000)))
        .setCoder(SerializableCoder.of(FileSplit.class))
        .apply(MapElements.into(TypeDescriptors.strings())
            .via((FileSplit s) -> s.offset() + "+" + s.length() + "@" + s.firstLine() + " " + s.columnNames()));
    long size = Files.size(file);
    List<RecordBoundaries.Split> planned = RecordBoundaries.plan(Files.newInputStream(file), size, 1000, ',', '"',
        (char) 0);
    List<String> want = planned.stream().map(s -> s.offset() + "+" + s.length() + "@" + s.firstLine() + " [id, note]")
        .toList();
    PAssert.that(splits).containsInAnyOrder(want);
    p.run();
    org.assertj.core.api.Assertions.assertThat(planned).hasSizeGreaterThan(2);
  }

  @Test
  void compressedFilesStayWhole(TestPipeline p) throws Exception {
    Path file = tmp.resolve("big.csv.gz");
    try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(rows(200).getBytes(StandardCharsets.UTF_8));
    }
    PAssert.that(parse(p, file, csv(file), 100)).containsInAnyOrder(expected(200, file));
    p.run();
  }
}
