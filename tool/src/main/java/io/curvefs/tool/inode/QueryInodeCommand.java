package io.curvefs.tool.inode;

import io.curvefs.proto.mds.FsInfo;
import io.curvefs.proto.metaserver.Dentry;
import io.curvefs.proto.metaserver.Inode;
import io.curvefs.proto.metaserver.S3ChunkInfo;
import io.curvefs.proto.metaserver.S3ChunkInfoList;
import io.curvefs.rpc.MdsClient;
import io.curvefs.tool.MdsOption;
import io.curvefs.tool.ToolFailure;
import io.curvefs.tool.fs.FsQueries;
import io.curvefs.tool.output.OutputOption;
import io.curvefs.tool.output.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "query-inode", mixinStandardHelpOptions = true,
        description = "Show an inode's attributes and a summary of its chunks, by id or by path in the file system.")
public final class QueryInodeCommand implements Callable<Integer> {

    @Mixin
    MdsOption mds;

    @Mixin
    OutputOption output;

    @Option(names = "--fs-name", required = true, paramLabel = "NAME", description = "File system name")
    String fsName;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--inode", paramLabel = "ID", description = "Inode id")
        Long inode;

        @Option(names = "--path", paramLabel = "PATH", description = "Path from the file system's root, e.g. /a/b")
        String path;
    }

    @Override
    public Integer call() {
        try (MdsClient client = mds.connect()) {
            FsInfo fs = FsQueries.describe(client, fsName).getFsInfo();
            try (MetaReader meta = new MetaReader(client, fs)) {
                long ino = target.inode != null ? target.inode : resolve(meta, fs.getRootInodeId(), target.path);
                Inode inode = meta.inode(ino);
                List<Map<String, Object>> chunks = chunks(inode);
                output.print(json(inode, chunks), text(inode, chunks));
                return 0;
            }
        }
    }

    private static long resolve(MetaReader meta, long root, String path) {
        if (!path.startsWith("/")) {
            throw new ToolFailure("--path must start with '/': " + path);
        }
        long current = root;
        String walked = "";
        for (String name : path.split("/")) {
            if (name.isEmpty()) {
                continue;
            }
            walked += "/" + name;
            Dentry entry = meta.dentry(current, name);
            if (entry == null) {
                throw new ToolFailure("no such file or directory: " + walked);
            }
            current = entry.getInodeId();
        }
        return current;
    }

    /** Per chunk index: how many pieces (S3ChunkInfo) and bytes they cover, and their chunk id range. */
    private static List<Map<String, Object>> chunks(Inode inode) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map.Entry<Long, S3ChunkInfoList> e : new TreeMap<>(inode.getS3ChunkInfoMapMap()).entrySet()) {
            long bytes = 0;
            long minId = Long.MAX_VALUE;
            long maxId = Long.MIN_VALUE;
            for (S3ChunkInfo piece : e.getValue().getS3ChunksList()) {
                bytes += piece.getLen();
                minId = Math.min(minId, piece.getChunkId());
                maxId = Math.max(maxId, piece.getChunkId());
            }
            Map<String, Object> chunk = new LinkedHashMap<>();
            chunk.put("index", e.getKey());
            chunk.put("pieces", e.getValue().getS3ChunksCount());
            chunk.put("bytes", bytes);
            chunk.put("first_chunk_id", e.getValue().getS3ChunksCount() == 0 ? null : minId);
            chunk.put("last_chunk_id", e.getValue().getS3ChunksCount() == 0 ? null : maxId);
            out.add(chunk);
        }
        return out;
    }

    private static Map<String, Object> json(Inode inode, List<Map<String, Object>> chunks) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("inode", inode.getInodeId());
        out.put("fs_id", inode.getFsId());
        out.put("type", inode.getType().name());
        out.put("mode", String.format("%o", inode.getMode()));
        out.put("uid", inode.getUid());
        out.put("gid", inode.getGid());
        out.put("nlink", inode.getNlink());
        out.put("length", inode.getLength());
        out.put("atime", time(inode.getAtime(), inode.getAtimeNs()));
        out.put("mtime", time(inode.getMtime(), inode.getMtimeNs()));
        out.put("ctime", time(inode.getCtime(), inode.getCtimeNs()));
        out.put("parents", inode.getParentList());
        if (inode.hasSymlink()) {
            out.put("symlink", inode.getSymlink());
        }
        out.put("xattrs", new ArrayList<>(inode.getXattrMap().keySet()));
        out.put("chunks", chunks);
        return out;
    }

    private static String text(Inode inode, List<Map<String, Object>> chunks) {
        StringBuilder out = new StringBuilder();
        json(inode, List.of()).forEach((key, value) -> {
            if (!key.equals("chunks")) {
                out.append(String.format("%-8s %s%n", key + ":", value));
            }
        });
        long pieces = chunks.stream().mapToLong(c -> ((Number) c.get("pieces")).longValue()).sum();
        out.append(String.format("%-8s %d chunk(s), %d piece(s)%n", "chunks:", chunks.size(), pieces));
        if (!chunks.isEmpty()) {
            Table table = Table.of("INDEX", "PIECES", "BYTES", "FIRST CHUNK ID", "LAST CHUNK ID");
            for (Map<String, Object> c : chunks) {
                table.row(c.get("index"), c.get("pieces"), c.get("bytes"), c.get("first_chunk_id"), c.get("last_chunk_id"));
            }
            out.append(table.text());
        }
        return out.toString();
    }

    private static String time(long seconds, int nanos) {
        return Instant.ofEpochSecond(seconds, nanos).toString();
    }
}
