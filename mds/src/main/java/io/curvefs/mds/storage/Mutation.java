package io.curvefs.mds.storage;

/** One change inside an atomic {@link MdsStorage#write}. */
public sealed interface Mutation {

    byte[] key();

    record Put(byte[] key, byte[] value) implements Mutation {
    }

    record Delete(byte[] key) implements Mutation {
    }

    static Mutation put(byte[] key, byte[] value) {
        return new Put(key, value);
    }

    static Mutation delete(byte[] key) {
        return new Delete(key);
    }
}
