package io.curvefs.tool.fs;

import io.curvefs.proto.common.FSType;
import io.curvefs.proto.common.S3Info;
import io.curvefs.proto.mds.CreateFsRequest;
import io.curvefs.proto.mds.CreateFsResponse;
import io.curvefs.proto.mds.FSStatusCode;
import io.curvefs.proto.mds.FsDetail;
import io.curvefs.proto.mds.FsInfo;
import io.curvefs.rpc.MdsClient;
import io.curvefs.tool.ToolFailure;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** Builds and sends CreateFs the same way for create-fs and the playground. */
public final class FsRequests {

    /** The pseudo-bucket of a local-directory store: objects go to DIR/curvefs. */
    public static final String LOCAL_BUCKET = "curvefs";

    private FsRequests() {
    }

    public static S3Info localStore(Path dir, long blockSize, long chunkSize) {
        return S3Info.newBuilder()
                .setEndpoint(fileUri(dir))
                .setBucketname(LOCAL_BUCKET).setAk("").setSk("")
                .setBlockSize(blockSize).setChunkSize(chunkSize).setObjectPrefix(0)
                .build();
    }

    /** {@code file:///abs/dir}, the same text whether or not the directory exists yet. */
    static String fileUri(Path dir) {
        try {
            return new URI("file", null, dir.toAbsolutePath().normalize().toString(), null).toString();
        } catch (URISyntaxException e) {
            throw new ToolFailure("bad directory " + dir + ": " + e.getMessage());
        }
    }

    public static S3Info s3Store(String endpoint, String bucket, String accessKey, String secretKey,
                                 long blockSize, long chunkSize) {
        return S3Info.newBuilder()
                .setEndpoint(endpoint).setBucketname(bucket).setAk(accessKey).setSk(secretKey)
                .setBlockSize(blockSize).setChunkSize(chunkSize).setObjectPrefix(0)
                .build();
    }

    public static CreateFsRequest createFs(String fsName, S3Info s3, long capacity) {
        return CreateFsRequest.newBuilder()
                .setFsName(fsName)
                .setBlockSize(1 << 20)
                .setFsType(FSType.TYPE_S3)
                .setFsDetail(FsDetail.newBuilder().setS3Info(s3))
                .setEnableSumInDir(false)
                .setOwner(System.getProperty("user.name", "root"))
                .setCapacity(capacity)
                .build();
    }

    /** Creates the file system (or finds it, created with the same settings) and returns it. */
    public static FsInfo send(MdsClient mds, CreateFsRequest request) {
        CreateFsResponse response = mds.mds(stub -> stub.createFs(request));
        if (response.getStatusCode() != FSStatusCode.OK) {
            throw new ToolFailure(FsStatusMessages.describe(response.getStatusCode(), request.getFsName()));
        }
        return response.getFsInfo();
    }
}
