package io.curvefs.metaserver.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class RecentRequestsTest {

    private final RecentRequests recent = new RecentRequests(Long.BYTES, 2);

    @Test
    void answersRememberedRequestsAndDropsTheOldestBeyondCapacity() {
        byte[] stored = recent.with(null, 1, b -> b.putLong(10));
        stored = recent.with(stored, 2, b -> b.putLong(20));
        assertThat(recent.answerOf(stored, 1).getLong()).isEqualTo(10);
        stored = recent.with(stored, 3, b -> b.putLong(30));
        assertThat(recent.answerOf(stored, 1)).as("the oldest is dropped").isNull();
        assertThat(recent.answerOf(stored, 2).getLong()).isEqualTo(20);
        assertThat(recent.answerOf(stored, 3).getLong()).isEqualTo(30);
        assertThat(recent.answerOf(null, 3)).isNull();
    }

    @Test
    void recordsAreTheRequestIdThenTheAnswerOldestFirst() {
        byte[] stored = recent.with(recent.with(null, 7, b -> b.putLong(70)), 8, b -> b.putLong(80));
        assertThat(stored).isEqualTo(ByteBuffer.allocate(32).putLong(7).putLong(70).putLong(8).putLong(80).array());
    }
}
