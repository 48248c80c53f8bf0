package io.curvefs.metaserver.copyset;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Iterator;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.core.StateMachineAdapter;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.entity.LeaderChangeContext;
import com.alipay.sofa.jraft.error.RaftError;
import com.alipay.sofa.jraft.storage.snapshot.SnapshotReader;
import com.alipay.sofa.jraft.storage.snapshot.SnapshotWriter;
import com.google.protobuf.Message;
import io.curvefs.metaserver.metadata.Command;
import io.curvefs.metaserver.metadata.MetaApplier;
import io.curvefs.metaserver.storage.KvBatch;
import io.curvefs.metaserver.storage.MetaStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Raft state machine of one copyset over its {@link MetaStore}.
 *
 * <p><b>One WriteBatch per apply round:</b> all entries jraft hands to one {@link #onApply} call
 * are applied into one indexed batch (later entries see earlier ones) and committed together with
 * the new applied index; only then are the clients answered. <b>Exact replay:</b> because the
 * applied index is in the same atomic batch as the data, after a restart the entries jraft replays
 * from its last snapshot that the database already holds are recognised (index not above the
 * stored one) and skipped, so no operation is applied twice even though not all are idempotent.
 *
 * <p><b>Snapshots</b> are RocksDB checkpoints written flat into the snapshot directory. Loading
 * one keeps the current database when it already holds at least the snapshot's index (a restart:
 * the database is newer than the snapshot and the log covers the gap), and otherwise replaces the
 * database by the snapshot's files (a replica installing a snapshot from its leader, or a lost
 * database).
 *
 * <p><b>Leadership events:</b> jraft calls {@link #onLeaderStart} only once the new leader's first
 * entry of its term is committed and applied; before that a leader may not serve reads (its
 * commit index may still be behind). Readers wait for {@link #nextLeadershipChange}, which
 * completes at the next leader start or stop (or shutdown), so none waits for an event that
 * cannot come.
 */
final class CopysetStateMachine extends StateMachineAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(CopysetStateMachine.class);
    private static final String CHECKPOINT_DIR = "rocksdb_checkpoint";

    private final CopysetKey key;
    private final MetaStore store;
    private final MetaApplier applier = new MetaApplier();
    private final AtomicLong appliedIndex = new AtomicLong();
    private final AtomicLong applyRounds = new AtomicLong();
    private final AtomicReference<CompletableFuture<Void>> leadershipChange =
            new AtomicReference<>(new CompletableFuture<>());
    private volatile long term;
    private volatile boolean leaderStarted;
    private volatile List<PeerId> committedConf = List.of();

    CopysetStateMachine(CopysetKey key, MetaStore store) {
        this.key = key;
        this.store = store;
        this.appliedIndex.set(store.appliedIndex());
    }

    @Override
    public void onApply(Iterator it) {
        long stored = appliedIndex.get();
        List<Runnable> replies = new ArrayList<>();
        int entries = 0;
        long last = stored;
        try (KvBatch batch = store.newBatch()) {
            while (it.hasNext()) {
                long index = it.getIndex();
                Closure done = it.done();
                if (index > stored) {
                    Message response = applier.apply(Command.decode(it.getData()), batch, index);
                    if (done instanceof OperationClosure reply) {
                        replies.add(() -> {
                            reply.complete(response);
                            reply.run(Status.OK());
                        });
                    }
                    last = index;
                    entries++;
                } else if (done != null) {
                    done.run(Status.OK());
                }
                it.next();
            }
            if (entries > 0) {
                MetaStore.setAppliedIndex(batch, last);
                store.commit(batch);
                appliedIndex.set(last);
                applyRounds.incrementAndGet();
            }
        } catch (RuntimeException e) {
            LOG.error("copyset {}: applying entries failed, the copyset stops", key, e);
            it.setErrorAndRollback(entries, new Status(RaftError.ESTATEMACHINE, "apply failed: %s", e.getMessage()));
            return;
        }
        replies.forEach(Runnable::run);
    }

    @Override
    public void onSnapshotSave(SnapshotWriter writer, Closure done) {
        Path dir = Path.of(writer.getPath());
        Path checkpoint = dir.resolve(CHECKPOINT_DIR);
        try {
            store.checkpoint(checkpoint);
            try (Stream<Path> files = Files.list(checkpoint)) {
                for (Path file : files.toList()) {
                    Files.move(file, dir.resolve(file.getFileName()));
                    writer.addFile(file.getFileName().toString());
                }
            }
            Files.delete(checkpoint);
            done.run(Status.OK());
        } catch (IOException | RuntimeException e) {
            LOG.error("copyset {}: snapshot failed", key, e);
            done.run(new Status(RaftError.EIO, "snapshot failed: %s", e.getMessage()));
        }
    }

    @Override
    public boolean onSnapshotLoad(SnapshotReader reader) {
        long snapshotIndex = reader.load().getLastIncludedIndex();
        if (appliedIndex.get() >= snapshotIndex) {
            LOG.info("copyset {}: database at index {} already covers snapshot {}", key, appliedIndex.get(),
                    snapshotIndex);
            return true;
        }
        try {
            Path dir = Path.of(reader.getPath());
            List<Path> files = reader.listFiles().stream().map(dir::resolve).toList();
            store.replaceWith(files);
            appliedIndex.set(store.appliedIndex());
            LOG.info("copyset {}: database replaced by snapshot {} (applied index {})", key, snapshotIndex,
                    appliedIndex.get());
            return true;
        } catch (RuntimeException e) {
            LOG.error("copyset {}: loading snapshot {} failed", key, snapshotIndex, e);
            return false;
        }
    }

    @Override
    public void onLeaderStart(long term) {
        this.term = term;
        leaderStarted = true;
        signalLeadershipChange();
    }

    @Override
    public void onLeaderStop(Status status) {
        leaderStarted = false;
        signalLeadershipChange();
    }

    @Override
    public void onShutdown() {
        leaderStarted = false;
        signalLeadershipChange();
    }

    private void signalLeadershipChange() {
        leadershipChange.getAndSet(new CompletableFuture<>()).complete(null);
    }

    /** Whether this replica leads a term whose first entry it has applied. */
    boolean leaderStarted() {
        return leaderStarted;
    }

    /** Completes at this replica's next leader start, leader stop or shutdown. */
    CompletableFuture<Void> nextLeadershipChange() {
        return leadershipChange.get();
    }

    /** jraft calls this on every replica as a membership entry (or a snapshot's membership) applies. */
    @Override
    public void onConfigurationCommitted(Configuration conf) {
        committedConf = List.copyOf(conf.getPeers());
        LOG.info("copyset {}: members now {}", key, committedConf);
    }

    /** The members of the last membership this replica applied; empty before the first. */
    List<PeerId> committedConf() {
        return committedConf;
    }

    @Override
    public void onStartFollowing(LeaderChangeContext ctx) {
        this.term = ctx.getTerm();
    }

    long appliedIndex() {
        return appliedIndex.get();
    }

    /** Number of RocksDB batches committed by this process; one per apply round. */
    long applyRounds() {
        return applyRounds.get();
    }

    long term() {
        return term;
    }
}
