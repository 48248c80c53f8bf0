package io.curvefs.mds.fs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FsNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "fs1", "my-fs", "a-b-c", "trailing-", "0"})
    void acceptsLowerCaseGroupsJoinedBySingleDashes(String name) {
        assertThat(FsNames.isValid(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-lead", "a--b", "Upper", "under_score", "dot.ted", "sp ace", "é"})
    void refusesEverythingElse(String name) {
        assertThat(FsNames.isValid(name)).isFalse();
    }
}
