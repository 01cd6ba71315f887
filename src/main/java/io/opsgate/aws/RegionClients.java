package io.opsgate.aws;

import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.rds.RdsClient;

/** The SDK clients for one (account, region). They share the factory's HTTP connection pool. */
public record RegionClients(String accountId, String region, Ec2Client ec2, CloudWatchClient cloudWatch,
                            RdsClient rds, ElasticLoadBalancingV2Client elbv2) implements AutoCloseable {
    @Override
    public void close() {
        ec2.close();
        cloudWatch.close();
        rds.close();
        elbv2.close();
    }
}
