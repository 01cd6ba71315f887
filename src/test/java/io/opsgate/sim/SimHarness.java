package io.opsgate.sim;

import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/** Starts a simulator on its own Vert.x and builds real SDK clients pointed at it. */
final class SimHarness implements AutoCloseable {

    static final Instant NOW = Instant.parse("2025-06-02T12:00:00Z");
    static final Clock FIXED = Clock.fixed(NOW, ZoneOffset.UTC);
    static final AwsCredentialsProvider STATIC =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIASIMULATOR0000001", "secret"));

    final Vertx vertx;
    final AwsSimulator sim;
    private final SdkHttpClient http = ApacheHttpClient.create();

    SimHarness(SimulatorOptions options) {
        vertx = Vertx.vertx();
        try {
            sim = AwsSimulator.start(vertx, options).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException(e);
        }
    }

    static SimHarness withFixedClock() {
        return new SimHarness(SimulatorOptions.defaults().withClock(FIXED));
    }

    URI endpoint() {
        return URI.create(sim.endpoint());
    }

    Ec2Client ec2() {
        return ec2(STATIC, 3);
    }

    Ec2Client ec2(AwsCredentialsProvider creds, int maxAttempts) {
        return Ec2Client.builder().region(Region.US_EAST_1).endpointOverride(endpoint()).credentialsProvider(creds)
                .httpClient(http).overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(maxAttempts))).build();
    }

    CloudWatchClient cloudWatch() {
        return cloudWatch(STATIC, 3);
    }

    CloudWatchClient cloudWatch(AwsCredentialsProvider creds, int maxAttempts) {
        return CloudWatchClient.builder().region(Region.US_EAST_1).endpointOverride(endpoint()).credentialsProvider(creds)
                .httpClient(http).overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(maxAttempts))).build();
    }

    StsClient sts(AwsCredentialsProvider creds, int maxAttempts) {
        return StsClient.builder().region(Region.US_EAST_1).endpointOverride(endpoint()).credentialsProvider(creds)
                .httpClient(http).overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(maxAttempts))).build();
    }

    static AwsCredentialsProvider provider(Credentials c) {
        return StaticCredentialsProvider.create(
                AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()));
    }

    @Override
    public void close() throws Exception {
        http.close();
        sim.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
