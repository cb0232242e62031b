package io.nostos.pipelines;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.flink.util.MathUtils;

/**
 * Grouping keys that the runner's shuffle spreads evenly over its workers, for steps with few
 * groups: the token ranges, the splits of a file, the partitions of a query.
 *
 * <p>On Flink (batch), a group goes to worker {@code murmur(hashCode(encoded key)) mod
 * parallelism} (Flink's hash partitioning of Beam's encoded keys), so a few keys land unevenly and
 * the step lasts as long as its busiest worker: the 4 ranges of a 1M-row load keyed 0 to 3 went 3
 * to one worker and 1 to the other of 2, and 8 file splits under random keys went 6 and 2. Keys
 * from {@link #flink} are chosen so that key {@code i} goes to worker {@code i mod parallelism};
 * {@code WorkerKeysTest} checks that on a Flink mini-cluster. Other runners spread groups their
 * own way. Pure functions of their arguments.
 */
final class WorkerKeys {
  private WorkerKeys() {}

  /** Keys for {@code groups} groups on {@code options}' runner: 0 to groups - 1 when it is not Flink. */
  static List<Integer> forGroups(PipelineOptions options, int groups) {
    int parallelism = flinkParallelism(options);
    return boxed(parallelism < 1 ? IntStream.range(0, groups).toArray() : flink(groups, parallelism));
  }

  /** One key for each worker of {@code options}' runner, or null when it is not Flink. */
  static List<Integer> perWorker(PipelineOptions options) {
    int parallelism = flinkParallelism(options);
    return parallelism < 1 ? null : boxed(flink(parallelism, parallelism));
  }

  private static List<Integer> boxed(int[] keys) {
    return Arrays.stream(keys).boxed().toList();
  }

  /**
   * The job's parallelism on Flink (when unset, Flink's local default: the cores), or 0 on other
   * runners.
   */
  private static int flinkParallelism(PipelineOptions options) {
    if (!FlinkRunner.class.equals(options.getRunner())) {
      return 0;
    }
    int parallelism = options.as(FlinkPipelineOptions.class).getParallelism();
    return parallelism > 0 ? parallelism : Runtime.getRuntime().availableProcessors();
  }

  /** {@code n} distinct non-negative keys; Flink sends key {@code i} to worker {@code i mod parallelism}. */
  static int[] flink(int n, int parallelism) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
    }
    int[] keys = new int[n];
    int[] nextCandidate = new int[parallelism];
    for (int i = 0; i < n; i++) {
      int worker = i % parallelism;
      int candidate = nextCandidate[worker];
      while (flinkWorker(candidate, parallelism) != worker) {
        candidate++;
      }
      keys[i] = candidate;
      nextCandidate[worker] = candidate + 1;
    }
    return keys;
  }

  /** The worker a Flink batch shuffle sends a group keyed {@code key} (a {@link VarIntCoder} key) to. */
  static int flinkWorker(int key, int parallelism) {
    try {
      return MathUtils.murmurHash(Arrays.hashCode(CoderUtils.encodeToByteArray(VarIntCoder.of(), key))) % parallelism;
    } catch (CoderException e) {
      throw new IllegalStateException(e);
    }
  }
}
