package io.nostos.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DaemonCommandTest {
  @Test
  void idleTimeoutsReadAsWritten() {
    assertThat(DaemonCommand.parseDuration("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(DaemonCommand.parseDuration("30m")).isEqualTo(Duration.ofMinutes(30));
    assertThat(DaemonCommand.parseDuration("3h")).isEqualTo(Duration.ofHours(3));
    assertThat(DaemonCommand.parseDuration("PT1H30M")).isEqualTo(Duration.ofMinutes(90));
    assertThatThrownBy(() -> DaemonCommand.parseDuration("soon"))
        .hasMessage("--idle-timeout: 'soon' is not a duration; write e.g. 90s, 30m or 3h");
  }

  @Test
  void theDaemonKeepsThisJvmsFlagsButWritesNoArchiveAndOpensNoDebugger() {
    assertThat(DaemonCommand.jvmFlags(List.of("-Xmx2g", "-XX:+UseParallelGC", "-XX:ArchiveClassesAtExit=/a.jsa",
        "-XX:SharedArchiveFile=/b.jsa", "-XX:AOTMode=record", "-XX:AOTConfiguration=/c", "-XX:AOTCache=/d.aot",
        "-agentlib:jdwp=transport=dt_socket", "--add-opens", "java.base/java.io=ALL-UNNAMED")))
        .containsExactly("-Xmx2g", "-XX:+UseParallelGC", "-XX:SharedArchiveFile=/b.jsa", "-XX:AOTCache=/d.aot",
            "--add-opens", "java.base/java.io=ALL-UNNAMED");
  }

  @Test
  void durationsReadAsAPersonWritesThem() {
    assertThat(Daemon.human(Duration.ofSeconds(42))).isEqualTo("42 s");
    assertThat(Daemon.human(Duration.ofMinutes(12))).isEqualTo("12 min");
    assertThat(Daemon.human(Duration.ofMinutes(185))).isEqualTo("3 h 5 min");
    assertThat(Daemon.human(Duration.ofHours(3))).isEqualTo("3 h");
  }
}
