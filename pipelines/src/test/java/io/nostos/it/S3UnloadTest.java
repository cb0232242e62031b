package io.nostos.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import io.nostos.catalog.VersionState;
import io.nostos.pipelines.JobRunner;
import io.nostos.pipelines.RunnerConfig;
import io.nostos.pipelines.spec.Spec;
import io.nostos.transforms.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redshift UNLOAD output on a real S3 API server (s3proxy in its own process): gzip parts,
 * pipe-delimited, no header, backslash escapes, empty text for null, plus the MANIFEST VERBOSE
 * file. Loaded end to end into the test Cassandra node and read back.
 */
class S3UnloadTest {
  private static final String BUCKET = "warehouse";
  private static final int USERS = 300;
  private static final int PARTS = 3;

  @TempDir Path tmp;

  /** The documents the unloaded rows must become, by user_id. */
  private static final Map<String, Map<String, Object>> EXPECTED = new TreeMap<>();

  @BeforeAll
  static void unloadToS3() throws IOException {
    TestS3.bucket(BUCKET);
    List<StringBuilder> parts = new ArrayList<>();
    for (int i = 0; i < PARTS; i++) {
      parts.add(new StringBuilder());
    }
    for (int i = 1; i <= USERS; i++) {
      String lang = i % 3 == 0 ? "es" : "en";
      String title = i % 10 == 0 ? null : "Course " + i + (i % 7 == 0 ? " | part\\two" : "");
      // UNLOAD ... ESCAPE writes \| for a delimiter in a value and \\ for a backslash
      String escaped = title == null ? "" : title.replace("\\", "\\\\").replace("|", "\\|");
      parts.get(i % PARTS).append("u").append(i).append('|').append(lang).append('|').append(i * 3).append('|')
          .append(escaped).append('\n');
      Map<String, Object> doc = new TreeMap<>();
      doc.put("lang", lang);
      doc.put("minutes", (long) i * 3);
      if (title != null) {
        doc.put("title", title);
      }
      EXPECTED.put("u" + i, doc);
    }
    StringBuilder manifest = new StringBuilder("{\"entries\": [");
    for (int i = 0; i < PARTS; i++) {
      String key = "unload/users/000" + i + "_part_00.gz";
      byte[] gz = gzip(parts.get(i).toString());
      TestS3.put(BUCKET, key, gz);
      manifest.append(i == 0 ? "" : ", ").append("{\"url\": \"s3://").append(BUCKET).append('/').append(key)
          .append("\", \"meta\": {\"content_length\": ").append(gz.length).append("}, \"mandatory\": true}");
    }
    manifest.append("], \"schema\": {\"elements\": [{\"name\": \"user_id\", \"type\": {\"base\": \"character varying\"}}, "
        + "{\"name\": \"lang\"}, {\"name\": \"minutes\"}, {\"name\": \"title\"}]}}");
    TestS3.put(BUCKET, "unload/users/manifest", manifest.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  private static RunnerConfig s3Runner() {
    return RunnerConfig.direct().withArgs(TestS3.beamOptions());
  }

  private static final String GENERATORS = "generators:\n"
      + "  - type: columns\n"
      + "    select: {user_id: user_id, lang: lang, minutes: {from: minutes, type: bigint}, title: title}\n";

  @Test
  void manifestOfGzipPartsLoadsEveryRow() {
    String ks = TestCassandra.newKeyspace("unload_manifest");
    Spec spec = Runs.spec(tmp, "unloaded", "dataset: unloaded\n"
        + "source:\n"
        + "  type: files\n"
        + "  manifest: s3://" + BUCKET + "/unload/users/manifest\n"
        + "  format: redshift_unload\n"
        + "key: [user_id]\n"
        + GENERATORS
        + "load: {keyspace: " + ks + ", ranges: 3}\n");
    JobRunner.Outcome o = Runs.runner(ks, tmp.resolve("work"), s3Runner()).run(spec);
    assertThat(o.state()).isEqualTo(VersionState.CURRENT);
    assertThat(o.badRows()).isEmpty();
    try (CqlSession s = TestCassandra.session(ks)) {
      assertThat(Runs.documents(s, ks + ".unloaded_v1", "user_id")).isEqualTo(EXPECTED);
    }
  }

  @Test
  void globOfPartsWithABadLineWritesItsDeadLetterToS3() {
    TestS3.put(BUCKET, "unload/users/0009_part_00.gz", uncheckedGzip("u9001|en|5\nu9002|fr|7|Cours\n"));
    try {
      String ks = TestCassandra.newKeyspace("unload_glob");
      Spec spec = Runs.spec(tmp, "unloaded_glob", "dataset: unloaded_glob\n"
          + "source:\n"
          + "  type: files\n"
          + "  path: s3://" + BUCKET + "/unload/users/*_part_00.gz\n"
          + "  format: redshift_unload\n"
          + "  column_names: [user_id, lang, minutes, title]\n"
          + "key: [user_id]\n"
          + GENERATORS
          + "bad_rows: {max: 1, dead_letter: 's3://" + BUCKET + "/dead-letter'}\n"
          + "load: {keyspace: " + ks + ", ranges: 2}\n");
      JobRunner.Outcome o = Runs.runner(ks, tmp.resolve("work"), s3Runner()).run(spec);
      assertThat(o.badRows()).isEqualTo(Map.of("unparsable_row", 1L));
      assertThat(o.deadLetter()).isEqualTo("s3://" + BUCKET + "/dead-letter/unloaded_glob_v1");
      Map<String, Map<String, Object>> expected = new TreeMap<>(EXPECTED);
      expected.put("u9002", Map.of("lang", "fr", "minutes", 7L, "title", "Cours"));
      try (CqlSession s = TestCassandra.session(ks)) {
        assertThat(Runs.documents(s, ks + ".unloaded_glob_v1", "user_id")).isEqualTo(expected);
      }
      List<String> keys = TestS3.keys(BUCKET, "dead-letter/unloaded_glob_v1/");
      assertThat(keys).containsExactly("dead-letter/unloaded_glob_v1/bad-rows-00000-of-00001.jsonl");
      assertThat(Json.read(TestS3.get(BUCKET, keys.get(0)).strip())).isEqualTo(Map.of(
          "reason", "unparsable_row",
          "detail", "s3://" + BUCKET + "/unload/users/0009_part_00.gz:1: expected 4 fields (user_id, lang, minutes, "
              + "title) but found 3; check the delimiter (|), quoting and escaping",
          "raw", "u9001|en|5"));
    } finally {
      TestS3.client().deleteObject(b -> b.bucket(BUCKET).key("unload/users/0009_part_00.gz"));
    }
  }

  private static byte[] uncheckedGzip(String text) {
    try {
      return gzip(text);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
