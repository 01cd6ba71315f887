package io.opsgate.testing;

import java.nio.file.Path;
import java.util.List;

/**
 * A peer server to start: its binary on this machine, the official image that holds the same version (and the path
 * of the binary inside it), its arguments, and the host directories it reads or writes. As a container it runs with
 * host networking and those directories mounted at the same paths, so the arguments are the same either way.
 *
 * @param name        short name for logs and image names ("prometheus", "alertmanager")
 * @param version     the binary's version as an image tag ("3.5.3")
 * @param directories host directories the peer reads and writes, at the same path
 * @param packageData files of the binary's own Debian package at the fixed path the binary reads them from
 *                    (Alertmanager's default.tmpl in /usr/share/prometheus/alertmanager): mounted there
 */
public record PeerCommand(String name, String version, Path binary, String officialImage, String officialEntrypoint,
                          List<String> args, List<Path> directories, List<Mount> packageData) {
    /** {@code source} on this machine, seen by the peer at {@code target}. */
    public record Mount(Path source, Path target) {
    }

    public PeerCommand {
        args = List.copyOf(args);
        directories = List.copyOf(directories);
        packageData = List.copyOf(packageData);
    }
}
