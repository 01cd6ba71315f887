package io.opsgate.aws;

import io.opsgate.config.OpsGateConfig;
import java.net.URI;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.servicequotas.ServiceQuotasClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * Builds SDK clients for each (account, region) from the config: base credentials (static or the SDK's
 * default chain), AssumeRole per account with automatic refresh, per-service endpoint overrides, our retry
 * policy and the request-counting metric publisher. All clients share one HTTP connection pool.
 */
public final class AwsClientFactory implements AutoCloseable {

    private final OpsGateConfig.Aws settings;
    private final AwsRequestMetrics metrics;
    private final SdkHttpClient httpClient;
    private final AwsCredentialsProvider baseCredentials;
    private final CopyOnWriteArrayList<AutoCloseable> owned = new CopyOnWriteArrayList<>();
    /**
     * The timers of apiCallTimeout, one thread shared by every client. Without it each SDK client starts its
     * own pool of five threads (ten per account and region with EC2 and CloudWatch alone), and a cancelled
     * timer stays queued with its request until the timeout would have fired; removing timers on cancel
     * drops the request as soon as its call is done.
     */
    private final ScheduledThreadPoolExecutor timeouts;

    public AwsClientFactory(OpsGateConfig.Aws settings, int maxConnections, AwsRequestMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
        this.httpClient = ApacheHttpClient.builder()
                .maxConnections(Math.max(4, maxConnections))
                .connectionTimeout(java.time.Duration.ofSeconds(5))
                .socketTimeout(settings.apiCallTimeout())
                .build();
        this.baseCredentials = baseCredentials(settings.credentials());
        this.timeouts = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "opsgate-aws-timeouts");
            thread.setDaemon(true);
            return thread;
        });
        this.timeouts.setRemoveOnCancelPolicy(true);
    }

    private static AwsCredentialsProvider baseCredentials(OpsGateConfig.StaticCredentials credentials) {
        if (credentials == null) {
            return DefaultCredentialsProvider.builder().build();
        }
        if (credentials.sessionToken() != null) {
            return StaticCredentialsProvider.create(AwsSessionCredentials.create(
                    credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken()));
        }
        return StaticCredentialsProvider.create(
                AwsBasicCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey()));
    }

    /** Credentials to use for an account: the base ones, or an auto-refreshing AssumeRole session. */
    public AwsCredentialsProvider credentialsFor(OpsGateConfig.Account account) {
        if (account.roleArn() == null) {
            return baseCredentials;
        }
        StsClient sts = configure(StsClient.builder(), "sts", account.regions().get(0), baseCredentials).build();
        StsAssumeRoleCredentialsProvider provider = StsAssumeRoleCredentialsProvider.builder()
                .stsClient(sts)
                .refreshRequest(r -> {
                    r.roleArn(account.roleArn()).roleSessionName("opsgate");
                    if (account.externalId() != null) {
                        r.externalId(account.externalId());
                    }
                })
                .build();
        owned.add(provider);
        owned.add(sts);
        return provider;
    }

    /**
     * The 12-digit account id: configured (the config fills it from the role ARN), else asked of STS
     * GetCallerIdentity (one call at start-up).
     */
    public String resolveAccountId(OpsGateConfig.Account account, AwsCredentialsProvider credentials) {
        if (account.id() != null) {
            return account.id();
        }
        try (StsClient sts = configure(StsClient.builder(), "sts", account.regions().get(0), credentials).build()) {
            return sts.getCallerIdentity().account();
        }
    }

    /**
     * An SNS client for the alert gateway's {@code sns_configs}: the base credentials, or an auto-refreshing
     * AssumeRole session when {@code roleArn} is set; our retry policy and the {@code sns} endpoint override.
     * Closed with this factory.
     */
    public SnsClient snsClient(String region, String roleArn, String externalId) {
        AwsCredentialsProvider credentials = roleArn == null ? baseCredentials
                : credentialsFor(new OpsGateConfig.Account("sns", null, roleArn, externalId, java.util.List.of(region)));
        SnsClient client = configure(SnsClient.builder(), "sns", region, credentials).build();
        owned.add(client);
        return client;
    }

    public RegionClients clientsFor(String accountId, String region, AwsCredentialsProvider credentials) {
        RegionClients clients = new RegionClients(accountId, region,
                configure(Ec2Client.builder(), "ec2", region, credentials).build(),
                configure(CloudWatchClient.builder(), "cloudwatch", region, credentials).build(),
                () -> configure(RdsClient.builder(), "rds", region, credentials).build(),
                () -> configure(ElasticLoadBalancingV2Client.builder(), "elasticloadbalancing", region, credentials).build(),
                () -> configure(ServiceQuotasClient.builder(), "servicequotas", region, credentials).build(),
                // Route 53 is global, signed for us-east-1 whatever the target's region (its endpoint rules resolve
                // route53.amazonaws.com from us-east-1; aws-global would sign an endpoint override for "aws-global").
                () -> configure(Route53Client.builder(), "route53", "us-east-1", credentials).build(),
                () -> configure(CloudWatchClient.builder(), "cloudwatch", "us-east-1", credentials).build());
        owned.add(clients);
        return clients;
    }

    private <B extends AwsClientBuilder<B, ?> & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, ?>> B configure(
            B builder, String service, String region, AwsCredentialsProvider credentials) {
        builder.region(Region.of(region))
                .credentialsProvider(credentials)
                .httpClient(httpClient)
                .overrideConfiguration(overrides());
        String endpoint = settings.endpoints().get(service);
        if (endpoint != null) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder;
    }

    private ClientOverrideConfiguration overrides() {
        return ClientOverrideConfiguration.builder()
                .retryStrategy(retryStrategy())
                .apiCallTimeout(settings.apiCallTimeout())
                .addMetricPublisher(metrics)
                .scheduledExecutorService(timeouts)
                .build();
    }

    private RetryStrategy retryStrategy() {
        // The circuit breaker is off: a background collector on its own schedule should keep backing off
        // politely rather than fail fast, and a 50% throttle rate must not empty the retry budget.
        return AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(settings.maxAttempts())
                .backoffStrategy(BackoffStrategy.exponentialDelay(settings.baseDelay(), settings.maxBackoff()))
                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(settings.throttlingBaseDelay(), settings.maxBackoff()))
                .circuitBreakerEnabled(false)
                .build();
    }

    @Override
    public void close() {
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing on shutdown: nothing useful to do with a failure
            }
        }
        httpClient.close();
        timeouts.shutdownNow();
    }
}
