package io.nostos.pipelines.spec;

import static org.assertj.core.api.Assertions.assertThat;
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
    assertThat(s.load()).isEqualTo(new Spec.Load("nostos_data", 0, 64, 64, 64));
    assertThat(((Spec.FilesSource) s.source()).path()).isEqualTo("/specs/data.csv");
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
    assertThat(((Spec.JdbcSource) s.source()).password()).isEqualTo("secret");
    assertThat(s.source().toString()).doesNotContain("secret");
  }

  @Test
  void unknownFileFormat() {
    assertThat(only("dataset: x\nsource: {type: files, path: a, format: parquet}\nkey: [id]\n").message())
        .isEqualTo("format must be csv or jsonl, not 'parquet'");
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
        + "columns, group_list, json_object");
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
}
