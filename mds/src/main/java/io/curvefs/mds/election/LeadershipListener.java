package io.curvefs.mds.election;

/** What an MDS does when it gains or loses leadership; both are called from the election's thread. */
public interface LeadershipListener {

    /** This MDS leads now for {@code term}: load state from storage and serve. Throwing gives it back. */
    void elected(LeaderTerm term);

    /** This MDS no longer leads (lease lost, resigned or closing): stop serving at once. */
    void deposed();
}
