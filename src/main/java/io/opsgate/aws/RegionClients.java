package io.opsgate.aws;

import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** The SDK clients for one (account, region). They share the factory's HTTP connection pool. */
public record RegionClients(String accountId, String region, Ec2Client ec2, CloudWatchClient cloudWatch) implements AutoCloseable {
    @Override
    public void close() {
        ec2.close();
        cloudWatch.close();
    }
}
