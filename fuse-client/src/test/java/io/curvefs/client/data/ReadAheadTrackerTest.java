package io.curvefs.client.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReadAheadTrackerTest {

    private static final long MAX = 8L << 20;
    private static final long FILE = 1L << 30;
    private static final int READ = 128 << 10;

    private final ReadAheadTracker tracker = new ReadAheadTracker(MAX, 100);

    @Test
    void theWindowGrowsWithSequentialReadsUpToTheMaximum() {
        assertThat(tracker.onRead(1, 0, READ, FILE)).as("a first read is not yet sequential").isNull();
        long previous = 0;
        for (long offset = READ; offset < 20L * READ; offset += READ) {
            tracker.onRead(1, offset, READ, FILE);
            long window = tracker.windowAt(1, offset + READ);
            assertThat(window).isGreaterThanOrEqualTo(previous).isLessThanOrEqualTo(MAX);
            previous = window;
        }
        assertThat(previous).isEqualTo(MAX);
    }

    @Test
    void eachCallReturnsOnlyWhatIsNotAheadYet() {
        tracker.onRead(1, 0, READ, FILE);
        ByteRange first = tracker.onRead(1, READ, READ, FILE);
        assertThat(first).isEqualTo(new ByteRange(2L * READ, 2L * READ + ReadAheadTracker.INITIAL_WINDOW));
        ByteRange second = tracker.onRead(1, 2L * READ, READ, FILE);
        assertThat(second.start()).isEqualTo(first.end());
        assertThat(second.end()).isEqualTo(3L * READ + 2 * ReadAheadTracker.INITIAL_WINDOW);
    }

    @Test
    void aRandomReadStartsOverWithoutWindowAndNothingIsReadPastTheEnd() {
        for (long offset = 0; offset < 10L * READ; offset += READ) {
            tracker.onRead(1, offset, READ, FILE);
        }
        long far = 500L << 20;
        assertThat(tracker.onRead(1, far, 4096, FILE)).as("random").isNull();
        assertThat(tracker.windowAt(1, far + 4096)).isZero();
        assertThat(tracker.onRead(1, 900L << 20, 4096, FILE)).isNull();

        long small = 3L * READ;
        tracker.onRead(2, 0, READ, small);
        assertThat(tracker.onRead(2, READ, READ, small)).isEqualTo(new ByteRange(2L * READ, small));
        assertThat(tracker.onRead(2, 2L * READ, READ, small)).as("sequential, nothing left ahead")
                .isEqualTo(new ByteRange(small, small));
    }

    @Test
    void interleavedSequentialReadersOfOneFileEachKeepTheirWindow() {
        long second = 512L << 20;
        for (int i = 0; i < 6; i++) {
            tracker.onRead(1, (long) i * READ, READ, FILE);
            tracker.onRead(1, second + (long) i * READ, READ, FILE);
        }
        assertThat(tracker.windowAt(1, 6L * READ)).isGreaterThan(ReadAheadTracker.INITIAL_WINDOW);
        assertThat(tracker.windowAt(1, second + 6L * READ)).isGreaterThan(ReadAheadTracker.INITIAL_WINDOW);
    }

    @Test
    void aZeroMaximumTurnsReadAheadOff() {
        ReadAheadTracker off = new ReadAheadTracker(0, 100);
        for (long offset = 0; offset < 10L * READ; offset += READ) {
            assertThat(off.onRead(1, offset, READ, FILE)).isNull();
        }
    }

    @Test
    void smallReadsCountAsSequentialOnlyCloseToAStream() {
        tracker.onRead(1, 0, 4096, FILE);
        assertThat(tracker.onRead(1, 4096 + ReadAheadTracker.SEQUENTIAL_SLACK + 4096, 4096, FILE))
                .as("a 4 KiB read past the slack").isNull();
        tracker.onRead(2, 0, READ, FILE);
        assertThat(tracker.onRead(2, READ + 4L * READ, READ, FILE)).as("a reordered large read").isNotNull();
    }
}
