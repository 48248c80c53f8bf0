package io.curvefs.tool.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.curvefs.proto.mds.Mountpoint;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutputFormatsTest {

    @Test
    void tablePadsColumnsAndKeysJsonByColumnName() {
        Table table = Table.of("FS", "USED BYTES").row("a", 1L).row("longer-name", 22L);
        assertThat(table.text()).isEqualTo(String.join(System.lineSeparator(),
                "FS           USED BYTES", "a            1", "longer-name  22", ""));
        assertThat(Json.write(table.records()))
                .isEqualTo("[{\"fs\":\"a\",\"used_bytes\":1},{\"fs\":\"longer-name\",\"used_bytes\":22}]");
    }

    @Test
    void jsonEscapesStringsAndPrintsProtosWithTheirFieldNames() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("text", "a \"quoted\"\\ line\n\u0001");
        value.put("list", List.of(true, 1.5, Double.NaN));
        value.put("none", null);
        value.put("proto", Mountpoint.newBuilder().setHostname("h").setPort(1).setPath("/p").build());
        assertThat(Json.write(value)).isEqualTo("{\"text\":\"a \\\"quoted\\\"\\\\ line\\n\\u0001\","
                + "\"list\":[true,1.5,null],\"none\":null,\"proto\":{\"hostname\":\"h\",\"port\":1,\"path\":\"/p\"}}");
    }
}
