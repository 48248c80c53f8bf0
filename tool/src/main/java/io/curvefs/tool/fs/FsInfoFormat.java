package io.curvefs.tool.fs;

import io.curvefs.proto.common.S3Info;
import io.curvefs.proto.mds.FsInfo;
import io.curvefs.proto.mds.Mountpoint;
import io.curvefs.tool.SizeConverter;

/** Text shown for file systems; never includes credentials. */
final class FsInfoFormat {

    private FsInfoFormat() {
    }

    static String storage(FsInfo fs) {
        if (!fs.getDetail().hasS3Info()) {
            return fs.getFsType().name();
        }
        S3Info s3 = fs.getDetail().getS3Info();
        if (s3.getEndpoint().startsWith("file:")) {
            return s3.getEndpoint();
        }
        return s3.getEndpoint() + "/" + s3.getBucketname();
    }

    static String capacity(FsInfo fs) {
        return fs.getCapacity() == 0 ? "unlimited" : SizeConverter.format(fs.getCapacity());
    }

    static String mountpoint(Mountpoint m) {
        return m.getHostname() + ":" + m.getPort() + ":" + m.getPath();
    }

    static String details(FsInfo fs) {
        StringBuilder out = new StringBuilder();
        line(out, "name", fs.getFsName());
        line(out, "id", String.valueOf(fs.getFsId()));
        line(out, "status", fs.getStatus().name());
        line(out, "type", fs.getFsType().name());
        line(out, "storage", storage(fs));
        if (fs.getDetail().hasS3Info()) {
            S3Info s3 = fs.getDetail().getS3Info();
            line(out, "block size", SizeConverter.format(s3.getBlockSize()));
            line(out, "chunk size", SizeConverter.format(s3.getChunkSize()));
        }
        line(out, "capacity", capacity(fs));
        line(out, "owner", fs.getOwner());
        line(out, "root inode", String.valueOf(fs.getRootInodeId()));
        line(out, "mounts", String.valueOf(fs.getMountNum()));
        for (Mountpoint m : fs.getMountpointsList()) {
            line(out, "  mountpoint", mountpoint(m));
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String key, String value) {
        out.append(String.format("%-12s %s%n", key + ":", value));
    }
}
