package io.curvefs.client.fuse;

import static io.curvefs.client.fuse.KernelProtocol.*;

import io.curvefs.client.vfs.Vfs;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One kernel FUSE connection served without libfuse: /dev/fuse is opened, mounted with mount(2),
 * and read by a fixed set of worker threads, each of which takes one request at a time, answers it
 * through {@link KernelFuseFs} and writes the reply. Requests that wait on S3 or a metaserver hold
 * only their own worker, so up to {@link #WORKERS} requests are served at once (the kernel keeps up
 * to {@link #MAX_BACKGROUND} read-ahead requests queued besides the callers' own).
 *
 * <p>Each worker owns a request buffer big enough for the largest WRITE (1 MiB of data with
 * max_pages, which the kernel checks on every read of the device) and a reply buffer that grows to
 * the largest READ it answered; data moves between these direct buffers and the VFS without
 * further copies in this layer. These buffers count against the mount's direct-memory cap, which
 * is why the workers are 16 (at most 32 MiB) rather than one per possible background request. The session ends when the kernel reports ENODEV: after an unmount
 * from here or from outside, once the last open file is closed.
 */
final class KernelSession {

    private static final Logger LOG = LoggerFactory.getLogger(KernelSession.class);
    static final int WORKERS = 16;
    static final int MAX_WRITE = 1 << 20;
    private static final int PAGES_PER_REQUEST = MAX_WRITE / 4096;
    private static final int MAX_BACKGROUND = 64;
    private static final int REQUEST_BUFFER = MAX_WRITE + 4096;
    private static final int REPLY_BUFFER = 128 << 10;
    private static final int INIT_OUT = 64;
    private static final int INVAL_INODE_MESSAGE = OUT_HEADER + 24;
    private static final ThreadLocal<ByteBuffer> notification = ThreadLocal.withInitial(
            () -> ByteBuffer.allocateDirect(INVAL_INODE_MESSAGE).order(ByteOrder.LITTLE_ENDIAN));
    private static final int WANTED = ASYNC_READ | ATOMIC_O_TRUNC | BIG_WRITES | AUTO_INVAL_DATA | DO_READDIRPLUS
            | READDIRPLUS_AUTO | ASYNC_DIO | PARALLEL_DIROPS | MAX_PAGES | CACHE_SYMLINKS
            | HANDLE_KILLPRIV_V2;

    private final FuseDevice device;
    private final Path mountPoint;
    private final KernelFuseFs fs;
    private final Runnable onEnded;
    private final int readAheadBytes;
    private final AtomicInteger running = new AtomicInteger();
    private final List<Thread> workers = new ArrayList<>();

    private KernelSession(FuseDevice device, Path mountPoint, Vfs vfs, KernelOptions options, Runnable onEnded) {
        this.device = device;
        this.mountPoint = mountPoint;
        this.onEnded = onEnded;
        this.readAheadBytes = options.readAheadKib() * 1024;
        this.fs = new KernelFuseFs(vfs, options, this::invalidateAttributes);
    }

    /** Mounts {@code vfs} at {@code mountPoint} and starts serving; {@code onEnded} runs when the mount is gone. */
    static KernelSession start(Vfs vfs, Path mountPoint, KernelOptions options, Runnable onEnded) {
        FuseDevice device = FuseDevice.open();
        KernelSession session;
        try {
            session = new KernelSession(device, mountPoint, vfs, options, onEnded);
            device.mount(mountPoint, options.source(), options.type(), options.flags(), options.kernelOptions());
        } catch (RuntimeException e) {
            device.close();
            throw e;
        }
        session.running.set(WORKERS);
        for (int i = 0; i < WORKERS; i++) {
            Thread worker = new Thread(session::serve, "curvefs-fuse-" + i);
            worker.setDaemon(true);
            session.workers.add(worker);
            worker.start();
        }
        session.raiseReadAhead(options.readAheadKib());
        return session;
    }

    /**
     * Sets the kernel read-ahead of this mount's backing device (128 KiB by default, which leaves a
     * sequential reader waiting on one request at a time): with a larger window the kernel keeps
     * several 1 MiB reads in flight ahead of the reader. The device number comes from the mount
     * table: a stat of the mount point would be a FUSE request of its own. Best effort.
     */
    private void raiseReadAhead(int kib) {
        try {
            String target = mountPoint.toString().replace(" ", "\\040");
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] fields = line.split(" ");
                if (fields.length > 4 && fields[4].equals(target)) {
                    Files.writeString(Path.of("/sys/class/bdi", fields[2], "read_ahead_kb"), Integer.toString(kib));
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.info("kernel read-ahead of {} left as it is: {}", mountPoint, e.toString());
        }
    }

    /** Detaches the mount; the workers end once the kernel drops the connection. */
    void unmount() {
        if (!FuseDevice.unmount(mountPoint)) {
            LOG.debug("{} was not mounted any more", mountPoint);
        }
    }

    private void serve() {
        ByteBuffer in = ByteBuffer.allocateDirect(REQUEST_BUFFER).order(ByteOrder.LITTLE_ENDIAN);
        KernelFuseFs.Reply reply = new KernelFuseFs.Reply(REPLY_BUFFER);
        try {
            while (true) {
                int n = device.read(in);
                if (n == -FuseDevice.ENODEV) {
                    return;
                }
                if (n == -FuseDevice.ENOENT || n == -FuseDevice.EINTR || n == -FuseDevice.EAGAIN) {
                    continue;
                }
                if (n < 0) {
                    LOG.error("reading /dev/fuse failed: {}; this worker stops", FuseDevice.describe(-n));
                    return;
                }
                serveOne(in, reply);
            }
        } finally {
            if (running.decrementAndGet() == 0) {
                device.close();
                LOG.info("FUSE session of {} ended", mountPoint);
                onEnded.run();
            }
        }
    }

    private void serveOne(ByteBuffer in, KernelFuseFs.Reply reply) {
        int opcode = in.getInt(4);
        long unique = in.getLong(8);
        in.position(IN_HEADER);
        if (opcode == INIT) {
            init(in, reply);
        } else {
            fs.handle(new KernelFuseFs.Request(opcode, unique, in.getLong(16), in.getInt(24), in.getInt(28),
                    in.getInt(32), in), reply);
            if (reply.hasNone()) {
                return;
            }
        }
        int rc = device.write(reply.finish(unique));
        if (rc < 0 && rc != -FuseDevice.ENOENT) {
            LOG.warn("reply to {} failed: {}", KernelFuseFs.name(opcode), FuseDevice.describe(-rc));
        }
    }

    private void init(ByteBuffer in, KernelFuseFs.Reply reply) {
        reply.reset();
        int major = in.getInt();
        int minor = in.getInt();
        in.getInt();
        int offered = in.getInt();
        ByteBuffer out = reply.body(INIT_OUT);
        if (major < MAJOR) {
            LOG.error("the kernel speaks FUSE {}.{}, this binding needs {}.x", major, minor, MAJOR);
            reply.error(71);
            return;
        }
        int flags = offered & WANTED;
        out.putInt(MAJOR).putInt(MINOR);
        out.putInt(readAheadBytes);
        out.putInt(flags);
        out.putShort((short) MAX_BACKGROUND).putShort((short) (MAX_BACKGROUND * 3 / 4));
        out.putInt(MAX_WRITE);
        out.putInt(1);
        out.putShort((short) PAGES_PER_REQUEST).putShort((short) 0);
        while (out.position() < OUT_HEADER + INIT_OUT) {
            out.put((byte) 0);
        }
        LOG.info("FUSE {}.{} session at {}: flags {} of offered {}", major, minor, mountPoint,
                Integer.toHexString(flags), Integer.toHexString(offered));
    }

    /**
     * Writes notify_inval_inode for the attributes only (offset -1): header with unique 0 and the
     * code in the error field, then ino, offset, length. Sent from worker threads, each with its
     * own small buffer.
     */
    private void invalidateAttributes(long ino) {
        ByteBuffer message = notification.get().clear();
        message.putInt(INVAL_INODE_MESSAGE).putInt(NOTIFY_INVAL_INODE).putLong(0);
        message.putLong(ino).putLong(-1).putLong(0).flip();
        int rc = device.write(message);
        if (rc < 0 && rc != -FuseDevice.ENOENT) {
            LOG.debug("invalidating the attributes of inode {} failed: {}", ino, FuseDevice.describe(-rc));
        }
    }
}
