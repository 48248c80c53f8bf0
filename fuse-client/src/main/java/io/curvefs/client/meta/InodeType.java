package io.curvefs.client.meta;

import io.curvefs.proto.metaserver.FsFileType;

/** The kinds of inodes the metadata service distinguishes; FIFOs and devices are FILEs by mode. */
public enum InodeType {
    DIRECTORY(FsFileType.TYPE_DIRECTORY),
    FILE(FsFileType.TYPE_S3),
    SYMLINK(FsFileType.TYPE_SYM_LINK);

    private final FsFileType wire;

    InodeType(FsFileType wire) {
        this.wire = wire;
    }

    public FsFileType wire() {
        return wire;
    }

    public static InodeType of(FsFileType type) {
        return switch (type) {
            case TYPE_DIRECTORY -> DIRECTORY;
            case TYPE_SYM_LINK -> SYMLINK;
            case TYPE_FILE, TYPE_S3 -> FILE;
        };
    }
}
