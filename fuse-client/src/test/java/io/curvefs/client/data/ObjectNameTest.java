package io.curvefs.client.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ObjectNameTest {

    @Test
    void keyIsUnderscoreSeparatedInUpstreamOrder() {
        assertThat(new ObjectName(3, 8193, 42, 7, 0).key()).isEqualTo("3_8193_42_7_0");
    }

    @Test
    void idsAreUnsigned() {
        ObjectName name = new ObjectName(-1, -1L, Long.MIN_VALUE, 0, 1);
        assertThat(name.key()).isEqualTo("4294967295_18446744073709551615_9223372036854775808_0_1");
        assertThat(ObjectName.parse(name.key())).isEqualTo(name);
    }

    @Test
    void parseRoundTrips() {
        ObjectName name = new ObjectName(1, 2, 3, 4, 5);
        assertThat(ObjectName.parse(name.toString())).isEqualTo(name);
    }

    @Test
    void parseRejectsOtherKeys() {
        assertThatThrownBy(() -> ObjectName.parse("1_2_3_4")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ObjectName.parse("1_2_3_x_5")).isInstanceOf(IllegalArgumentException.class);
    }
}
