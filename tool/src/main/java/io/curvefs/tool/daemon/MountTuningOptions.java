package io.curvefs.tool.daemon;

import io.curvefs.client.MountConfig;
import io.curvefs.tool.SizeConverter;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The mount's tunables, each also a configuration key (upstream's client.conf names where they exist). */
final class MountTuningOptions {

    @Option(names = "--attr-timeout", paramLabel = "SECONDS", defaultValue = "1.0",
            descriptionKey = "fuseClient.attrTimeOut",
            description = "How long the daemon trusts cached attributes (default: ${DEFAULT-VALUE})")
    double attrTimeout;

    @Option(names = "--entry-timeout", paramLabel = "SECONDS", defaultValue = "1.0",
            descriptionKey = "fuseClient.entryTimeOut",
            description = "How long the daemon trusts cached names (default: ${DEFAULT-VALUE})")
    double entryTimeout;

    @Option(names = "--kernel-attr-timeout", paramLabel = "SECONDS", defaultValue = "1.0",
            descriptionKey = "fs.kernelCache.attrTimeoutSec",
            description = "How long the kernel trusts attributes (default: ${DEFAULT-VALUE}; the libfuse binding "
                    + "always uses 0, see docs/operations.md)")
    double kernelAttrTimeout;

    @Option(names = "--kernel-entry-timeout", paramLabel = "SECONDS", defaultValue = "1.0",
            descriptionKey = "fs.kernelCache.entryTimeoutSec",
            description = "How long the kernel trusts names (default: ${DEFAULT-VALUE}; libfuse binding: 0)")
    double kernelEntryTimeout;

    @Option(names = "--rpc-timeout-ms", paramLabel = "MS", defaultValue = "5000",
            descriptionKey = "fuseClient.rpcTimeoutMs",
            description = "Deadline of one metadata or MDS RPC (default: ${DEFAULT-VALUE})")
    long rpcTimeoutMillis;

    @Option(names = "--rpc-retry-budget", paramLabel = "SECONDS", defaultValue = "30",
            descriptionKey = "fuseClient.maxRetryTimeSec",
            description = "How long a metadata call retries a lost leader before failing with EIO "
                    + "(default: ${DEFAULT-VALUE})")
    long retryBudgetSeconds;

    @Option(names = "--write-buffer", paramLabel = "SIZE", defaultValue = "112MiB",
            converter = SizeConverter.class, descriptionKey = "s3.writeCacheMaxByte",
            description = "Memory for written data not yet uploaded, over all files (default: ${DEFAULT-VALUE})")
    long writeBufferBytes;

    MountConfig apply(MountConfig base) {
        return base.withCacheTimeouts(seconds(entryTimeout), seconds(attrTimeout))
                .withKernelTimeouts(seconds(kernelAttrTimeout), seconds(kernelEntryTimeout))
                .withRetry(Duration.ofMillis(rpcTimeoutMillis), Duration.ofSeconds(retryBudgetSeconds))
                .withData(base.data().withWriteBufferBytes(writeBufferBytes));
    }

    private static Duration seconds(double value) {
        return Duration.ofNanos(Math.round(value * 1e9));
    }
}
