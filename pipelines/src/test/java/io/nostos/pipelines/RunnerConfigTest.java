package io.nostos.pipelines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.aws2.options.AwsOptions;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

class RunnerConfigTest {
  @Test
  void s3SettingsComeFromTheEnvironmentUnlessTheConfigHasThem() {
    Map<String, String> env = Map.of("NOSTOS_S3_ENDPOINT", "http://minio:9000", "AWS_REGION", "eu-west-1",
        "NOSTOS_S3_PATH_STYLE", "true");
    assertThat(RunnerConfig.s3FromEnvironment(env, List.of("--runner=DirectRunner"))).containsExactly(
        "--endpoint=http://minio:9000", "--awsRegion=eu-west-1",
        "--s3ClientFactoryClass=io.nostos.pipelines.S3CompatibleClientBuilderFactory");
    assertThat(RunnerConfig.s3FromEnvironment(env, List.of("--awsRegion=us-east-1", "--endpoint=http://x")))
        .containsExactly("--s3ClientFactoryClass=io.nostos.pipelines.S3CompatibleClientBuilderFactory");
    assertThat(RunnerConfig.s3FromEnvironment(Map.of("AWS_DEFAULT_REGION", "us-west-2"), List.of()))
        .containsExactly("--awsRegion=us-west-2");
  }

  @Test
  void aRunWithoutS3GetsANominalRegionUnlessOneIsConfigured() {
    String fromEnvironment = System.getenv().getOrDefault("AWS_REGION", System.getenv("AWS_DEFAULT_REGION"));
    assertThat(RunnerConfig.direct().options(List.of(), false).as(AwsOptions.class).getAwsRegion())
        .isEqualTo(Region.of(fromEnvironment != null ? fromEnvironment : RunnerConfig.NOMINAL_AWS_REGION));
    assertThat(RunnerConfig.direct().withArgs(List.of("--awsRegion=eu-central-1")).options(List.of(), false)
        .as(AwsOptions.class).getAwsRegion()).isEqualTo(Region.EU_CENTRAL_1);
  }

  @Test
  void anUnknownOptionNamesTheRunnerConfig() {
    assertThatThrownBy(() -> RunnerConfig.direct().withArgs(List.of("--noSuchOption=3")).options(List.of(), false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("runner config direct (built in): ")
        .hasMessageContaining("'noSuchOption'")
        .hasMessageEndingWith("(runner-configs/*.yaml show the options each runner takes)");
  }

  @Test
  void s3OptionsAreUnderstood() {
    S3Options o = RunnerConfig.direct().withArgs(List.of("--endpoint=http://127.0.0.1:1", "--awsRegion=us-east-1",
        "--s3ClientFactoryClass=io.nostos.pipelines.S3CompatibleClientBuilderFactory")).options(List.of())
        .as(S3Options.class);
    assertThat(o.getS3ClientFactoryClass()).isEqualTo(S3CompatibleClientBuilderFactory.class);
    assertThat(o.getEndpoint().toString()).isEqualTo("http://127.0.0.1:1");
  }
}
