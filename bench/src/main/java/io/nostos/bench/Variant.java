package io.nostos.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.nostos.catalog.CassandraTarget;
import io.nostos.catalog.Sessions;
import io.nostos.pipelines.JobRunner;
import io.nostos.pipelines.RunnerConfig;
import io.nostos.pipelines.spec.Spec;
import io.nostos.pipelines.spec.SpecLoader;
import io.nostos.sstable.Progress;
import io.nostos.transforms.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.cassandra.io.sstable.CQLSSTableWriter;
import org.apache.cassandra.utils.MurmurHash;

/**
 * One load variant, run in its own JVM by {@link LoadBench}; prints one JSON line with what it
 * measured and its own peak RSS. Usage: {@code Variant NAME CSV ROWS PORTS(native,storage,jmx)
 * KEYSPACE WORKDIR}.
 */
public final class Variant {
  /** Requests the driver variant keeps in flight, as Beam's CassandraIO-style writers do. */
  static final int IN_FLIGHT = 128;

  private Variant() {}

  public static void main(String[] args) throws Exception {
    String name = args[0];
    Path csv = Paths.get(args[1]);
    long rows = Long.parseLong(args[2]);
    String[] ports = args[3].split(",");
    String ks = args[4];
    Path work = Paths.get(args[5]);
    String verify = args.length > 6 ? args[6] : "count";
    int runs = args.length > 7 ? Integer.parseInt(args[7]) : 1;
    CassandraTarget target = CassandraTarget.local(Integer.parseInt(ports[0]), Integer.parseInt(ports[1]),
        Integer.parseInt(ports[2])).withCatalogKeyspace(ks);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("variant", name);
    long start = System.nanoTime();
    switch (name) {
      case "nostos-direct", "nostos-flink" -> nostos(name, csv, target, ks, work, verify, runs, out);
      case "driver" -> driver(csv, target, ks, out);
      case "writer" -> writer(csv, rows, ks, work, out);
      default -> throw new IllegalArgumentException("unknown variant " + name);
    }
    out.putIfAbsent("seconds", (System.nanoTime() - start) / 1e9);
    out.put("peak_rss_bytes", ChildJvm.ownPeakRss());
    System.out.println(Json.write(out));
    System.exit(0);
  }

  /**
   * Nostos end to end: CSV → pipeline → streamed, verified ({@code verify}: count or sample),
   * current version; {@code runs} times in this JVM (each a new version), reporting the last run
   * and the time of each.
   */
  private static void nostos(String name, Path csv, CassandraTarget target, String ks, Path work, String verify,
      int runs, Map<String, Object> out) throws IOException {
    String dataset = name.replace('-', '_');
    Path spec = spec(work, dataset, csv, ks, verify);
    RunnerConfig runner = name.equals("nostos-direct") ? RunnerConfig.direct() : RunnerConfig.defaultLocal();
    Spec s = SpecLoader.load(spec);
    JobRunner job = new JobRunner(target, runner, work.resolve(dataset), System.err);
    List<Double> each = new ArrayList<>();
    JobRunner.Outcome o = null;
    for (int i = 0; i < runs; i++) {
      o = job.run(s);
      each.add(o.elapsed().toMillis() / 1000.0);
    }
    out.put("seconds", each.get(each.size() - 1));
    out.put("seconds_each_run", each);
    out.put("verify", verify);
    out.put("rows", o.rows());
    out.put("sstable_bytes", o.bytes());
    out.put("ranges", o.ranges());
    out.put("state", o.state().label());
    Map<String, Long> p = Progress.snapshot();
    out.put("sink_busy_seconds", p.getOrDefault(Progress.WRITE_NANOS, 0L) / 1e9);
  }

  /**
   * Writes the spec every Nostos variant loads: {@code csv} into keyspace {@code ks} as a columns
   * table, unthrottled, verified with {@code verify}; returns its path.
   */
  static Path spec(Path work, String dataset, Path csv, String ks, String verify) throws IOException {
    Path spec = work.resolve(dataset + ".yaml");
    Files.createDirectories(work);
    Files.writeString(spec, "dataset: " + dataset + "\n"
        + "source: {type: files, path: " + csv + "}\n"
        + "key: [id]\n"
        + "layout: columns\n"
        + "columns: {a: int, b: int, name: text, value: text}\n"
        + "load: {keyspace: " + ks + ", throttle_mib_per_sec: 0, verify: " + verify + "}\n");
    return spec;
  }

  /** The CQL write path: prepared INSERTs, asynchronous, {@link #IN_FLIGHT} at a time. */
  private static void driver(Path csv, CassandraTarget target, String ks, Map<String, Object> out) throws Exception {
    try (CqlSession s = Sessions.open(target)) {
      DataSet.createTable(s, target.replication(), ks, "driver_t");
      PreparedStatement insert = s.prepare("INSERT INTO " + ks + ".driver_t (id, a, b, name, value) VALUES (?, ?, ?, ?, ?)");
      Semaphore permits = new Semaphore(IN_FLIGHT);
      AtomicReference<Throwable> failure = new AtomicReference<>();
      long[] n = {0};
      long start = System.nanoTime();
      DataSet.read(csv, r -> {
        permits.acquireUninterruptibly();
        s.executeAsync(insert.bind(r.id(), r.a(), r.b(), r.name(), r.value())).whenComplete((rs, e) -> {
          if (e != null) {
            failure.compareAndSet(null, e);
          }
          permits.release();
        });
        n[0]++;
      });
      permits.acquireUninterruptibly(IN_FLIGHT);
      if (failure.get() != null) {
        throw new IllegalStateException("an INSERT failed", failure.get());
      }
      out.put("seconds", (System.nanoTime() - start) / 1e9);
      out.put("rows", n[0]);
    }
  }

  /**
   * The writer ceiling: CQLSSTableWriter in sorted mode, one thread, rows already in token order
   * (sorting is not timed). The written files are then streamed by {@link LoadBench}.
   */
  private static void writer(Path csv, long rows, String ks, Path work, Map<String, Object> out) throws IOException {
    List<DataSet.Row> all = new ArrayList<>((int) Math.min(rows, Integer.MAX_VALUE - 8));
    DataSet.read(csv, all::add);
    all.sort(Comparator.comparingLong((DataSet.Row r) -> token(r.id())).thenComparing(DataSet.Row::id));
    Path dir = work.resolve("writer").resolve(ks).resolve("writer_t");
    if (Files.exists(dir)) {
      try (var old = Files.list(dir)) {  // files of an earlier run would be streamed too
        for (Path f : old.toList()) {
          Files.delete(f);
        }
      }
    }
    Files.createDirectories(dir);
    CQLSSTableWriter w = CQLSSTableWriter.builder().inDirectory(dir.toString())
        .forTable(DataSet.createTable(ks + ".writer_t").replace(" IF NOT EXISTS", ""))
        .using("INSERT INTO " + ks + ".writer_t (id, a, b, name, value) VALUES (?, ?, ?, ?, ?)")
        .sorted().build();
    long start = System.nanoTime();
    for (DataSet.Row r : all) {
      w.addRow(r.id(), r.a(), r.b(), r.name(), r.value());
    }
    w.close();
    out.put("seconds", (System.nanoTime() - start) / 1e9);
    out.put("rows", (long) all.size());
    out.put("directory", dir.toString());
    try (var files = Files.list(dir)) {
      out.put("sstable_bytes", files.mapToLong(LoadBench::size).sum());
    }
  }

  /** The Murmur3 token of a text partition key, as Cassandra computes it. */
  static long token(String key) {
    ByteBuffer b = ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8));
    long[] hash = new long[2];
    MurmurHash.hash3_x64_128(b, 0, b.remaining(), 0, hash);
    long h = hash[0];
    return h == Long.MIN_VALUE ? Long.MAX_VALUE : h;
  }
}
