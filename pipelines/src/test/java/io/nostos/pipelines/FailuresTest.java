package io.nostos.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileNotFoundException;
import org.junit.jupiter.api.Test;

class FailuresTest {
  /** An exception type named like Flink's, for the test only. */
  private static RuntimeException flink(String message, Throwable cause) {
    return new org.apache.flink.util.FlinkRuntimeException(message, cause);
  }

  @Test
  void skipsTheRunnersWrappersDownToTheCause() {
    Throwable root = new FileNotFoundException("No files matched spec: /data/x-*.csv");
    Throwable chained = flink("Exception in chained task 'FlatMap (source/Pattern)'", root);
    Throwable job = flink("Job execution failed.", flink("Recovery is suppressed", chained));
    assertThat(Failures.describe(new RuntimeException("Pipeline execution failed", job)))
        .isEqualTo("No files matched spec: /data/x-*.csv");
  }

  @Test
  void keepsTheOutermostMessageOfOurOwn() {
    Throwable inner = new IllegalArgumentException("not a bigint: 'x'");
    Throwable ours = new IllegalArgumentException("cannot write row {id=1} to ks.t: not a bigint: 'x'", inner);
    assertThat(Failures.describe(new RuntimeException(ours.toString(), ours)))
        .isEqualTo("cannot write row {id=1} to ks.t: not a bigint: 'x'");
  }

  @Test
  void aRunnerMessageWithoutCauseIsKept() {
    assertThat(Failures.describe(flink("TaskManager lost", null))).isEqualTo("TaskManager lost");
  }
}
