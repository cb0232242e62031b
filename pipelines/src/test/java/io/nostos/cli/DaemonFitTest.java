package io.nostos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DaemonFitTest {
  private static final Map<String, String> DAEMON = Map.of("NOSTOS_CASSANDRA", "c1:9042", "AWS_PROFILE", "prod",
      "HOME", "/root", "NOSTOS_DEBUG", "1");

  @Test
  void theSameBuildJdkAndSettingsFitWhateverElseDiffers() {
    assertThat(DaemonFit.whyNot("b1", "/jdk17", DAEMON, "b1", "/jdk17",
        Map.of("NOSTOS_CASSANDRA", "c1:9042", "AWS_PROFILE", "prod", "HOME", "/home/other", "PGPASSWORD", "x")))
        .isEmpty();
  }

  @Test
  void namesEveryDifferingVariableButNoValue() {
    assertThat(DaemonFit.whyNot("b1", "/jdk17", DAEMON, "b1", "/jdk17",
        Map.of("NOSTOS_CASSANDRA", "c2:9042", "AWS_SECRET_ACCESS_KEY", "s3cr3t", "NOSTOS_CDS", "0")))
        .hasValue("the daemon was started with other values of AWS_PROFILE, AWS_SECRET_ACCESS_KEY, NOSTOS_CASSANDRA");
  }

  @Test
  void anotherBuildOrJdkIsRefusedFirst() {
    assertThat(DaemonFit.whyNot("b1", "/jdk17", DAEMON, "b2", "/jdk17", DAEMON))
        .hasValue("the daemon runs another build of Nostos");
    assertThat(DaemonFit.whyNot("b1", "/jdk17", DAEMON, "b1", "/jdk25", Map.of()))
        .hasValue("the daemon runs on /jdk17, this shell's JDK is /jdk25");
  }
}
