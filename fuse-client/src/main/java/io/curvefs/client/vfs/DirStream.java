package io.curvefs.client.vfs;

import java.util.List;

/**
 * One open directory, read by position. The kernel reads a directory as a sequence of small
 * requests, each resuming at the position after the last entry it took; this stream holds only
 * the current page of the listing (paged from the metaserver by name) so memory stays bounded
 * however large the directory is. A position outside the current page or the next one (after
 * seekdir or rewinddir) restarts the walk from the first page.
 */
final class DirStream {

    /** Fetches up to {@code count} entries after {@code after} ("" = from the start). */
    interface Pages {
        List<DirListing> next(String after, int count);
    }

    private final long ino;
    private final Pages pages;
    private final int pageSize;
    private List<DirListing> page = List.of();
    private long pageStart;
    private boolean loaded;

    DirStream(long ino, Pages pages, int pageSize) {
        this.ino = ino;
        this.pages = pages;
        this.pageSize = pageSize;
    }

    long ino() {
        return ino;
    }

    /** The entry at {@code index} (0 = first), or null past the end. */
    synchronized DirListing entryAt(long index) {
        if (!loaded || index < pageStart) {
            page = pages.next("", pageSize);
            pageStart = 0;
            loaded = true;
        }
        while (index >= pageStart + page.size()) {
            if (page.size() < pageSize) {
                return null;
            }
            String last = page.get(page.size() - 1).name();
            pageStart += page.size();
            page = pages.next(last, pageSize);
        }
        return page.get((int) (index - pageStart));
    }
}
