package io.curvefs.objectstore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Objects as files under one directory, for a single machine and for tests.
 *
 * <p>A key maps to the file {@code root/key}; a '/' in a key is a sub-directory. A put writes a
 * staging file under {@code root/.staging}, forces it to disk, renames it over the key's file
 * (atomic on one file system) and forces the directory, so a reader sees the old object or the
 * new one, never a torn one, and an acknowledged put survives a crash. A delete removes the
 * file and prunes directories it leaves empty; it is not forced to disk because an object that
 * reappears after a crash is garbage, never corruption. A put that races the pruning of its
 * directory simply recreates the directory and renames again.
 *
 * <p>File IO blocks, so it runs on a small fixed pool; the callers see the same asynchronous
 * API as the S3 store. A key whose directory is another key's file (or the reverse) cannot be
 * stored here and fails with {@link ObjectStoreException}.
 */
public final class LocalDirectoryStore implements ObjectStore {

    private static final String STAGING = ".staging";
    private static final int MAX_THREADS = 8;
    private static final int RENAME_ATTEMPTS = 5;
    private static final AtomicInteger STORE_IDS = new AtomicInteger();

    private final Path root;
    private final Path staging;
    private final ExecutorService executor;

    private LocalDirectoryStore(Path root, int threads) {
        this.root = root;
        this.staging = root.resolve(STAGING);
        this.executor = Executors.newFixedThreadPool(threads, namedDaemonThreads());
    }

    /** Opens (creating if missing) the store rooted at {@code root}, using at most {@code maxConcurrency} threads. */
    public static LocalDirectoryStore open(Path root, int maxConcurrency) {
        Path absolute = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(absolute.resolve(STAGING));
        } catch (IOException e) {
            throw new ObjectStoreException("cannot create local object store at " + absolute + ": " + e, e);
        }
        return new LocalDirectoryStore(absolute, Math.max(1, Math.min(maxConcurrency, MAX_THREADS)));
    }

    public Path root() {
        return root;
    }

    @Override
    public CompletableFuture<Void> put(String key, byte[] data) {
        return run(key, () -> {
            write(key, data);
            return null;
        });
    }

    @Override
    public CompletableFuture<byte[]> get(String key, long offset, long length) {
        if (offset < 0) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("negative offset " + offset));
        }
        return run(key, () -> read(key, offset, length));
    }

    @Override
    public CompletableFuture<Optional<ObjectInfo>> head(String key) {
        return run(key, () -> {
            Path file = fileOf(key);
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                return attributes.isRegularFile()
                        ? Optional.of(new ObjectInfo(key, attributes.size()))
                        : Optional.empty();
            } catch (IOException e) {
                if (isAbsent(file, e)) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    @Override
    public CompletableFuture<Void> delete(String key) {
        return run(key, () -> {
            remove(key);
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> deleteAll(Collection<String> keys) {
        List<String> copy = List.copyOf(keys);
        for (String key : copy) {
            String problem = keyProblem(key);
            if (problem != null) {
                return CompletableFuture.failedFuture(new IllegalArgumentException(problem));
            }
        }
        return submit("deleteAll of " + copy.size() + " keys", () -> {
            for (String key : copy) {
                remove(key);
            }
            return null;
        });
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        int lastSlash = prefix.lastIndexOf('/');
        String directoryPart = lastSlash < 0 ? "" : prefix.substring(0, lastSlash);
        if (!directoryPart.isEmpty() && keyProblem(directoryPart) != null) {
            throw new IllegalArgumentException("invalid object key prefix '" + prefix + "'");
        }
        Path start = directoryPart.isEmpty() ? root : root.resolve(directoryPart);
        List<ObjectInfo> found = new ArrayList<>();
        try {
            if (Files.isDirectory(start)) {
                Files.walkFileTree(start, new PrefixCollector(prefix, found));
            }
        } catch (IOException e) {
            throw new ObjectStoreException("local list of '" + prefix + "' in " + root + " failed: " + e, e);
        }
        found.sort(Comparator.comparing(ObjectInfo::key));
        return found;
    }

    @Override
    public String describe() {
        return "local " + root;
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void write(String key, byte[] data) throws IOException {
        Path target = fileOf(key);
        Path temporary = Files.createTempFile(staging, "put-", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(data);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            renameIntoPlace(temporary, target);
        } finally {
            Files.deleteIfExists(temporary);
        }
        forceDirectory(target.getParent());
    }

    private void renameIntoPlace(Path temporary, Path target) throws IOException {
        for (int attempt = 1; ; attempt++) {
            createDirectories(target.getParent());
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return;
            } catch (NoSuchFileException e) {
                // A concurrent delete pruned the directory between its creation and the rename.
                if (attempt == RENAME_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private void createDirectories(Path directory) throws IOException {
        if (directory.equals(root) || Files.isDirectory(directory)) {
            return;
        }
        createDirectories(directory.getParent());
        try {
            Files.createDirectory(directory);
            forceDirectory(directory.getParent());
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(directory)) {
                throw e;
            }
        }
    }

    private byte[] read(String key, long offset, long length) throws IOException {
        Path file = fileOf(key);
        if (Files.isDirectory(file)) {
            throw new ObjectNotFoundException(key);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            long start = Math.min(offset, size);
            long available = size - start;
            long count = length < 0 ? available : Math.min(available, length);
            if (count > Integer.MAX_VALUE - 8) {
                throw new ObjectStoreException("local get of " + key + ": range of " + count + " bytes is too large");
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) count);
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, start + buffer.position());
                if (n < 0) {
                    throw new ObjectStoreException("local get of " + key + ": file shrank while reading");
                }
            }
            return buffer.array();
        } catch (IOException e) {
            if (isAbsent(file, e)) {
                throw new ObjectNotFoundException(key);
            }
            throw e;
        }
    }

    private void remove(String key) throws IOException {
        Path file = fileOf(key);
        if (Files.isDirectory(file)) {
            return;
        }
        try {
            Files.delete(file);
        } catch (IOException e) {
            if (isAbsent(file, e)) {
                return;
            }
            throw e;
        }
        for (Path directory = file.getParent(); !directory.equals(root); directory = directory.getParent()) {
            try {
                Files.delete(directory);
            } catch (DirectoryNotEmptyException e) {
                return;
            } catch (NoSuchFileException e) {
                // Pruned by a concurrent delete; keep pruning upwards.
            }
        }
    }

    /**
     * Whether {@code failure} to reach {@code file} means there is no such object: the file is
     * missing, or a directory on its path is another object's file (ENOTDIR).
     */
    private boolean isAbsent(Path file, IOException failure) {
        if (failure instanceof NoSuchFileException) {
            return true;
        }
        if (!(failure instanceof FileSystemException)) {
            return false;
        }
        for (Path directory = file.getParent(); !directory.equals(root); directory = directory.getParent()) {
            if (Files.isRegularFile(directory)) {
                return true;
            }
        }
        return false;
    }

    private static void forceDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (NoSuchFileException e) {
            // Emptied and pruned by a concurrent delete: nothing left to make durable.
        }
    }

    private Path fileOf(String key) {
        return root.resolve(key);
    }

    /** Why {@code key} cannot name a file under the root, or null when it can. */
    private static String keyProblem(String key) {
        if (key == null || key.isEmpty()) {
            return "object key must not be empty";
        }
        if (key.indexOf('\0') >= 0) {
            return "object key must not contain NUL: '" + key.replace('\0', '?') + "'";
        }
        String[] segments = key.split("/", -1);
        if (segments[0].equals(STAGING)) {
            return "object key '" + key + "' uses the reserved directory " + STAGING;
        }
        for (String segment : segments) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return "object key '" + key + "' has an empty, '.' or '..' segment or a leading or trailing '/'";
            }
        }
        return null;
    }

    private <T> CompletableFuture<T> run(String key, IoTask<T> task) {
        String problem = keyProblem(key);
        if (problem != null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(problem));
        }
        return submit(key, task);
    }

    private <T> CompletableFuture<T> submit(String what, IoTask<T> task) {
        Supplier<T> supplier = () -> {
            try {
                return task.call();
            } catch (IOException e) {
                throw new ObjectStoreException("local store " + root + ": " + what + " failed: " + e, e);
            }
        };
        try {
            return CompletableFuture.supplyAsync(supplier, executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new ObjectStoreException(describe() + " is closed"));
        }
    }

    @FunctionalInterface
    private interface IoTask<T> {
        T call() throws IOException;
    }

    private static ThreadFactory namedDaemonThreads() {
        int storeId = STORE_IDS.incrementAndGet();
        AtomicInteger threadIds = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "local-store-" + storeId + "-" + threadIds.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Collects regular files whose key starts with the prefix, skipping the staging directory. */
    private final class PrefixCollector extends SimpleFileVisitor<Path> {
        private final String prefix;
        private final List<ObjectInfo> found;

        PrefixCollector(String prefix, List<ObjectInfo> found) {
            this.prefix = prefix;
            this.found = found;
        }

        @Override
        public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes) {
            if (directory.equals(staging)) {
                return FileVisitResult.SKIP_SUBTREE;
            }
            String key = root.relativize(directory).toString();
            boolean mayHoldMatches = key.isEmpty() || prefix.startsWith(key + "/") || (key + "/").startsWith(prefix);
            return mayHoldMatches ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
            if (attributes.isRegularFile()) {
                String key = root.relativize(file).toString();
                if (key.startsWith(prefix)) {
                    found.add(new ObjectInfo(key, attributes.size()));
                }
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE;
            }
            throw e;
        }
    }
}
