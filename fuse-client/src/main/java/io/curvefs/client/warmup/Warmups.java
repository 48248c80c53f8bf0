package io.curvefs.client.warmup;

import io.curvefs.client.data.DataStore;
import io.curvefs.client.meta.Attr;
import io.curvefs.client.meta.DirEntry;
import io.curvefs.client.meta.InodeType;
import io.curvefs.client.meta.MetaClient;
import io.curvefs.client.vfs.Errno;
import io.curvefs.client.vfs.VfsException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon side of warmup, driven through upstream's xattr interface on a mounted path:
 * {@code setxattr(path, "curvefs.warmup.op", "add\n{single|list}\n<path>\n<storage>\n<mountpoint>\n<root>")}
 * starts a job (single: the file, or the directory tree, at {@code path}; list: the file at
 * {@code path} names one mounted path per line), {@code "cancel\n{single|list}"} stops it.
 * {@code getxattr(path, "curvefs.warmup.op")} answers "done/total", or "finished" when no job
 * runs there; {@code getxattr(any, "curvefs.warmup.op.list")} lists the running jobs as
 * "path:done/total;..."; {@code getxattr(path, "curvefs.warmup.progress")} (ours) adds bytes and
 * the outcome, for the tool's progress bar. A job first loads each file's attributes (so they are
 * in the metadata caches), then has the data path fetch its blocks into the local caches
 * ({@link DataStore#warm}; without local caches nothing is fetched). Each request runs on its own
 * thread, files one after another, so a large tree never holds a FUSE thread.
 */
public final class Warmups implements AutoCloseable {

    public static final String OP = "curvefs.warmup.op";
    public static final String OP_LIST = "curvefs.warmup.op.list";
    public static final String PROGRESS = "curvefs.warmup.progress";
    private static final int PAGE = 1024;
    private static final int KEPT_JOBS = 64;
    private static final Logger LOG = LoggerFactory.getLogger(Warmups.class);

    private final MetaClient meta;
    private final DataStore data;
    private final ExecutorService runner = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "curvefs-warmup-job");
        t.setDaemon(true);
        return t;
    });
    /** Jobs by the inode they were started on; finished ones are kept a while for queries. */
    private final Map<Long, WarmupJob> jobs = new LinkedHashMap<>();

    public Warmups(MetaClient meta, DataStore data) {
        this.meta = meta;
        this.data = data;
    }

    /** Whether {@code name} belongs to warmup. */
    public static boolean owns(String name) {
        return name.equals(OP) || name.equals(OP_LIST) || name.equals(PROGRESS);
    }

    public void set(long ino, String name, byte[] value) {
        if (!name.equals(OP)) {
            throw new VfsException(Errno.EINVAL);
        }
        String[] args = new String(value, StandardCharsets.UTF_8).split("\n");
        switch (args[0]) {
            case "add" -> {
                if (args.length != 6 || !(args[1].equals("single") || args[1].equals("list"))) {
                    throw new VfsException(Errno.ERANGE);
                }
                start(ino, args[1].equals("list"), args[2], args[4], args[5]);
            }
            case "cancel" -> {
                if (args.length != 2) {
                    throw new VfsException(Errno.ERANGE);
                }
                WarmupJob job;
                synchronized (jobs) {
                    job = jobs.get(ino);
                }
                if (job != null) {
                    job.cancelled.set(true);
                }
            }
            default -> throw new VfsException(Errno.EINVAL);
        }
    }

    public byte[] get(long ino, String name) {
        String answer;
        synchronized (jobs) {
            if (name.equals(OP_LIST)) {
                List<String> running = new ArrayList<>();
                for (WarmupJob job : jobs.values()) {
                    if (job.state() == WarmupJob.State.RUNNING) {
                        running.add(job.path + ":" + job.upstreamProgress());
                    }
                }
                answer = String.join(";", running);
            } else {
                WarmupJob job = jobs.get(ino);
                if (job == null) {
                    throw new VfsException(Errno.ENODATA);
                }
                answer = name.equals(PROGRESS) ? job.detail()
                        : job.state() == WarmupJob.State.RUNNING ? job.upstreamProgress() : "finished";
            }
        }
        return answer.getBytes(StandardCharsets.UTF_8);
    }

    private void start(long ino, boolean list, String path, String mountpoint, String root) {
        WarmupJob job = new WarmupJob(path);
        synchronized (jobs) {
            WarmupJob previous = jobs.get(ino);
            if (previous != null && previous.state() == WarmupJob.State.RUNNING) {
                throw new VfsException(Errno.EEXIST);
            }
            jobs.remove(ino);
            jobs.put(ino, job);
            while (jobs.size() > KEPT_JOBS) {
                jobs.remove(jobs.keySet().iterator().next());
            }
        }
        runner.execute(() -> run(job, () -> list ? targetsListedIn(ino, mountpoint, root, job) : List.of(ino)));
    }

    private void run(WarmupJob job, Supplier<List<Long>> targetsToFind) {
        try {
            List<Long> targets = targetsToFind.get();
            List<Attr> files = new ArrayList<>();
            Deque<Long> dirs = new ArrayDeque<>();
            for (Long target : targets) {
                Attr attr = meta.getAttr(target);
                if (attr.isDirectory()) {
                    dirs.add(target);
                } else {
                    found(job, files, attr);
                }
            }
            while (!dirs.isEmpty() && !job.cancelled.get()) {
                listDirectory(job, dirs.poll(), files, dirs);
            }
            job.listingDone();
            for (Attr file : files) {
                if (job.cancelled.get()) {
                    break;
                }
                try {
                    if (file.type() == InodeType.FILE && file.length() > 0) {
                        data.warm(file.ino(), file.length()).join();
                    }
                    job.bytesDone.addAndGet(file.length());
                } catch (RuntimeException e) {
                    job.errors.incrementAndGet();
                    LOG.warn("warmup of inode {} failed: {}", file.ino(), e.toString());
                }
                job.filesDone.incrementAndGet();
            }
            job.end(job.cancelled.get() ? WarmupJob.State.CANCELLED : WarmupJob.State.FINISHED);
        } catch (RuntimeException e) {
            LOG.warn("warmup of {} failed: {}", job.path, e.toString());
            job.end(WarmupJob.State.FAILED);
        }
    }

    private static void found(WarmupJob job, List<Attr> files, Attr attr) {
        files.add(attr);
        job.filesTotal.incrementAndGet();
        job.bytesTotal.addAndGet(attr.length());
    }

    private void listDirectory(WarmupJob job, long dir, List<Attr> files, Deque<Long> dirs) {
        meta.forEachDentryPage(dir, PAGE, page -> {
            List<Long> inos = new ArrayList<>();
            for (DirEntry e : page) {
                if (e.type() == InodeType.DIRECTORY) {
                    dirs.add(e.ino());
                } else {
                    inos.add(e.ino());
                }
            }
            Map<Long, Attr> attrs = inos.isEmpty() ? Map.of() : meta.batchGetAttr(inos);
            for (Long ino : inos) {
                Optional.ofNullable(attrs.get(ino)).ifPresent(a -> found(job, files, a));
            }
        });
    }

    /**
     * The inodes named by the list file {@code listIno}: one mounted path per line, below
     * {@code mountpoint}; each is looked up from the file system's root ({@code root} names the
     * mounted directory, "/" here). Lines that name nothing count as errors.
     */
    private List<Long> targetsListedIn(long listIno, String mountpoint, String root, WarmupJob job) {
        long length = meta.getAttr(listIno).length();
        ByteBuffer content = ByteBuffer.allocate((int) Math.min(length, Integer.MAX_VALUE));
        while (content.hasRemaining() && data.read(listIno, length, content.position(), content) > 0) {
            // read until the whole list is in
        }
        List<Long> targets = new ArrayList<>();
        String prefix = mountpoint.endsWith("/") ? mountpoint : mountpoint + "/";
        for (String line : new String(content.array(), 0, content.position(), StandardCharsets.UTF_8).split("\n")) {
            String path = line.strip();
            if (path.isEmpty()) {
                continue;
            }
            String inFs = (root.endsWith("/") ? root : root + "/")
                    + (path.startsWith(prefix) ? path.substring(prefix.length()) : path.replaceFirst("^/", ""));
            Optional<Long> ino = resolve(inFs);
            if (ino.isPresent()) {
                targets.add(ino.get());
            } else {
                job.errors.incrementAndGet();
            }
        }
        return targets;
    }

    private Optional<Long> resolve(String pathInFs) {
        long current = meta.rootIno();
        for (String name : pathInFs.split("/")) {
            if (name.isEmpty()) {
                continue;
            }
            Optional<DirEntry> entry = meta.lookup(current, name);
            if (entry.isEmpty()) {
                return Optional.empty();
            }
            current = entry.get().ino();
        }
        return Optional.of(current);
    }

    @Override
    public void close() {
        runner.shutdownNow();
    }
}
