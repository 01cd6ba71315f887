package io.opsgate.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A server on a loopback port, its output in a log file, running as a child process or (for the peers, see
 * {@link PeerRuntime}) a container: what the real peers (Prometheus, Alertmanager) and OpsGate itself share as test
 * harnesses.
 */
public abstract class LoopbackServer implements AutoCloseable {
    protected final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String name;
    private final ServerHandle process;
    private final int port;
    private final Path log;

    protected LoopbackServer(String name, ServerHandle process, int port, Path log) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** {@code java -jar target/opsgate.jar <args>}, the way users run the packaged service. */
    protected static List<String> opsgateCommand(String... args) {
        return opsgateCommand(List.of(), args);
    }

    /** As {@link #opsgateCommand(String...)}, with options for the JVM (such as {@code -Xmx48m}) before {@code -jar}. */
    protected static List<String> opsgateCommand(List<String> jvmArgs, String... args) {
        Path jar = Path.of("target", "opsgate.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " missing: run through `mvn verify`, which packages the jar first");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** Polls {@code path} until it answers 200; fails with the log when the server exits or time runs out. */
    private void awaitOk(String path, Duration timeout) {
        try {
            Awaitility.await(name + " " + path).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException(name + " " + process.exitStatus() + ":\n" + log());
                        }
                        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5)).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(name + ": " + path + " not 200 after " + timeout + ":\n" + log(), e);
        }
    }

    /** Waits for {@code readyPath}; stops the process when that fails, so a failed start leaks nothing. */
    protected final void awaitStarted(String readyPath, Duration timeout) throws Exception {
        try {
            awaitOk(readyPath, timeout);
        } catch (Exception | AssertionError e) {
            close();
            throw e;
        }
    }

    public final int port() {
        return port;
    }

    public final URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public final boolean isAlive() {
        return process.isAlive();
    }

    public final List<String> logLines() throws IOException {
        return Files.readAllLines(log);
    }

    public final String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed, exactly like a crash or an OOM kill. */
    public final void kill() throws InterruptedException {
        process.kill();
    }

    @Override
    public void close() throws InterruptedException {
        process.stop();
    }
}
