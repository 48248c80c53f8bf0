package io.curvefs.rpc;

import java.util.ArrayList;
import java.util.List;

/** A HOST:PORT address as given on command lines and stored in topology records. */
public record HostPort(String host, int port) {

    public HostPort {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("empty host");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range 0-65535");
        }
    }

    /** Parses {@code HOST:PORT}; the message of the exception names the bad text. */
    public static HostPort parse(String text) {
        String s = text == null ? "" : text.trim();
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException("bad address '" + text + "': expected HOST:PORT");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new HostPort(host, Integer.parseInt(s.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad address '" + text + "': port is not a number");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad address '" + text + "': " + e.getMessage());
        }
    }

    /** Parses a comma-separated list {@code HOST:PORT[,HOST:PORT...]}. */
    public static List<HostPort> parseList(String text) {
        List<HostPort> out = new ArrayList<>();
        for (String part : (text == null ? "" : text).split(",")) {
            if (!part.isBlank()) {
                out.add(parse(part));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no address given: expected HOST:PORT[,HOST:PORT...]");
        }
        return List.copyOf(out);
    }

    public static String join(List<HostPort> addresses) {
        return String.join(",", addresses.stream().map(HostPort::toString).toList());
    }

    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
