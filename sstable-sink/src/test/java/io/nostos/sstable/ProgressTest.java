package io.nostos.sstable;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressTest {
  @Test
  void incOnePassesCountsOnInBatchesAndFlushPassesOnTheRest() {
    Progress.reset();
    Progress.Step step = Progress.counter("progress_test_rows");
    for (int i = 0; i < Progress.Step.BATCH - 1; i++) {
      step.incOne();
    }
    assertThat(Progress.snapshot()).doesNotContainKey("progress_test_rows");
    step.incOne();
    assertThat(Progress.snapshot()).containsEntry("progress_test_rows", (long) Progress.Step.BATCH);
    step.incOne();
    step.incOne();
    step.flush();
    step.flush();
    assertThat(Progress.snapshot()).containsEntry("progress_test_rows", Progress.Step.BATCH + 2L);
  }
}
