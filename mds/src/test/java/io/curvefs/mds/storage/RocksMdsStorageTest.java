package io.curvefs.mds.storage;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class RocksMdsStorageTest extends MdsStorageContract {

    @TempDir
    Path dir;

    @Override
    protected MdsStorage open() {
        return RocksMdsStorage.open(dir.resolve("mds-db"));
    }
}
