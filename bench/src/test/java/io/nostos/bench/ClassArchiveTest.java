package io.nostos.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassArchiveTest {
  private static final Jdk JDK17 = new Jdk(Path.of("/jdk17"), 17);
  private static final Jdk JDK25 = new Jdk(Path.of("/jdk25"), 25);

  @TempDir Path dir;

  @Test
  void dumpsOnlyForAClasspathOfJarsAndReplacesAnOlderArchive() throws IOException {
    Path jar = Files.writeString(dir.resolve("a.jar"), "");
    Path classes = Files.createDirectories(dir.resolve("classes"));
    Path archive = dir.resolve("cds/v.jsa");

    assertThat(ClassArchive.dump(archive, jar.toString(), JDK17))
        .containsExactly("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    Files.writeString(archive, "old");
    assertThat(ClassArchive.dump(archive, jar + File.pathSeparator + classes, JDK17)).isEmpty();
    assertThat(archive).doesNotExist();
  }

  @Test
  void fromJdk25OnTheArchiveIsAnAotCache() throws IOException {
    Path jar = Files.writeString(dir.resolve("a.jar"), "");
    Path archive = ClassArchive.file(dir.resolve("cds"), "nostos-flink", JDK25);
    assertThat(archive).isEqualTo(dir.resolve("cds/nostos-flink.aot"));
    assertThat(ClassArchive.file(dir.resolve("cds"), "nostos-flink", JDK17)).isEqualTo(dir.resolve("cds/nostos-flink.jsa"));

    assertThat(ClassArchive.dump(archive, jar.toString(), JDK25))
        .containsExactly("-XX:AOTCacheOutput=" + archive, "-Xlog:cds=off", "-Xlog:aot=off");
    assertThat(ClassArchive.use(archive, JDK25)).isEmpty();
    Files.writeString(archive, "cache");
    assertThat(ClassArchive.use(archive, JDK25))
        .containsExactly("-XX:AOTCache=" + archive, "-Xlog:cds=off", "-Xlog:aot=off");
  }

  @Test
  void usesAnArchiveOnlyIfOneWasWritten() throws IOException {
    Path archive = dir.resolve("v.jsa");
    assertThat(ClassArchive.use(archive, JDK17)).isEmpty();
    Files.writeString(archive, "archive");
    assertThat(ClassArchive.use(archive, JDK17))
        .containsExactly("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
  }

  /** The flags on a real JDK: one JVM writes the archive, the next must map it (else it fails to start). */
  @Test
  void anArchiveWrittenByOneJvmIsMappedByTheNextOnThisJdk() throws IOException {
    writtenThenMapped(Jdk.current(), "-Xshare:on");
  }

  /** The same with an AOT cache, if this machine has a JDK 25 or newer (the CI machine has Temurin's). */
  @Test
  void anAotCacheWrittenByOneJvmIsMappedByTheNextOnJdk25() throws IOException {
    Optional<Jdk> jdk = newerJdk(25);
    assumeTrue(jdk.isPresent(), "no JDK 25 or newer under /usr/lib/jvm");
    writtenThenMapped(jdk.get(), "-XX:AOTMode=on");
  }

  private void writtenThenMapped(Jdk jdk, String mustMap) throws IOException {
    String jar = helloJar().toString();
    Path archive = ClassArchive.file(dir.resolve("cds"), "hello", jdk);

    ChildJvm.Result first = ChildJvm.run(jdk, jar, "64m", ClassArchive.dump(archive, jar, jdk), "Hello", List.of("1"));
    assertThat(first.exitCode()).as(first.output()).isZero();
    assertThat(first.json()).containsEntry("hello", "1");
    assertThat(archive).isNotEmptyFile();

    List<String> flags = new ArrayList<>(ClassArchive.use(archive, jdk));
    flags.add(mustMap);
    ChildJvm.Result second = ChildJvm.run(jdk, jar, "64m", flags, "Hello", List.of("2"));
    assertThat(second.exitCode()).as(second.output()).isZero();
    assertThat(second.json()).containsEntry("hello", "2");
  }

  /** A jar with one class, Hello, that prints {"hello":"<its argument>"}. */
  private Path helloJar() throws IOException {
    Path src = Files.writeString(dir.resolve("Hello.java"),
        "public class Hello { public static void main(String[] a) { System.out.println(\"{\\\"hello\\\":\\\"\" + a[0] + \"\\\"}\"); } }");
    Path classes = Files.createDirectories(dir.resolve("hello-classes"));
    int code = ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17", "-d", classes.toString(),
        src.toString());
    assertThat(code).isZero();
    Path jar = dir.resolve("hello.jar");
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
      j.putNextEntry(new JarEntry("Hello.class"));
      j.write(Files.readAllBytes(classes.resolve("Hello.class")));
      j.closeEntry();
    }
    return jar;
  }

  private static Optional<Jdk> newerJdk(int feature) throws IOException {
    Path jvms = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(jvms)) {
      return Optional.empty();
    }
    try (Stream<Path> homes = Files.list(jvms)) {
      return homes.filter(h -> Files.isRegularFile(h.resolve("release")) && Files.isExecutable(h.resolve("bin/java")))
          .map(Jdk::at).filter(j -> j.feature() >= feature).findFirst();
    }
  }
}
