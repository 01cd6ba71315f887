package io.opsgate.config;

import java.util.regex.Pattern;

/** Parses {@code HOST:PORT}, {@code [IPv6]:PORT} and {@code :PORT} (all interfaces) into a {@link OpsGateConfig.Server}. */
public final class ListenAddress {
    private static final String EXAMPLE = "like 0.0.0.0:9108 or [::1]:9108";
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]+");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[\\w.-]+)?");
    private static final Pattern PORT = Pattern.compile("\\d{1,5}");

    private ListenAddress() {
    }

    /** @throws IllegalArgumentException with a message for the user */
    public static OpsGateConfig.Server parse(String s) {
        String host;
        String port;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                throw bad(s);
            }
            host = s.substring(1, close);
            port = s.substring(close + 2);
            if (!IPV6.matcher(host).matches()) {
                throw new IllegalArgumentException("expected an IPv6 address inside [...], got " + ConfigNode.quote(s));
            }
        } else {
            int colon = s.lastIndexOf(':');
            if (colon < 0) {
                throw bad(s);
            }
            host = s.substring(0, colon);
            port = s.substring(colon + 1);
            if (host.contains(":")) {
                throw new IllegalArgumentException("an IPv6 address needs brackets, like [::1]:9108, got "
                        + ConfigNode.quote(s));
            }
            // ":9108" is the Prometheus exporters' spelling of "all interfaces".
            if (host.isEmpty()) {
                host = "0.0.0.0";
            } else if (!HOST.matcher(host).matches()) {
                throw bad(s);
            }
        }
        if (!PORT.matcher(port).matches() || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException("expected a port from 0 to 65535 in HOST:PORT, got " + ConfigNode.quote(s));
        }
        return new OpsGateConfig.Server(host, Integer.parseInt(port));
    }

    private static IllegalArgumentException bad(String s) {
        return new IllegalArgumentException("expected HOST:PORT " + EXAMPLE + ", got " + ConfigNode.quote(s));
    }
}
