package io.opsgate.testing;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** {@code java -jar target/opsgate.jar run -c <config>} as a child process, as users run it. */
public final class GatewayProcess extends LoopbackServer {
    private GatewayProcess(Process process, int port, Path log) {
        super("opsgate", ServerHandle.of(process), port, log);
    }

    /** @param log appended to, so that a restarted gateway keeps one log */
    public static GatewayProcess run(Path config, int port, Path log) throws Exception {
        return run(config, port, log, java.util.List.of());
    }

    /** @param jvmArgs options of the gateway's JVM, such as {@code -Xmx48m} */
    public static GatewayProcess run(Path config, int port, Path log, java.util.List<String> jvmArgs) throws Exception {
        Process process = new ProcessBuilder(opsgateCommand(jvmArgs, "run", "-c", config.toString(), "--listen",
                "127.0.0.1:" + port))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        GatewayProcess gateway = new GatewayProcess(process, port, log);
        gateway.awaitStarted("/-/healthy", Duration.ofSeconds(60));
        return gateway;
    }

    public String get(String path) throws Exception {
        return get(path, null);
    }

    /** @param authorization the Authorization header, or null for none */
    public String get(String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
