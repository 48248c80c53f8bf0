package io.curvefs.client.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.curvefs.client.vfs.InMemoryMetaClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CachingMetaClientTest {

    private final InMemoryMetaClient backend = new InMemoryMetaClient();
    private final CachingMetaClient cache = new CachingMetaClient(backend, Duration.ofHours(1), Duration.ofHours(1),
            1000, Duration.ofHours(1));
    private final long root = backend.rootIno();

    @Test
    void attributesStayCachedUntilThisMountChangesThem() {
        int mode = cache.getAttr(root).mode();
        backend.updateInode(root, new InodeUpdate().mode(mode | 01000));
        assertThat(cache.getAttr(root).mode()).as("another mount's change is not seen yet").isEqualTo(mode);
        assertThat(cache.fetchAttr(root).mode()).isEqualTo(mode | 01000);

        Attr dir = cache.create("d", new NewInode(InodeType.DIRECTORY, 040755, 0, 0, root, 0, null, 4096, 5));
        assertThat(cache.getAttr(root).nlink()).as("the metaserver's parent update is seen").isEqualTo(3);
        cache.updateInode(dir.ino(), new InodeUpdate().uid(42));
        assertThat(cache.getAttr(dir.ino()).uid()).isEqualTo(42);
    }

    @Test
    void ownDentryChangesUpdateTheCachedParentWithoutAReadAndAgeCountsFromTheRead() throws Exception {
        CachingMetaClient shortLived = new CachingMetaClient(backend, Duration.ofHours(1), Duration.ofMillis(300),
                1000, Duration.ofHours(1));
        int nlink = shortLived.getAttr(root).nlink();
        shortLived.create("d", new NewInode(InodeType.DIRECTORY, 040755, 0, 0, root, 0, null, 4096, 7_000));
        shortLived.createDentry(root, "f", 99, InodeType.FILE, 8_000);
        backend.updateInode(root, new InodeUpdate().uid(5));
        Attr parent = shortLived.getAttr(root);
        assertThat(parent.nlink()).isEqualTo(nlink + 1);
        assertThat(parent.mtime()).isEqualTo(8_000);
        assertThat(parent.ctime()).isEqualTo(8_000);
        assertThat(parent.uid()).as("still the cached copy").isZero();
        shortLived.deleteDentry(root, "d", InodeType.DIRECTORY, 9_000);
        assertThat(shortLived.getAttr(root).nlink()).isEqualTo(nlink);

        Thread.sleep(400);
        shortLived.deleteDentry(root, "f", InodeType.FILE, 10_000);
        assertThat(shortLived.getAttr(root).uid()).as("own changes do not extend the cached copy's life").isEqualTo(5);
    }

    @Test
    void aLookupBringsTheAttributesAlongWithoutReplacingTrustedOnes() {
        Attr file = backend.create("f", new NewInode(InodeType.FILE, 0100644, 0, 0, root, 0, null, 0, 1));
        assertThat(cache.lookup(root, "f")).map(DirEntry::ino).contains(file.ino());
        assertThat(cache.getAttr(file.ino()).mode()).isEqualTo(0100644);
        assertThat(backend.attrReads()).as("the getattr after a lookup reads nothing").isZero();

        backend.updateInode(file.ino(), new InodeUpdate().uid(7));
        backend.createDentry(root, "link", file.ino(), InodeType.FILE, 2);
        assertThat(cache.lookup(root, "link")).isPresent();
        assertThat(cache.getAttr(file.ino()).uid()).as("the trusted entry stays until its timeout").isZero();
    }

    @Test
    void lookupsAreCachedAndDroppedByOwnChanges() {
        assertThat(cache.lookup(root, "a")).isEmpty();
        backend.createDentry(root, "a", 77, InodeType.FILE, 1);
        assertThat(cache.lookup(root, "a")).as("misses are cached").isEmpty();
        backend.deleteDentry(root, "a", InodeType.FILE, 2);
        cache.createDentry(root, "a", 77, InodeType.FILE, 3);
        assertThat(cache.lookup(root, "a")).as("an own create drops the miss").isPresent();
        backend.deleteDentry(root, "a", InodeType.FILE, 4);
        assertThat(cache.lookup(root, "a")).as("hits are cached").isPresent();
        backend.createDentry(root, "a", 77, InodeType.FILE, 5);
        cache.deleteDentry(root, "a", InodeType.FILE, 6);
        assertThat(cache.lookup(root, "a")).as("an own removal drops the hit").isEmpty();
    }

    @Test
    void aRenameDropsTheMissOfItsTarget() {
        assertThat(cache.lookup(root, "target")).isEmpty();
        cache.createDentry(root, "source", 88, InodeType.FILE, 1);
        DirEntry source = cache.lookup(root, "source").orElseThrow();
        cache.rename(root, "source", root, "target", source, 2);
        assertThat(cache.lookup(root, "target")).map(DirEntry::ino).contains(88L);
    }

    @Test
    void theAttributesARenameAnswersMakeTheParentsGetattrFree() {
        Attr dir = cache.create("dir", new NewInode(InodeType.DIRECTORY, 040755, 0, 0, root, 0, null, 0, 1));
        Attr moved = cache.create("moved", new NewInode(InodeType.DIRECTORY, 040755, 0, 0, root, 0, null, 0, 2));
        DirEntry source = cache.lookup(root, "moved").orElseThrow();
        int readsBefore = backend.attrReads();
        cache.rename(root, "moved", dir.ino(), "moved", source, 3);
        assertThat(cache.getAttr(dir.ino()).nlink()).isEqualTo(3);
        assertThat(cache.getAttr(dir.ino()).mtime()).isEqualTo(3);
        assertThat(cache.getAttr(moved.ino()).parents()).containsExactly(dir.ino());
        assertThat(cache.lookup(dir.ino(), "moved")).map(DirEntry::ino).contains(moved.ino());
        assertThat(backend.attrReads()).as("no attribute read after the rename").isEqualTo(readsBefore);
    }

    @Test
    void aListingDropsMissesOfTheNamesItShows() {
        assertThat(cache.lookup(root, "listed")).isEmpty();
        backend.createDentry(root, "listed", 99, InodeType.FILE, 1);
        cache.listDentries(root, "", 100);
        assertThat(cache.lookup(root, "listed")).isPresent();
    }

    @Test
    void aNewInodeHasNoXattrsWithoutAReadAndOwnChangesAreSeenAtOnce() {
        Attr file = cache.create("f", new NewInode(InodeType.FILE, 0100644, 0, 0, root, 0, null, 0, 0));
        assertThat(cache.getXattrs(file.ino())).isEmpty();
        cache.setXattrs(file.ino(), java.util.Map.of("user.a", new byte[] {1}), 5);
        assertThat(cache.getXattrs(file.ino())).containsOnlyKeys("user.a");
        backend.setXattrs(file.ino(), java.util.Map.of(), 6);
        assertThat(cache.getXattrs(file.ino())).as("another mount's change waits for the timeout")
                .containsOnlyKeys("user.a");
    }

    @Test
    void xattrsComeWithFetchedAttributesSoThatGetxattrAfterAListingReadsNothing() {
        Attr file = backend.create("f", new NewInode(InodeType.FILE, 0100644, 0, 0, root, 0, null, 0, 1));
        backend.setXattrs(file.ino(), java.util.Map.of("user.k", new byte[] {7}), 2);
        cache.batchGetAttr(java.util.List.of(file.ino()));
        assertThat(cache.getXattrs(file.ino())).containsOnlyKeys("user.k");
        assertThat(backend.xattrReads()).as("no xattr read after the attribute fetch").isZero();

        cache.setXattrs(file.ino(), java.util.Map.of(), 3);
        assertThat(cache.getXattrs(file.ino())).as("an own change is seen at once").isEmpty();
        assertThat(backend.xattrReads()).isEqualTo(1);
    }

    @Test
    void attributesThatComeWithAListingAreCachedLikeALookups() {
        Attr file = backend.create("listed", new NewInode(InodeType.FILE, 0100600, 0, 0, root, 0, null, 0, 1));
        assertThat(cache.listDentriesWithAttrs(root, "", 100)).extracting(l -> l.entry().name()).contains("listed");
        int batches = backend.batchReads();
        assertThat(cache.batchGetAttr(java.util.List.of(file.ino())).get(file.ino()).mode()).isEqualTo(0100600);
        assertThat(cache.getAttr(file.ino()).mode()).isEqualTo(0100600);
        assertThat(cache.getXattrs(file.ino())).isEmpty();
        assertThat(backend.batchReads()).as("no attribute read after the listing").isEqualTo(batches);
        assertThat(backend.attrReads() + backend.xattrReads()).isZero();
    }

    @Test
    void aBackgroundUpdateIsSeenAtOnceAndNeverLandsAfterALaterUpdate() {
        Attr file = cache.create("f", new NewInode(InodeType.FILE, 0100644, 0, 0, root, 0, null, 0, 0));
        cache.updateInodeInBackground(file.ino(), new InodeUpdate().atime(1_000));
        assertThat(cache.getAttr(file.ino()).atime()).isEqualTo(1_000);
        cache.updateInode(file.ino(), new InodeUpdate().atime(500));
        assertThat(backend.getAttr(file.ino()).atime()).isEqualTo(500);
        assertThat(cache.getAttr(file.ino()).atime()).isEqualTo(500);
    }
}
