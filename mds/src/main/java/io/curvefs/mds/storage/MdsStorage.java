package io.curvefs.mds.storage;

import java.util.List;
import java.util.Optional;

/**
 * The MDS's durable state as an ordered byte-key store, narrow enough that another backend
 * (etcd) is a small class: point reads and writes, a prefix scan, and one atomic multi-key
 * write. Every write is durable when the call returns, so an RPC that answers OK after a
 * write never loses it to a crash. Failures surface as {@link StorageException}.
 */
public interface MdsStorage extends AutoCloseable {

    Optional<byte[]> get(byte[] key);

    void put(byte[] key, byte[] value);

    /** Removes the key; removing a missing key succeeds. */
    void delete(byte[] key);

    /** Every entry whose key starts with {@code prefix}, in unsigned byte order of the keys. */
    List<KeyValue> scan(byte[] prefix);

    /** Applies all puts and deletes together or none of them, in the given order. */
    void write(List<Mutation> mutations);

    @Override
    void close();
}
