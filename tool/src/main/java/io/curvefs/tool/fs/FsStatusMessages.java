package io.curvefs.tool.fs;

import io.curvefs.proto.mds.FSStatusCode;

/** What an MDS status code means to the person who typed the command. */
final class FsStatusMessages {

    private FsStatusMessages() {
    }

    static String describe(FSStatusCode code, String fsName) {
        return switch (code) {
            case FS_EXIST -> "file system '" + fsName + "' already exists with different settings";
            case NOT_FOUND -> "no file system named '" + fsName + "'";
            case FSNAME_INVALID -> "bad file system name '" + fsName
                    + "': use lower-case letters and digits, joined by single '-'";
            case FS_BUSY -> "file system '" + fsName + "' is mounted; unmount it first";
            case PARAM_ERROR -> "bad parameters for file system '" + fsName + "'";
            case S3_INFO_ERROR -> "the object store of file system '" + fsName
                    + "' is not usable (check endpoint, bucket and keys)";
            case UNDER_DELETING -> "file system '" + fsName + "' is being deleted";
            case CREATE_PARTITION_ERROR, CREATE_COPYSET_ERROR, INSERT_ROOT_INODE_ERROR ->
                    "could not place the metadata of '" + fsName + "' on metaservers (" + code
                            + "); is a metaserver registered and online?";
            default -> "the MDS answered " + code + " for file system '" + fsName + "'";
        };
    }
}
