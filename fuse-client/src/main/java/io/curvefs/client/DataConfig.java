package io.curvefs.client;

/**
 * Settings of the data path of a mount.
 *
 * @param writeBufferBytes  memory for written data not yet uploaded (writers wait when it is full)
 * @param uploadConcurrency object uploads in flight at once
 */
public record DataConfig(long writeBufferBytes, int uploadConcurrency) {

    public static DataConfig defaults() {
        return new DataConfig(800L << 20, 64);
    }
}
