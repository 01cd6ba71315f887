package io.opsgate.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code opsgate demo} as users run it: the packaged target/opsgate.jar in its own JVM, on a free
 * loopback port, ready once {@code /-/ready} answers 200 (every account and region collected once).
 */
public final class DemoProcess extends LoopbackServer {
    private DemoProcess(Process process, int port, Path log) {
        super("opsgate demo", ServerHandle.of(process), port, log);
    }

    /** Starts the demo with extra CLI arguments (e.g. {@code --interval 10s}) and waits until it is ready. */
    public static DemoProcess start(Path workDir, String... extraArgs) throws Exception {
        Files.createDirectories(workDir);
        int port = FreePort.pick();
        Path log = workDir.resolve("demo.log");
        List<String> command = opsgateCommand("demo", "--listen", "127.0.0.1:" + port);
        command.addAll(List.of(extraArgs));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        DemoProcess demo = new DemoProcess(process, port, log);
        demo.awaitStarted("/-/ready", Duration.ofSeconds(90));
        return demo;
    }
}
