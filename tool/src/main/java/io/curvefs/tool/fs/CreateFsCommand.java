package io.curvefs.tool.fs;

import io.curvefs.proto.common.S3Info;
import io.curvefs.proto.mds.FsInfo;
import io.curvefs.rpc.MdsClient;
import io.curvefs.tool.ToolFailure;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "create-fs", mixinStandardHelpOptions = true,
        description = "Create a file system whose data lives in S3 or in a local directory.")
public final class CreateFsCommand implements Callable<Integer> {

    @Mixin
    FsCommandOptions common;

    @ArgGroup(exclusive = true, multiplicity = "1")
    DataLocation data;

    static final class DataLocation {
        @ArgGroup(exclusive = false)
        S3Options s3;

        @Option(names = "--local-dir", paramLabel = "DIR",
                description = "Keep file data as objects in this local directory")
        Path localDir;
    }

    static final class S3Options {
        @Option(names = "--s3-endpoint", required = true, paramLabel = "URL", description = "S3 endpoint URL")
        String endpoint;
        @Option(names = "--s3-bucket", required = true, paramLabel = "B", description = "S3 bucket")
        String bucket;
        @Option(names = "--s3-access-key", required = true, paramLabel = "AK", description = "S3 access key")
        String accessKey;
        @Option(names = "--s3-secret-key", required = true, paramLabel = "SK", description = "S3 secret key")
        String secretKey;
    }

    @Option(names = "--block-size", paramLabel = "SIZE", defaultValue = "4MiB",
            converter = io.curvefs.tool.SizeConverter.class,
            description = "Object (block) size (default: ${DEFAULT-VALUE})")
    long blockSize;

    @Option(names = "--chunk-size", paramLabel = "SIZE", defaultValue = "64MiB",
            converter = io.curvefs.tool.SizeConverter.class,
            description = "Chunk size, a multiple of the block size (default: ${DEFAULT-VALUE})")
    long chunkSize;

    @Option(names = "--capacity", paramLabel = "SIZE", defaultValue = "100GiB",
            converter = io.curvefs.tool.SizeConverter.class,
            description = "Quota of the file system, 0 for none (default: ${DEFAULT-VALUE})")
    long capacity;

    @Override
    public Integer call() {
        if (chunkSize % blockSize != 0) {
            throw new ToolFailure("--chunk-size must be a multiple of --block-size");
        }
        S3Info s3 = data.localDir != null
                ? FsRequests.localStore(data.localDir, blockSize, chunkSize)
                : FsRequests.s3Store(data.s3.endpoint, data.s3.bucket, data.s3.accessKey, data.s3.secretKey,
                        blockSize, chunkSize);
        try (MdsClient mds = common.mds.connect()) {
            FsInfo fs = FsRequests.send(mds, FsRequests.createFs(common.fsName, s3, capacity));
            System.out.println("created file system " + fs.getFsName() + " (id " + fs.getFsId() + ")");
            return 0;
        }
    }
}
