package io.nostos.pipelines.spec;

import io.nostos.catalog.CassandraTarget;
import io.nostos.catalog.VersionName;
import io.nostos.transforms.GeneratorConfigException;
import io.nostos.transforms.GeneratorFactory;
import io.nostos.transforms.Generators;
import io.nostos.transforms.JoinGeneratorFactory;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads and validates a job spec (format v1). Every problem is reported with file, line and
 * column and says what to write instead; all problems found are reported together. Unknown keys
 * are errors. {@code ${NAME}} in strings is replaced by the environment variable NAME, and
 * {@code ${SPEC_DIR}} by the directory of the spec file.
 */
public final class SpecLoader {
  private static final Set<String> TOP_KEYS = Set.of("version", "dataset", "description", "source", "sources", "key",
      "layout", "columns", "generators", "retain_versions", "load", "bad_rows");
  private static final Set<String> JDBC_KEYS = Set.of("type", "driver", "url", "user", "password", "query", "fetch_size",
      "partition");
  private static final Set<String> PARTITION_KEYS = Set.of("column", "lower", "upper", "bucket_by", "count");
  private static final Set<String> FILES_KEYS = Set.of("type", "path", "manifest", "format", "header", "delimiter",
      "quote", "escape", "null_marker", "column_names");
  private static final Set<String> BAD_ROWS_KEYS = Set.of("max", "dead_letter", "max_document_bytes");
  /** Keys every generator may have besides its own: how it is wired into the pipeline. */
  private static final Set<String> WIRING_KEYS = Set.of("type", "name", "input");
  private static final Set<String> LOAD_KEYS = Set.of("keyspace", "ranges", "throttle_mib_per_sec", "verify_sample",
      "verify", "sort_buffer_mib");
  private static final Set<String> CQL_TYPES = Set.of("text", "varchar", "ascii", "bigint", "int", "smallint", "double",
      "float", "boolean", "decimal", "varint", "uuid", "timeuuid", "timestamp", "blob");
  private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
  /** Default keyspace of dataset tables. */
  public static final String DEFAULT_KEYSPACE = "nostos_data";

  private final String file;
  private final Path specDir;
  private final Map<String, String> env;
  private final List<SpecException.Problem> problems = new ArrayList<>();
  private final Map<String, Node> sourceNodes = new LinkedHashMap<>();

  private SpecLoader(String file, Path specDir, Map<String, String> env) {
    this.file = file;
    this.specDir = specDir;
    this.env = env;
  }

  /** Loads the spec at {@code path}, resolving variables from the process environment. */
  public static Spec load(Path path) {
    return load(path, System.getenv());
  }

  public static Spec load(Path path, Map<String, String> env) {
    String text;
    try {
      text = Files.readString(path);
    } catch (NoSuchFileException e) {
      throw new SpecException(List.of(new SpecException.Problem(path.toString(), 1, 1,
          "file not found; give the path of a spec YAML file (see specs/examples/)")));
    } catch (IOException e) {
      throw new SpecException(List.of(new SpecException.Problem(path.toString(), 1, 1, "cannot read: " + e.getMessage())));
    }
    Path dir = path.toAbsolutePath().normalize().getParent();
    return parse(text, path, dir, env);
  }

  /** Parses spec text; {@code file} is used in messages and kept in the spec. */
  public static Spec parse(String text, Path file, Path specDir, Map<String, String> env) {
    SpecLoader l = new SpecLoader(file == null ? "<spec>" : file.toString(), specDir, env);
    Spec spec = l.parseSpec(text, file);
    if (!l.problems.isEmpty()) {
      l.problems.sort(java.util.Comparator.comparingInt(SpecException.Problem::line)
          .thenComparingInt(SpecException.Problem::column));
      throw new SpecException(l.problems);
    }
    return spec;
  }

  private Spec parseSpec(String text, Path path) {
    Node root;
    try {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      root = new Yaml(options).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String what = e.getProblem() != null ? e.getProblem() : e.getMessage();
      problem(m, "YAML syntax error: " + what + (e.getContext() != null ? " (" + e.getContext() + ")" : "")
          + "; check indentation and quoting on this line");
      return null;
    }
    if (root == null) {
      problems.add(new SpecException.Problem(file, 1, 1, "the spec is empty; it needs at least dataset, source and key"));
      return null;
    }
    Map<String, NodeTuple> top = mapping(root, "the spec", TOP_KEYS);
    if (top == null) {
      return null;
    }
    if (top.containsKey("version")) {
      Node v = top.get("version").getValueNode();
      Integer n = integer(v, "version");
      if (n != null && n != 1) {
        problem(v, "spec format version " + n + " is not supported; this Nostos reads version: 1");
      }
    }
    String dataset = requiredString(top, "dataset", root);
    if (dataset != null) {
      String p = VersionName.datasetProblem(dataset);
      if (p != null) {
        problem(top.get("dataset").getValueNode(), p + ", e.g. user_profile");
      }
    }
    String description = top.containsKey("description") ? string(top.get("description").getValueNode(), "description") : "";
    Map<String, Spec.Source> sources = sources(top, root);
    List<Spec.KeyColumn> key = top.containsKey("key") ? key(top.get("key").getValueNode()) : missing(root, "key",
        "key: [user_id] (one or more columns)");
    Spec.Layout layout = Spec.Layout.DOCUMENT;
    if (top.containsKey("layout")) {
      Spec.Layout chosen = choice(top.get("layout").getValueNode(), "layout",
          Map.of("document", Spec.Layout.DOCUMENT, "columns", Spec.Layout.COLUMNS),
          "'document' (one JSON value per field) or 'columns' (typed columns)");
      layout = chosen != null ? chosen : layout;
    }
    Map<String, String> columns = new LinkedHashMap<>();
    if (top.containsKey("columns")) {
      Node n = top.get("columns").getValueNode();
      if (layout != Spec.Layout.COLUMNS) {
        problem(top.get("columns").getKeyNode(), "'columns' is only for layout: columns; remove it or add layout: columns");
      }
      Map<String, NodeTuple> m = mapping(n, "columns", null);
      if (m != null) {
        m.forEach((name, t) -> {
          String type = string(t.getValueNode(), "columns." + name);
          checkIdentifier(t.getKeyNode(), name);
          if (type != null && cqlTypeProblem(type) != null) {
            problem(t.getValueNode(), cqlTypeProblem(type));
          }
          columns.put(name, type);
        });
      }
    } else if (layout == Spec.Layout.COLUMNS) {
      problem(top.get("layout").getValueNode(), "layout: columns needs a 'columns:' mapping of column name to CQL type, "
          + "e.g. columns: {name: text, score: double}");
    }
    if (key != null) {
      for (Spec.KeyColumn k : key) {
        if (layout == Spec.Layout.DOCUMENT && (k.name().equals("field") || k.name().equals("value"))) {
          problem(top.get("key").getValueNode(), "key column '" + k.name() + "' clashes with the document layout's own "
              + "'field' and 'value' columns; rename it with a columns generator");
        }
        if (columns.containsKey(k.name())) {
          problem(top.get("columns").getValueNode(), "'" + k.name() + "' is a key column; do not list it under columns");
        }
      }
    }
    List<Spec.Generator> generators = new ArrayList<>();
    String output = null;
    if (sources != null) {
      Node generatorsNode = top.containsKey("generators") ? top.get("generators").getValueNode() : null;
      output = generators(generatorsNode, root, sources, key == null ? List.of() : key.stream().map(Spec.KeyColumn::name).toList(),
          generators);
    }
    int retain = 3;
    if (top.containsKey("retain_versions")) {
      Node n = top.get("retain_versions").getValueNode();
      Integer r = integer(n, "retain_versions");
      if (r != null && r < 1) {
        problem(n, "retain_versions must be at least 1 (the current version), e.g. 3");
      } else if (r != null) {
        retain = r;
      }
    }
    Spec.Load load = top.containsKey("load") ? load(top.get("load").getValueNode())
        : new Spec.Load(DEFAULT_KEYSPACE, 0, 64, 64, 64, Spec.Verify.COUNT);
    Spec.BadRows badRows = top.containsKey("bad_rows") ? badRows(top.get("bad_rows").getValueNode()) : Spec.BadRows.none();
    if (!problems.isEmpty()) {
      return null;
    }
    return new Spec(path, dataset, description, sources, key, layout, columns, generators, output, retain, load, badRows);
  }

  private Map<String, Spec.Source> sources(Map<String, NodeTuple> top, Node root) {
    Map<String, Spec.Source> out = new LinkedHashMap<>();
    if (top.containsKey("source") && top.containsKey("sources")) {
      problem(top.get("sources").getKeyNode(), "use either source: (one source) or sources: (named sources), not both");
      return null;
    }
    if (top.containsKey("source")) {
      out.put(Spec.SINGLE_SOURCE, source(top.get("source").getValueNode()));
      sourceNodes.put(Spec.SINGLE_SOURCE, top.get("source").getKeyNode());
      return out;
    }
    if (!top.containsKey("sources")) {
      return missing(root, "source", "source: {type: jdbc, driver: ..., url: ..., query: ...} or "
          + "source: {type: files, path: ..., format: csv}, or several under sources: {name: {...}}");
    }
    Map<String, NodeTuple> m = mapping(top.get("sources").getValueNode(), "sources", null);
    if (m == null) {
      return null;
    }
    if (m.isEmpty()) {
      problem(top.get("sources").getValueNode(), "sources needs at least one named source");
    }
    m.forEach((name, t) -> {
      checkIdentifier(t.getKeyNode(), name);
      out.put(name, source(t.getValueNode()));
      sourceNodes.put(name, t.getKeyNode());
    });
    return out;
  }

  private Spec.BadRows badRows(Node node) {
    Map<String, NodeTuple> m = mapping(node, "bad_rows", BAD_ROWS_KEYS);
    if (m == null) {
      return null;
    }
    long maxCount = 0;
    double maxFraction = -1;
    if (m.containsKey("max")) {
      Node n = m.get("max").getValueNode();
      String v = n instanceof ScalarNode ? ((ScalarNode) n).getValue().trim() : "";
      String hint = "bad_rows.max must be a count (e.g. 100), a fraction below 1 (e.g. 0.001) or a percentage (e.g. 0.1%)";
      try {
        if (v.endsWith("%")) {
          maxFraction = Double.parseDouble(v.substring(0, v.length() - 1).trim()) / 100;
        } else if (n.getTag().equals(Tag.FLOAT)) {
          maxFraction = Double.parseDouble(v);
        } else if (n.getTag().equals(Tag.INT)) {
          maxCount = Long.parseLong(v.replace("_", ""));
        } else {
          throw new NumberFormatException();
        }
        if (maxCount < 0 || maxFraction >= 1 || (maxFraction < 0 && maxFraction != -1)) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        problem(n, hint);
      }
    }
    String deadLetter = m.containsKey("dead_letter") ? string(m.get("dead_letter").getValueNode(), "dead_letter") : null;
    if (deadLetter != null && !deadLetter.contains("://") && !deadLetter.startsWith("/") && specDir != null) {
      deadLetter = specDir.resolve(deadLetter).normalize().toString();
    }
    int maxDoc = m.containsKey("max_document_bytes")
        ? positive(m.get("max_document_bytes").getValueNode(), "max_document_bytes", Spec.BadRows.DEFAULT_MAX_DOCUMENT_BYTES)
        : Spec.BadRows.DEFAULT_MAX_DOCUMENT_BYTES;
    return new Spec.BadRows(maxCount, maxFraction, deadLetter, maxDoc);
  }

  private Spec.Source source(Node node) {
    Map<String, NodeTuple> m = mapping(node, "source", null);
    if (m == null) {
      return null;
    }
    String type = requiredString(m, "type", node);
    if (type == null) {
      return null;
    }
    switch (type) {
      case "jdbc": {
        checkKeys(m, JDBC_KEYS, "a jdbc source");
        String driver = requiredString(m, "driver", node);
        String url = requiredString(m, "url", node);
        String query = requiredString(m, "query", node);
        String user = m.containsKey("user") ? string(m.get("user").getValueNode(), "user") : null;
        String password = m.containsKey("password") ? string(m.get("password").getValueNode(), "password") : null;
        if (password != null && !VAR.matcher(((ScalarNode) m.get("password").getValueNode()).getValue()).find()) {
          problem(m.get("password").getValueNode(), "write the password as an environment variable reference, "
              + "e.g. password: ${WAREHOUSE_PASSWORD}, never in the spec itself");
        }
        int fetchSize = m.containsKey("fetch_size") ? positive(m.get("fetch_size").getValueNode(), "fetch_size", 10_000) : 10_000;
        Spec.Partition partition = m.containsKey("partition") ? partition(m.get("partition").getValueNode()) : null;
        return new Spec.JdbcSource(driver, url, user, password, query, fetchSize, partition);
      }
      case "files": {
        checkKeys(m, FILES_KEYS, "a files source");
        String path = null;
        String manifest = null;
        if (m.containsKey("path") == m.containsKey("manifest")) {
          problem(node, "a files source needs either path: (a glob such as data/part-*.csv.gz or s3://bucket/prefix/part-*) "
              + "or manifest: (the manifest file of a Redshift UNLOAD ... MANIFEST), not both");
        } else if (m.containsKey("path")) {
          path = location(string(m.get("path").getValueNode(), "path"));
        } else {
          manifest = location(string(m.get("manifest").getValueNode(), "manifest"));
        }
        // redshift_unload is csv with the defaults of Redshift's UNLOAD: '|' between fields, no
        // header, no quoting, backslash escapes (UNLOAD ... ESCAPE), empty text for null.
        Spec.Format format = Spec.Format.CSV;
        boolean unload = false;
        if (m.containsKey("format")) {
          Node f = m.get("format").getValueNode();
          String s = string(f, "format");
          if ("csv".equals(s)) {
            format = Spec.Format.CSV;
          } else if ("jsonl".equals(s)) {
            format = Spec.Format.JSONL;
          } else if ("redshift_unload".equals(s)) {
            unload = true;
          } else if (s != null) {
            problem(f, "format must be csv, redshift_unload or jsonl, not '" + s + "'");
          }
        }
        boolean header = m.containsKey("header") ? bool(m.get("header").getValueNode(), "header", true) : !unload;
        char delimiter = m.containsKey("delimiter") ? character(m.get("delimiter").getValueNode(), "delimiter")
            : unload ? '|' : ',';
        char quote = m.containsKey("quote") ? optionalCharacter(m.get("quote").getValueNode(), "quote") : unload ? 0 : '"';
        char escape = m.containsKey("escape") ? optionalCharacter(m.get("escape").getValueNode(), "escape")
            : unload ? '\\' : 0;
        String nullMarker = m.containsKey("null_marker") ? string(m.get("null_marker").getValueNode(), "null_marker") : "";
        List<String> names = m.containsKey("column_names") ? stringList(m.get("column_names").getValueNode(), "column_names") : List.of();
        if (!header && names.isEmpty() && format == Spec.Format.CSV && manifest == null) {
          problem(node, "a csv source without a header needs column_names: [a, b, ...]");
        }
        return new Spec.FilesSource(path, manifest, format, header, delimiter, quote, escape, nullMarker, names);
      }
      default:
        problem(m.get("type").getValueNode(), "unknown source type '" + type + "'; use jdbc or files");
        return null;
    }
  }

  /** A local path relative to the spec's directory, or a URL such as s3://bucket/key as is. */
  private String location(String s) {
    if (s == null || s.contains("://") || s.startsWith("/") || specDir == null) {
      return s;
    }
    return specDir.resolve(s).normalize().toString();
  }

  private Spec.Partition partition(Node node) {
    Map<String, NodeTuple> m = mapping(node, "partition", PARTITION_KEYS);
    if (m == null) {
      return null;
    }
    int count = m.containsKey("count") ? positive(m.get("count").getValueNode(), "count", 1) : 0;
    if (!m.containsKey("count")) {
      problem(node, "partition needs count: the number of parallel reads, e.g. count: 16");
    }
    boolean byColumn = m.containsKey("column");
    if (byColumn == m.containsKey("bucket_by")) {
      problem(node, "partition needs either column: (a numeric, date or timestamp column, split into ranges) or "
          + "bucket_by: (SQL giving a non-negative integer per row, e.g. abs(hashtext(user_id)) on PostgreSQL)");
      return null;
    }
    if (!byColumn && (m.containsKey("lower") || m.containsKey("upper"))) {
      problem(node, "lower and upper go with partition.column, not with bucket_by");
    }
    if (m.containsKey("lower") != m.containsKey("upper")) {
      problem(node, "give both lower and upper, or neither (then the query's min and max are used)");
    }
    String lower = m.containsKey("lower") ? scalarText(m.get("lower").getValueNode(), "lower") : null;
    String upper = m.containsKey("upper") ? scalarText(m.get("upper").getValueNode(), "upper") : null;
    String column = byColumn ? string(m.get("column").getValueNode(), "column") : null;
    String bucketBy = byColumn ? null : string(m.get("bucket_by").getValueNode(), "bucket_by");
    return new Spec.Partition(column, lower, upper, bucketBy, count);
  }

  private String scalarText(Node n, String what) {
    if (!(n instanceof ScalarNode) || n.getTag().equals(Tag.NULL)) {
      problem(n, what + " must be a number, a date (2024-01-31) or a timestamp");
      return null;
    }
    return ((ScalarNode) n).getValue();
  }

  private List<Spec.KeyColumn> key(Node node) {
    List<Spec.KeyColumn> out = new ArrayList<>();
    List<Node> items;
    if (node instanceof ScalarNode) {
      items = List.of(node);
    } else if (node instanceof SequenceNode && !((SequenceNode) node).getValue().isEmpty()) {
      items = ((SequenceNode) node).getValue();
    } else {
      problem(node, "key must be a column name or a list of them, e.g. key: [user_id] or key: [{user_id: bigint}]");
      return null;
    }
    for (Node item : items) {
      if (item instanceof ScalarNode) {
        String name = string(item, "key");
        checkIdentifier(item, name);
        out.add(new Spec.KeyColumn(name, "text"));
      } else if (item instanceof MappingNode && ((MappingNode) item).getValue().size() == 1) {
        NodeTuple t = ((MappingNode) item).getValue().get(0);
        String name = string(t.getKeyNode(), "key");
        String type = string(t.getValueNode(), "key type");
        checkIdentifier(t.getKeyNode(), name);
        if (type != null && (!CQL_TYPES.contains(type) || type.equals("blob"))) {
          problem(t.getValueNode(), "key type '" + type + "' is not supported; use text, bigint, int, uuid, timestamp...");
        }
        out.add(new Spec.KeyColumn(name, type));
      } else {
        problem(item, "each key entry is a column name or {column: cql_type}");
      }
    }
    Set<String> seen = new TreeSet<>();
    for (Spec.KeyColumn k : out) {
      if (k.name() != null && !seen.add(k.name())) {
        problem(node, "key column '" + k.name() + "' is listed twice");
      }
    }
    return out;
  }

  /**
   * Reads the generators into {@code out}, resolving each one's inputs: {@code input:} names
   * sources or earlier generators; without it a generator reads the previous generator's output,
   * or the only source. Every source and generator output must be read by something.
   *
   * @return the name of the source or generator whose rows become the dataset
   */
  private String generators(Node node, Node root, Map<String, Spec.Source> sources, List<String> keyNames,
      List<Spec.Generator> out) {
    Map<String, Node> available = new LinkedHashMap<>();
    sources.keySet().forEach(name -> available.put(name, sourceNodes.getOrDefault(name, root)));
    Set<String> read = new java.util.HashSet<>();
    String previous = null;
    if (node != null && !(node instanceof SequenceNode)) {
      problem(node, "generators must be a list, e.g.\n  generators:\n    - type: columns\n      select: {...}");
      return null;
    }
    List<Node> items = node == null ? List.of() : ((SequenceNode) node).getValue();
    int index = 0;
    for (Node g : items) {
      index++;
      Map<String, NodeTuple> m = mapping(g, "a generator", null);
      if (m == null) {
        continue;
      }
      String type = requiredString(m, "type", g);
      if (type == null) {
        continue;
      }
      GeneratorFactory f = Generators.find(type);
      if (f == null) {
        problem(m.get("type").getValueNode(), "unknown generator '" + type + "'" + suggestion(type, Generators.all().keySet())
            + "; available: " + String.join(", ", Generators.all().keySet()));
        continue;
      }
      Set<String> allowed = new TreeSet<>(f.keys());
      allowed.addAll(WIRING_KEYS);
      checkKeys(m, allowed, "generator " + type);
      String name = index + "-" + type;
      if (m.containsKey("name")) {
        Node n = m.get("name").getValueNode();
        name = string(n, "name");
        checkIdentifier(n, name);
        if (name != null && available.containsKey(name)) {
          problem(n, "'" + name + "' is already the name of a " + (sources.containsKey(name) ? "source" : "generator")
              + "; names must be unique");
        }
      }
      List<String> inputs = new ArrayList<>();
      Node inputNode = m.containsKey("input") ? m.get("input").getValueNode() : g;
      if (m.containsKey("input")) {
        inputs.addAll(inputNode instanceof SequenceNode ? stringList(inputNode, "input") : optionalList(string(inputNode, "input")));
        for (String in : inputs) {
          if (!available.containsKey(in)) {
            problem(inputNode, "input '" + in + "' is not a source or an earlier generator" + suggestion(in, available.keySet())
                + "; available: " + String.join(", ", available.keySet()));
          }
        }
      } else if (previous != null) {
        inputs.add(previous);
      } else if (sources.size() == 1) {
        inputs.addAll(sources.keySet());
      } else {
        problem(g, "this spec has several sources (" + String.join(", ", sources.keySet())
            + "); say which this generator reads with input: <name>, or input: [a, b] for several");
      }
      read.addAll(inputs);
      Map<String, Object> config = new LinkedHashMap<>();
      m.forEach((k, t) -> {
        if (!WIRING_KEYS.contains(k)) {
          config.put(k, toJava(t.getValueNode()));
        }
      });
      try {
        if (f instanceof JoinGeneratorFactory) {
          ((JoinGeneratorFactory) f).createJoin(config, keyNames, inputs);
        } else {
          f.create(config, keyNames);
        }
      } catch (GeneratorConfigException e) {
        Node at = e.key() != null && m.containsKey(e.key()) ? m.get(e.key()).getValueNode()
            : f instanceof JoinGeneratorFactory ? inputNode : g;
        problem(at, e.getMessage());
      } catch (IllegalArgumentException e) {
        problem(g, type + ": " + e.getMessage());
      }
      available.put(name, g);
      previous = name;
      out.add(new Spec.Generator(name, type, List.copyOf(inputs), config, g.getStartMark().getLine() + 1));
    }
    String output = previous;
    if (output == null) {
      if (sources.size() > 1) {
        problem(root, "a spec with several sources needs generators that combine them, e.g. a merge generator "
            + "with input: [" + String.join(", ", sources.keySet()) + "]");
        return null;
      }
      output = sources.keySet().iterator().next();
    }
    read.add(output);
    for (Map.Entry<String, Node> e : available.entrySet()) {
      if (!read.contains(e.getKey())) {
        boolean isSource = sources.containsKey(e.getKey());
        problem(e.getValue(), (isSource ? "source '" : "the output of generator '") + e.getKey()
            + "' is not read by any generator; the dataset is the output of '" + output
            + "'. Read it with input: " + e.getKey() + " (e.g. in a merge), or remove it");
      }
    }
    return output;
  }

  private static List<String> optionalList(String s) {
    return s == null ? List.of() : List.of(s);
  }

  private Spec.Load load(Node node) {
    Map<String, NodeTuple> m = mapping(node, "load", LOAD_KEYS);
    if (m == null) {
      return null;
    }
    String keyspace = DEFAULT_KEYSPACE;
    if (m.containsKey("keyspace")) {
      Node n = m.get("keyspace").getValueNode();
      keyspace = string(n, "keyspace");
      String p = CassandraTarget.identifierProblem(keyspace);
      if (p != null) {
        problem(n, "keyspace " + p);
      }
    }
    int ranges = 0;
    if (m.containsKey("ranges")) {
      Node n = m.get("ranges").getValueNode();
      if (n instanceof ScalarNode && "auto".equals(((ScalarNode) n).getValue())) {
        ranges = 0;
      } else {
        ranges = positive(n, "ranges", 0);
      }
    }
    int throttle = 64;
    if (m.containsKey("throttle_mib_per_sec")) {
      Integer t = integer(m.get("throttle_mib_per_sec").getValueNode(), "throttle_mib_per_sec");
      if (t != null && t < 0) {
        problem(m.get("throttle_mib_per_sec").getValueNode(), "throttle_mib_per_sec must be >= 0 (0 = unthrottled)");
      } else if (t != null) {
        throttle = t;
      }
    }
    int sample = 64;
    if (m.containsKey("verify_sample")) {
      Integer s = integer(m.get("verify_sample").getValueNode(), "verify_sample");
      if (s != null && s < 0) {
        problem(m.get("verify_sample").getValueNode(), "verify_sample must be >= 0");
      } else if (s != null) {
        sample = s;
      }
    }
    Spec.Verify verify = Spec.Verify.COUNT;
    if (m.containsKey("verify")) {
      Node n = m.get("verify").getValueNode();
      Spec.Verify chosen = choice(n, "verify", Map.of("count", Spec.Verify.COUNT, "sample", Spec.Verify.SAMPLE),
          "'count' (every row counted on the cluster, a full read of the new table) "
              + "or 'sample' (only the verify_sample rows read back)");
      verify = chosen != null ? chosen : verify;
      if (chosen == Spec.Verify.SAMPLE && sample == 0) {
        problem(n, "verify: sample reads back the verify_sample rows, but verify_sample is 0; "
            + "set verify_sample to 1 or more, or use verify: count");
      }
    }
    int sortBuffer = m.containsKey("sort_buffer_mib") ? positive(m.get("sort_buffer_mib").getValueNode(), "sort_buffer_mib", 64) : 64;
    return new Spec.Load(keyspace, ranges, throttle, sample, sortBuffer, verify);
  }

  // ---- helpers ------------------------------------------------------------------------------

  private Map<String, NodeTuple> mapping(Node node, String what, Set<String> allowed) {
    if (!(node instanceof MappingNode)) {
      problem(node, what + " must be a mapping (key: value lines)");
      return null;
    }
    Map<String, NodeTuple> m = new LinkedHashMap<>();
    for (NodeTuple t : ((MappingNode) node).getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode)) {
        problem(t.getKeyNode(), "keys in " + what + " must be plain names");
        continue;
      }
      String k = ((ScalarNode) t.getKeyNode()).getValue();
      if (m.containsKey(k)) {
        problem(t.getKeyNode(), "'" + k + "' appears twice in " + what);
      }
      m.put(k, t);
    }
    if (allowed != null) {
      checkKeys(m, allowed, what);
    }
    return m;
  }

  private void checkKeys(Map<String, NodeTuple> m, Set<String> allowed, String what) {
    for (Map.Entry<String, NodeTuple> e : m.entrySet()) {
      if (!allowed.contains(e.getKey())) {
        problem(e.getValue().getKeyNode(), "unknown key '" + e.getKey() + "' in " + what
            + suggestion(e.getKey(), allowed) + "; valid keys: " + String.join(", ", new TreeSet<>(allowed)));
      }
    }
  }

  /**
   * The option a scalar names, from {@code options}; otherwise a problem saying it must be one of
   * {@code listed}, and null (as for a value that is not a string).
   */
  private <T> T choice(Node n, String what, Map<String, T> options, String listed) {
    String s = string(n, what);
    if (s == null) {
      return null;
    }
    T chosen = options.get(s);
    if (chosen == null) {
      problem(n, what + " must be " + listed + ", not '" + s + "'");
    }
    return chosen;
  }

  private String requiredString(Map<String, NodeTuple> m, String key, Node parent) {
    if (!m.containsKey(key)) {
      problem(parent, "'" + key + "' is required here");
      return null;
    }
    return string(m.get(key).getValueNode(), key);
  }

  private <T> T missing(Node root, String key, String example) {
    problem(root, "'" + key + "' is required, e.g. " + example);
    return null;
  }

  private String string(Node n, String what) {
    if (!(n instanceof ScalarNode) || n.getTag().equals(Tag.NULL)) {
      problem(n, what + " must be a text value");
      return null;
    }
    return substitute(n, ((ScalarNode) n).getValue());
  }

  private String substitute(Node n, String s) {
    Matcher m = VAR.matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String value = name.equals("SPEC_DIR") ? (specDir == null ? "." : specDir.toString()) : env.get(name);
      if (value == null) {
        problem(n, "environment variable " + name + " is not set; export it before running (e.g. export " + name + "=...)");
        value = "";
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private Integer integer(Node n, String what) {
    if (n instanceof ScalarNode && n.getTag().equals(Tag.INT)) {
      try {
        return Integer.parseInt(((ScalarNode) n).getValue().replace("_", ""));
      } catch (NumberFormatException e) {
        problem(n, what + " is too large");
        return null;
      }
    }
    problem(n, what + " must be a whole number");
    return null;
  }

  private int positive(Node n, String what, int dflt) {
    Integer v = integer(n, what);
    if (v == null) {
      return dflt;
    }
    if (v < 1) {
      problem(n, what + " must be at least 1");
      return dflt;
    }
    return v;
  }

  private boolean bool(Node n, String what, boolean dflt) {
    if (n instanceof ScalarNode && n.getTag().equals(Tag.BOOL)) {
      return Boolean.parseBoolean(((ScalarNode) n).getValue().toLowerCase());
    }
    problem(n, what + " must be true or false");
    return dflt;
  }

  private char character(Node n, String what) {
    String s = string(n, what);
    if (s != null && s.equals("\\t")) {
      return '\t';
    }
    if (s == null || s.length() != 1) {
      problem(n, what + " must be a single character, e.g. \",\" or \"|\"");
      return ',';
    }
    return s.charAt(0);
  }

  /** A single character, or {@code none} / empty for "not used" (returned as 0). */
  private char optionalCharacter(Node n, String what) {
    if (n instanceof ScalarNode && (((ScalarNode) n).getValue().isEmpty() || ((ScalarNode) n).getValue().equals("none"))) {
      return 0;
    }
    return character(n, what);
  }

  private List<String> stringList(Node n, String what) {
    List<String> out = new ArrayList<>();
    if (!(n instanceof SequenceNode)) {
      problem(n, what + " must be a list, e.g. [a, b]");
      return out;
    }
    for (Node item : ((SequenceNode) n).getValue()) {
      String s = string(item, what);
      if (s != null) {
        out.add(s);
      }
    }
    return out;
  }

  private void checkIdentifier(Node n, String name) {
    if (name != null && !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      problem(n, "'" + name + "' is not a valid column name (letters, digits, _; not starting with a digit)");
    }
  }

  static String cqlTypeProblem(String type) {
    String t = type.trim().toLowerCase();
    Matcher coll = Pattern.compile("(list|set)<\\s*([a-z]+)\\s*>|map<\\s*([a-z]+)\\s*,\\s*([a-z]+)\\s*>").matcher(t);
    if (CQL_TYPES.contains(t)) {
      return null;
    }
    if (coll.matches()) {
      for (int g = 2; g <= 4; g++) {
        if (coll.group(g) != null && !CQL_TYPES.contains(coll.group(g))) {
          return "unknown CQL type '" + coll.group(g) + "' in '" + type + "'";
        }
      }
      return null;
    }
    return "unknown CQL type '" + type + "'; use one of " + String.join(", ", new TreeSet<>(CQL_TYPES))
        + ", or list<...>, set<...>, map<...,...>";
  }

  private Object toJava(Node n) {
    if (n instanceof ScalarNode) {
      String v = ((ScalarNode) n).getValue();
      Tag tag = n.getTag();
      if (tag.equals(Tag.NULL)) {
        return null;
      }
      if (tag.equals(Tag.BOOL)) {
        return Boolean.parseBoolean(v.toLowerCase());
      }
      if (tag.equals(Tag.INT)) {
        try {
          return Long.parseLong(v.replace("_", ""));
        } catch (NumberFormatException e) {
          return v;
        }
      }
      if (tag.equals(Tag.FLOAT)) {
        return Double.parseDouble(v.replace("_", ""));
      }
      return substitute(n, v);
    }
    if (n instanceof SequenceNode) {
      List<Object> out = new ArrayList<>();
      for (Node item : ((SequenceNode) n).getValue()) {
        out.add(toJava(item));
      }
      return out;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (NodeTuple t : ((MappingNode) n).getValue()) {
      out.put(String.valueOf(toJava(t.getKeyNode())), toJava(t.getValueNode()));
    }
    return out;
  }

  private void problem(Node n, String message) {
    problem(n.getStartMark(), message);
  }

  private void problem(Mark m, String message) {
    int line = m == null ? 1 : m.getLine() + 1;
    int col = m == null ? 1 : m.getColumn() + 1;
    problems.add(new SpecException.Problem(file, line, col, message));
  }

  private static String suggestion(String given, Set<String> options) {
    for (String o : new TreeSet<>(options)) {
      if (given.length() >= 3 && (o.startsWith(given) || given.startsWith(o))) {
        return " (did you mean '" + o + "'?)";
      }
    }
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String o : options) {
      int d = distance(given, o);
      if (d < bestDistance) {
        bestDistance = d;
        best = o;
      }
    }
    return best != null && bestDistance <= Math.max(2, given.length() / 3) ? " (did you mean '" + best + "'?)" : "";
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
