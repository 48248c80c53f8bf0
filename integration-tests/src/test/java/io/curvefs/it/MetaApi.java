package io.curvefs.it;

import io.curvefs.proto.cli2.CliService2Grpc;
import io.curvefs.proto.cli2.GetLeaderRequest2;
import io.curvefs.proto.common.PartitionInfo;
import io.curvefs.proto.common.PartitionStatus;
import io.curvefs.proto.common.Peer;
import io.curvefs.proto.metaserver.CreateDentryRequest;
import io.curvefs.proto.metaserver.CreateInodeRequest;
import io.curvefs.proto.metaserver.CreateInodeResponse;
import io.curvefs.proto.metaserver.DeleteDentryRequest;
import io.curvefs.proto.metaserver.DeleteInodeRequest;
import io.curvefs.proto.metaserver.Dentry;
import io.curvefs.proto.metaserver.FsFileType;
import io.curvefs.proto.metaserver.GetInodeRequest;
import io.curvefs.proto.metaserver.Inode;
import io.curvefs.proto.metaserver.ListDentryRequest;
import io.curvefs.proto.metaserver.ListDentryResponse;
import io.curvefs.proto.metaserver.MetaServerServiceGrpc;
import io.curvefs.proto.metaserver.MetaStatusCode;
import io.curvefs.proto.topology.Copyset;
import io.curvefs.proto.topology.GetCopysetOfPartitionRequest;
import io.curvefs.proto.topology.ListPartitionRequest;
import io.curvefs.rpc.Channels;
import io.curvefs.rpc.HostPort;
import io.curvefs.rpc.MdsClient;
import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Drives the metaserver API directly, the way a client does: partitions from the MDS, the
 * copyset of a partition, its leader through CliService2, then MetaServerService on the leader.
 * Single-replica clusters only: no retry on leader change.
 */
final class MetaApi implements AutoCloseable {

    private final MdsClient mds;
    private final int fsId;
    private final List<PartitionInfo> partitions;
    private final Map<Integer, Copyset> copysets;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final Map<Integer, MetaServerServiceGrpc.MetaServerServiceBlockingStub> leaders = new ConcurrentHashMap<>();

    MetaApi(MdsClient mds, int fsId) {
        this.mds = mds;
        this.fsId = fsId;
        this.partitions = mds.topology(s -> s.listPartition(
                ListPartitionRequest.newBuilder().setFsId(fsId).build())).getPartitionInfoListList();
        List<Integer> ids = partitions.stream().map(PartitionInfo::getPartitionId).toList();
        this.copysets = mds.topology(s -> s.getCopysetOfPartition(
                GetCopysetOfPartitionRequest.newBuilder().addAllPartitionId(ids).build())).getCopysetMapMap();
    }

    List<PartitionInfo> partitions() {
        return partitions;
    }

    PartitionInfo partitionOf(long inodeId) {
        return partitions.stream().filter(p -> p.getStart() <= inodeId && inodeId <= p.getEnd()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no partition holds inode " + inodeId));
    }

    MetaServerServiceGrpc.MetaServerServiceBlockingStub stub(PartitionInfo p) {
        Copyset copyset = copysets.get(p.getPartitionId());
        Peer member = copyset.getPeers(0);
        Peer leader = CliService2Grpc.newBlockingStub(channel(member.getAddress())).getLeader(
                GetLeaderRequest2.newBuilder().setPoolId(copyset.getPoolId())
                        .setCopysetId(copyset.getCopysetId()).build()).getLeader();
        return MetaServerServiceGrpc.newBlockingStub(channel(leader.getAddress()));
    }

    private ManagedChannel channel(String peerAddress) {
        String[] parts = peerAddress.split(":");
        String hostPort = parts[0] + ":" + parts[1];
        return channels.computeIfAbsent(hostPort, a -> Channels.open(HostPort.parse(a)));
    }

    /** Creates an inode in a read-write partition and names it in {@code parent}. */
    long create(long parent, String name, FsFileType type, int mode) {
        MetaStatusCode last = null;
        for (PartitionInfo p : partitions) {
            if (p.getStatus() != PartitionStatus.READWRITE) {
                continue;
            }
            CreateInodeResponse created = stub(p).createInode(CreateInodeRequest.newBuilder()
                    .setPoolId(p.getPoolId()).setCopysetId(p.getCopysetId()).setPartitionId(p.getPartitionId())
                    .setFsId(fsId).setLength(type == FsFileType.TYPE_DIRECTORY ? 4096 : 0)
                    .setUid(0).setGid(0).setMode(mode).setType(type).setParent(parent).build());
            last = created.getStatusCode();
            if (last != MetaStatusCode.OK) {
                continue;
            }
            long ino = created.getInode().getInodeId();
            PartitionInfo dp = partitionOf(parent);
            MetaStatusCode linked = stub(dp).createDentry(CreateDentryRequest.newBuilder()
                    .setPoolId(dp.getPoolId()).setCopysetId(dp.getCopysetId()).setPartitionId(dp.getPartitionId())
                    .setDentry(Dentry.newBuilder().setFsId(fsId).setParentInodeId(parent).setName(name)
                            .setInodeId(ino).setType(type).setTxId(0))
                    .build()).getStatusCode();
            if (linked != MetaStatusCode.OK) {
                throw new IllegalStateException("CreateDentry " + name + ": " + linked);
            }
            return ino;
        }
        throw new IllegalStateException("CreateInode failed in every partition: " + last);
    }

    Inode inode(long ino) {
        PartitionInfo p = partitionOf(ino);
        var response = stub(p).getInode(GetInodeRequest.newBuilder()
                .setPoolId(p.getPoolId()).setCopysetId(p.getCopysetId()).setPartitionId(p.getPartitionId())
                .setFsId(fsId).setInodeId(ino).build());
        if (response.getStatusCode() != MetaStatusCode.OK) {
            throw new IllegalStateException("GetInode " + ino + ": " + response.getStatusCode());
        }
        return response.getInode();
    }

    /** Every entry of {@code dir}, fetched in pages of {@code pageSize} with the {@code last} cursor. */
    List<Dentry> list(long dir, int pageSize) {
        PartitionInfo p = partitionOf(dir);
        var stub = stub(p);
        List<Dentry> all = new ArrayList<>();
        String last = null;
        while (true) {
            ListDentryRequest.Builder request = ListDentryRequest.newBuilder()
                    .setPoolId(p.getPoolId()).setCopysetId(p.getCopysetId()).setPartitionId(p.getPartitionId())
                    .setFsId(fsId).setDirInodeId(dir).setCount(pageSize);
            if (last != null) {
                request.setLast(last);
            }
            ListDentryResponse page = stub.listDentry(request.build());
            if (page.getStatusCode() != MetaStatusCode.OK) {
                throw new IllegalStateException("ListDentry: " + page.getStatusCode());
            }
            all.addAll(page.getDentrysList());
            if (page.getDentrysCount() < pageSize) {
                return all;
            }
            last = page.getDentrys(page.getDentrysCount() - 1).getName();
        }
    }

    /** Names a new regular file in {@code parent}, like {@link #create}, with the leader looked up once. */
    long createFile(long parent, String name) {
        PartitionInfo p = partitions.stream().filter(x -> x.getStatus() == PartitionStatus.READWRITE).findFirst()
                .orElseThrow(() -> new IllegalStateException("no read-write partition"));
        CreateInodeResponse created = leader(p).createInode(CreateInodeRequest.newBuilder()
                .setPoolId(p.getPoolId()).setCopysetId(p.getCopysetId()).setPartitionId(p.getPartitionId())
                .setFsId(fsId).setLength(0).setUid(0).setGid(0).setMode(0100644).setType(FsFileType.TYPE_FILE)
                .setParent(parent).build());
        if (created.getStatusCode() != MetaStatusCode.OK) {
            throw new IllegalStateException("CreateInode " + name + ": " + created.getStatusCode());
        }
        long ino = created.getInode().getInodeId();
        PartitionInfo dp = partitionOf(parent);
        MetaStatusCode linked = leader(dp).createDentry(CreateDentryRequest.newBuilder()
                .setPoolId(dp.getPoolId()).setCopysetId(dp.getCopysetId()).setPartitionId(dp.getPartitionId())
                .setDentry(Dentry.newBuilder().setFsId(fsId).setParentInodeId(parent).setName(name)
                        .setInodeId(ino).setType(FsFileType.TYPE_FILE).setTxId(0))
                .build()).getStatusCode();
        if (linked != MetaStatusCode.OK) {
            throw new IllegalStateException("CreateDentry " + name + ": " + linked);
        }
        return ino;
    }

    /** Removes the name {@code name} of a regular file from {@code parent}, then its inode. */
    void removeFile(long parent, String name, long ino) {
        PartitionInfo dp = partitionOf(parent);
        MetaStatusCode unlinked = leader(dp).deleteDentry(DeleteDentryRequest.newBuilder()
                .setPoolId(dp.getPoolId()).setCopysetId(dp.getCopysetId()).setPartitionId(dp.getPartitionId())
                .setFsId(fsId).setParentInodeId(parent).setName(name).setType(FsFileType.TYPE_FILE).build())
                .getStatusCode();
        if (unlinked != MetaStatusCode.OK) {
            throw new IllegalStateException("DeleteDentry " + name + ": " + unlinked);
        }
        PartitionInfo p = partitionOf(ino);
        MetaStatusCode deleted = leader(p).deleteInode(DeleteInodeRequest.newBuilder()
                .setPoolId(p.getPoolId()).setCopysetId(p.getCopysetId()).setPartitionId(p.getPartitionId())
                .setFsId(fsId).setInodeId(ino).build()).getStatusCode();
        if (deleted != MetaStatusCode.OK) {
            throw new IllegalStateException("DeleteInode " + ino + ": " + deleted);
        }
    }

    /** The partition leader's stub, looked up once per partition (bulk calls; the leader must stay). */
    private MetaServerServiceGrpc.MetaServerServiceBlockingStub leader(PartitionInfo p) {
        return leaders.computeIfAbsent(p.getPartitionId(), id -> stub(p));
    }

    @Override
    public void close() {
        channels.values().forEach(Channels::close);
    }
}
