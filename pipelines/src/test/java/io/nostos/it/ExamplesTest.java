package io.nostos.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import io.nostos.pipelines.spec.Spec;
import io.nostos.pipelines.spec.SpecLoader;
import io.nostos.transforms.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example data products in specs/examples (what {@code ./nostos demo} loads) validate, load
 * from the demo warehouse and produce the documents their comments describe.
 */
class ExamplesTest {
  private static final Path EXAMPLES = Paths.get("..", "specs", "examples").toAbsolutePath().normalize();

  @TempDir Path tmp;

  /** Loads example {@code name}; its rows by key: document fields, or typed columns (as JSON values). */
  private Map<String, Map<String, Object>> load(String name, String keyColumn) {
    String ks = TestCassandra.newKeyspace("ex_" + name);
    Spec spec = Runs.inKeyspace(SpecLoader.load(EXAMPLES.resolve(name + ".yaml")), ks);
    Runs.runner(ks, tmp.resolve("work")).run(spec);
    try (CqlSession s = TestCassandra.session(ks)) {
      String table = Runs.currentTable(s, ks, spec.dataset());
      if (spec.layout() == Spec.Layout.DOCUMENT) {
        return Runs.documents(s, table, keyColumn);
      }
      Map<String, Map<String, Object>> rows = new java.util.TreeMap<>();
      s.execute("SELECT JSON * FROM " + table).forEach(r -> {
        Map<String, Object> row = new java.util.TreeMap<>(json(r.getString(0)));
        rows.put(String.valueOf(row.remove(keyColumn)), row);
      });
      return rows;
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> json(String text) {
    return (Map<String, Object>) Json.read(text);
  }

  @Test
  void everyExampleIsAValidSpec() throws IOException {
    List<Path> specs;
    try (Stream<Path> s = Files.list(EXAMPLES)) {
      specs = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(specs).extracting(p -> p.getFileName().toString()).containsExactly("course_catalog.yaml",
        "course_recommendations.yaml", "featured_lists.yaml", "instructor_dashboard.yaml", "localized_strings.yaml",
        "search_ranking_features.yaml", "user_profile.yaml");
    specs.forEach(SpecLoader::load);
  }

  @Test
  void userProfileMergesThreeSourcesIntoTheDocumentedDocuments() {
    Map<String, Map<String, Object>> docs = load("user_profile", "user_id");
    assertThat(docs).hasSize(200);
    assertThat(docs.get("u0002")).isEqualTo(json("{\"languages\": {\"value\": \"en\", \"share\": 0.9886, \"scores\": "
        + "{\"en\": 0.9886, \"ja\": 0.0114}}, \"domain_affinity\": {\"programming\": 0.7565, \"design\": 0.2435}, "
        + "\"subtitle_minutes\": 306, \"courses_watched\": 4, \"enrollments\": 2}"));
    assertThat(docs.get("u0001")).isEqualTo(json("{\"languages\": {\"value\": \"hi\", \"share\": 0.5, \"scores\": "
        + "{\"hi\": 0.5, \"ja\": 0.3, \"en\": 0.15, \"de\": 0.05}}, \"domain_affinity\": {\"health\": 0.5, "
        + "\"languages\": 0.5}, \"subtitle_minutes\": 13, \"courses_watched\": 1, \"enrollments\": 4}"));
    assertThat(docs.get("u0007")).isEqualTo(json("{\"languages\": {\"value\": \"en\", \"share\": 1.0, \"scores\": "
        + "{\"en\": 1.0}}, \"domain_affinity\": {\"business\": 0.75, \"languages\": 0.25}, \"subtitle_minutes\": 67, "
        + "\"courses_watched\": 1, \"enrollments\": 2}"));
  }

  @Test
  void theOtherExamplesLoadTheirDocumentedShapes() {
    // Expected values were computed independently from the CSV files in specs/examples/data.
    assertThat(load("search_ranking_features", "course_id").get("c001")).isEqualTo(json("{\"enrollments\": 3, "
        + "\"last_enrolled\": \"2026-10-19\", \"learners\": 3, \"rec_score_avg\": 0.4675782608695652, "
        + "\"rec_score_max\": 0.9327, \"viewers\": 6, \"watch_minutes\": 1038}"));
    assertThat(load("localized_strings", "string_key").get("nav.home")).isEqualTo(json("{\"translations\": ["
        + "{\"locale\": \"de\", \"text\": \"Startseite\"}, {\"locale\": \"en\", \"text\": \"Home\"}, "
        + "{\"locale\": \"es\", \"text\": \"Inicio\"}, {\"locale\": \"ja\", \"text\": \"ホーム\"}, "
        + "{\"locale\": \"pt-BR\", \"text\": \"Início\"}]}"));
    Map<String, Map<String, Object>> lists = load("featured_lists", "list_id");
    assertThat(lists).containsOnlyKeys("black_friday", "data_science_picks", "home_hero", "new_and_noteworthy");
    assertThat(lists.get("home_hero")).isEqualTo(json("{\"courses\": [\"c021\", \"c010\", \"c026\", \"c042\", "
        + "\"c004\", \"c005\"], \"window\": {\"starts_on\": \"2026-11-01\", \"ends_on\": \"2026-12-31\"}}"));
    assertThat(load("instructor_dashboard", "instructor_id").get("i01")).isEqualTo(json("{\"name\": \"Ada Ito\", "
        + "\"course_count\": 5, \"courses\": [{\"course_id\": \"c001\", \"title\": \"Applied Data Analysis\"}, "
        + "{\"course_id\": \"c013\", \"title\": \"Foundations of SQL for Analysts\"}, {\"course_id\": \"c025\", "
        + "\"title\": \"Introduction to Machine Learning\"}, {\"course_id\": \"c037\", \"title\": "
        + "\"Practical Statistics\"}, {\"course_id\": \"c049\", \"title\": \"Advanced Deep Learning\"}], "
        + "\"enrollments\": 40, \"learners\": 33, \"watch_minutes\": 6479, \"top_courses\": [{\"course_id\": "
        + "\"c025\", \"enrollments\": 12}, {\"course_id\": \"c013\", \"enrollments\": 9}, {\"course_id\": "
        + "\"c037\", \"enrollments\": 9}]}"));
  }
}
