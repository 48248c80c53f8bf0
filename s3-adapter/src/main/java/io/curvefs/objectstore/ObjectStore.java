package io.curvefs.objectstore;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where file data lives: whole objects put once, read by range, never modified in place
 * (the data path writes every flushed range as new objects, so no append or overwrite is
 * needed). Calls are asynchronous so that the data path can keep many requests in flight;
 * a missing object fails the future with {@link ObjectNotFoundException}.
 */
public interface ObjectStore extends AutoCloseable {

    /**
     * Stores {@code data} as the whole object {@code key}, replacing any object of that name.
     * The store may read {@code data} until the future completes: do not modify it before then.
     */
    CompletableFuture<Void> put(String key, byte[] data);

    /**
     * Reads {@code length} bytes from {@code offset}; {@code length < 0} reads to the end. A range
     * that runs past the end is cut at the end (a range starting at or past the end reads nothing).
     */
    CompletableFuture<byte[]> get(String key, long offset, long length);

    /** The object's size, or empty when there is no such object. */
    CompletableFuture<Optional<ObjectInfo>> head(String key);

    /** Removes the object; removing a missing object succeeds. */
    CompletableFuture<Void> delete(String key);

    /** Removes many objects, in as few requests as the backend allows. */
    CompletableFuture<Void> deleteAll(Collection<String> keys);

    /** Every object whose key starts with {@code prefix}, in key order. */
    List<ObjectInfo> list(String prefix);

    /** Names the backend and location for logs and error messages, never credentials. */
    String describe();

    @Override
    void close();
}
