package io.curvefs.client.meta;

import com.google.protobuf.ByteString;
import io.curvefs.client.data.ChunkInfoStore;
import io.curvefs.proto.common.PartitionInfo;
import io.curvefs.proto.metaserver.BatchGetInodeAttrRequest;
import io.curvefs.proto.metaserver.BatchGetInodeAttrResponse;
import io.curvefs.proto.metaserver.CreateDentryRequest;
import io.curvefs.proto.metaserver.CreateDentryResponse;
import io.curvefs.proto.metaserver.CreateInodeRequest;
import io.curvefs.proto.metaserver.CreateInodeResponse;
import io.curvefs.proto.metaserver.DeleteDentryRequest;
import io.curvefs.proto.metaserver.DeleteDentryResponse;
import io.curvefs.proto.metaserver.DeleteInodeRequest;
import io.curvefs.proto.metaserver.DeleteInodeResponse;
import io.curvefs.proto.metaserver.Dentry;
import io.curvefs.proto.metaserver.GetDentryRequest;
import io.curvefs.proto.metaserver.GetDentryResponse;
import io.curvefs.proto.metaserver.GetInodeResponse;
import io.curvefs.proto.metaserver.GetInodeRequest;
import io.curvefs.proto.metaserver.InodeAttr;
import io.curvefs.proto.metaserver.ListDentryRequest;
import io.curvefs.proto.metaserver.ListDentryResponse;
import io.curvefs.proto.metaserver.MetaStatusCode;
import io.curvefs.proto.metaserver.RenameInPartitionRequest;
import io.curvefs.proto.metaserver.RenameInPartitionResponse;
import io.curvefs.proto.metaserver.S3ChunkInfo;
import io.curvefs.proto.metaserver.S3ChunkInfoList;
import io.curvefs.proto.metaserver.UpdateInodeRequest;
import io.curvefs.proto.metaserver.UpdateInodeResponse;
import io.curvefs.rpc.MdsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MetaClient} over gRPC to the metaservers, without caching (see {@link CachingMetaClient}).
 *
 * <p>CreateInode, DeleteDentry, RenameInPartition, nlink changes and chunk appends carry a request
 * id that stays the same across the router's retries, so a retry after a lost answer is answered,
 * not applied twice.
 *
 * <p>A create is one CreateInode that adds the dentry too, and the unlink of a file one DeleteDentry
 * that drops the inode's link too, when the inode lives in its parent's partition (where new
 * inodes go); otherwise, and when a metaserver does not answer the combined form, they fall back
 * to the separate requests.
 *
 * <p>UpdateInode replaces the whole xattr map but cannot express an empty map (an empty proto map is
 * "no change"), so removing the last attribute stores a hidden marker entry instead; the marker is
 * filtered out of every read.
 */
public final class RemoteMetaClient implements MetaClient {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteMetaClient.class);
    static final String EMPTY_XATTRS_MARKER = "curvefs.internal.no-xattrs";
    private static final Duration PARTITION_STATS_MAX_AGE = Duration.ofSeconds(5);

    private final MetaRouter router;
    private final long rootIno;
    private final RenameTransaction renames;
    private final OpenedChunkLists opened;

    RemoteMetaClient(MetaRouter router, long rootIno) {
        this.router = router;
        this.rootIno = rootIno;
        this.renames = new RenameTransaction(router);
        this.opened = new OpenedChunkLists();
    }

    /**
     * A client of the metaservers of fs {@code fsId}: each RPC waits at most {@code rpcTimeout}, and
     * a call retries a lost leader for at most {@code retryBudget} in total.
     */
    public static RemoteMetaClient connect(MdsClient mds, int fsId, long rootIno, Duration rpcTimeout,
                                           Duration retryBudget) {
        return new RemoteMetaClient(new MetaRouter(mds, fsId, rpcTimeout, retryBudget), rootIno);
    }

    /** The chunk lists of this file system's inodes, through the same routing. */
    public ChunkInfoStore chunkInfoStore() {
        return new RemoteChunkInfoStore(router, opened);
    }

    @Override
    public long rootIno() {
        return rootIno;
    }

    private int fsId() {
        return router.fsId();
    }

    @Override
    public Optional<DirEntry> lookup(long parent, String name) {
        return lookupWithAttr(parent, name).map(LookupResult::entry);
    }

    /**
     * The metaserver adds the child's attributes when the child lives in the parent's partition
     * (where new inodes go, see {@link #createInode}); otherwise the result carries none.
     */
    @Override
    public Optional<LookupResult> lookupWithAttr(long parent, String name) {
        GetDentryResponse r = router.call(router.partitionOf(parent), (stub, t) -> stub.getDentry(
                GetDentryRequest.newBuilder().setPoolId(t.poolId()).setCopysetId(t.copysetId())
                        .setPartitionId(t.partitionId()).setFsId(fsId()).setParentInodeId(parent).setName(name)
                        .setReturnInodeAttr(true).build()), GetDentryResponse::getStatusCode);
        if (r.getStatusCode() == MetaStatusCode.NOT_FOUND) {
            return Optional.empty();
        }
        check(r.getStatusCode(), "GetDentry " + parent + "/" + name);
        DirEntry entry = entry(r.getDentry());
        boolean attrCame = r.hasInodeAttr() && r.getInodeAttr().getInodeId() == entry.ino();
        return Optional.of(new LookupResult(entry, attrCame ? Protos.attr(r.getInodeAttr()) : null));
    }

    @Override
    public Attr getAttr(long ino) {
        return fetchAttr(ino);
    }

    /** One GetInode: the attributes now, and the chunk lists kept for the data layer's first load. */
    @Override
    public Attr fetchAttrForReading(long ino) {
        long startedAt = opened.fetchStarts();
        GetInodeResponse r = router.call(router.partitionOf(ino), (stub, t) -> stub.getInode(
                GetInodeRequest.newBuilder().setPoolId(t.poolId()).setCopysetId(t.copysetId())
                        .setPartitionId(t.partitionId()).setFsId(fsId()).setInodeId(ino).build()),
                GetInodeResponse::getStatusCode);
        check(r.getStatusCode(), "GetInode " + ino);
        opened.keep(ino, startedAt, RemoteChunkInfoStore.chunkLists(r.getInode()));
        return Protos.attr(r.getInode());
    }

    @Override
    public Attr fetchAttr(long ino) {
        InodeAttr attr = fetchInodeAttrs(router.partitionOf(ino), List.of(ino)).get(ino);
        if (attr == null) {
            throw new MetaException(MetaException.Kind.NOT_FOUND, "inode " + ino + " not found");
        }
        return Protos.attr(attr);
    }

    @Override
    public Map<Long, Attr> batchGetAttr(Collection<Long> inos) {
        Map<Integer, List<Long>> byPartition = new LinkedHashMap<>();
        Map<Integer, PartitionInfo> partitions = new HashMap<>();
        for (long ino : inos) {
            PartitionInfo p = router.partitionOf(ino);
            partitions.put(p.getPartitionId(), p);
            byPartition.computeIfAbsent(p.getPartitionId(), k -> new ArrayList<>()).add(ino);
        }
        Map<Long, Attr> out = new HashMap<>();
        byPartition.forEach((partitionId, ids) -> {
            Map<Long, InodeAttr> found = fetchInodeAttrs(partitions.get(partitionId), ids);
            if (found.isEmpty() && ids.size() > 1) {
                found = fetchOneByOne(partitions.get(partitionId), ids);
            }
            found.forEach((ino, attr) -> out.put(ino, Protos.attr(attr)));
        });
        return out;
    }

    /** BatchGetInodeAttr fails as a whole when one inode is missing; this finds the others. */
    private Map<Long, InodeAttr> fetchOneByOne(PartitionInfo partition, List<Long> inos) {
        Map<Long, InodeAttr> out = new HashMap<>();
        for (long ino : inos) {
            out.putAll(fetchInodeAttrs(partition, List.of(ino)));
        }
        return out;
    }

    private Map<Long, InodeAttr> fetchInodeAttrs(PartitionInfo partition, List<Long> inos) {
        BatchGetInodeAttrResponse r = router.call(partition, (stub, t) -> stub.batchGetInodeAttr(
                BatchGetInodeAttrRequest.newBuilder().setPoolId(t.poolId()).setCopysetId(t.copysetId())
                        .setPartitionId(t.partitionId()).setFsId(fsId()).addAllInodeId(inos).build()),
                BatchGetInodeAttrResponse::getStatusCode);
        if (r.getStatusCode() == MetaStatusCode.NOT_FOUND) {
            return Map.of();
        }
        check(r.getStatusCode(), "BatchGetInodeAttr " + inos);
        Map<Long, InodeAttr> out = new HashMap<>();
        for (InodeAttr attr : r.getAttrList()) {
            out.put(attr.getInodeId(), attr);
        }
        return out;
    }

    @Override
    public List<DirEntry> listDentries(long dir, String last, int count) {
        return listDentry(dir, last, count, false).getDentrysList().stream().map(RemoteMetaClient::entry).toList();
    }

    /** As for a lookup, the metaserver adds the attributes of the inodes in the directory's partition. */
    @Override
    public List<LookupResult> listDentriesWithAttrs(long dir, String last, int count) {
        ListDentryResponse r = listDentry(dir, last, count, true);
        Map<Long, InodeAttr> attrs = new HashMap<>();
        r.getInodeAttrList().forEach(a -> attrs.put(a.getInodeId(), a));
        return r.getDentrysList().stream().map(d -> {
            InodeAttr a = attrs.get(d.getInodeId());
            return new LookupResult(entry(d), a == null ? null : Protos.attr(a));
        }).toList();
    }

    private ListDentryResponse listDentry(long dir, String last, int count, boolean withAttrs) {
        ListDentryResponse r = router.call(router.partitionOf(dir), (stub, t) -> stub.listDentry(
                ListDentryRequest.newBuilder().setPoolId(t.poolId()).setCopysetId(t.copysetId())
                        .setPartitionId(t.partitionId()).setFsId(fsId()).setDirInodeId(dir).setLast(last)
                        .setCount(count).setReturnInodeAttr(withAttrs).build()), ListDentryResponse::getStatusCode);
        if (r.getStatusCode() == MetaStatusCode.NOT_FOUND) {
            return ListDentryResponse.newBuilder().setStatusCode(MetaStatusCode.OK).build();
        }
        check(r.getStatusCode(), "ListDentry " + dir);
        return r;
    }

    /**
     * One CreateInode with the dentry name when the new inode goes to its parent's partition (see
     * {@link #createInode}); else, or when that partition cannot allocate ids or refuses the
     * combined form, the inode and then its dentry, the inode deleted again when the dentry fails.
     */
    @Override
    public Attr create(String name, NewInode spec) {
        if (!spreads(spec)) {
            PartitionInfo partition = router.partitionForNewInode(spec.parent());
            if (partition.getPartitionId() == router.partitionOf(spec.parent()).getPartitionId()) {
                long requestId = ThreadLocalRandom.current().nextLong();
                CreateInodeResponse r = router.call(partition, (stub, t) -> stub.createInode(
                        createInodeRequest(spec, t, requestId).setDentryName(name).build()),
                        CreateInodeResponse::getStatusCode);
                switch (r.getStatusCode()) {
                    case OK -> {
                        Attr created = Protos.attr(r.getInode());
                        return r.getDentryCreated() ? created : addDentryOrDelete(name, created, spec);
                    }
                    case DENTRY_EXIST -> throw new MetaException(MetaException.Kind.EXISTS,
                            "CreateInode " + spec.parent() + "/" + name + ": exists");
                    case PARTITION_ALLOC_ID_FAIL -> router.markExhausted(partition);
                    default -> LOG.debug("CreateInode with dentry {}/{} answered {}, creating them one by one",
                            spec.parent(), name, r.getStatusCode());
                }
            }
        }
        return addDentryOrDelete(name, createInode(spec), spec);
    }

    private Attr addDentryOrDelete(String name, Attr created, NewInode spec) {
        try {
            createDentry(spec.parent(), name, created.ino(), spec.type(), spec.createTime());
        } catch (MetaException e) {
            try {
                deleteInode(created.ino());
            } catch (MetaException again) {
                LOG.warn("inode {} left behind: {}", created.ino(), again.getMessage());
            }
            throw e;
        }
        return created;
    }

    /** A directory made in the root goes to a random partition, so that the top-level trees spread. */
    private boolean spreads(NewInode spec) {
        return spec.parent() == rootIno && spec.type() == InodeType.DIRECTORY;
    }

    /**
     * A new inode goes to its parent's partition, so that a lookup finds dentry and attributes in
     * one request; a directory made in the root goes to a random partition instead. Either falls
     * back to a random partition when the chosen one cannot allocate ids.
     */
    Attr createInode(NewInode spec) {
        long requestId = ThreadLocalRandom.current().nextLong();
        while (true) {
            PartitionInfo partition = spreads(spec) ? router.partitionForNewInode()
                    : router.partitionForNewInode(spec.parent());
            CreateInodeResponse r = router.call(partition, (stub, t) -> stub.createInode(
                    createInodeRequest(spec, t, requestId).build()), CreateInodeResponse::getStatusCode);
            if (r.getStatusCode() == MetaStatusCode.PARTITION_ALLOC_ID_FAIL) {
                router.markExhausted(partition);
                continue;
            }
            check(r.getStatusCode(), "CreateInode");
            return Protos.attr(r.getInode());
        }
    }

    private CreateInodeRequest.Builder createInodeRequest(NewInode spec, MetaRouter.Target t, long requestId) {
        CreateInodeRequest.Builder b = CreateInodeRequest.newBuilder().setPoolId(t.poolId())
                .setCopysetId(t.copysetId()).setPartitionId(t.partitionId()).setFsId(fsId())
                .setLength(spec.length()).setUid(spec.uid()).setGid(spec.gid()).setMode(spec.mode())
                .setType(spec.type().wire()).setParent(spec.parent()).setRdev(spec.rdev())
                .setCreate(Protos.time(spec.createTime())).setRequestId(requestId);
        if (spec.symlink() != null) {
            b.setSymlink(spec.symlink());
        }
        return b;
    }

    @Override
    public void createDentry(long parent, String name, long ino, InodeType type, long time) {
        CreateDentryResponse r = router.call(router.partitionOf(parent), (stub, t) -> stub.createDentry(
                CreateDentryRequest.newBuilder().setPoolId(t.poolId()).setCopysetId(t.copysetId())
                        .setPartitionId(t.partitionId())
                        .setDentry(Dentry.newBuilder().setFsId(fsId()).setInodeId(ino).setParentInodeId(parent)
                                .setName(name).setType(type.wire()).setTxId(0)
                                .setFlag(type == InodeType.DIRECTORY ? 0 : 1))
                        .setCreate(Protos.time(time)).build()), CreateDentryResponse::getStatusCode);
        check(r.getStatusCode(), "CreateDentry " + parent + "/" + name);
    }

    @Override
    public void deleteDentry(long parent, String name, InodeType type, long time) {
        long requestId = ThreadLocalRandom.current().nextLong();
        DeleteDentryResponse r = router.call(router.partitionOf(parent), (stub, t) -> stub.deleteDentry(
                DeleteDentryRequest.newBuilder().setPoolId(t.poolId()).setCopysetId(t.copysetId())
                        .setPartitionId(t.partitionId()).setFsId(fsId()).setParentInodeId(parent).setName(name)
                        .setType(type.wire()).setCreate(Protos.time(time)).setRequestId(requestId).build()),
                DeleteDentryResponse::getStatusCode);
        check(r.getStatusCode(), "DeleteDentry " + parent + "/" + name);
    }

    /**
     * One DeleteDentry that drops the link too; the metaserver does so when the dentry still names
     * {@code ino} and {@code ino} lives in the parent's partition. A metaserver that ignores the
     * combined form answers no inode: then only the name went.
     */
    @Override
    public Unlinked unlink(long parent, String name, long ino, InodeType type, boolean keepAtLastLink, long time) {
        long requestId = ThreadLocalRandom.current().nextLong();
        DeleteDentryResponse r = router.call(router.partitionOf(parent), (stub, t) -> stub.deleteDentry(
                DeleteDentryRequest.newBuilder().setPoolId(t.poolId()).setCopysetId(t.copysetId())
                        .setPartitionId(t.partitionId()).setFsId(fsId()).setParentInodeId(parent).setName(name)
                        .setType(type.wire()).setCreate(Protos.time(time)).setRequestId(requestId)
                        .setUnlinkInodeId(ino).setDeleteAtLastLink(!keepAtLastLink).build()),
                DeleteDentryResponse::getStatusCode);
        check(r.getStatusCode(), "DeleteDentry " + parent + "/" + name);
        if (!r.hasInodeId()) {
            return Unlinked.nameOnly(ino);
        }
        if (!r.getLinkDropped()) {
            return Unlinked.nameOnly(r.getInodeId());
        }
        Map<Long, List<S3ChunkInfo>> chunks = new HashMap<>();
        r.getS3ChunkInfoMapMap().forEach((index, list) -> chunks.put(index, list.getS3ChunksList()));
        return new Unlinked(r.getInodeId(), true, r.hasUnlinkedInode() ? Protos.attr(r.getUnlinkedInode()) : null,
                r.getInodeDeleted(), chunks);
    }

    @Override
    public void updateInode(long ino, InodeUpdate u) {
        send(ino, u, null, null);
    }

    @Override
    public int addNlink(long ino, int delta, InodeUpdate update) {
        return send(ino, update, null, delta).getNlink();
    }

    /**
     * {@code nlinkDelta}: null for none. A delta or chunk infos to append are sent with a fresh
     * request id, the same on every retry, so that the metaserver applies them once.
     */
    private UpdateInodeResponse send(long ino, InodeUpdate u, Map<String, byte[]> xattrs, Integer nlinkDelta) {
        if (u.chunksAdded().isEmpty()) {
            return sendNow(ino, u, xattrs, nlinkDelta);
        }
        opened.appendStarts(ino);
        try {
            return sendNow(ino, u, xattrs, nlinkDelta);
        } finally {
            opened.appendEnds(ino);
        }
    }

    private UpdateInodeResponse sendNow(long ino, InodeUpdate u, Map<String, byte[]> xattrs, Integer nlinkDelta) {
        long requestId = ThreadLocalRandom.current().nextLong();
        UpdateInodeResponse r = router.call(router.partitionOf(ino), (stub, t) -> {
            UpdateInodeRequest.Builder b = UpdateInodeRequest.newBuilder().setPoolId(t.poolId())
                    .setCopysetId(t.copysetId()).setPartitionId(t.partitionId()).setFsId(fsId()).setInodeId(ino);
            if (nlinkDelta != null) {
                b.setNlinkDelta(nlinkDelta).setRequestId(requestId);
            }
            if (!u.chunksAdded().isEmpty()) {
                b.setRequestId(requestId);
                u.chunksAdded().forEach((index, list) -> b.putS3ChunkInfoAdd(index,
                        S3ChunkInfoList.newBuilder().addAllS3Chunks(list).build()));
            }
            if (u.length() != null) {
                b.setLength(u.length());
            }
            if (u.atime() != null) {
                b.setAtime(Protos.seconds(u.atime())).setAtimeNs(Protos.nanosPart(u.atime()));
            }
            if (u.mtime() != null) {
                b.setMtime(Protos.seconds(u.mtime())).setMtimeNs(Protos.nanosPart(u.mtime()));
            }
            if (u.ctime() != null) {
                b.setCtime(Protos.seconds(u.ctime())).setCtimeNs(Protos.nanosPart(u.ctime()));
            }
            if (u.uid() != null) {
                b.setUid(u.uid());
            }
            if (u.gid() != null) {
                b.setGid(u.gid());
            }
            if (u.mode() != null) {
                b.setMode(u.mode());
            }
            if (u.nlink() != null) {
                b.setNlink(u.nlink());
            }
            if (u.parents() != null) {
                b.addAllParent(u.parents());
            }
            if (xattrs != null) {
                if (xattrs.isEmpty()) {
                    b.putXattr(EMPTY_XATTRS_MARKER, ByteString.EMPTY);
                }
                xattrs.forEach((k, v) -> b.putXattr(k, ByteString.copyFrom(v)));
            }
            return stub.updateInode(b.build());
        }, UpdateInodeResponse::getStatusCode);
        check(r.getStatusCode(), "UpdateInode " + ino);
        return r;
    }

    @Override
    public void deleteInode(long ino) {
        sendDeleteInode(ino, false);
    }

    /**
     * A resend after a lost answer finds the inode gone and returns no chunk lists: the file's
     * objects are then left behind as garbage, never named by anything.
     */
    @Override
    public Map<Long, List<S3ChunkInfo>> deleteInodeWithChunks(long ino) {
        Map<Long, List<S3ChunkInfo>> chunks = new HashMap<>();
        sendDeleteInode(ino, true).getS3ChunkInfoMapMap()
                .forEach((index, list) -> chunks.put(index, list.getS3ChunksList()));
        return chunks;
    }

    private DeleteInodeResponse sendDeleteInode(long ino, boolean returnChunks) {
        DeleteInodeResponse r = router.call(router.partitionOf(ino), (stub, t) -> stub.deleteInode(
                DeleteInodeRequest.newBuilder().setPoolId(t.poolId()).setCopysetId(t.copysetId())
                        .setPartitionId(t.partitionId()).setFsId(fsId()).setInodeId(ino)
                        .setReturnS3ChunkInfoMap(returnChunks).build()),
                DeleteInodeResponse::getStatusCode);
        if (r.getStatusCode() != MetaStatusCode.NOT_FOUND) {
            check(r.getStatusCode(), "DeleteInode " + ino);
        }
        return r;
    }

    @Override
    public Map<String, byte[]> getXattrs(long ino) {
        InodeAttr attr = fetchInodeAttrs(router.partitionOf(ino), List.of(ino)).get(ino);
        if (attr == null) {
            throw new MetaException(MetaException.Kind.NOT_FOUND, "inode " + ino + " not found");
        }
        return Protos.xattrs(attr.getXattrMap());
    }

    @Override
    public void setXattrs(long ino, Map<String, byte[]> xattrs, long ctime) {
        send(ino, new InodeUpdate().ctime(ctime), xattrs, null);
    }

    /**
     * When both parents keep their dentries in one partition, one RenameInPartition does the whole
     * rename; otherwise the v1 transaction across the two partitions (see {@link RenameTransaction}).
     * Whatever the metaserver could not update itself (the moved inode living elsewhere) follows
     * with an UpdateInode.
     */
    @Override
    public RenameResult rename(long oldParent, String oldName, long newParent, String newName, DirEntry entry,
                               long time) {
        PartitionInfo partition = router.partitionOf(oldParent);
        if (partition.getPartitionId() == router.partitionOf(newParent).getPartitionId()) {
            return renameInPartition(partition, oldParent, oldName, newParent, newName, entry, time);
        }
        Optional<DirEntry> replaced = renames.rename(oldParent, oldName, newParent, newName, entry);
        return new RenameResult(replaced, OptionalInt.empty(),
                updateMovedInode(entry.ino(), oldParent, newParent, time));
    }

    private RenameResult renameInPartition(PartitionInfo partition, long oldParent, String oldName, long newParent,
                                           String newName, DirEntry entry, long time) {
        long requestId = ThreadLocalRandom.current().nextLong();
        String what = "RenameInPartition " + oldParent + "/" + oldName + " -> " + newParent + "/" + newName;
        RenameInPartitionResponse r = router.call(partition, (stub, t) -> stub.renameInPartition(
                RenameInPartitionRequest.newBuilder().setPoolId(t.poolId()).setCopysetId(t.copysetId())
                        .setPartitionId(t.partitionId()).setFsId(fsId()).setOldParentInodeId(oldParent)
                        .setOldName(oldName).setNewParentInodeId(newParent).setNewName(newName)
                        .setInodeId(entry.ino()).setTime(Protos.time(time)).setRequestId(requestId).build()),
                RenameInPartitionResponse::getStatusCode);
        if (r.getStatusCode() == MetaStatusCode.DIRECTORY_NOT_EMPTY) {
            throw new MetaException(MetaException.Kind.NOT_EMPTY, what + ": the replaced directory is not empty");
        }
        check(r.getStatusCode(), what);
        Map<Long, Attr> attrs = new HashMap<>();
        r.getAttrsList().forEach(a -> attrs.put(a.getInodeId(), Protos.attr(a)));
        boolean bothNamesKept = r.hasReplaced() && r.getReplaced().getInodeId() == entry.ino();
        if (!attrs.containsKey(entry.ino()) && !bothNamesKept) {
            attrs.putAll(updateMovedInode(entry.ino(), oldParent, newParent, time));
        }
        return new RenameResult(r.hasReplaced() ? Optional.of(entry(r.getReplaced())) : Optional.empty(),
                r.hasReplacedNlink() ? OptionalInt.of(r.getReplacedNlink()) : OptionalInt.empty(), attrs);
    }

    /**
     * The moved inode's ctime and, when it changed directory, its parent list (read first); returns
     * its attributes after the update when they were read.
     */
    private Map<Long, Attr> updateMovedInode(long ino, long oldParent, long newParent, long time) {
        InodeUpdate update = new InodeUpdate().ctime(time);
        if (oldParent == newParent) {
            updateInode(ino, update);
            return Map.of();
        }
        Attr before = fetchAttr(ino);
        List<Long> parents = new ArrayList<>(before.parents());
        int at = parents.indexOf(oldParent);
        if (at >= 0) {
            parents.set(at, newParent);
        } else {
            parents.add(newParent);
        }
        update.parents(parents);
        updateInode(ino, update);
        return Map.of(ino, update.applyTo(before));
    }

    @Override
    public long inodeCount() {
        return router.partitions(PARTITION_STATS_MAX_AGE).stream().mapToLong(PartitionInfo::getInodeNum).sum();
    }

    static DirEntry entry(Dentry d) {
        return new DirEntry(d.getName(), d.getInodeId(),
                d.hasType() ? InodeType.of(d.getType())
                        : (d.getFlag() & 1) != 0 ? InodeType.FILE : InodeType.DIRECTORY);
    }

    private static void check(MetaStatusCode code, String what) {
        switch (code) {
            case OK, IDEMPOTENCE_OK -> {
            }
            case NOT_FOUND -> throw new MetaException(MetaException.Kind.NOT_FOUND, what + ": not found");
            case DENTRY_EXIST, INODE_EXIST -> throw new MetaException(MetaException.Kind.EXISTS, what + ": exists");
            case DIRECTORY_NOT_EMPTY -> throw new MetaException(MetaException.Kind.NOT_EMPTY, what + ": not empty");
            default -> throw new MetaException(MetaException.Kind.FAILED, what + " failed: " + code);
        }
    }

    @Override
    public void close() {
        router.close();
    }
}
