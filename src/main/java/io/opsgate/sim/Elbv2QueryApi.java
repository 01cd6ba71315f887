package io.opsgate.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * ELBv2 (awsQuery, API version 2015-12-01): DescribeLoadBalancers, DescribeTargetGroups,
 * DescribeTargetHealth and DescribeTags (load balancers only) over the caller's account and region.
 */
final class Elbv2QueryApi implements QueryApi {

    /** AWS's limit of resource ARNs in one DescribeTags call. */
    static final int MAX_TAG_ARNS = 20;

    private final FleetModel fleets;

    Elbv2QueryApi(FleetModel fleets) {
        this.fleets = fleets;
    }

    @Override
    public String handle(ApiRequest r) {
        List<SimLoadBalancer> lbs = fleets.loadBalancers(r.accountId(), r.region());
        return switch (r.action()) {
            case "DescribeLoadBalancers" -> describeLoadBalancers(r, lbs);
            case "DescribeTargetGroups" -> describeTargetGroups(r, lbs);
            case "DescribeTargetHealth" -> describeTargetHealth(r, lbs);
            case "DescribeTags" -> describeTags(r, lbs);
            default -> throw QueryApi.invalidAction(r.action());
        };
    }

    private static String describeLoadBalancers(ApiRequest r, List<SimLoadBalancer> lbs) {
        Paging.Page<SimLoadBalancer> page = MarkerPaging.page(lbs, r.params(), "PageSize", r.action(), 1, 400, 400);
        XmlWriter xml = MarkerPaging.begin(r, 512 + page.items().size() * 1200);
        xml.open("LoadBalancers");
        for (SimLoadBalancer lb : page.items()) {
            xml.open("member")
                    .elem("LoadBalancerArn", lb.arn())
                    .elem("DNSName", lb.dnsName())
                    .elem("CanonicalHostedZoneId", "Z35SXDOTRQ7X7K")
                    .elem("CreatedTime", "2024-01-15T10:00:00.000Z")
                    .elem("LoadBalancerName", lb.name())
                    .elem("Scheme", lb.scheme())
                    .elem("VpcId", lb.vpcId())
                    .open("State").elem("Code", "active").close("State")
                    .elem("Type", lb.type())
                    .open("AvailabilityZones");
            for (String zone : lb.zones()) {
                xml.open("member").elem("ZoneName", zone).close("member");
            }
            xml.close("AvailabilityZones").elem("IpAddressType", "ipv4").close("member");
        }
        xml.close("LoadBalancers").elem("NextMarker", page.nextToken());
        return MarkerPaging.end(r, xml);
    }

    private static String describeTargetGroups(ApiRequest r, List<SimLoadBalancer> lbs) {
        String lbArn = r.params().get("LoadBalancerArn");
        List<SimLoadBalancer> scope = lbs;
        if (lbArn != null) {
            scope = lbs.stream().filter(lb -> lb.arn().equals(lbArn)).toList();
            if (scope.isEmpty()) {
                throw new AwsError(400, "LoadBalancerNotFound", "One or more load balancers not found");
            }
        }
        List<SimLoadBalancer.TargetGroup> groups = new ArrayList<>();
        List<SimLoadBalancer> owners = new ArrayList<>();
        for (SimLoadBalancer lb : scope) {
            for (SimLoadBalancer.TargetGroup tg : lb.targetGroups()) {
                groups.add(tg);
                owners.add(lb);
            }
        }
        Paging.Page<SimLoadBalancer.TargetGroup> page =
                MarkerPaging.page(groups, r.params(), "PageSize", r.action(), 1, 400, 400);
        XmlWriter xml = MarkerPaging.begin(r, 512 + page.items().size() * 1200);
        xml.open("TargetGroups");
        for (SimLoadBalancer.TargetGroup tg : page.items()) {
            SimLoadBalancer owner = owners.get(groups.indexOf(tg));
            xml.open("member")
                    .elem("TargetGroupArn", tg.arn())
                    .elem("TargetGroupName", tg.name())
                    .elem("Protocol", tg.protocol())
                    .elem("Port", tg.port())
                    .elem("VpcId", tg.vpcId())
                    .elem("HealthCheckProtocol", tg.protocol())
                    .elem("HealthCheckPort", "traffic-port")
                    .elem("HealthCheckEnabled", true)
                    .elem("HealthCheckIntervalSeconds", 30)
                    .elem("HealthyThresholdCount", 5)
                    .elem("UnhealthyThresholdCount", 2)
                    .open("LoadBalancerArns").elem("member", owner.arn()).close("LoadBalancerArns")
                    .elem("TargetType", tg.targetType())
                    .elem("IpAddressType", "ipv4")
                    .close("member");
        }
        xml.close("TargetGroups").elem("NextMarker", page.nextToken());
        return MarkerPaging.end(r, xml);
    }

    private static String describeTargetHealth(ApiRequest r, List<SimLoadBalancer> lbs) {
        String tgArn = r.params().get("TargetGroupArn");
        if (tgArn == null) {
            throw AwsError.missingParameter("The parameter TargetGroupArn is required.");
        }
        SimLoadBalancer.TargetGroup group = null;
        for (SimLoadBalancer lb : lbs) {
            for (SimLoadBalancer.TargetGroup tg : lb.targetGroups()) {
                if (tg.arn().equals(tgArn)) {
                    group = tg;
                }
            }
        }
        if (group == null) {
            throw new AwsError(400, "TargetGroupNotFound", "Target groups '" + tgArn + "' not found");
        }
        XmlWriter xml = MarkerPaging.begin(r, 512 + group.targets().size() * 500);
        xml.open("TargetHealthDescriptions");
        for (SimLoadBalancer.Target t : group.targets()) {
            xml.open("member")
                    .open("Target").elem("Id", t.id()).elem("Port", t.port()).elem("AvailabilityZone", t.availabilityZone()).close("Target")
                    .elem("HealthCheckPort", String.valueOf(t.port()))
                    .open("TargetHealth")
                    .elem("State", t.state())
                    .elem("Reason", t.reason())
                    .elem("Description", t.description())
                    .close("TargetHealth")
                    .close("member");
        }
        xml.close("TargetHealthDescriptions");
        return MarkerPaging.end(r, xml);
    }

    /** At most 20 ARNs per call, as AWS; an unknown ARN fails the whole call, as AWS does. */
    private static String describeTags(ApiRequest r, List<SimLoadBalancer> lbs) {
        List<String> arns = r.params().list("ResourceArns.member");
        if (arns.isEmpty()) {
            throw AwsError.missingParameter("The parameter ResourceArns is required.");
        }
        if (arns.size() > MAX_TAG_ARNS) {
            throw new AwsError(400, "ValidationError", "1 validation error detected: Value at 'resourceArns' failed to"
                    + " satisfy constraint: Member must have length less than or equal to " + MAX_TAG_ARNS);
        }
        XmlWriter xml = MarkerPaging.begin(r, 512 + arns.size() * 600);
        xml.open("TagDescriptions");
        for (String arn : arns) {
            SimLoadBalancer lb = lbs.stream().filter(l -> l.arn().equals(arn)).findFirst()
                    .orElseThrow(() -> new AwsError(400, "LoadBalancerNotFound", "Load balancer '" + arn + "' not found"));
            xml.open("member").elem("ResourceArn", arn).open("Tags");
            lb.tags().forEach((key, value) -> xml.open("member").elem("Key", key).elem("Value", value).close("member"));
            xml.close("Tags").close("member");
        }
        xml.close("TagDescriptions");
        return MarkerPaging.end(r, xml);
    }
}
