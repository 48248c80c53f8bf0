package io.curvefs.client.data;

import io.curvefs.proto.metaserver.S3ChunkInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The metadata side of the chunk lists, in memory, shared by the "mounts" of a test. */
class MemoryChunkInfoStore implements ChunkInfoStore {

    private final Map<Long, TreeMap<Long, List<S3ChunkInfo>>> inodes = new HashMap<>();
    int appends;
    int loads;

    @Override
    public synchronized Map<Long, List<S3ChunkInfo>> load(long inodeId) {
        loads++;
        Map<Long, List<S3ChunkInfo>> copy = new HashMap<>();
        inodes.getOrDefault(inodeId, new TreeMap<>()).forEach((chunk, infos) -> copy.put(chunk, List.copyOf(infos)));
        return copy;
    }

    @Override
    public synchronized void append(long inodeId, Map<Long, List<S3ChunkInfo>> added) {
        appends++;
        TreeMap<Long, List<S3ChunkInfo>> chunks = inodes.computeIfAbsent(inodeId, id -> new TreeMap<>());
        added.forEach((chunk, infos) -> chunks.computeIfAbsent(chunk, c -> new ArrayList<>()).addAll(infos));
    }

    synchronized List<S3ChunkInfo> all(long inodeId) {
        List<S3ChunkInfo> all = new ArrayList<>();
        inodes.getOrDefault(inodeId, new TreeMap<>()).values().forEach(all::addAll);
        return all;
    }
}
