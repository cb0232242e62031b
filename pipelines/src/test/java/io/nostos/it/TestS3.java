package io.nostos.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One real S3 API server per test JVM: s3proxy (filesystem backend) in its own process, started
 * from the jar the build copies to {@code target/s3proxy/}, stopped when the JVM exits.
 */
public final class TestS3 {
  public static final String ACCESS_KEY = "nostos";
  public static final String SECRET_KEY = "nostos-secret";
  private static Process process;
  private static String endpoint;
  private static S3Client client;

  private TestS3() {}

  public static synchronized String endpoint() {
    if (process == null) {
      start();
    }
    return endpoint;
  }

  /** A client for uploads, path-style, with the test credentials. */
  public static synchronized S3Client client() {
    if (client == null) {
      client = S3Client.builder()
          .endpointOverride(URI.create(endpoint()))
          .region(Region.US_EAST_1)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
          .forcePathStyle(true)
          .httpClientBuilder(ApacheHttpClient.builder())
          .build();
    }
    return client;
  }

  public static void put(String bucket, String key, byte[] content) {
    client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content));
  }

  /** Keys under {@code prefix}, sorted. */
  public static List<String> keys(String bucket, String prefix) {
    List<String> out = new ArrayList<>();
    client().listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().forEach(o -> out.add(o.key()));
    out.sort(null);
    return out;
  }

  public static String get(String bucket, String key) {
    return client().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asString(StandardCharsets.UTF_8);
  }

  /** Runner options that point Beam's S3 file system at this server. */
  public static List<String> beamOptions() {
    return List.of("--endpoint=" + endpoint(), "--awsRegion=us-east-1",
        "--s3ClientFactoryClass=io.nostos.pipelines.S3CompatibleClientBuilderFactory",
        "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\",\"accessKeyId\":\"" + ACCESS_KEY
            + "\",\"secretAccessKey\":\"" + SECRET_KEY + "\"}");
  }

  private static void start() {
    Path jar = Paths.get("target/s3proxy/s3proxy.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar.toAbsolutePath() + " is missing; the build copies it in "
          + "generate-test-resources (run the tests through Maven)");
    }
    try {
      Path dir = Files.createTempDirectory("nostos-s3");
      Files.createDirectories(dir.resolve("data"));
      int port = TestProcesses.freePort();
      endpoint = "http://127.0.0.1:" + port;
      Path props = dir.resolve("s3proxy.properties");
      Files.writeString(props, String.join("\n",
          "s3proxy.endpoint=" + endpoint,
          "s3proxy.authorization=aws-v2-or-v4",
          "s3proxy.identity=" + ACCESS_KEY,
          "s3proxy.credential=" + SECRET_KEY,
          "jclouds.provider=filesystem",
          "jclouds.filesystem.basedir=" + dir.resolve("data")) + "\n");
      Process p = new ProcessBuilder(TestProcesses.java(),
          "-Xmx256m", "-jar", jar.toAbsolutePath().toString(), "--properties", props.toString())
          .redirectErrorStream(true).start();
      Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
      TestProcesses.Startup started = TestProcesses.awaitReady(p,
          line -> line.contains("Started") && line.contains("Server@"), "s3proxy-output");
      if (!started.ready()) {
        throw new IllegalStateException("s3proxy exited before it started:\n" + started.before());
      }
      process = p;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start s3proxy", e);
    }
  }

  /** Creates {@code bucket} if it does not exist. */
  public static void bucket(String bucket) {
    if (client().listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
      client().createBucket(b -> b.bucket(bucket));
    }
  }
}
