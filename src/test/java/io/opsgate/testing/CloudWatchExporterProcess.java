package io.opsgate.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * cloudwatch_exporter 0.16.0 ({@code io.prometheus.cloudwatch.WebServer}), unmodified, in its own JVM with its own
 * classpath (its AWS SDK 2.27.7 speaks awsQuery to CloudWatch). It has no endpoint setting and its SDK predates
 * {@code AWS_ENDPOINT_URL_*} (SDK 2.28), so it reaches the simulator the way it would reach AWS through a corporate
 * proxy: standard JVM proxy and trust-store options pointing at an {@link AwsEndpointProxy}. Credentials come from
 * the environment, the region from its config.
 */
public final class CloudWatchExporterProcess extends LoopbackServer {

    public static final String MAIN_CLASS = "io.prometheus.cloudwatch.WebServer";
    static final Path POM = Path.of("src", "test", "cloudwatch-exporter", "pom.xml");
    static final Path CLASSPATH_FILE = Path.of("target", "cloudwatch-exporter.classpath");

    private CloudWatchExporterProcess(Process process, int port, Path log) {
        super("cloudwatch_exporter", ServerHandle.of(process), port, log);
    }

    /**
     * Starts the exporter on a free loopback port with {@code config}, talking to CloudWatch at {@code endpoint}.
     * JVM options are the caller's (the benchmark gives it the service's).
     */
    public static CloudWatchExporterProcess start(Path config, AwsEndpointProxy proxy, String region,
            List<String> jvmArgs, Path log) throws Exception {
        String classpath = classpath();
        int port = FreePort.pick();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.addAll(proxy.clientJvmArgs());
        command.addAll(List.of("-cp", classpath, MAIN_CLASS, String.valueOf(port), config.toAbsolutePath().toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.put("AWS_ACCESS_KEY_ID", "AKIASIMULATOR0000001");
        env.put("AWS_SECRET_ACCESS_KEY", "not-a-secret");
        env.put("AWS_REGION", region);
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        CloudWatchExporterProcess p = new CloudWatchExporterProcess(pb.start(), port, log);
        p.awaitStarted("/-/healthy", Duration.ofSeconds(90));
        return p;
    }

    /**
     * The exporter's runtime classpath, resolved by Maven from {@link #POM} into {@link #CLASSPATH_FILE} once
     * (offline first). When it cannot be resolved the test is skipped, or fails under {@code CI=true}.
     */
    public static synchronized String classpath() throws Exception {
        if (!Files.isRegularFile(CLASSPATH_FILE) || Files.size(CLASSPATH_FILE) == 0) {
            Files.createDirectories(CLASSPATH_FILE.getParent());
            if (!resolve(true) && !resolve(false)) {
                String message = "cloudwatch_exporter 0.16.0 did not resolve through Maven (" + POM + ")";
                if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                    throw new IllegalStateException("CI=true and " + message);
                }
                Assumptions.abort(message);
            }
        }
        String cp = Files.readString(CLASSPATH_FILE).trim();
        for (String entry : cp.split(java.io.File.pathSeparator)) {
            if (!Files.isRegularFile(Path.of(entry))) {
                Files.delete(CLASSPATH_FILE);
                throw new IllegalStateException("stale " + CLASSPATH_FILE + ": " + entry + " is gone; run again");
            }
        }
        return cp;
    }

    private static boolean resolve(boolean offline) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("mvn", "-B", "-q"));
        if (offline) {
            command.add("-o");
        }
        command.addAll(List.of("-f", POM.toString(), "dependency:build-classpath",
                "-Dmdep.outputFile=" + CLASSPATH_FILE.toAbsolutePath()));
        Path out = Files.createTempFile("cloudwatch-exporter-resolve", ".log");
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        } catch (IOException noMaven) {
            return false;
        }
        boolean done = p.waitFor(5, TimeUnit.MINUTES);
        if (!done) {
            p.destroyForcibly();
        }
        Files.deleteIfExists(out);
        return done && p.exitValue() == 0 && Files.isRegularFile(CLASSPATH_FILE);
    }
}
