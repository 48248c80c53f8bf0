package io.curvefs.mds.election;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.election.CampaignResponse;
import io.etcd.jetcd.election.LeaderKey;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election among MDS processes through etcd's election service: each candidate campaigns
 * under one election name with a lease of its own and its address as the value; etcd makes the
 * oldest live candidate the leader.
 *
 * <p>Why it is built this way: a leader must stop serving before anyone else can start. etcd
 * hands leadership on only when the leader's lease expires or is revoked, so the leader watches
 * its own renewals and steps down once none has succeeded for {@link #STALE_FRACTION} of the
 * TTL, before etcd can expire the lease and elect another MDS. A clean close stops serving
 * first and then revokes the lease, so a standby takes over at once rather than after a TTL.
 * One thread runs the campaign loop and calls the listener, so elected/deposed never overlap.
 */
public final class EtcdLeaderElection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EtcdLeaderElection.class);
    private static final double STALE_FRACTION = 2.0 / 3.0;
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration RETRY_PAUSE = Duration.ofMillis(500);

    private final Client client;
    private final ByteSequence electionName;
    private final ByteSequence candidate;
    private final Duration lease;
    private final LeadershipListener listener;
    private final CompletableFuture<Void> closing = new CompletableFuture<>();
    private final Thread loop;
    private volatile boolean leading;

    private EtcdLeaderElection(List<String> endpoints, String electionName, String candidate, Duration lease,
            LeadershipListener listener) {
        this.client = Client.builder().endpoints(endpoints.toArray(String[]::new)).build();
        this.electionName = utf8(electionName);
        this.candidate = utf8(candidate);
        this.lease = lease;
        this.listener = listener;
        this.loop = new Thread(this::campaignForever, "mds-election");
        this.loop.setDaemon(true);
    }

    /** Starts campaigning in the background as {@code candidate} (this MDS's address). */
    public static EtcdLeaderElection start(List<String> endpoints, String electionName, String candidate,
            Duration lease, LeadershipListener listener) {
        EtcdLeaderElection election = new EtcdLeaderElection(endpoints, electionName, candidate, lease, listener);
        election.loop.start();
        return election;
    }

    public boolean isLeader() {
        return leading;
    }

    private void campaignForever() {
        while (!closing.isDone()) {
            try {
                campaignOnce();
            } catch (RuntimeException e) {
                LOG.warn("MDS election round failed, campaigning again: {}", e.getMessage());
                pause();
            }
        }
    }

    /** One lease's life: campaign, lead until the lease is lost or we close, then revoke it. */
    private void campaignOnce() {
        long leaseId = await(client.getLeaseClient().grant(lease.toSeconds())).getID();
        Renewals renewals = new Renewals();
        CloseableClient keepAlive = client.getLeaseClient().keepAlive(leaseId, renewals);
        CompletableFuture<CampaignResponse> won = client.getElectionClient().campaign(electionName, leaseId, candidate);
        try {
            if (waitFor(won, renewals) && !closing.isDone()) {
                LeaderKey key = won.join().getLeader();
                lead(new LeaderTerm(key.getKey().getBytes(), key.getRevision()), renewals);
            }
        } finally {
            won.cancel(true);
            keepAlive.close();
            revokeQuietly(leaseId);
        }
    }

    private void lead(LeaderTerm term, Renewals renewals) {
        LOG.info("MDS {} is the leader", candidate.toString(StandardCharsets.UTF_8));
        leading = true;
        try {
            listener.elected(term);
            waitFor(new CompletableFuture<>(), renewals);
        } finally {
            leading = false;
            listener.deposed();
            LOG.info("MDS {} stepped down", candidate.toString(StandardCharsets.UTF_8));
        }
    }

    /**
     * Waits until {@code goal} completes (true), or the lease goes stale or we close (false);
     * checks the lease a few times per TTL.
     */
    private boolean waitFor(CompletableFuture<?> goal, Renewals renewals) {
        long checkMillis = Math.max(50, lease.toMillis() / 6);
        long staleNanos = (long) (lease.toNanos() * STALE_FRACTION);
        while (!closing.isDone()) {
            if (renewals.lost || System.nanoTime() - renewals.last > staleNanos) {
                LOG.warn("MDS election lease not renewed in time ({}), starting over",
                        renewals.lost ? renewals.why : "no answer from etcd");
                return false;
            }
            try {
                CompletableFuture.anyOf(goal, closing).get(checkMillis, TimeUnit.MILLISECONDS);
                if (goal.isDone()) {
                    goal.join();
                    return true;
                }
            } catch (TimeoutException e) {
                // check the lease again
            } catch (ExecutionException e) {
                throw new IllegalStateException("campaign failed: " + e.getCause().getMessage(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private void revokeQuietly(long leaseId) {
        try {
            await(client.getLeaseClient().revoke(leaseId));
        } catch (RuntimeException e) {
            LOG.debug("lease revoke failed (it expires on its own): {}", e.getMessage());
        }
    }

    private static <T> T await(CompletableFuture<T> call) {
        try {
            return call.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("etcd: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new IllegalStateException("etcd did not answer within " + CALL_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void pause() {
        try {
            closing.get(RETRY_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // time to retry
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ByteSequence utf8(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    /** The lease's keep-alive answers: when the last one came, and whether etcd gave the lease up. */
    private static final class Renewals implements StreamObserver<LeaseKeepAliveResponse> {
        volatile long last = System.nanoTime();
        volatile boolean lost;
        volatile String why = "";

        @Override
        public void onNext(LeaseKeepAliveResponse response) {
            if (response.getTTL() > 0) {
                last = System.nanoTime();
            } else {
                lose("lease expired");
            }
        }

        @Override
        public void onError(Throwable t) {
            lose(String.valueOf(t.getMessage()));
        }

        @Override
        public void onCompleted() {
            lose("keep-alive stream ended");
        }

        private void lose(String reason) {
            why = reason;
            lost = true;
        }
    }

    /** Stops campaigning; a leader stops serving, then gives its lease back so a standby takes over. */
    @Override
    public void close() {
        closing.complete(null);
        try {
            loop.join(TimeUnit.SECONDS.toMillis(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
    }
}
