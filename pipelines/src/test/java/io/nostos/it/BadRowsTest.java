package io.nostos.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import io.nostos.catalog.CatalogStore;
import io.nostos.catalog.VersionState;
import io.nostos.pipelines.JobFailedException;
import io.nostos.pipelines.JobRunner;
import io.nostos.pipelines.spec.Spec;
import io.nostos.sstable.Progress;
import io.nostos.transforms.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad rows (a line that does not parse, an empty key, a value that does not cast, an oversize
 * document) are counted per reason and written with the raw row to the dead-letter directory;
 * over {@code bad_rows.max} the run fails before anything is streamed and the current version
 * stays current.
 */
class BadRowsTest {
  private static final String GOOD = "id,name,age\na,Ann,31\nb,Bob,42\n";
  private static final String WITH_BAD_ROWS = GOOD
      + "c,Cy\n"                          // 2 fields instead of 3
      + ",Nobody,50\n"                    // no key (empty CSV fields are null)
      + "d,Dee,forty\n"                   // age does not cast to bigint
      + "e," + "E".repeat(300) + ",7\n"   // a document over max_document_bytes
      + "f,Fay,23\n";

  @TempDir Path tmp;

  /** A spec whose columns generator casts age to bigint. */
  private Spec spec(String ks, String csv, String badRows) throws IOException {
    return spec(ks, csv, "generators:\n"
        + "  - type: columns\n"
        + "    select: {id: id, name: name, age: {from: age, type: bigint}}\n", badRows);
  }

  /** A spec without generators: the source's rows go straight to the table. */
  private Spec plainSpec(String ks, String csv, String badRows) throws IOException {
    return spec(ks, csv, "", badRows);
  }

  private Spec spec(String ks, String csv, String generators, String badRows) throws IOException {
    Path data = tmp.resolve("people.csv");
    Files.writeString(data, csv);
    return Runs.spec(tmp, "people", "dataset: people\n"
        + "source: {type: files, path: " + data + "}\n"
        + "key: [id]\n"
        + generators
        + "bad_rows: {" + badRows + "}\n"
        + "load: {keyspace: " + ks + ", ranges: 2}\n");
  }

  private List<Object> deadLetter(String table) throws IOException {
    Path file = tmp.resolve("work/dead-letter/" + table + "/bad-rows-00000-of-00001.jsonl");
    return Files.readAllLines(file).stream().map(Json::read).sorted((a, b) -> a.toString().compareTo(b.toString()))
        .toList();
  }

  /** The sink's gate refused: not one range was written, so none was streamed. */
  private static void assertNoRangeWrittenOrStreamed() {
    Map<String, Long> progress = Progress.snapshot();
    assertThat(progress.getOrDefault(Progress.ROWS_ENCODED, 0L)).isPositive();
    assertThat(progress.getOrDefault(Progress.RANGES_WRITTEN, 0L)).isZero();
    assertThat(progress.getOrDefault(Progress.RANGES_STREAMED, 0L)).isZero();
  }

  private static Map<String, Object> bad(String reason, String detail, String raw) {
    return Map.of("reason", reason, "detail", detail, "raw", raw);
  }

  @Test
  void overTheLimitTheRunFailsAfterWritingThemAndTheCurrentVersionStays() throws IOException {
    String ks = TestCassandra.newKeyspace("badrows_limit");
    JobRunner runner = Runs.runner(ks, tmp.resolve("work"));
    runner.run(spec(ks, GOOD, "max_document_bytes: 200"));

    assertThatThrownBy(() -> runner.run(spec(ks, WITH_BAD_ROWS, "max: 3, max_document_bytes: 200")))
        .isInstanceOf(JobFailedException.class)
        .hasMessageContaining("people v2 failed: 4 bad rows out of 7 read (null_key: 1, oversize_document: 1, "
            + "unparsable_row: 1, unparsable_value: 1) is more than bad_rows.max 3; they are written with their "
            + "reasons to " + tmp.resolve("work/dead-letter/people_v2") + "/")
        .hasMessageContaining("(the current version is unchanged)");
    assertNoRangeWrittenOrStreamed();

    Path csv = tmp.resolve("people.csv");
    assertThat(deadLetter("people_v2")).containsExactly(
        bad("null_key", "key column 'id' is null", "{\"id\":null,\"name\":\"Nobody\",\"age\":50}"),
        bad("oversize_document", "the document is 319 bytes as JSON, more than bad_rows.max_document_bytes (200)",
            "{\"id\":\"e\",\"name\":\"" + "E".repeat(300) + "\",\"age\":7}"),
        bad("unparsable_row", csv + ":4: expected 3 fields (id, name, age) but found 2; check the delimiter (,), "
            + "quoting and escaping", "c,Cy"),
        bad("unparsable_value", "columns: column 'age': cannot cast 'forty' to bigint (For input string: \"forty\")",
            "{\"id\":\"d\",\"name\":\"Dee\",\"age\":\"forty\"}"));
    try (CqlSession s = TestCassandra.session(ks)) {
      CatalogStore catalog = new CatalogStore(s, ks);
      assertThat(catalog.current("people")).hasValue(1);
      assertThat(catalog.version("people", 2).state()).isEqualTo(VersionState.DROPPED);
      assertThat(Runs.documents(s, ks + ".people_v1", "id")).containsOnlyKeys("a", "b");
    }
  }

  @Test
  void withinTheLimitTheGoodRowsLoadAndTheBadOnesAreReported() throws IOException {
    String ks = TestCassandra.newKeyspace("badrows_within");
    JobRunner.Outcome o = Runs.runner(ks, tmp.resolve("work"))
        .run(spec(ks, WITH_BAD_ROWS, "max: 60%, max_document_bytes: 200"));
    assertThat(o.state()).isEqualTo(VersionState.CURRENT);
    assertThat(o.badRows()).isEqualTo(new TreeMap<>(Map.of("null_key", 1L, "oversize_document", 1L,
        "unparsable_row", 1L, "unparsable_value", 1L)));
    assertThat(o.deadLetter()).isEqualTo(tmp.resolve("work/dead-letter/people_v1").toString());
    assertThat(deadLetter("people_v1")).hasSize(4);
    try (CqlSession s = TestCassandra.session(ks)) {
      assertThat(Runs.documents(s, ks + ".people_v1", "id")).isEqualTo(Map.of(
          "a", Map.of("name", "Ann", "age", 31L),
          "b", Map.of("name", "Bob", "age", 42L),
          "f", Map.of("name", "Fay", "age", 23L)));
    }
  }

  @Test
  void deadLettersThatCannotBeWrittenFailTheRunAndTheCurrentVersionStays() throws IOException {
    String ks = TestCassandra.newKeyspace("badrows_deadletter_fails");
    JobRunner runner = Runs.runner(ks, tmp.resolve("work"));
    runner.run(spec(ks, GOOD, "max_document_bytes: 200"));
    Path notADirectory = Files.writeString(tmp.resolve("not-a-directory"), "");

    assertThatThrownBy(() -> runner.run(spec(ks, WITH_BAD_ROWS,
        "max: 60%, max_document_bytes: 200, dead_letter: " + notADirectory + "/dead-letter")))
        .isInstanceOf(JobFailedException.class)
        .hasMessageContaining("people v2 failed")
        .hasMessageContaining(notADirectory + "/dead-letter/people_v2")
        .hasMessageContaining("(the current version is unchanged)");
    try (CqlSession s = TestCassandra.session(ks)) {
      CatalogStore catalog = new CatalogStore(s, ks);
      assertThat(catalog.current("people")).hasValue(1);
      assertThat(catalog.version("people", 2).state()).isEqualTo(VersionState.DROPPED);
      assertThat(Runs.documents(s, ks + ".people_v1", "id")).containsOnlyKeys("a", "b");
    }
  }

  @Test
  void withoutGeneratorsTheSourceRowsAreCheckedTheSameWay() throws IOException {
    String ks = TestCassandra.newKeyspace("badrows_plain");
    JobRunner runner = Runs.runner(ks, tmp.resolve("work"));
    // 3 of 7 rows are bad (43%): over a 40% limit, within 50%.
    assertThatThrownBy(() -> runner.run(plainSpec(ks, WITH_BAD_ROWS, "max: 40%, max_document_bytes: 200")))
        .isInstanceOf(JobFailedException.class)
        .hasMessageContaining("people v1 failed: 3 bad rows out of 7 read (null_key: 1, oversize_document: 1, "
            + "unparsable_row: 1) is more than bad_rows.max 40%");
    assertNoRangeWrittenOrStreamed();
    assertThat(deadLetter("people_v1")).containsExactly(
        bad("null_key", "key column 'id' is null", "{\"id\":null,\"name\":\"Nobody\",\"age\":\"50\"}"),
        bad("oversize_document", "the document is 321 bytes as JSON, more than bad_rows.max_document_bytes (200)",
            "{\"id\":\"e\",\"name\":\"" + "E".repeat(300) + "\",\"age\":\"7\"}"),
        bad("unparsable_row", tmp.resolve("people.csv") + ":4: expected 3 fields (id, name, age) but found 2; "
            + "check the delimiter (,), quoting and escaping", "c,Cy"));

    JobRunner.Outcome o = runner.run(plainSpec(ks, WITH_BAD_ROWS, "max: 50%, max_document_bytes: 200"));
    assertThat(o.state()).isEqualTo(VersionState.CURRENT);
    assertThat(o.badRows()).isEqualTo(new TreeMap<>(Map.of("null_key", 1L, "oversize_document", 1L,
        "unparsable_row", 1L)));
    try (CqlSession s = TestCassandra.session(ks)) {
      assertThat(Runs.documents(s, ks + "." + "people_v2", "id")).isEqualTo(Map.of(
          "a", Map.of("name", "Ann", "age", "31"),
          "b", Map.of("name", "Bob", "age", "42"),
          "d", Map.of("name", "Dee", "age", "forty"),
          "f", Map.of("name", "Fay", "age", "23")));
    }
  }
}
