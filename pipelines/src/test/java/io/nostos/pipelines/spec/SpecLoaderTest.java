package io.nostos.pipelines.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Spec validation: one test per error, each checking the message and where it points. */
class SpecLoaderTest {
  private static final String SOURCE = "source: {type: files, path: data.csv}\n";
  private static final Path FILE = Paths.get("specs/t.yaml");

  private static Spec parse(String yaml) {
    return SpecLoader.parse(yaml, FILE, Paths.get("/specs"), Map.of("PW", "secret"));
  }

  private static List<SpecException.Problem> problems(String yaml) {
    return catchThrowableOfType(() -> parse(yaml), SpecException.class).problems();
  }

  private static SpecException.Problem only(String yaml) {
    List<SpecException.Problem> p = problems(yaml);
    assertThat(p).hasSize(1);
    return p.get(0);
  }

  @Test
  void minimalSpecGetsDefaults() {
    Spec s = parse("dataset: users\n" + SOURCE + "key: [id]\n");
    assertThat(s.layout()).isEqualTo(Spec.Layout.DOCUMENT);
    assertThat(s.retainVersions()).isEqualTo(3);
    assertThat(s.key()).containsExactly(new Spec.KeyColumn("id", "text"));
    assertThat(s.load()).isEqualTo(new Spec.Load("nostos_data", 0, 64, 64, 64, Spec.Verify.COUNT));
    assertThat(((Spec.FilesSource) s.sources().get(Spec.SINGLE_SOURCE)).path()).isEqualTo("/specs/data.csv");
  }

  @Test
  void yamlSyntaxError() {
    SpecException.Problem p = only("dataset: x\nsource:\n  type: files\n   path: a\n");
    assertThat(p.line()).isEqualTo(4);
    assertThat(p.message()).startsWith("YAML syntax error");
    assertThat(p.toString()).startsWith("specs/t.yaml:4:");
  }

  @Test
  void emptySpec() {
    assertThat(only("").message()).contains("the spec is empty");
  }

  @Test
  void unknownTopLevelKeySuggestsTheRightOne() {
    SpecException.Problem p = only("dataset: x\n" + SOURCE + "key: [id]\nretian_versions: 2\n");
    assertThat(p.line()).isEqualTo(4);
    assertThat(p.column()).isEqualTo(1);
    assertThat(p.message()).startsWith("unknown key 'retian_versions' in the spec (did you mean 'retain_versions'?)");
  }

  @Test
  void missingDataset() {
    assertThat(only(SOURCE + "key: [id]\n").message()).isEqualTo("'dataset' is required here");
  }

  @Test
  void invalidDatasetName() {
    SpecException.Problem p = only("dataset: User-Profile\n" + SOURCE + "key: [id]\n");
    assertThat(p.column()).isEqualTo(10);
    assertThat(p.message()).contains("must start with a lower case letter");
  }

  @Test
  void missingSource() {
    assertThat(only("dataset: x\nkey: [id]\n").message()).startsWith("'source' is required, e.g. source:");
  }

  @Test
  void unknownSourceType() {
    SpecException.Problem p = only("dataset: x\nsource: {type: kafka}\nkey: [id]\n");
    assertThat(p.message()).isEqualTo("unknown source type 'kafka'; use jdbc or files");
  }

  @Test
  void unknownKeyInJdbcSource() {
    SpecException.Problem p = only("dataset: x\nsource: {type: jdbc, driver: d, url: u, query: q, sql: q}\nkey: [id]\n");
    assertThat(p.message()).startsWith("unknown key 'sql' in a jdbc source");
  }

  @Test
  void literalPasswordIsRefused() {
    SpecException.Problem p = only("dataset: x\nsource: {type: jdbc, driver: d, url: u, query: q, password: hunter2}\nkey: [id]\n");
    assertThat(p.message()).contains("write the password as an environment variable reference");
    assertThat(p.message()).doesNotContain("hunter2");
  }

  @Test
  void missingEnvironmentVariable() {
    SpecException.Problem p = only("dataset: x\nsource: {type: jdbc, driver: d, url: u, query: q, user: '${NOPE}'}\nkey: [id]\n");
    assertThat(p.message()).isEqualTo("environment variable NOPE is not set; export it before running (e.g. export NOPE=...)");
  }

  @Test
  void environmentVariablesAreResolvedButNotPrinted() {
    Spec s = parse("dataset: x\nsource: {type: jdbc, driver: d, url: u, query: q, password: '${PW}'}\nkey: [id]\n");
    assertThat(((Spec.JdbcSource) s.sources().get(Spec.SINGLE_SOURCE)).password()).isEqualTo("secret");
    assertThat(s.sources().get(Spec.SINGLE_SOURCE).toString()).doesNotContain("secret");
  }

  @Test
  void unknownFileFormat() {
    assertThat(only("dataset: x\nsource: {type: files, path: a, format: parquet}\nkey: [id]\n").message())
        .isEqualTo("format must be csv, redshift_unload or jsonl, not 'parquet'");
  }

  @Test
  void headerlessCsvNeedsColumnNames() {
    assertThat(only("dataset: x\nsource: {type: files, path: a, header: false}\nkey: [id]\n").message())
        .isEqualTo("a csv source without a header needs column_names: [a, b, ...]");
  }

  @Test
  void missingKey() {
    assertThat(only("dataset: x\n" + SOURCE).message()).startsWith("'key' is required");
  }

  @Test
  void badKeyType() {
    assertThat(only("dataset: x\n" + SOURCE + "key: [{id: blob}]\n").message()).startsWith("key type 'blob' is not supported");
  }

  @Test
  void duplicateKeyColumn() {
    assertThat(only("dataset: x\n" + SOURCE + "key: [id, id]\n").message()).isEqualTo("key column 'id' is listed twice");
  }

  @Test
  void keyColumnClashingWithDocumentColumns() {
    assertThat(only("dataset: x\n" + SOURCE + "key: [field]\n").message()).contains("clashes with the document layout");
  }

  @Test
  void unknownLayout() {
    assertThat(only("dataset: x\n" + SOURCE + "key: [id]\nlayout: wide\n").message())
        .startsWith("layout must be 'document' (one JSON value per field) or 'columns'");
  }

  @Test
  void columnsLayoutNeedsColumns() {
    assertThat(only("dataset: x\n" + SOURCE + "key: [id]\nlayout: columns\n").message())
        .startsWith("layout: columns needs a 'columns:' mapping");
  }

  @Test
  void columnsOnlyWithColumnsLayout() {
    assertThat(only("dataset: x\n" + SOURCE + "key: [id]\ncolumns: {a: text}\n").message())
        .startsWith("'columns' is only for layout: columns");
  }

  @Test
  void unknownCqlType() {
    SpecException.Problem p = only("dataset: x\n" + SOURCE + "key: [id]\nlayout: columns\ncolumns: {a: txt, b: list<int>}\n");
    assertThat(p.message()).startsWith("unknown CQL type 'txt'");
  }

  @Test
  void unknownGenerator() {
    SpecException.Problem p = only("dataset: x\n" + SOURCE + "key: [id]\ngenerators:\n  - type: jsn_object\n");
    assertThat(p.line()).isEqualTo(5);
    assertThat(p.column()).isEqualTo(11);
    assertThat(p.message()).isEqualTo("unknown generator 'jsn_object' (did you mean 'json_object'?); available: "
        + "affinity, aggregate, columns, filter, group_list, json_object, merge, vote");
  }

  @Test
  void unknownGeneratorKey() {
    SpecException.Problem p = only("dataset: x\n" + SOURCE + "key: [id]\ngenerators:\n  - type: group_list\n"
        + "    field: f\n    top: 3\n");
    assertThat(p.line()).isEqualTo(7);
    assertThat(p.message()).startsWith("unknown key 'top' in generator group_list");
  }

  @Test
  void badGeneratorValuePointsAtItsKey() {
    SpecException.Problem p = only("dataset: x\n" + SOURCE + "key: [id]\ngenerators:\n  - type: group_list\n"
        + "    field: f\n    limit: -1\n");
    assertThat(p.line()).isEqualTo(7);
    assertThat(p.column()).isEqualTo(12);
    assertThat(p.message()).isEqualTo("group_list: 'limit' must be a whole number of at least 1");
  }

  @Test
  void missingGeneratorSetting() {
    assertThat(only("dataset: x\n" + SOURCE + "key: [id]\ngenerators:\n  - type: json_object\n    field: f\n").message())
        .isEqualTo("json_object: 'paths' is required");
  }

  @Test
  void retainVersionsMustBePositive() {
    assertThat(only("dataset: x\n" + SOURCE + "key: [id]\nretain_versions: 0\n").message())
        .startsWith("retain_versions must be at least 1");
  }

  @Test
  void unknownLoadKey() {
    assertThat(only("dataset: x\n" + SOURCE + "key: [id]\nload: {throttle: 5}\n").message())
        .startsWith("unknown key 'throttle' in load (did you mean 'throttle_mib_per_sec'?)");
  }

  @Test
  void verifyIsCountOrSample() {
    assertThat(parse("dataset: x\n" + SOURCE + "key: [id]\nload: {verify: sample}\n").load().verify())
        .isEqualTo(Spec.Verify.SAMPLE);
    assertThat(parse("dataset: x\n" + SOURCE + "key: [id]\nload: {verify: count}\n").load().verify())
        .isEqualTo(Spec.Verify.COUNT);
    SpecException.Problem p = only("dataset: x\n" + SOURCE + "key: [id]\nload:\n  verify: all\n");
    assertThat(p.message()).isEqualTo("verify must be 'count' (every row counted on the cluster, a full read of the "
        + "new table) or 'sample' (only the verify_sample rows read back), not 'all'");
    assertThat(p.line()).isEqualTo(5);
    assertThat(only("dataset: x\n" + SOURCE + "key: [id]\nload: {verify_sample: 0, verify: sample}\n").message())
        .isEqualTo("verify: sample reads back the verify_sample rows, but verify_sample is 0; set verify_sample "
            + "to 1 or more, or use verify: count");
  }

  @Test
  void badKeyspaceName() {
    assertThat(only("dataset: x\n" + SOURCE + "key: [id]\nload: {keyspace: My-KS}\n").message())
        .startsWith("keyspace 'My-KS' is not a valid name");
  }

  @Test
  void unsupportedSpecVersion() {
    assertThat(only("version: 2\ndataset: x\n" + SOURCE + "key: [id]\n").message())
        .isEqualTo("spec format version 2 is not supported; this Nostos reads version: 1");
  }

  @Test
  void duplicateKeysInAMapping() {
    assertThat(problems("dataset: x\ndataset: y\n" + SOURCE + "key: [id]\n").get(0).message())
        .contains("dataset");
  }

  @Test
  void allProblemsAreReportedInFileOrder() {
    List<SpecException.Problem> p = problems("dataset: X\n" + SOURCE + "key: [id]\nlayout: wide\nretain_versions: 0\n");
    assertThat(p).extracting(SpecException.Problem::line).containsExactly(1, 4, 5);
  }

  @Test
  void missingFile() {
    SpecException e = catchThrowableOfType(() -> SpecLoader.load(Paths.get("/no/such/spec.yaml")), SpecException.class);
    assertThat(e.getMessage()).isEqualTo("/no/such/spec.yaml:1:1: file not found; give the path of a spec YAML file "
        + "(see specs/examples/)");
  }

  @Test
  void exampleSpecsAreValid() {
    for (String name : List.of("user_profile", "course_recommendations", "course_catalog")) {
      Spec s = SpecLoader.load(Paths.get("..", "specs", "examples", name + ".yaml"));
      assertThat(s.dataset()).isEqualTo(name);
    }
  }

  private static final String TWO_SOURCES = "sources:\n"
      + "  views: {type: files, path: views.csv}\n"
      + "  browser: {type: jdbc, driver: d, url: u, query: q}\n";

  @Test
  void generatorsChainAndNameTheirInputs() {
    Spec s = parse("dataset: x\n" + TWO_SOURCES + "key: [id]\ngenerators:\n"
        + "  - {name: langs, input: [views, browser], type: vote, field: language, candidate: lang}\n"
        + "  - {type: filter, where: 'id is not null'}\n"
        + "  - {name: minutes, input: views, type: aggregate, metrics: {minutes: {sum: m}}}\n"
        + "  - {type: merge, input: [2-filter, minutes], required: [2-filter]}\n");
    assertThat(s.sources().keySet()).containsExactly("views", "browser");
    assertThat(s.generators()).extracting(Spec.Generator::name, Spec.Generator::inputs).containsExactly(
        tuple("langs", List.of("views", "browser")),
        tuple("2-filter", List.of("langs")),
        tuple("minutes", List.of("views")),
        tuple("4-merge", List.of("2-filter", "minutes")));
    assertThat(s.generators().get(3).config()).isEqualTo(Map.of("required", List.of("2-filter")));
    assertThat(s.output()).isEqualTo("4-merge");
  }

  @Test
  void wiringMistakesPointAtTheirLine() {
    List<SpecException.Problem> p = problems("dataset: x\n" + TWO_SOURCES + "key: [id]\ngenerators:\n"
        + "  - {type: filter, where: 'id is not null'}\n"
        + "  - {name: b, input: viewz, type: filter, where: 'id is not null'}\n"
        + "  - {type: merge, input: [b]}\n");
    assertThat(p).extracting(SpecException.Problem::line, SpecException.Problem::message).containsExactly(
        tuple(3, "source 'views' is not read by any generator; the dataset is the output of '3-merge'. Read it with "
            + "input: views (e.g. in a merge), or remove it"),
        tuple(4, "source 'browser' is not read by any generator; the dataset is the output of '3-merge'. Read it with "
            + "input: browser (e.g. in a merge), or remove it"),
        tuple(7, "this spec has several sources (views, browser); say which this generator reads with input: <name>, "
            + "or input: [a, b] for several"),
        tuple(7, "the output of generator '1-filter' is not read by any generator; the dataset is the output of "
            + "'3-merge'. Read it with input: 1-filter (e.g. in a merge), or remove it"),
        tuple(8, "input 'viewz' is not a source or an earlier generator (did you mean 'views'?); available: views, "
            + "browser, 1-filter"),
        tuple(9, "merge needs input: [a, b, ...] with two or more distinct names"));
  }

  @Test
  void severalSourcesNeedGenerators() {
    assertThat(only("dataset: x\n" + TWO_SOURCES + "key: [id]\n").message())
        .isEqualTo("a spec with several sources needs generators that combine them, e.g. a merge generator with "
            + "input: [views, browser]");
  }

  @Test
  void partitionedJdbcReads() {
    Spec s = parse("dataset: x\nsource: {type: jdbc, driver: d, url: u, query: q, partition: {column: id, count: 4, "
        + "lower: 1, upper: 1000}}\nkey: [id]\n");
    assertThat(((Spec.JdbcSource) s.sources().get("source")).partition())
        .isEqualTo(new Spec.Partition("id", "1", "1000", null, 4));
    assertThat(only("dataset: x\nsource: {type: jdbc, driver: d, url: u, query: q, partition: {count: 4}}\nkey: [id]\n")
        .message()).startsWith("partition needs either column: (a numeric, date or timestamp column");
    assertThat(only("dataset: x\nsource: {type: jdbc, driver: d, url: u, query: q, partition: {bucket_by: 'abs(id)', "
        + "count: 4, lower: 1, upper: 2}}\nkey: [id]\n").message())
        .isEqualTo("lower and upper go with partition.column, not with bucket_by");
  }

  @Test
  void redshiftUnloadFormatHasUnloadDefaultsAndManifests() {
    Spec s = parse("dataset: x\nsource: {type: files, manifest: 's3://b/unload/manifest', format: redshift_unload}\n"
        + "key: [id]\n");
    assertThat(s.sources().get("source")).isEqualTo(new Spec.FilesSource(null, "s3://b/unload/manifest",
        Spec.Format.CSV, false, '|', (char) 0, '\\', "", List.of()));
    assertThat(only("dataset: x\nsource: {type: files, path: a, manifest: b}\nkey: [id]\n").message())
        .startsWith("a files source needs either path:");
  }

  @Test
  void usesS3WhenASourceOrTheDeadLetterIsThere() {
    assertThat(parse("dataset: x\n" + SOURCE + "key: [id]\n").usesS3()).isFalse();
    assertThat(parse("dataset: x\nsource: {type: jdbc, driver: d, url: u, query: q}\nkey: [id]\n").usesS3()).isFalse();
    assertThat(parse("dataset: x\nsource: {type: files, path: 'S3://b/part-*'}\nkey: [id]\n").usesS3()).isTrue();
    assertThat(parse("dataset: x\nsource: {type: files, manifest: m.json, format: redshift_unload}\nkey: [id]\n")
        .usesS3()).as("a manifest lists S3 URLs").isTrue();
    assertThat(parse("dataset: x\n" + SOURCE + "key: [id]\nbad_rows: {max: 1, dead_letter: 's3://b/dl/'}\n").usesS3())
        .isTrue();
  }

  @Test
  void badRowsLimits() {
    assertThat(parse("dataset: x\n" + SOURCE + "key: [id]\nbad_rows: {max: 100, dead_letter: dl}\n").badRows())
        .isEqualTo(new Spec.BadRows(100, -1, "/specs/dl", Spec.BadRows.DEFAULT_MAX_DOCUMENT_BYTES));
    Spec.BadRows pct = parse("dataset: x\n" + SOURCE + "key: [id]\nbad_rows: {max: 0.5%}\n").badRows();
    assertThat(pct.maxFraction()).isEqualTo(0.005);
    assertThat(pct.exceeded(5, 1000)).isFalse();
    assertThat(pct.exceeded(6, 1000)).isTrue();
    assertThat(pct.limit()).isEqualTo("0.5%");
    assertThat(parse("dataset: x\n" + SOURCE + "key: [id]\nbad_rows: {max: 7%}\n").badRows().limit()).isEqualTo("7%");
    assertThat(parse("dataset: x\n" + SOURCE + "key: [id]\n").badRows().exceeded(1, 1000)).isTrue();
    assertThat(only("dataset: x\n" + SOURCE + "key: [id]\nbad_rows: {max: lots}\n").message())
        .startsWith("bad_rows.max must be a count (e.g. 100)");
  }
}
