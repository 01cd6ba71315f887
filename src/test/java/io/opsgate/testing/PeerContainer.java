package io.opsgate.testing;

import com.github.dockerjava.api.DockerClient;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.WaitAllStrategy;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.utility.DockerImageName;

/**
 * A peer in a Testcontainers container on the host network, its directories mounted at the same paths, so it
 * listens on the same loopback port and reads the same files as the child process would. The image is the official
 * one ({@code prom/prometheus:v3.5.3}, ...) when it is present or can be pulled; otherwise it is built here
 * {@code FROM scratch} from the Debian binary and the libc files {@code ldd} lists for it.
 */
final class PeerContainer implements ServerHandle {
    private static final Pattern LDD_PATH = Pattern.compile("(/\\S+) \\(0x[0-9a-f]+\\)");
    private static final String BINARY_LABEL = "io.opsgate.peer.binary";
    private static final Map<String, Image> IMAGES = new ConcurrentHashMap<>();
    private static volatile Boolean dockerAnswers;

    private record Image(String name, String entrypoint) {
    }

    private final GenericContainer<?> container;
    private final OutputStream log;

    private PeerContainer(GenericContainer<?> container, OutputStream log) {
        this.container = container;
        this.log = log;
    }

    static boolean dockerAnswers() {
        Boolean answers = dockerAnswers;
        if (answers == null) {
            try {
                answers = DockerClientFactory.instance().isDockerAvailable();
            } catch (RuntimeException | LinkageError e) {
                answers = false;
            }
            dockerAnswers = answers;
        }
        return answers;
    }

    static PeerContainer start(PeerCommand command, Path logFile) throws Exception {
        Image image = IMAGES.computeIfAbsent(command.binary() + "|" + command.officialImage(), k -> resolve(command));
        // The official images carry their own package data; a scratch image gets the Debian package's.
        boolean official = image.name().equals(command.officialImage());
        OutputStream log = Files.newOutputStream(logFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(image.name()))
                .withNetworkMode("host")
                .withCreateContainerCmdModifier(cmd -> cmd.withEntrypoint(image.entrypoint()).withUser("0:0"))
                .withCommand(command.args().toArray(String[]::new))
                .withLogConsumer(frame -> write(log, frame.getBytes()))
                // Readiness is the caller's: it polls the peer's own /-/ready on the loopback port.
                .waitingFor(new WaitAllStrategy());
        for (Path dir : command.directories()) {
            Files.createDirectories(dir);
            container.withFileSystemBind(dir.toString(), dir.toString(), BindMode.READ_WRITE);
        }
        if (!official) {
            for (PeerCommand.Mount m : command.packageData()) {
                container.withFileSystemBind(m.source().toString(), m.target().toString(), BindMode.READ_ONLY);
            }
        }
        try {
            container.start();
        } catch (RuntimeException e) {
            log.close();
            throw new IllegalStateException(command.name() + " container did not start from " + image.name(), e);
        }
        return new PeerContainer(container, log);
    }

    private static void write(OutputStream log, byte[] bytes) {
        if (bytes == null) {
            return;
        }
        synchronized (log) {
            try {
                log.write(bytes);
                log.flush();
            } catch (IOException closed) {
                // the container outlived the test's interest in its log
            }
        }
    }

    /** The official image when present or pullable, else one built from the local binary. */
    private static Image resolve(PeerCommand command) {
        DockerClient docker = DockerClientFactory.lazyClient();
        if (present(docker, command.officialImage()) || pulled(docker, command.officialImage())) {
            return new Image(command.officialImage(), command.officialEntrypoint());
        }
        return build(command);
    }

    private static boolean present(DockerClient docker, String image) {
        try {
            docker.inspectImageCmd(image).exec();
            return true;
        } catch (RuntimeException absent) {
            return false;
        }
    }

    private static boolean pulled(DockerClient docker, String image) {
        DockerImageName name = DockerImageName.parse(image);
        try {
            return docker.pullImageCmd(name.getRepository()).withTag(name.getVersionPart()).start()
                    .awaitCompletion(60, TimeUnit.SECONDS) && present(docker, image);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (RuntimeException unreachable) {
            // No registry from here (the CI machines reach none): build locally.
            return false;
        }
    }

    /**
     * {@code FROM scratch}: the binary at /bin/NAME and every file {@code ldd} lists, at the paths it lists. An image
     * built earlier from the same binary (same path, size and modification time, kept in a label) is reused.
     */
    private static Image build(PeerCommand command) {
        String tag = "opsgate-peer-" + command.name() + ":" + command.version().replaceAll("[^A-Za-z0-9_.-]", "-");
        String entrypoint = "/bin/" + command.name();
        String fingerprint = fingerprint(command.binary());
        if (fingerprint.equals(label(DockerClientFactory.lazyClient(), tag))) {
            return new Image(tag, entrypoint);
        }
        ImageFromDockerfile image = new ImageFromDockerfile(tag, false)
                .withFileFromPath(entrypoint.substring(1), command.binary());
        for (Path lib : linkedLibraries(command.binary())) {
            image.withFileFromPath(lib.toString().substring(1), realPath(lib));
        }
        image.withDockerfileFromBuilder(b -> b.from("scratch").copy(".", "/").label(BINARY_LABEL, fingerprint)
                .entryPoint(entrypoint).build());
        try {
            return new Image(image.get(5, TimeUnit.MINUTES), entrypoint);
        } catch (Exception e) {
            throw new IllegalStateException("cannot build " + tag + " from " + command.binary(), e);
        }
    }

    private static String fingerprint(Path binary) {
        try {
            Path real = binary.toRealPath();
            return real + ":" + Files.size(real) + ":" + Files.getLastModifiedTime(real).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String label(DockerClient docker, String image) {
        try {
            Map<String, String> labels = docker.inspectImageCmd(image).exec().getConfig().getLabels();
            return labels == null ? null : labels.get(BINARY_LABEL);
        } catch (RuntimeException absent) {
            return null;
        }
    }

    private static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> linkedLibraries(Path binary) {
        try {
            Process ldd = new ProcessBuilder("ldd", binary.toString()).redirectErrorStream(true).start();
            String out = new String(ldd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            ldd.waitFor(30, TimeUnit.SECONDS);
            List<Path> libs = new ArrayList<>();
            Matcher m = LDD_PATH.matcher(out);
            while (m.find()) {
                libs.add(Path.of(m.group(1)));
            }
            return libs;
        } catch (IOException e) {
            throw new UncheckedIOException("ldd " + binary, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean isAlive() {
        return container.isRunning();
    }

    @Override
    public String exitStatus() {
        try {
            Long code = container.getCurrentContainerInfo().getState().getExitCodeLong();
            return "container exited with " + code;
        } catch (RuntimeException gone) {
            return "container gone";
        }
    }

    @Override
    public void kill() throws InterruptedException {
        DockerClientFactory.lazyClient().killContainerCmd(container.getContainerId()).withSignal("KILL").exec();
        Awaitility.await("container killed").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> !container.isRunning());
    }

    @Override
    public void stop() throws InterruptedException {
        try {
            if (container.isRunning()) {
                DockerClientFactory.lazyClient().stopContainerCmd(container.getContainerId()).withTimeout(15).exec();
            }
        } catch (RuntimeException alreadyGone) {
            // removed below either way
        } finally {
            container.stop();
            synchronized (log) {
                try {
                    log.close();
                } catch (IOException ignored) {
                    // nothing left to flush
                }
            }
        }
    }
}
