package io.curvefs.tool.fs;

import io.curvefs.proto.common.FSType;
import io.curvefs.proto.common.S3Info;
import io.curvefs.proto.mds.CreateFsRequest;
import io.curvefs.proto.mds.CreateFsResponse;
import io.curvefs.proto.mds.FSStatusCode;
import io.curvefs.proto.mds.FsDetail;
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
        S3Info.Builder s3 = S3Info.newBuilder().setBlockSize(blockSize).setChunkSize(chunkSize).setObjectPrefix(0);
        if (data.localDir != null) {
            s3.setEndpoint(data.localDir.toAbsolutePath().normalize().toUri().toString())
                    .setBucketname("curvefs").setAk("").setSk("");
        } else {
            s3.setEndpoint(data.s3.endpoint).setBucketname(data.s3.bucket)
                    .setAk(data.s3.accessKey).setSk(data.s3.secretKey);
        }
        CreateFsRequest request = CreateFsRequest.newBuilder()
                .setFsName(common.fsName)
                .setBlockSize(1 << 20)
                .setFsType(FSType.TYPE_S3)
                .setFsDetail(FsDetail.newBuilder().setS3Info(s3))
                .setEnableSumInDir(false)
                .setOwner(System.getProperty("user.name", "root"))
                .setCapacity(capacity)
                .build();
        try (MdsClient mds = common.mds.connect()) {
            CreateFsResponse response = mds.mds(stub -> stub.createFs(request));
            if (response.getStatusCode() != FSStatusCode.OK) {
                throw new ToolFailure(FsStatusMessages.describe(response.getStatusCode(), common.fsName));
            }
            System.out.println("created file system " + response.getFsInfo().getFsName()
                    + " (id " + response.getFsInfo().getFsId() + ")");
            return 0;
        }
    }
}
