package io.curvefs.metaserver.copyset;

import static org.assertj.core.api.Assertions.assertThat;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Iterator;
import com.alipay.sofa.jraft.Status;
import com.google.protobuf.Message;
import io.curvefs.metaserver.metadata.Command;
import io.curvefs.metaserver.metadata.Operation;
import io.curvefs.metaserver.storage.MetaStore;
import io.curvefs.proto.common.PartitionInfo;
import io.curvefs.proto.common.PartitionStatus;
import io.curvefs.proto.metaserver.CreateInodeRequest;
import io.curvefs.proto.metaserver.CreateInodeResponse;
import io.curvefs.proto.metaserver.CreatePartitionRequest;
import io.curvefs.proto.metaserver.FsFileType;
import io.curvefs.metaserver.metadata.MetaQueries;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state machine alone, fed by a hand-made jraft Iterator: one WriteBatch per round, exact replay. */
class CopysetStateMachineTest {

    private static final CopysetKey KEY = new CopysetKey(1, 1);

    @TempDir
    Path dir;

    @Test
    void oneRoundIsOneBatchWhoseEntriesSeeEachOther() {
        List<Message> responses = new ArrayList<>();
        List<Entry> entries = List.of(
                entry(1, Command.of(Operation.CREATE_PARTITION, partition()), responses),
                entry(2, Command.of(Operation.CREATE_INODE, createInode()), responses),
                entry(3, Command.of(Operation.CREATE_INODE, createInode()), responses));
        try (MetaStore store = MetaStore.open(dir.resolve("db"))) {
            CopysetStateMachine fsm = new CopysetStateMachine(KEY, store);
            fsm.onApply(new ListIterator(entries));

            assertThat(fsm.applyRounds()).isEqualTo(1);
            assertThat(fsm.appliedIndex()).isEqualTo(3);
            assertThat(store.appliedIndex()).isEqualTo(3);
            assertThat(responses).hasSize(3);
            assertThat(((CreateInodeResponse) responses.get(1)).getInode().getInodeId()).isEqualTo(3);
            assertThat(((CreateInodeResponse) responses.get(2)).getInode().getInodeId()).isEqualTo(4);

            fsm.onApply(new ListIterator(entries));
            assertThat(fsm.applyRounds()).isEqualTo(1);
        }
        try (MetaStore store = MetaStore.open(dir.resolve("db"))) {
            CopysetStateMachine reopened = new CopysetStateMachine(KEY, store);
            assertThat(reopened.appliedIndex()).isEqualTo(3);
            reopened.onApply(new ListIterator(entries));
            assertThat(reopened.applyRounds()).isZero();
            PartitionInfo p = store.read(view -> new MetaQueries(view, 3).partitions())
                    .get(0);
            assertThat(p.getInodeNum()).isEqualTo(2);
            assertThat(p.getNextId()).isEqualTo(5);
        }
    }

    private static CreatePartitionRequest partition() {
        return CreatePartitionRequest.newBuilder().setPartition(PartitionInfo.newBuilder().setFsId(1).setPoolId(1)
                .setCopysetId(1).setPartitionId(1).setStart(0).setEnd(100).setStatus(PartitionStatus.READWRITE))
                .build();
    }

    private static CreateInodeRequest createInode() {
        return CreateInodeRequest.newBuilder().setPoolId(1).setCopysetId(1).setPartitionId(1).setFsId(1)
                .setLength(0).setUid(0).setGid(0).setMode(0100644).setType(FsFileType.TYPE_S3).setParent(1).build();
    }

    private static Entry entry(long index, Command command, List<Message> responses) {
        return new Entry(index, command.encode(), new OperationClosure(command.operation(), responses::add));
    }

    private record Entry(long index, ByteBuffer data, Closure done) {
    }

    /** The entries of one apply round, as jraft presents them. */
    private static final class ListIterator implements Iterator {
        private final List<Entry> entries;
        private int position;

        ListIterator(List<Entry> entries) {
            this.entries = entries;
        }

        @Override
        public boolean hasNext() {
            return position < entries.size();
        }

        @Override
        public ByteBuffer next() {
            return entries.get(position++).data();
        }

        @Override
        public ByteBuffer getData() {
            return entries.get(position).data();
        }

        @Override
        public long getIndex() {
            return entries.get(position).index();
        }

        @Override
        public long getTerm() {
            return 1;
        }

        @Override
        public Closure done() {
            return entries.get(position).done();
        }

        @Override
        public void setAutoCommitPerLog(boolean status) {
        }

        @Override
        public boolean commit() {
            return false;
        }

        @Override
        public void commitAndSnapshotSync(Closure done) {
        }

        @Override
        public void setErrorAndRollback(long ntail, Status st) {
            throw new AssertionError("unexpected apply error: " + st);
        }
    }
}
