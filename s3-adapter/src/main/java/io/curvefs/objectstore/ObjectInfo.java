package io.curvefs.objectstore;

/** An object's key and size in bytes. */
public record ObjectInfo(String key, long size) {
}
