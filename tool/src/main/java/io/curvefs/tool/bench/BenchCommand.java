package io.curvefs.tool.bench;

import io.curvefs.tool.SizeConverter;
import io.curvefs.tool.ToolFailure;
import io.curvefs.tool.output.OutputOption;
import io.curvefs.tool.output.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure a directory (a mount or a local disk): big file write and read, small files write "
                + "and read, stat of all files. Works in a new sub-directory of PATH and deletes it at the end.")
public final class BenchCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PATH", description = "An existing directory to measure")
    Path path;

    @Option(names = "--big-file-size", paramLabel = "SIZE", defaultValue = "1G", converter = SizeConverter.class,
            description = "Size of the big file each thread writes and reads; 0 skips (default: ${DEFAULT-VALUE})")
    long bigFileSize;

    @Option(names = "--small-file-size", paramLabel = "SIZE", defaultValue = "128K", converter = SizeConverter.class,
            description = "Size of each small file (default: ${DEFAULT-VALUE})")
    long smallFileSize;

    @Option(names = "--small-file-count", paramLabel = "N", defaultValue = "100",
            description = "Small files per thread; 0 skips (default: ${DEFAULT-VALUE})")
    int smallFileCount;

    @Option(names = {"-p", "--threads"}, paramLabel = "N", defaultValue = "1",
            description = "Parallel threads, each with its own files (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--block-size", paramLabel = "SIZE", defaultValue = "1M", converter = SizeConverter.class,
            description = "Size of each read and write request (default: ${DEFAULT-VALUE})")
    long ioSize;

    @Option(names = "--fsync", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "fsync every file before close, so writes count once durable (default: on)")
    boolean fsync;

    @Option(names = "--drop-caches", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Drop the kernel page cache before the read phases when running as root (default: on)")
    boolean dropCaches;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(path)) {
            throw new ToolFailure(path + " is not a directory");
        }
        if (ioSize > Integer.MAX_VALUE / 2) {
            throw new ToolFailure("--block-size " + ioSize + " is too large");
        }
        BenchPlan plan;
        try {
            plan = new BenchPlan(path.toAbsolutePath().normalize(), bigFileSize, smallFileSize, smallFileCount,
                    threads, (int) ioSize, fsync, dropCaches);
        } catch (IllegalArgumentException e) {
            throw new ToolFailure(e.getMessage());
        }
        Benchmark benchmark = new Benchmark(plan, new Progress(System.err, System.console() != null, true));
        List<PhaseResult> results = benchmark.run();
        output.print(report(plan, benchmark.cachesDropped(), results),
                summary(plan, benchmark.cachesDropped()) + table(results).text());
        return 0;
    }

    private static Map<String, Object> report(BenchPlan plan, boolean cachesDropped, List<PhaseResult> results) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("path", plan.path().toString());
        out.put("threads", plan.threads());
        out.put("big_file_size", plan.bigFileSize());
        out.put("small_file_size", plan.smallFileSize());
        out.put("small_file_count", plan.smallFileCount());
        out.put("block_size", plan.ioSize());
        out.put("fsync", plan.fsync());
        out.put("caches_dropped", cachesDropped);
        List<Map<String, Object>> records = new ArrayList<>();
        results.forEach(r -> records.add(r.record()));
        out.put("results", records);
        return out;
    }

    private static String summary(BenchPlan plan, boolean cachesDropped) {
        return String.format("curvefs bench %s: %d thread%s; per thread a %s file and %d files of %s; "
                        + "%s requests; %s; %s%n",
                plan.path(), plan.threads(), plan.threads() == 1 ? "" : "s", SizeConverter.format(plan.bigFileSize()),
                plan.smallFileCount(), SizeConverter.format(plan.smallFileSize()), SizeConverter.format(plan.ioSize()),
                plan.fsync() ? "fsync before close" : "no fsync",
                cachesDropped ? "page cache dropped before reads" : "page cache kept (not dropped)");
    }

    static Table table(List<PhaseResult> results) {
        Table table = Table.of("ITEM", "THROUGHPUT", "AVG LATENCY", "P99 LATENCY", "OPS");
        for (PhaseResult r : results) {
            String per = " ms/" + r.phase().op;
            table.row(r.phase().title(), String.format(Locale.ROOT, "%.1f %s", r.throughput(), r.phase().perSecond),
                    String.format(Locale.ROOT, "%.3f", r.meanLatencyNanos() / 1e6) + per,
                    String.format(Locale.ROOT, "%.3f", r.p99LatencyNanos() / 1e6) + per, r.ops());
        }
        return table;
    }
}
