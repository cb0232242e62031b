package io.nostos.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import io.nostos.transforms.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;

/**
 * The manifest file Redshift writes with {@code UNLOAD ... MANIFEST [VERBOSE]}: the data files
 * ({@code entries[].url}) and, with VERBOSE, the column names ({@code schema.elements[].name}).
 */
record UnloadManifest(List<String> files, List<String> columnNames, long contentBytes) {

  /** Parses manifest JSON; {@code where} names the file in errors. */
  static UnloadManifest parse(String json, String where) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException(where + " is not a JSON UNLOAD manifest: " + e.getMessage(), e);
    }
    JsonNode entries = root.path("entries");
    if (!entries.isArray()) {
      throw new IllegalArgumentException(where + " is not an UNLOAD manifest: it has no \"entries\" list");
    }
    List<String> files = new ArrayList<>();
    long bytes = 0;
    for (JsonNode e : entries) {
      String url = e.path("url").asText(null);
      if (url == null || url.isBlank()) {
        throw new IllegalArgumentException(where + ": an entry has no \"url\"");
      }
      files.add(url);
      bytes += e.path("meta").path("content_length").asLong(0);
    }
    List<String> names = new ArrayList<>();
    for (JsonNode el : root.path("schema").path("elements")) {
      names.add(el.path("name").asText());
    }
    return new UnloadManifest(List.copyOf(files), List.copyOf(names), bytes);
  }

  /** Reads and parses the manifest at {@code location} (local path or s3:// URL). */
  static UnloadManifest read(String location) {
    try (InputStream in = Channels.newInputStream(FileSystems.open(FileSystems.matchSingleFileSpec(location).resourceId()))) {
      return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), location);
    } catch (java.io.FileNotFoundException e) {
      throw new IllegalArgumentException("UNLOAD manifest " + location + " does not exist", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read UNLOAD manifest " + location + ": " + e.getMessage(), e);
    }
  }
}
