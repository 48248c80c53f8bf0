package io.curvefs.metaserver.copyset;

/** Raft timing shared by all copysets of a metaserver. */
public record RaftSettings(int electionTimeoutMs, int snapshotIntervalSecs) {
}
