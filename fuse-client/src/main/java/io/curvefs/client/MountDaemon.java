package io.curvefs.client;

import io.curvefs.client.data.DataConfig;
import io.curvefs.client.data.DataStore;
import io.curvefs.client.data.FsLayout;
import io.curvefs.client.data.MdsChunkIdAllocator;
import io.curvefs.client.fuse.FuseMount;
import io.curvefs.client.fuse.FuseOptions;
import io.curvefs.client.meta.CachingMetaClient;
import io.curvefs.client.meta.MetaClient;
import io.curvefs.client.meta.RemoteMetaClient;
import io.curvefs.client.vfs.FsStats;
import io.curvefs.client.vfs.Vfs;
import io.curvefs.proto.common.FSType;
import io.curvefs.proto.common.S3Info;
import io.curvefs.proto.mds.FSStatusCode;
import io.curvefs.proto.mds.FsDelta;
import io.curvefs.proto.mds.FsInfo;
import io.curvefs.proto.mds.MountFsRequest;
import io.curvefs.proto.mds.MountFsResponse;
import io.curvefs.proto.mds.Mountpoint;
import io.curvefs.proto.mds.RefreshSessionRequest;
import io.curvefs.proto.mds.RefreshSessionResponse;
import io.curvefs.proto.mds.UmountFsRequest;
import io.curvefs.rpc.MdsClient;
import io.curvefs.rpc.MdsUnavailableException;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One mounted CurveFS file system: the MDS session, the metadata client, the data path, the VFS
 * and the kernel mount, started in that order and stopped in reverse.
 *
 * <p>Signal handling belongs to the caller; {@link #close()} is idempotent and safe to run from a
 * shutdown hook: it flushes open files, unmounts, ends the MDS session and releases everything.
 */
public final class MountDaemon implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MountDaemon.class);
    /** Capacities at or above this (including "unlimited" encodings) are shown as 1 PiB. */
    private static final long UNLIMITED_CAPACITY = 1L << 50;
    private static final long SPARE_INODES = 1L << 30;

    private final MountConfig config;
    private final MdsClient mds;
    private final Mountpoint mountpoint;
    private final FsInfo fsInfo;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final ScheduledExecutorService sessionTimer;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object sessionLock = new Object();
    private MetaClient meta;
    private Vfs vfs;
    private FuseMount fuse;
    private List<String> fuseOptions = List.of();
    private volatile long capacityBytes;
    private volatile long usedBytes;
    private long unreportedBytes;

    private MountDaemon(MountConfig config, MdsClient mds, Mountpoint mountpoint, FsInfo fsInfo) {
        this.config = config;
        this.mds = mds;
        this.mountpoint = mountpoint;
        this.fsInfo = fsInfo;
        this.capacityBytes = visibleCapacity(fsInfo.getCapacity());
        this.sessionTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "curvefs-session");
            t.setDaemon(true);
            return t;
        });
    }

    /** Mounts with the built-in data path. */
    public static MountDaemon mount(MountConfig config) {
        return mount(config, DataPaths::open);
    }

    /** Mounts with the built-in data path and more libfuse options ({@code -o}), which override the defaults. */
    public static MountDaemon mount(MountConfig config, List<String> fuseOptions) {
        return mount(config, DataPaths::open, fuseOptions);
    }

    /** Mounts with the data path built by {@code dataPath}; throws {@link MountException} with one line. */
    public static MountDaemon mount(MountConfig config, DataPathFactory dataPath) {
        return mount(config, dataPath, List.of());
    }

    /** Mounts with the data path built by {@code dataPath} and more libfuse options. */
    public static MountDaemon mount(MountConfig config, DataPathFactory dataPath, List<String> fuseOptions) {
        Path mountPoint = config.mountPoint().toAbsolutePath().normalize();
        if (!Files.isDirectory(mountPoint)) {
            throw new MountException("mount point " + mountPoint + " is not a directory");
        }
        MdsClient mds = new MdsClient(config.mds(), config.rpcTimeout(), config.metaRetryBudget());
        Mountpoint mountpoint = Mountpoint.newBuilder().setHostname(hostname()).setPort(config.clientPort())
                .setPath(mountPoint.toString()).setCto(true).build();
        FsInfo fsInfo;
        try {
            fsInfo = mountFs(mds, config.fsName(), mountpoint);
        } catch (RuntimeException e) {
            mds.close();
            throw e;
        }
        MountDaemon daemon = new MountDaemon(config, mds, mountpoint, fsInfo);
        daemon.fuseOptions = List.copyOf(fuseOptions);
        try {
            daemon.start(mountPoint, dataPath);
            return daemon;
        } catch (RuntimeException e) {
            daemon.close();
            throw e instanceof MountException ? e : new MountException("mount failed: " + e.getMessage(), e);
        }
    }

    private static FsInfo mountFs(MdsClient mds, String fsName, Mountpoint mountpoint) {
        MountFsRequest request = MountFsRequest.newBuilder().setFsName(fsName).setMountpoint(mountpoint).build();
        try {
            MountFsResponse r = mds.mds(stub -> stub.mountFs(request));
            if (r.getStatusCode() == FSStatusCode.MOUNT_POINT_EXIST && !isMountedHere(mountpoint.getPath())) {
                LOG.info("dropping the stale mount record {}:{}{}", mountpoint.getHostname(), mountpoint.getPort(),
                        mountpoint.getPath());
                mds.mds(stub -> stub.umountFs(UmountFsRequest.newBuilder().setFsName(fsName)
                        .setMountpoint(mountpoint).build()));
                r = mds.mds(stub -> stub.mountFs(request));
            }
            switch (r.getStatusCode()) {
                case OK -> {
                    return r.getFsInfo();
                }
                case NOT_FOUND -> throw new MountException("file system '" + fsName + "' does not exist");
                case MOUNT_POINT_EXIST -> throw new MountException(
                        "file system '" + fsName + "' is already mounted at " + mountpoint.getPath());
                default -> throw new MountException("MDS refused to mount '" + fsName + "': " + r.getStatusCode());
            }
        } catch (MdsUnavailableException e) {
            throw new MountException(e.getMessage(), e);
        } catch (StatusRuntimeException e) {
            throw new MountException("MDS call failed: " + e.getStatus(), e);
        }
    }

    /**
     * The data configuration with the disk cache in a directory of this fs instance's own under
     * the configured one: object names repeat across fs instances (a cluster made anew hands out
     * the same fs ids, inode ids and chunk ids again), so blocks cached for one must never be
     * served to another.
     */
    private DataConfig dataConfigOf(FsInfo info) {
        DataConfig data = config.data();
        if (data.cacheDir() == null) {
            return data;
        }
        String instance = info.hasUuid() ? info.getUuid() : info.getFsName() + "-" + info.getFsId();
        return data.withDiskCache(data.cacheDir().resolve(instance), data.diskCacheBytes(), data.freeSpaceRatio());
    }

    private void start(Path mountPoint, DataPathFactory dataPath) {
        if (fsInfo.getFsType() != FSType.TYPE_S3 || !fsInfo.getDetail().hasS3Info()) {
            throw new MountException("file system '" + fsInfo.getFsName() + "' is of type " + fsInfo.getFsType()
                    + "; only S3 file systems can be mounted");
        }
        S3Info s3 = fsInfo.getDetail().getS3Info();
        FsLayout layout = new FsLayout(fsInfo.getFsId(), s3.getBlockSize(), s3.getChunkSize());
        RemoteMetaClient remote = RemoteMetaClient.connect(mds, fsInfo.getFsId(), fsInfo.getRootInodeId(),
                config.rpcTimeout(), config.metaRetryBudget());
        meta = new CachingMetaClient(remote, config.entryCacheTimeout(), config.attrCacheTimeout(),
                config.cacheEntries());
        resources.add(meta);
        DataStore data = dataPath.open(s3, layout, remote.chunkInfoStore(),
                new MdsChunkIdAllocator(mds, fsInfo.getFsId(), config.chunkIdBatch()), dataConfigOf(fsInfo));
        resources.add(data);
        vfs = new Vfs(meta, data, this::stats, !fuseOptions.contains("noatime"));
        FuseOptions options = new FuseOptions(config.kernelAttrTimeout(), config.kernelEntryTimeout(), isRoot(),
                fuseOptions);
        fuse = FuseMount.mount(vfs, mountPoint, options);
        refreshSession();
        long period = config.sessionRefresh().toMillis();
        sessionTimer.scheduleWithFixedDelay(this::refreshSession, period, period, TimeUnit.MILLISECONDS);
        LOG.info("mounted fs '{}' (id {}) at {}", fsInfo.getFsName(), fsInfo.getFsId(), mountPoint);
    }

    public FsInfo fsInfo() {
        return fsInfo;
    }

    public Path mountPoint() {
        return Path.of(mountpoint.getPath());
    }

    /** Blocks until the file system is unmounted, by {@link #close()} or from outside (umount). */
    public void awaitUnmount() throws InterruptedException {
        if (fuse != null) {
            fuse.awaitUnmounted();
        }
    }

    private FsStats stats() {
        long used;
        synchronized (sessionLock) {
            used = usedBytes + unreportedBytes;
        }
        long usedInodes = meta.inodeCount();
        return new FsStats(4096, capacityBytes, Math.max(0, used), usedInodes + SPARE_INODES, usedInodes);
    }

    /** Keeps the mount record alive at the MDS and reports the change of used bytes. */
    private void refreshSession() {
        synchronized (sessionLock) {
            unreportedBytes += vfs.drainUsageDelta();
            long delta = unreportedBytes;
            try {
                RefreshSessionResponse r = mds.mds(stub -> stub.refreshSession(RefreshSessionRequest.newBuilder()
                        .setFsName(fsInfo.getFsName()).setMountpoint(mountpoint)
                        .setFsDelta(FsDelta.newBuilder().setBytes(delta)).build()));
                if (r.getStatusCode() != FSStatusCode.OK) {
                    LOG.warn("RefreshSession answered {}", r.getStatusCode());
                    return;
                }
                unreportedBytes -= delta;
                if (r.hasFsCapacity()) {
                    capacityBytes = visibleCapacity(r.getFsCapacity());
                }
                if (r.hasFsUsedBytes()) {
                    usedBytes = r.getFsUsedBytes();
                }
            } catch (RuntimeException e) {
                LOG.warn("RefreshSession failed: {}", e.getMessage());
            }
        }
    }

    /** Flushes open files, unmounts, ends the MDS session and releases everything; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        sessionTimer.shutdownNow();
        if (vfs != null) {
            vfs.flushAll();
        }
        if (fuse != null) {
            fuse.close();
        }
        if (vfs != null) {
            refreshSession();
        }
        try {
            mds.mds(stub -> stub.umountFs(UmountFsRequest.newBuilder().setFsName(fsInfo.getFsName())
                    .setMountpoint(mountpoint).build()));
        } catch (RuntimeException e) {
            LOG.warn("UmountFs failed: {}", e.getMessage());
        }
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                LOG.warn("closing {}: {}", resources.get(i).getClass().getSimpleName(), e.getMessage());
            }
        }
        mds.close();
        LOG.info("unmounted fs '{}' from {}", fsInfo.getFsName(), mountpoint.getPath());
    }

    private static long visibleCapacity(long capacity) {
        return capacity <= 0 || capacity >= UNLIMITED_CAPACITY ? UNLIMITED_CAPACITY : capacity;
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Whether {@code path} is a mount point in this machine's mount table right now. */
    private static boolean isMountedHere(String path) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                String[] fields = line.split(" ");
                if (fields.length > 1 && fields[1].replace("\\040", " ").equals(path)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }
}
