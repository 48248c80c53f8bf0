package io.curvefs.tool.bench;

import java.nio.file.Path;

/**
 * What one {@code curvefs bench} run does: per thread one big file of {@code bigFileSize} bytes
 * and {@code smallFileCount} files of {@code smallFileSize} bytes, written and read in
 * {@code ioSize} requests under a fresh directory inside {@code path}.
 *
 * @param fsync       fsync each file before close, so that writes count only once durable
 * @param dropCaches  drop the kernel page cache before each read phase (needs root)
 */
public record BenchPlan(Path path, long bigFileSize, long smallFileSize, int smallFileCount, int threads,
        int ioSize, boolean fsync, boolean dropCaches) {

    public BenchPlan {
        if (bigFileSize < 0 || smallFileSize < 0 || smallFileCount < 0) {
            throw new IllegalArgumentException("sizes and counts must not be negative");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1");
        }
        if (ioSize < 1) {
            throw new IllegalArgumentException("--block-size must be at least 1 byte");
        }
    }
}
