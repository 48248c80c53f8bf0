package io.curvefs.tool;

import io.curvefs.rpc.HostPort;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import java.io.IOException;
import picocli.CommandLine.Option;

/**
 * The {@code --metrics-listen HOST:PORT} option of the daemons: serves the process's Prometheus
 * registry (RPC, FUSE and object store metrics the daemons collect, plus JVM metrics) on
 * {@code /metrics}.
 */
public final class MetricsOption {

    @Option(names = "--metrics-listen", paramLabel = "HOST:PORT", descriptionKey = "metrics.listen.addr",
            description = "Serve Prometheus metrics on http://HOST:PORT/metrics (default: off)")
    String listen;

    /** The address asked for, or null when metrics are off. */
    public String listen() {
        return listen;
    }

    /** Starts the endpoint when asked for; the returned handle stops it (a no-op when off). */
    public AutoCloseable start() {
        if (listen == null) {
            return () -> { };
        }
        HostPort address;
        try {
            address = HostPort.parse(listen);
        } catch (IllegalArgumentException e) {
            throw new ToolFailure("--metrics-listen: " + e.getMessage());
        }
        JvmMetricsOnce.register();
        try {
            HTTPServer server = HTTPServer.builder().hostname(address.host()).port(address.port()).buildAndStart();
            System.out.println("metrics on http://" + address.host() + ":" + server.getPort() + "/metrics");
            return server::close;
        } catch (IOException e) {
            throw new ToolFailure("cannot serve metrics on " + listen + ": " + e.getMessage());
        }
    }

    /** JVM metrics may be registered once per registry. */
    private static final class JvmMetricsOnce {
        private static boolean registered;

        static synchronized void register() {
            if (!registered) {
                JvmMetrics.builder().register();
                registered = true;
            }
        }
    }
}
