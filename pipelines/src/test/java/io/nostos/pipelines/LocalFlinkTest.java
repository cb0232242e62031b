package io.nostos.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;

/** Jobs of the built-in Flink local runner, one after another in one JVM, through {@link LocalFlink}. */
class LocalFlinkTest {

  @Test
  void jobsRunOnTheSharedRpcSystemAndTheOptionsAreRestored() {
    PipelineOptions options = RunnerConfig.defaultLocal().options(List.of(), false);

    runTimesTen(options, List.of(1, 2, 3), List.of(10, 20, 30));  // loads Flink, and the RPC system once
    long before = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
    runTimesTen(options, List.of(4, 5), List.of(40, 50));
    long loaded = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount() - before;

    // Beam's own [local] loads Flink's RPC system (about 1,900 classes) again for every job.
    assertTrue(loaded < 1_000, "the second job loaded " + loaded + " classes");
    assertEquals("[local]", options.as(FlinkPipelineOptions.class).getFlinkMaster());
  }

  @Test
  void managedMemoryIsMeasuredOnceNotBeforeEveryJob() {
    PipelineOptions options = RunnerConfig.defaultLocal().options(List.of(), false);
    String first = LocalFlink.managedMemory(options);
    runTimesTen(options, List.of(6), List.of(60));  // leaves what a new measurement would see in the heap

    assertTrue(Long.parseLong(first) > 0, first);
    assertEquals(first, LocalFlink.managedMemory(options));
  }

  @Test
  void otherRunnersAreLeftAlone() {
    PipelineOptions options = RunnerConfig.direct().options(List.of(), false);
    try (LocalFlink.Scope scope = LocalFlink.enter(options)) {
      assertEquals("DirectRunner", options.getRunner().getSimpleName());
    }
  }

  private static void runTimesTen(PipelineOptions options, List<Integer> in, List<Integer> expected) {
    Pipeline p = Pipeline.create(options);
    PCollection<Integer> out = p.apply(Create.of(in))
        .apply(MapElements.into(TypeDescriptors.integers()).via((Integer x) -> x * 10));
    PAssert.that(out).containsInAnyOrder(expected);
    try (LocalFlink.Scope scope = LocalFlink.enter(options)) {
      assertEquals("[auto]", options.as(FlinkPipelineOptions.class).getFlinkMaster());
      assertEquals(PipelineResult.State.DONE, p.run().waitUntilFinish());
    }
  }
}
