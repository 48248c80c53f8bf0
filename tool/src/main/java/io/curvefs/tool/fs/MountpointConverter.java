package io.curvefs.tool.fs;

import io.curvefs.proto.mds.Mountpoint;
import picocli.CommandLine;

/** {@code HOST:PORT:PATH}, the form list-mountpoints prints; the path may itself contain ':'. */
final class MountpointConverter implements CommandLine.ITypeConverter<Mountpoint> {

    @Override
    public Mountpoint convert(String value) {
        String[] parts = value.split(":", 3);
        if (parts.length != 3 || parts[0].isEmpty() || !parts[2].startsWith("/")) {
            throw new CommandLine.TypeConversionException(
                    "bad mount point '" + value + "': expected HOST:PORT:/PATH as list-mountpoints prints it");
        }
        try {
            int port = Integer.parseInt(parts[1]);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return Mountpoint.newBuilder().setHostname(parts[0]).setPort(port).setPath(parts[2]).build();
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("bad port in mount point '" + value + "'");
        }
    }
}
