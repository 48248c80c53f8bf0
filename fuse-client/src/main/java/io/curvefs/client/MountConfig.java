package io.curvefs.client;

import io.curvefs.client.data.DataConfig;
import io.curvefs.rpc.HostPort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything a mount needs. Build with {@link #defaults} and adjust with the {@code with...} methods.
 *
 * @param mds                 MDS addresses (leader and standbys)
 * @param fsName              the file system to mount
 * @param mountPoint          an existing directory
 * @param entryCacheTimeout   how long this daemon trusts a cached dentry (other mounts' renames and
 *                            removals become visible after at most this long)
 * @param attrCacheTimeout    how long this daemon trusts cached attributes
 * @param kernelAttrTimeout   attr_timeout given to the kernel by the kernel binding; 1 s by default (see FuseOptions)
 * @param kernelEntryTimeout  entry_timeout given to the kernel by the kernel binding; 1 s by default
 * @param cacheEntries        bound of each daemon cache
 * @param rpcTimeout          deadline of a single RPC
 * @param metaRetryBudget     total time a metadata call keeps retrying a lost leader before EIO
 * @param sessionRefresh      interval of RefreshSession to the MDS
 * @param clientPort          the port recorded in the mount point record at the MDS
 * @param chunkIdBatch        chunk ids fetched from the MDS per AllocateS3Chunk
 * @param data                data path settings
 */
public record MountConfig(List<HostPort> mds, String fsName, Path mountPoint,
                          Duration entryCacheTimeout, Duration attrCacheTimeout,
                          Duration kernelAttrTimeout, Duration kernelEntryTimeout, long cacheEntries,
                          Duration rpcTimeout, Duration metaRetryBudget, Duration sessionRefresh,
                          int clientPort, int chunkIdBatch, DataConfig data) {

    public MountConfig {
        mds = List.copyOf(mds);
        if (mds.isEmpty()) {
            throw new IllegalArgumentException("no MDS address given");
        }
        if (fsName == null || fsName.isBlank()) {
            throw new IllegalArgumentException("no file system name given");
        }
    }

    public static MountConfig defaults(List<HostPort> mds, String fsName, Path mountPoint) {
        return new MountConfig(mds, fsName, mountPoint,
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 100_000,
                Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(3),
                9000, 1000, DataConfig.defaults());
    }

    public MountConfig withCacheTimeouts(Duration entry, Duration attr) {
        return new MountConfig(mds, fsName, mountPoint, entry, attr, kernelAttrTimeout, kernelEntryTimeout,
                cacheEntries, rpcTimeout, metaRetryBudget, sessionRefresh, clientPort, chunkIdBatch, data);
    }

    public MountConfig withKernelTimeouts(Duration attr, Duration entry) {
        return new MountConfig(mds, fsName, mountPoint, entryCacheTimeout, attrCacheTimeout, attr, entry,
                cacheEntries, rpcTimeout, metaRetryBudget, sessionRefresh, clientPort, chunkIdBatch, data);
    }

    public MountConfig withRetry(Duration rpc, Duration budget) {
        return new MountConfig(mds, fsName, mountPoint, entryCacheTimeout, attrCacheTimeout, kernelAttrTimeout,
                kernelEntryTimeout, cacheEntries, rpc, budget, sessionRefresh, clientPort, chunkIdBatch, data);
    }

    public MountConfig withData(DataConfig newData) {
        return new MountConfig(mds, fsName, mountPoint, entryCacheTimeout, attrCacheTimeout, kernelAttrTimeout,
                kernelEntryTimeout, cacheEntries, rpcTimeout, metaRetryBudget, sessionRefresh, clientPort,
                chunkIdBatch, newData);
    }
}
