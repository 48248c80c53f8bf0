package io.curvefs.tool.fs;

import io.curvefs.proto.common.S3Info;
import picocli.CommandLine.Option;

/** The four options that name an S3 bucket; picocli requires all of them together. */
public final class S3Options {

    @Option(names = "--s3-endpoint", required = true, paramLabel = "URL", description = "S3 endpoint URL")
    String endpoint;

    @Option(names = "--s3-bucket", required = true, paramLabel = "B", description = "S3 bucket")
    String bucket;

    @Option(names = "--s3-access-key", required = true, paramLabel = "AK", description = "S3 access key")
    String accessKey;

    @Option(names = "--s3-secret-key", required = true, paramLabel = "SK", description = "S3 secret key")
    String secretKey;

    public S3Info toS3Info(long blockSize, long chunkSize) {
        return FsRequests.s3Store(endpoint, bucket, accessKey, secretKey, blockSize, chunkSize);
    }

    /** Where the data goes, for messages: never the keys. */
    public String describe() {
        return endpoint + "/" + bucket;
    }
}
