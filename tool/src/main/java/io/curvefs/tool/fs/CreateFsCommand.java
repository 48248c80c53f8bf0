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
                : data.s3.toS3Info(blockSize, chunkSize);
        try (MdsClient mds = common.mds.connect()) {
            FsInfo fs = FsRequests.send(mds, FsRequests.createFs(common.fsName, s3, capacity));
            System.out.println("created file system " + fs.getFsName() + " (id " + fs.getFsId() + ")");
            return 0;
        }
    }
}
