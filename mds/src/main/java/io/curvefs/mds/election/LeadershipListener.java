package io.curvefs.mds.election;

/** What an MDS does when it gains or loses leadership; both are called from the election's thread. */
public interface LeadershipListener {

    /** This MDS leads now: load state from storage and serve. Throwing gives the leadership back. */
    void elected();

    /** This MDS no longer leads (lease lost, resigned or closing): stop serving at once. */
    void deposed();
}
