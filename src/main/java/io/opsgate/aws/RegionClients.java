package io.opsgate.aws;

import java.util.function.Supplier;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.servicequotas.ServiceQuotasClient;

/**
 * The SDK clients for one (account, region). They share the factory's HTTP connection pool. The RDS and ELBv2
 * clients are built on first use: only discovery of those kinds calls them, and a client loads its service's
 * model classes (several MB of metaspace and code cache each; see BENCHMARKS.md) whether it is called or not.
 */
public final class RegionClients implements AutoCloseable {
    private final String accountId;
    private final String region;
    private final Ec2Client ec2;
    private final CloudWatchClient cloudWatch;
    private final Supplier<RdsClient> rdsBuilder;
    private final Supplier<ElasticLoadBalancingV2Client> elbv2Builder;
    private final Supplier<ServiceQuotasClient> serviceQuotasBuilder;
    private RdsClient rds;
    private ElasticLoadBalancingV2Client elbv2;
    private ServiceQuotasClient serviceQuotas;
    private final Supplier<Route53Client> route53Builder;
    private final Supplier<CloudWatchClient> usEast1CloudWatchBuilder;
    private Route53Client route53;
    private CloudWatchClient usEast1CloudWatch;
    private boolean closed;

    public RegionClients(String accountId, String region, Ec2Client ec2, CloudWatchClient cloudWatch,
                         Supplier<RdsClient> rds, Supplier<ElasticLoadBalancingV2Client> elbv2) {
        this(accountId, region, ec2, cloudWatch, rds, elbv2, () -> {
            throw new IllegalStateException("no Service Quotas client for " + accountId + "/" + region);
        });
    }

    /** @param serviceQuotas built on first use, like RDS and ELBv2: only the quota collector calls it */
    public RegionClients(String accountId, String region, Ec2Client ec2, CloudWatchClient cloudWatch,
                         Supplier<RdsClient> rds, Supplier<ElasticLoadBalancingV2Client> elbv2,
                         Supplier<ServiceQuotasClient> serviceQuotas) {
        this(accountId, region, ec2, cloudWatch, rds, elbv2, serviceQuotas, () -> {
            throw new IllegalStateException("no Route 53 client for " + accountId);
        }, () -> {
            throw new IllegalStateException("no us-east-1 CloudWatch client for " + accountId);
        });
    }

    /**
     * @param route53           built on first use: only the route53 collector calls it (a global service)
     * @param usEast1CloudWatch built on first use, for the AWS/Route53 metrics, which live in us-east-1 only; not
     *                          called when this region is us-east-1 ({@link #usEast1CloudWatch()} is then
     *                          {@link #cloudWatch()})
     */
    public RegionClients(String accountId, String region, Ec2Client ec2, CloudWatchClient cloudWatch,
                         Supplier<RdsClient> rds, Supplier<ElasticLoadBalancingV2Client> elbv2,
                         Supplier<ServiceQuotasClient> serviceQuotas, Supplier<Route53Client> route53,
                         Supplier<CloudWatchClient> usEast1CloudWatch) {
        this.route53Builder = route53;
        this.usEast1CloudWatchBuilder = usEast1CloudWatch;
        this.serviceQuotasBuilder = serviceQuotas;
        this.accountId = accountId;
        this.region = region;
        this.ec2 = ec2;
        this.cloudWatch = cloudWatch;
        this.rdsBuilder = rds;
        this.elbv2Builder = elbv2;
    }

    public String accountId() {
        return accountId;
    }

    public String region() {
        return region;
    }

    public Ec2Client ec2() {
        return ec2;
    }

    public CloudWatchClient cloudWatch() {
        return cloudWatch;
    }

    public synchronized RdsClient rds() {
        if (rds == null) {
            checkOpen();
            rds = rdsBuilder.get();
        }
        return rds;
    }

    public synchronized ElasticLoadBalancingV2Client elbv2() {
        if (elbv2 == null) {
            checkOpen();
            elbv2 = elbv2Builder.get();
        }
        return elbv2;
    }

    public synchronized ServiceQuotasClient serviceQuotas() {
        if (serviceQuotas == null) {
            checkOpen();
            serviceQuotas = serviceQuotasBuilder.get();
        }
        return serviceQuotas;
    }

    public synchronized Route53Client route53() {
        if (route53 == null) {
            checkOpen();
            route53 = route53Builder.get();
        }
        return route53;
    }

    /** CloudWatch in us-east-1, where Route 53 publishes its metrics: this target's own client if it is there. */
    public synchronized CloudWatchClient usEast1CloudWatch() {
        if ("us-east-1".equals(region)) {
            return cloudWatch;
        }
        if (usEast1CloudWatch == null) {
            checkOpen();
            usEast1CloudWatch = usEast1CloudWatchBuilder.get();
        }
        return usEast1CloudWatch;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("clients of " + accountId + "/" + region + " are closed");
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        ec2.close();
        cloudWatch.close();
        if (rds != null) {
            rds.close();
        }
        if (elbv2 != null) {
            elbv2.close();
        }
        if (serviceQuotas != null) {
            serviceQuotas.close();
        }
        if (route53 != null) {
            route53.close();
        }
        if (usEast1CloudWatch != null) {
            usEast1CloudWatch.close();
        }
    }
}
