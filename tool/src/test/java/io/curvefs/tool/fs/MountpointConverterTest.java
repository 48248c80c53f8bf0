package io.curvefs.tool.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.curvefs.proto.mds.Mountpoint;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;

class MountpointConverterTest {

    private final MountpointConverter converter = new MountpointConverter();

    @Test
    void parsesWhatListMountpointsPrints() {
        Mountpoint m = converter.convert("client-1:0:/mnt/a:b");
        assertThat(FsInfoFormat.mountpoint(m)).isEqualTo("client-1:0:/mnt/a:b");
        assertThat(m.getPath()).isEqualTo("/mnt/a:b");
    }

    @Test
    void rejectsMalformedMountPoints() {
        for (String bad : new String[] {"host", "host:1", "host:x:/p", "host:1:relative", ":1:/p", "h:70000:/p"}) {
            assertThatThrownBy(() -> converter.convert(bad)).as(bad)
                    .isInstanceOf(CommandLine.TypeConversionException.class);
        }
    }
}
