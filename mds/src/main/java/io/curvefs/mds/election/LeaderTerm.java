package io.curvefs.mds.election;

/**
 * One term of one leader: the etcd key that holds the leadership and the revision that created
 * it. While that key exists with that revision, this term lasts; storage writes are fenced on it.
 */
public record LeaderTerm(byte[] key, long revision) {
}
