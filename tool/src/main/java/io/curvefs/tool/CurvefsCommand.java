package io.curvefs.tool;

import io.curvefs.tool.bench.BenchCommand;
import io.curvefs.tool.cluster.CreateTopologyCommand;
import io.curvefs.tool.cluster.ListTopologyCommand;
import io.curvefs.tool.cluster.StatusCommand;
import io.curvefs.tool.daemon.MdsCommand;
import io.curvefs.tool.daemon.MetaserverCommand;
import io.curvefs.tool.daemon.InstallMountHelperCommand;
import io.curvefs.tool.daemon.MountCommand;
import io.curvefs.tool.daemon.PlaygroundCommand;
import io.curvefs.tool.daemon.UmountCommand;
import io.curvefs.tool.fs.CreateFsCommand;
import io.curvefs.tool.fs.DeleteFsCommand;
import io.curvefs.tool.fs.FsInfoCommand;
import io.curvefs.tool.fs.ListFsCommand;
import io.curvefs.tool.fs.ListMountpointsCommand;
import io.curvefs.tool.fs.ListPartitionsCommand;
import io.curvefs.tool.fs.UmountFsCommand;
import io.curvefs.tool.fs.UpdateFsCommand;
import io.curvefs.tool.fs.UsageCommand;
import io.curvefs.tool.inode.QueryInodeCommand;
import io.curvefs.tool.warmup.WarmupCommand;
import io.curvefs.tool.localcluster.LocalClusterCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

@Command(name = "curvefs", mixinStandardHelpOptions = true, version = "curvefs 0.1.0",
        description = "CurveFS: a distributed POSIX file system with data in S3.",
        subcommands = {
            HelpCommand.class,
            PlaygroundCommand.class,
            MdsCommand.class,
            MetaserverCommand.class,
            CreateFsCommand.class,
            ListFsCommand.class,
            FsInfoCommand.class,
            DeleteFsCommand.class,
            UpdateFsCommand.class,
            ListMountpointsCommand.class,
            UmountFsCommand.class,
            UsageCommand.class,
            ListPartitionsCommand.class,
            QueryInodeCommand.class,
            ListTopologyCommand.class,
            StatusCommand.class,
            MountCommand.class,
            UmountCommand.class,
            CompletionCommand.class,
            WarmupCommand.class,
            InstallMountHelperCommand.class,
            BenchCommand.class,
            LocalClusterCommand.class,
            CreateTopologyCommand.class,
        })
public final class CurvefsCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
