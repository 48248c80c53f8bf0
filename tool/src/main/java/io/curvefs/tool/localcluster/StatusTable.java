package io.curvefs.tool.localcluster;

import io.curvefs.tool.localcluster.LocalProcess.Kind;
import io.curvefs.tool.output.Table;
import java.util.Optional;

/** One row per process: name, address, pid, up or down and, for an MDS that is up, leader or standby. */
final class StatusTable {

    private StatusTable() {
    }

    static Table of(ClusterState state) {
        Table table = Table.of("NAME", "ADDRESS", "PID", "STATE", "ROLE");
        for (LocalProcess process : state.processes()) {
            Optional<ProcessHandle> running = OsProcesses.running(process);
            String role = "";
            if (running.isPresent() && process.kind() == Kind.MDS) {
                role = Probes.mdsRole(process.address()).label();
            }
            table.row(process.name(), process.address(), running.map(ProcessHandle::pid).orElse(process.pid()),
                    running.isPresent() ? "up" : "down", role);
        }
        return table;
    }
}
