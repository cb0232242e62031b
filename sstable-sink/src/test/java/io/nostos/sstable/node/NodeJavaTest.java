package io.nostos.sstable.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodeJavaTest {
  @Test
  void aSupportedJvmStartsTheNodeWithItsOwnJava() {
    assertThat(NodeJava.command(17, "/usr/lib/jvm/java-17/bin/java", Optional.empty()))
        .isEqualTo("/usr/lib/jvm/java-17/bin/java");
    assertThat(NodeJava.command(11, "/jdk11/bin/java", Optional.of(""))).isEqualTo("/jdk11/bin/java");
  }

  @Test
  void theEnvironmentNamesTheNodesJdkWhateverThisJvmIs() {
    assertThat(NodeJava.command(25, "/jdk25/bin/java", Optional.of("/usr/lib/jvm/java-17")))
        .isEqualTo("/usr/lib/jvm/java-17/bin/java");
    assertThat(NodeJava.command(17, "/jdk17/bin/java", Optional.of("/other17"))).isEqualTo("/other17/bin/java");
  }

  @Test
  void aNewerJvmWithoutOneSaysWhatToSet() {
    assertThatThrownBy(() -> NodeJava.command(25, "/jdk25/bin/java", Optional.empty()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Cassandra 5.0 runs on Java 11 or 17, and this JVM is Java 25: set NOSTOS_NODE_JAVA_HOME to a "
            + "JDK 17 for the node (for example /usr/lib/jvm/java-17-openjdk-amd64), or run this command with "
            + "JAVA_HOME set to one");
  }
}
