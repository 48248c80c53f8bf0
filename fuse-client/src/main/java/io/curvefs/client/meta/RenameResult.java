package io.curvefs.client.meta;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a rename did: the entry the new name named before ({@code replaced}); the replaced file's
 * nlink after the rename when the metadata service already took that link away
 * ({@code replacedNlink}; when empty, releasing the link is the caller's job); and the
 * attributes the metadata service answered as they are after it ({@code attrs}, by inode: any of
 * the parents, the moved and the replaced inode), so that a cache needs no read for them.
 */
public record RenameResult(Optional<DirEntry> replaced, OptionalInt replacedNlink, Map<Long, Attr> attrs) {

    public RenameResult {
        attrs = Map.copyOf(attrs);
    }
}
