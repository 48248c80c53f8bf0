package io.curvefs.mds.fs;

import java.util.regex.Pattern;

/** The rule for fs names, as upstream: lower-case letters and digits in groups joined by single dashes. */
public final class FsNames {

    private static final Pattern VALID = Pattern.compile("^([a-z0-9]+-?)+$");

    private FsNames() {
    }

    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches();
    }
}
