package io.nostos.pipelines;

import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Beam's S3 client with path-style addressing ({@code http://host/bucket/key}), which S3-compatible
 * servers such as MinIO, Ceph or s3proxy need; Beam has no option for it. Selected with
 * {@code --s3ClientFactoryClass=io.nostos.pipelines.PathStyleS3ClientBuilderFactory}, or
 * {@code NOSTOS_S3_PATH_STYLE=true}.
 */
public final class PathStyleS3ClientBuilderFactory implements S3ClientBuilderFactory {
  @Override
  public S3ClientBuilder createBuilder(S3Options options) {
    return new DefaultS3ClientBuilderFactory().createBuilder(options).forcePathStyle(true);
  }
}
