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
import java.util.concurrent.TimeUnit;

/**
 * {@code opsgate demo} as users run it: the packaged target/opsgate.jar in its own JVM, on a free
 * loopback port, ready once {@code /-/ready} answers 200 (every account and region collected once).
 */
public final class DemoProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private DemoProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the demo with extra CLI arguments (e.g. {@code --interval 10s}) and waits until it is ready. */
    public static DemoProcess start(Path workDir, String... extraArgs) throws Exception {
        Path jar = Path.of("target", "opsgate.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " missing: run through `mvn verify`, which packages the jar first");
        }
        Files.createDirectories(workDir);
        int port = FreePort.pick();
        Path log = workDir.resolve("demo.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "demo", "--listen", "127.0.0.1:" + port));
        command.addAll(List.of(extraArgs));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        DemoProcess demo = new DemoProcess(process, port, log);
        try {
            demo.awaitReady(Duration.ofSeconds(90));
        } catch (Exception | AssertionError e) {
            demo.close();
            throw e;
        }
        return demo;
    }

    private void awaitReady(Duration timeout) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("demo exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                if (http.send(HttpRequest.newBuilder(uri("/-/ready")).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("demo not ready after " + timeout + ":\n" + log());
    }

    public int port() {
        return port;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
