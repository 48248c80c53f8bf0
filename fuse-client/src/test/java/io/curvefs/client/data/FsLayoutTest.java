package io.curvefs.client.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FsLayoutTest {

    private final FsLayout layout = new FsLayout(1, 4096, 16384);

    @Test
    void chunkIndexIsOffsetOverChunkSize() {
        assertThat(layout.chunkIndex(0)).isZero();
        assertThat(layout.chunkIndex(16383)).isZero();
        assertThat(layout.chunkIndex(16384)).isEqualTo(1);
        assertThat(layout.chunkStart(3)).isEqualTo(49152);
        assertThat(layout.chunkEnd(16384)).isEqualTo(32768);
    }

    @Test
    void blockIndexCountsInsideTheChunk() {
        assertThat(layout.blockIndex(4095)).isZero();
        assertThat(layout.blockIndex(4096)).isEqualTo(1);
        assertThat(layout.blockIndex(16383)).isEqualTo(3);
        assertThat(layout.blockIndex(16384)).isZero();
        assertThat(layout.blockIndex(16384 + 9000)).isEqualTo(2);
        assertThat(layout.blockStart(9000)).isEqualTo(8192);
        assertThat(layout.blockEnd(9000)).isEqualTo(12288);
    }

    @Test
    void upstreamDefaultsFit() {
        FsLayout defaults = new FsLayout(1, 4L << 20, 64L << 20);
        assertThat(defaults.chunkIndex(100L << 20)).isEqualTo(1);
        assertThat(defaults.blockIndex(100L << 20)).isEqualTo(9);
    }

    @Test
    void chunkMustBeAWholeNumberOfBlocks() {
        assertThatThrownBy(() -> new FsLayout(1, 4096, 10000)).isInstanceOf(IllegalArgumentException.class);
    }
}
