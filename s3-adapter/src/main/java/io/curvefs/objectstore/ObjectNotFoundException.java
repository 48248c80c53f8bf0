package io.curvefs.objectstore;

/** The object named in a read does not exist. */
public final class ObjectNotFoundException extends ObjectStoreException {
    public ObjectNotFoundException(String key) {
        super("no such object: " + key);
    }
}
