package io.curvefs.metaserver.metadata;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Binary keys of the copyset tables. Every key starts with the 4-byte big-endian partition id,
 * so a partition is one key range per table; ids follow big-endian, so RocksDB's byte order is
 * the numeric order, and dentry names follow as raw UTF-8, so a directory lists in byte order.
 *
 * <pre>
 * PARTITION  [partitionId]                           PartitionInfo (with nextId and counters)
 * INODE      [partitionId][inodeId]                  Inode without s3ChunkInfoMap
 * S3_CHUNK   [partitionId][inodeId][chunkIndex]      S3ChunkInfoList of that chunk index
 * DENTRY     [partitionId][parentInodeId][name]      DentryVec (at most two versions)
 * META       "pending_tx"[partitionId]               PrepareRenameTxRequest of the pending rename
 * META       "nlink_req"[partitionId][inodeId]       recent nlinkDelta requests: ([requestId][nlink after])*
 * META       "requests"[partitionId]                 recent CreateInode/DeleteDentry requests: ([requestId][inodeId])*
 * META       "tx_floor"[partitionId]                 [highest txSequence prepared][highest txId committed]
 * META       "renames"[partitionId]                  recent RenameInPartition requests: ([requestId]
 *                                                    [replaced inodeId or 0][its type][its nlink after or -1])*
 * </pre>
 */
final class MetaKeys {

    private static final byte[] PENDING_TX = "pending_tx".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NLINK_REQUESTS = "nlink_req".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RECENT_REQUESTS = "requests".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TX_FLOOR = "tx_floor".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RECENT_RENAMES = "renames".getBytes(StandardCharsets.US_ASCII);

    private MetaKeys() {
    }

    static byte[] partition(int partitionId) {
        return ByteBuffer.allocate(4).putInt(partitionId).array();
    }

    static byte[] inode(int partitionId, long inodeId) {
        return ByteBuffer.allocate(12).putInt(partitionId).putLong(inodeId).array();
    }

    static byte[] chunk(int partitionId, long inodeId, long chunkIndex) {
        return ByteBuffer.allocate(20).putInt(partitionId).putLong(inodeId).putLong(chunkIndex).array();
    }

    static long chunkIndexOf(byte[] chunkKey) {
        return ByteBuffer.wrap(chunkKey, 12, 8).getLong();
    }

    static byte[] dentry(int partitionId, long parentInodeId, String name) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(12 + nameBytes.length).putInt(partitionId).putLong(parentInodeId)
                .put(nameBytes).array();
    }

    /** Prefix of the dentries under one parent, or of the chunk lists of one inode. */
    static byte[] ofInode(int partitionId, long inodeId) {
        return inode(partitionId, inodeId);
    }

    static byte[] nlinkRequests(int partitionId, long inodeId) {
        return ByteBuffer.allocate(NLINK_REQUESTS.length + 12).put(NLINK_REQUESTS).putInt(partitionId)
                .putLong(inodeId).array();
    }

    static byte[] nlinkRequestsOfPartition(int partitionId) {
        return ByteBuffer.allocate(NLINK_REQUESTS.length + 4).put(NLINK_REQUESTS).putInt(partitionId).array();
    }

    static byte[] recentRequests(int partitionId) {
        return ByteBuffer.allocate(RECENT_REQUESTS.length + 4).put(RECENT_REQUESTS).putInt(partitionId).array();
    }

    static byte[] recentRenames(int partitionId) {
        return ByteBuffer.allocate(RECENT_RENAMES.length + 4).put(RECENT_RENAMES).putInt(partitionId).array();
    }

    static byte[] txFloor(int partitionId) {
        return ByteBuffer.allocate(TX_FLOOR.length + 4).put(TX_FLOOR).putInt(partitionId).array();
    }

    static byte[] pendingTx(int partitionId) {
        return ByteBuffer.allocate(PENDING_TX.length + 4).put(PENDING_TX).putInt(partitionId).array();
    }
}
