package io.opsgate.cli;

import io.opsgate.ConfigCheck;
import io.opsgate.config.ConfigException;
import io.opsgate.config.ConfigLoader;
import io.opsgate.config.Durations;
import io.opsgate.config.OpsGateConfig;
import io.opsgate.config.SecretValues;
import io.opsgate.sim.AwsSimulator;
import io.opsgate.sim.SimulatorOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run OpsGate against an embedded AWS simulator: no AWS account needed.",
                "The simulator speaks the real AWS wire protocols on a loopback port and models a fleet of two "
                        + "accounts (reached by AssumeRole) in two regions, with gp2 volumes draining their burst "
                        + "balance, T-family instances spending CPU credits, impaired instances and scheduled events, also served as Prometheus http_sd target lists (/sd/...)."})
final class DemoCommand implements Callable<Integer> {
    private static final String DEMO_CONFIG = "demo.yml";
    private static final String DEMO_ACCOUNT = "111111111111";
    private static final String DEMO_REGION = "us-east-1";

    @Option(names = "--listen", paramLabel = "HOST:PORT", converter = ListenAddressConverter.class,
            defaultValue = "127.0.0.1:9108", description = "Address to serve HTTP on (default: ${DEFAULT-VALUE}).")
    OpsGateConfig.Server listen;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "30s",
            description = "Collection interval (default: ${DEFAULT-VALUE}).")
    String interval;

    @Option(names = "--volumes", paramLabel = "N", defaultValue = "40",
            description = "Simulated EBS volumes per account and region (default: ${DEFAULT-VALUE}).")
    int volumes;

    @Option(names = "--instances", paramLabel = "N", defaultValue = "20",
            description = "Simulated EC2 instances per account and region (default: ${DEFAULT-VALUE}).")
    int instances;

    @Option(names = "--sim-port", paramLabel = "PORT", defaultValue = "0",
            description = "Port of the simulator on 127.0.0.1 (default: any free port).")
    int simPort;

    @Option(names = "--sim-admin-listen", paramLabel = "HOST:PORT", converter = ListenAddressConverter.class,
            defaultValue = "127.0.0.1:0",
            description = "Address of the simulator's admin API: request counts (GET /requests), faults "
                    + "(GET/PUT /faults), and POST /volumes/{id}/drain and /refill to force a gp2 volume's "
                    + "BurstBalance (default: ${DEFAULT-VALUE}, any free loopback port).")
    OpsGateConfig.Server simAdminListen;

    @Option(names = "--throttle-rate", paramLabel = "FRACTION", defaultValue = "0",
            description = "Fraction (0-1) of simulated AWS calls answered with a throttling error (default: ${DEFAULT-VALUE}).")
    double throttleRate;

    @Option(names = "--webhook-token-file", paramLabel = "FILE",
            description = "Require this bearer token on POST /hooks/alertmanager (what Alertmanager's "
                    + "http_config.authorization.credentials_file sends). Default: no credentials needed.")
    Path webhookTokenFile;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Durations.parse(interval);
        } catch (IllegalArgumentException e) {
            err.println("opsgate: --interval: " + e.getMessage());
            return 1;
        }
        SimulatorOptions simOptions = SimulatorOptions.defaults()
                .withPort(simPort)
                .withFleetSize(volumes, instances)
                .withThrottleRate(throttleRate)
                .withAdmin(simAdminListen.listenHost(), simAdminListen.listenPort());
        AtomicReference<AwsSimulator> simulator = new AtomicReference<>();
        return ServiceRunner.runUntilStopped(vertx -> AwsSimulator.start(vertx, simOptions).compose(sim -> {
                    simulator.set(sim);
                    try {
                        return io.vertx.core.Future.succeededFuture(demoConfig(sim.endpoint()));
                    } catch (ConfigException e) {
                        return io.vertx.core.Future.failedFuture(e);
                    }
                }),
                port -> printBanner(out, simulator.get(), port),
                err);
    }

    OpsGateConfig demoConfig(String simulatorEndpoint) throws ConfigException {
        Map<String, String> env = Map.of(
                "SIM_ENDPOINT", simulatorEndpoint,
                "DEMO_INTERVAL", interval,
                "DEMO_LISTEN", formatListen(),
                "DEMO_ALERTS_DB", alertsDatabase().toString());
        OpsGateConfig config = ConfigCheck.check(ConfigLoader.parse(readDemoYaml(), "demo.yml", env::get,
                Path.of(".")));
        if (webhookTokenFile == null) {
            return config;
        }
        try {
            String token = SecretValues.readSecretFile(webhookTokenFile);
            return config.withAlerts(config.alerts().withBearerToken(token));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--webhook-token-file: " + e.getMessage());
        }
    }

    /** A fresh alert store per demo run, so that every run starts with an empty outbox. */
    private static Path alertsDatabase() {
        try {
            return java.nio.file.Files.createTempDirectory("opsgate-demo-").resolve("alerts.db");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the demo's alert store", e);
        }
    }

    private String formatListen() {
        return listen.urlHost() + ":" + listen.listenPort();
    }

    private static String readDemoYaml() {
        try (InputStream in = DemoCommand.class.getResourceAsStream(DEMO_CONFIG)) {
            if (in == null) {
                throw new IllegalStateException("demo.yml missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void printBanner(PrintWriter out, AwsSimulator sim, int port) {
        String base = "http://" + listen.urlHost() + ":" + port;
        out.println();
        out.println("OpsGate demo is running (Ctrl-C to stop)");
        out.println("  metrics        " + base + "/metrics");
        out.println("  readiness      " + base + "/-/ready   (200 after the first collection, a few seconds)");
        out.println("  http_sd        " + base + "/sd/ec2   " + base + "/sd/rds   " + base + "/sd/elbv2-targets");
        out.println("                 " + base + "/sd/jobs/node   (e.g. " + base + "/sd/ec2?port=9100&tag.Environment=prod)");
        out.println("  AWS simulator  " + sim.endpoint() + "   (accounts 111111111111 and 222222222222, us-east-1 and eu-west-1)");
        out.println("  simulator admin " + sim.adminEndpoint() + "/requests   " + sim.adminEndpoint() + "/faults");
        sim.fleet().volumes(DEMO_ACCOUNT, DEMO_REGION).stream().filter(v -> v.reportsBurstBalance()).findFirst()
                .ifPresent(v -> out.println("                 drain a gp2 volume's burst balance: curl -s -X POST "
                        + sim.adminEndpoint() + "/volumes/" + v.id() + "/drain   (and /refill)"));
        out.println("  health         " + base + "/metrics  (aws_route53_health_check_healthy: one check failing, one"
                + " flapping every 5 minutes, once per account; aws_elbv2_target_health: unhealthy and draining targets,"
                + " a target group with no healthy target)");
        out.println("  quotas, backups " + base + "/metrics  (aws_service_quota_usage / aws_service_quota_limit: vCPUs at"
                + " ~85 %, Elastic IPs at their limit; aws_ebs_volume_last_snapshot_timestamp_seconds, volumes without"
                + " snapshots at aws_ebs_volume_completed_snapshots 0)");
        out.println("  collecting every " + Duration.ofMillis(Durations.parse(interval).toMillis()).toSeconds() + "s");
        out.println("  alert gateway  " + base + "/hooks/alertmanager   (no credentials; every alert goes to the log and to"
                + " the simulator's SNS topic opsgate-alerts: " + sim.adminEndpoint() + "/sns/messages)");
        out.println("  notifications  " + base + "/api/v1/notifications   alerts: " + base + "/api/v1/alerts");
        out.println();
        out.println("Post a test alert as Alertmanager would (post it again: it is deduplicated; change \"firing\" to");
        out.println("\"resolved\" in both places to resolve it):");
        out.println("  curl -s -H 'Content-Type: application/json' " + base + "/hooks/alertmanager -d '"
                + "{\"version\":\"4\",\"status\":\"firing\",\"receiver\":\"demo\",\"groupKey\":\"demo\","
                + "\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"DemoDiskFull\","
                + "\"instance\":\"i-0abc\"},\"annotations\":{\"summary\":\"posted by hand\"},"
                + "\"startsAt\":\"" + java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                + "\"}]}'");
        out.println();
        out.flush();
    }
}
