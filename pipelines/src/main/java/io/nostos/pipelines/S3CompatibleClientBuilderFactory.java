package io.nostos.pipelines;

import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Beam's S3 client made to work with S3-compatible servers (MinIO, Ceph, s3proxy...):
 * path-style addressing ({@code http://host/bucket/key}), for which Beam has no option, and no
 * {@code x-amz-server-side-encryption-bucket-key-enabled: false} header, which Beam sends on every
 * write and some servers refuse with 501 although it asks for nothing. Selected with
 * {@code --s3ClientFactoryClass=io.nostos.pipelines.S3CompatibleClientBuilderFactory}, or
 * {@code NOSTOS_S3_PATH_STYLE=true}. Not needed for Amazon S3.
 */
public final class S3CompatibleClientBuilderFactory implements S3ClientBuilderFactory {
  private static final String BUCKET_KEY_HEADER = "x-amz-server-side-encryption-bucket-key-enabled";

  @Override
  public S3ClientBuilder createBuilder(S3Options options) {
    return new DefaultS3ClientBuilderFactory().createBuilder(options)
        .forcePathStyle(true)
        .overrideConfiguration(c -> c.addExecutionInterceptor(new DropNoOpEncryptionHeader()));
  }

  /** Removes the bucket-key header when it is {@code false} (a no-op request). */
  private static final class DropNoOpEncryptionHeader implements ExecutionInterceptor {
    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
      SdkHttpRequest request = context.httpRequest();
      boolean noOp = request.firstMatchingHeader(BUCKET_KEY_HEADER).map("false"::equalsIgnoreCase).orElse(false);
      return noOp ? request.toBuilder().removeHeader(BUCKET_KEY_HEADER).build() : request;
    }
  }
}
