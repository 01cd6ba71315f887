package io.opsgate;

import static io.opsgate.testing.ExpositionText.label;
import static io.opsgate.testing.ExpositionText.samples;
import static io.opsgate.testing.ExpositionText.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsgate.sim.SimVolume;
import io.opsgate.sim.SimulatorOptions;
import io.opsgate.testing.SimulatedService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The admin API's drain and refill, through real HTTP, reach {@code aws_ebs_burst_balance_ratio} at the next
 * collection cycle of the running service (real clock, real SDK): what the whole-loop alert test builds on.
 */
class BurstDrainThroughServiceTest {
    private static final String CONFIG = """
            collection:
              interval: 1h
              jitter: 0
              # An instant drain is faster than physics: cost-aware polling would see it only at the volume's next
              # scheduled read (CostAwarePollingTest drains at the fastest physical rate instead).
              cloudwatch: {cost_aware: {enabled: false}}
            aws:
              regions: [us-east-1]
              endpoints: {ec2: "${SIM}", cloudwatch: "${SIM}", sts: "${SIM}", rds: "${SIM}", elasticloadbalancing: "${SIM}", servicequotas: "${SIM}"}
              credentials: {access_key_id: AKIAOPSGATETEST00000, secret_access_key: not-a-secret}
            accounts:
              - name: a
                role_arn: arn:aws:iam::111111111111:role/opsgate
            """;

    @Test
    void drainedVolumeReadsZeroAtTheNextCycleAndFullAfterRefill() throws Exception {
        try (SimulatedService env = SimulatedService.start(
                SimulatorOptions.defaults().withFleetSize(40, 10).withAdmin("127.0.0.1", 0), CONFIG)) {
            env.awaitReady(Duration.ofSeconds(60));
            // One whose natural balance is not already at either end, so both changes are visible.
            SimVolume volume = env.simulator().fleet().volumes("111111111111", "us-east-1").stream()
                    .filter(SimVolume::reportsBurstBalance)
                    .filter(v -> {
                        double ratio = burstRatio(env, v.id());
                        return ratio > 0.0 && ratio < 1.0;
                    })
                    .findFirst().orElseThrow();

            assertThat(post(env, "/volumes/" + volume.id() + "/drain").statusCode()).isEqualTo(200);
            env.collectOnce();
            assertThat(burstRatio(env, volume.id())).isEqualTo(0.0);

            assertThat(post(env, "/volumes/" + volume.id() + "/refill").statusCode()).isEqualTo(200);
            env.collectOnce();
            assertThat(burstRatio(env, volume.id())).isEqualTo(1.0);
        }
    }

    private static double burstRatio(SimulatedService env, String volumeId) {
        try {
            return samples(env.get("/metrics").body(), "aws_ebs_burst_balance_ratio").stream()
                    .filter(l -> volumeId.equals(label(l, "volume_id"))).mapToDouble(l -> value(l))
                    .findFirst().orElseThrow();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> post(SimulatedService env, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(env.simulator().adminEndpoint() + path))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
