package io.nostos.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;

class WorkerKeysTest {
  private static final int WORKERS = 3;

  @Test
  void keyIGoesToWorkerIModuloTheParallelismAndKeysAreDistinct() {
    for (int parallelism = 1; parallelism <= 8; parallelism++) {
      int[] keys = WorkerKeys.flink(50, parallelism);
      assertThat(IntStream.of(keys).distinct().count()).isEqualTo(50);
      for (int i = 0; i < keys.length; i++) {
        assertThat(keys[i]).isNotNegative();
        assertThat(WorkerKeys.flinkWorker(keys[i], parallelism)).as("key %d of %d", i, parallelism)
            .isEqualTo(i % parallelism);
      }
    }
  }

  @Test
  void otherRunnersGetTheGroupIndexesAndNoWorkerKeys() {
    PipelineOptions direct = RunnerConfig.direct().options(List.of(), false);
    assertThat(WorkerKeys.forGroups(direct, 4)).containsExactly(0, 1, 2, 3);
    assertThat(WorkerKeys.perWorker(direct)).isNull();
  }

  @Test
  void onAFlinkMiniClusterEachGroupRunsOnTheWorkerItsKeyNames() {
    PipelineOptions options = flinkOptions();
    List<Integer> keys = WorkerKeys.forGroups(options, 7);
    List<KV<Integer, Integer>> groups = new ArrayList<>();
    List<KV<Integer, Integer>> expected = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      groups.add(KV.of(keys.get(i), i));
      expected.add(KV.of(i, i % WORKERS));
    }
    Pipeline p = Pipeline.create(options);
    PCollection<KV<Integer, Integer>> ran = p
        .apply(Create.of(groups).withCoder(KvCoder.of(VarIntCoder.of(), VarIntCoder.of())))
        .apply(GroupByKey.create())
        .apply(MapElements.into(TypeDescriptors.kvs(TypeDescriptors.integers(), TypeDescriptors.integers()))
            .via((KV<Integer, Iterable<Integer>> g) -> KV.of(g.getValue().iterator().next(), currentWorker())));
    PAssert.that(ran).containsInAnyOrder(expected);
    run(p, options);
  }

  @Test
  void spreadSendsTheElementsOfOneWorkerRoundTheWorkers() {
    PipelineOptions options = flinkOptions();
    Pipeline p = Pipeline.create(options);
    PCollection<Integer> workers = p.apply(Create.of(9))
        .apply(FlatMapElements.into(TypeDescriptors.integers()).via((Integer n) -> IntStream.range(0, n).boxed().toList()))
        .apply(Spread.evenly(options))
        .apply(MapElements.into(TypeDescriptors.integers()).via((Integer x) -> currentWorker()));
    PAssert.that(workers).containsInAnyOrder(0, 0, 0, 1, 1, 1, 2, 2, 2);
    run(p, options);
  }

  private static PipelineOptions flinkOptions() {
    PipelineOptions options = RunnerConfig.defaultLocal().options(List.of(), false);
    options.as(FlinkPipelineOptions.class).setParallelism(WORKERS);
    return options;
  }

  private static void run(Pipeline p, PipelineOptions options) {
    try (LocalFlink.Scope scope = LocalFlink.enter(options)) {
      assertThat(p.run().waitUntilFinish()).isEqualTo(PipelineResult.State.DONE);
    }
  }

  /** The 0-based index of the Flink subtask running this thread, from its name: "... (2/3)#0". */
  private static int currentWorker() {
    Matcher m = Pattern.compile("\\((\\d+)/" + WORKERS + "\\)#\\d+$").matcher(Thread.currentThread().getName());
    if (!m.find()) {
      throw new IllegalStateException("not a Flink task thread of " + WORKERS + ": " + Thread.currentThread().getName());
    }
    return Integer.parseInt(m.group(1)) - 1;
  }
}
