package io.curvefs.tool.fs;

import io.curvefs.proto.mds.DeleteFsRequest;
import io.curvefs.proto.mds.FSStatusCode;
import io.curvefs.rpc.MdsClient;
import io.curvefs.tool.ToolFailure;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "delete-fs", mixinStandardHelpOptions = true,
        description = "Delete a file system and its metadata (refused while it is mounted).")
public final class DeleteFsCommand implements Callable<Integer> {

    @Mixin
    FsCommandOptions common;

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation (without it, the file system's "
            + "name must be typed on the terminal; without a terminal nothing is deleted)")
    boolean yes;

    @Override
    public Integer call() throws IOException {
        if (!yes && !confirmed()) {
            throw new ToolFailure("not deleted: confirmation not given (on a terminal, type the name; in scripts, use --yes)");
        }
        try (MdsClient mds = common.mds.connect()) {
            FSStatusCode code = mds.mds(stub -> stub.deleteFs(
                    DeleteFsRequest.newBuilder().setFsName(common.fsName).build())).getStatusCode();
            if (code != FSStatusCode.OK) {
                throw new ToolFailure(FsStatusMessages.describe(code, common.fsName));
            }
            System.out.println("deleted file system " + common.fsName);
            return 0;
        }
    }

    /**
     * Asks on the terminal (on stderr, so that stdout stays machine-readable); without a terminal
     * there is no one to ask and the answer is no, so scripts must say --yes.
     */
    private boolean confirmed() throws IOException {
        if (System.console() == null) {
            return false;
        }
        System.err.print("Delete file system '" + common.fsName + "' and all its files? Type its name to confirm: ");
        System.err.flush();
        String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        return common.fsName.equals(answer == null ? "" : answer.trim());
    }
}
