package io.curvefs.mds.storage;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Txn;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link MdsStorage} in etcd, so several MDS processes share one durable state (etcd's raft
 * makes every acknowledged write durable on a quorum).
 *
 * <p>Why it is built this way: etcd orders keys by unsigned bytes, as the interface wants, so a
 * prefix scan is a key range {@code [prefix, prefixEnd)}; it is read in pages (etcd answers a
 * range in one message, which is capped) pinned to the first page's revision, so a long scan
 * still sees one snapshot. An atomic write is one etcd transaction; etcd refuses a transaction
 * touching one key twice, and applying mutations in order equals keeping each key's last one,
 * so the transaction carries only those.
 *
 * <p>A leader writes through {@link #fencedBy}: every write is a transaction conditional on the
 * leader's election key still being the one it created, so an MDS that lost leadership (and has
 * not noticed yet) can no longer change the state; only reads of such an MDS may be stale.
 */
public final class EtcdMdsStorage implements MdsStorage {

    static final int SCAN_PAGE = 512;
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final ByteSequence ALL_KEYS_END = ByteSequence.from(new byte[] {0});

    private final Client client;
    private final KV kv;
    private final String endpoints;
    private final Duration callTimeout;
    private final Optional<Cmp> fence;
    private final boolean ownsClient;

    private EtcdMdsStorage(Client client, String endpoints, Duration callTimeout, Optional<Cmp> fence,
            boolean ownsClient) {
        this.client = client;
        this.kv = client.getKVClient();
        this.endpoints = endpoints;
        this.callTimeout = callTimeout;
        this.fence = fence;
        this.ownsClient = ownsClient;
    }

    /** Connects to etcd at {@code endpoints} (URLs such as {@code http://127.0.0.1:2379}). */
    public static EtcdMdsStorage connect(List<String> endpoints) {
        return connect(endpoints, DEFAULT_CALL_TIMEOUT);
    }

    /** As {@link #connect(List)}; a call etcd has not answered within {@code callTimeout} fails. */
    public static EtcdMdsStorage connect(List<String> endpoints, Duration callTimeout) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("no etcd endpoint given");
        }
        String joined = String.join(",", endpoints);
        try {
            return new EtcdMdsStorage(Client.builder().endpoints(endpoints.toArray(String[]::new)).build(), joined,
                    callTimeout, Optional.empty(), true);
        } catch (IllegalArgumentException e) {
            throw new StorageException("bad etcd endpoints " + joined + ": " + e.getMessage(), e);
        }
    }

    /**
     * A view on the same connection whose writes succeed only while {@code leaderKey} still exists
     * with creation revision {@code revision} (the election key of one term of one leader).
     * Closing the view leaves this storage open.
     */
    public EtcdMdsStorage fencedBy(byte[] leaderKey, long revision) {
        Cmp stillLeader = new Cmp(bytes(leaderKey), Cmp.Op.EQUAL, CmpTarget.createRevision(revision));
        return new EtcdMdsStorage(client, endpoints, callTimeout, Optional.of(stillLeader), false);
    }

    @Override
    public Optional<byte[]> get(byte[] key) {
        GetResponse response = await("get", kv.get(bytes(key)));
        return response.getKvs().stream().findFirst().map(found -> found.getValue().getBytes());
    }

    @Override
    public void put(byte[] key, byte[] value) {
        apply("put", Op.put(bytes(key), bytes(value), PutOption.DEFAULT));
    }

    @Override
    public void delete(byte[] key) {
        apply("delete", Op.delete(bytes(key), DeleteOption.DEFAULT));
    }

    @Override
    public List<KeyValue> scan(byte[] prefix) {
        ByteSequence end = rangeEnd(prefix);
        List<KeyValue> out = new ArrayList<>();
        byte[] from = prefix;
        long revision = 0;
        while (true) {
            GetOption.Builder page = GetOption.builder().withRange(end).withLimit(SCAN_PAGE)
                    .withSortField(GetOption.SortTarget.KEY).withSortOrder(GetOption.SortOrder.ASCEND);
            if (revision != 0) {
                page.withRevision(revision);
            }
            GetResponse response = await("scan", kv.get(bytes(from), page.build()));
            if (revision == 0) {
                revision = response.getHeader().getRevision();
            }
            response.getKvs().forEach(found -> out.add(new KeyValue(found.getKey().getBytes(),
                    found.getValue().getBytes())));
            if (!response.isMore() || response.getKvs().isEmpty()) {
                return out;
            }
            from = successor(out.get(out.size() - 1).key());
        }
    }

    @Override
    public void write(List<Mutation> mutations) {
        Map<ByteSequence, Mutation> lastPerKey = new LinkedHashMap<>();
        for (Mutation m : mutations) {
            ByteSequence key = bytes(m.key());
            lastPerKey.remove(key);
            lastPerKey.put(key, m);
        }
        List<Op> ops = new ArrayList<>(lastPerKey.size());
        lastPerKey.forEach((key, m) -> ops.add(m instanceof Mutation.Put put
                ? Op.put(key, bytes(put.value()), PutOption.DEFAULT)
                : Op.delete(key, DeleteOption.DEFAULT)));
        apply("write", ops.toArray(Op[]::new));
    }

    private void apply(String op, Op... ops) {
        Txn txn = kv.txn();
        fence.ifPresent(txn::If);
        TxnResponse response = await(op, txn.Then(ops).commit());
        if (!response.isSucceeded()) {
            throw new StorageException("MDS storage " + op + " refused: this MDS is no longer the leader", null);
        }
    }

    /** The first key after every key starting with {@code prefix}; "\0" means "to the end". */
    static ByteSequence rangeEnd(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xff) {
                byte[] end = Arrays.copyOf(prefix, i + 1);
                end[i]++;
                return ByteSequence.from(end);
            }
        }
        return ALL_KEYS_END;
    }

    private static byte[] successor(byte[] key) {
        return Arrays.copyOf(key, key.length + 1);
    }

    private static ByteSequence bytes(byte[] b) {
        return ByteSequence.from(b);
    }

    private <T> T await(String op, CompletableFuture<T> call) {
        try {
            return call.get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new StorageException("MDS storage " + op + " failed: etcd at " + endpoints
                    + " did not answer within " + callTimeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new StorageException("MDS storage " + op + " failed at etcd " + endpoints + ": "
                    + firstLine(cause), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("MDS storage " + op + " interrupted", e);
        }
    }

    private static String firstLine(Throwable t) {
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }
}
