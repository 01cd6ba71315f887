package io.opsgate.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Service Quotas of one (account, region): the real EC2 vCPU, Elastic IP, EBS storage and snapshot quotas
 * (codes and names as AWS lists them), a few VPC and ELB quotas, two API rate quotas (one per second, one per
 * minute), then synthetic quotas up to the configured count (the benchmark's 2,000). Limits are set so that the demo
 * shows quotas near their limit: Standard On-Demand vCPUs at about 85 %, Elastic IPs at 100 %, the per-minute rate at
 * 96 %. Usage that AWS counts from the fleet (vCPUs, TiB, addresses, snapshots, load balancers) is counted here from
 * the same simulated resources the Describe calls return, so the two agree.
 */
final class QuotaCatalog {
    static final String EC2_NAME = "Amazon Elastic Compute Cloud (Amazon EC2)";
    static final String EBS_NAME = "Amazon Elastic Block Store (Amazon EBS)";
    static final String VPC_NAME = "Amazon Virtual Private Cloud (Amazon VPC)";
    static final String ELB_NAME = "Elastic Load Balancing (ELB)";
    /** Service codes of the synthetic quotas, in turn. */
    private static final String[][] SERVICES = {{"ec2", EC2_NAME}, {"ebs", EBS_NAME}, {"vpc", VPC_NAME},
        {"elasticloadbalancing", ELB_NAME}};
    /** {quota code, On-Demand or Spot, class, name} of the vCPU quotas. */
    private static final String[][] VCPU_QUOTAS = {
        {"L-1216C47A", "OnDemand", "Standard", "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances"},
        {"L-DB2E81BA", "OnDemand", "G", "Running On-Demand G and VT instances"},
        {"L-417A185B", "OnDemand", "P", "Running On-Demand P instances"},
        {"L-7295265B", "OnDemand", "X", "Running On-Demand X instances"},
        {"L-34B43A08", "Spot", "Standard", "All Standard (A, C, D, H, I, M, R, T, Z) Spot Instance Requests"},
        {"L-3819A6DF", "Spot", "G", "All G and VT Spot Instance Requests"},
        {"L-7212CCBC", "Spot", "P", "All P Spot Instance Requests"},
        {"L-E3A00192", "Spot", "X", "All X Spot Instance Requests"},
    };
    /** {quota code, volume type, name} of the EBS storage quotas (in TiB). */
    private static final String[][] STORAGE_QUOTAS = {
        {"L-D18FCD1D", "gp2", "Storage for General Purpose SSD (gp2) volumes, in TiB"},
        {"L-7A658B76", "gp3", "Storage for General Purpose SSD (gp3) volumes, in TiB"},
        {"L-FD252861", "io1", "Storage for Provisioned IOPS SSD (io1) volumes, in TiB"},
        {"L-09BD8365", "io2", "Storage for Provisioned IOPS SSD (io2) volumes, in TiB"},
        {"L-82ACEF56", "st1", "Storage for Throughput Optimized HDD (st1) volumes, in TiB"},
        {"L-17AF77E8", "sc1", "Storage for Cold HDD (sc1) volumes, in TiB"},
        {"L-9CF3C2EB", "standard", "Storage for Magnetic (standard) volumes, in TiB"},
    };

    private final long seed;
    private final int quotasPerRegion;

    /** @param quotasPerRegion the number of quotas to list; fewer than the built-in ones lists just those */
    QuotaCatalog(long seed, int quotasPerRegion) {
        this.seed = seed;
        this.quotasPerRegion = quotasPerRegion;
    }

    List<SimQuota> generate(Fleet fleet, FleetExtras extras, List<SimSnapshot> snapshots, List<SimAddress> addresses) {
        String region = fleet.region();
        List<SimQuota> out = new ArrayList<>();
        for (String[] q : VCPU_QUOTAS) {
            double used = vcpus(fleet, extras, q[1].equals("Spot"), q[2]);
            double limit = q[2].equals("Standard") ? Math.max(5, Math.ceil(used / (q[1].equals("Spot") ? 0.5 : 0.85)))
                    : q[1].equals("Spot") ? 64 : 0;
            out.add(new SimQuota("ec2", EC2_NAME, q[0], q[3], limit, "None", true, false,
                    new SimQuota.UsageMetric("ResourceCount", dims("Class", q[2] + "/" + q[1], "Resource", "vCPU",
                            "Service", "EC2", "Type", "Resource"), "Maximum"), null, null, used));
        }
        out.add(new SimQuota("ec2", EC2_NAME, "L-0263D0A3", "EC2-VPC Elastic IPs", Math.max(5, addresses.size()),
                "None", true, false, null, null, null, addresses.size()));
        out.add(rate("ec2", EC2_NAME, "L-5E1F0C8B", "Rate of DescribeInstances requests (simulated)", 100, "SECOND",
                "DescribeInstances", "EC2", 0.6));
        out.add(rate("ec2", EC2_NAME, "L-6A2C91D4", "Rate of RunInstances requests per minute (simulated)", 1000,
                "MINUTE", "RunInstances", "EC2", 0.96));
        for (String[] q : STORAGE_QUOTAS) {
            double tib = fleet.volumes().stream().filter(v -> v.volumeType().equals(q[1]))
                    .mapToLong(SimVolume::sizeGiB).sum() / 1024.0;
            double limit = q[1].equals("gp2") ? Math.max(1, Math.ceil(tib / 0.9)) : 50;
            out.add(new SimQuota("ebs", EBS_NAME, q[0], q[2], limit, "None", true, false, null, null, null, tib));
        }
        long ownSnapshots = snapshots.stream().filter(s -> s.ownerId().equals(fleet.accountId())).count();
        out.add(new SimQuota("ebs", EBS_NAME, "L-309BACF6", "Snapshots per Region", 100_000, "None", true, false,
                null, null, null, ownSnapshots));
        out.add(new SimQuota("vpc", VPC_NAME, "L-F678F1CE", "VPCs per Region", 5, "None", true, false, null, null,
                null, 2));
        out.add(new SimQuota("vpc", VPC_NAME, "L-A4707A72", "Internet gateways per Region", 5, "None", true, false,
                null, null, null, 2));
        long albs = extras.loadBalancers().stream().filter(lb -> lb.type().equals("application")).count();
        long nlbs = extras.loadBalancers().size() - albs;
        out.add(new SimQuota("elasticloadbalancing", ELB_NAME, "L-53DA6B97", "Application Load Balancers per Region",
                50, "None", true, false, new SimQuota.UsageMetric("ResourceCount", dims("Class", "None", "Resource",
                        "ApplicationLoadBalancersPerRegion", "Service", "Elastic Load Balancing", "Type", "Resource"),
                        "Maximum"), null, null, albs));
        out.add(new SimQuota("elasticloadbalancing", ELB_NAME, "L-69A177A2", "Network Load Balancers per Region",
                50, "None", true, false, new SimQuota.UsageMetric("ResourceCount", dims("Class", "None", "Resource",
                        "NetworkLoadBalancersPerRegion", "Service", "Elastic Load Balancing", "Type", "Resource"),
                        "Maximum"), null, null, nlbs));
        long base = Hashing.mix(Hashing.mix(seed ^ 0x9a07aL, fleet.accountId()), region);
        for (int k = 0; out.size() < quotasPerRegion; k++) {
            String[] service = SERVICES[k % SERVICES.length];
            long h = Hashing.mix(base, "synthetic" + k);
            double limit = 10 + Long.remainderUnsigned(h, 990);
            double used = Math.floor(limit * Hashing.unit(Hashing.mix(h, 1)));
            String resource = "SimulatedResource" + k;
            out.add(new SimQuota(service[0], service[1], "L-" + SnapshotGenerator.hex(Hashing.mix(h, 2), 8).toUpperCase(),
                    "Simulated resources " + k + " per Region", limit, "None", (h & 1) == 0, false,
                    new SimQuota.UsageMetric("ResourceCount", dims("Class", "None", "Resource", resource,
                            "Service", service[1], "Type", "Resource"), "Maximum"), null, null, used));
        }
        return List.copyOf(out);
    }

    private static SimQuota rate(String code, String name, String quotaCode, String quotaName, double limit,
                                 String unit, String api, String service, double share) {
        return new SimQuota(code, name, quotaCode, quotaName, limit, "None", true, false,
                new SimQuota.UsageMetric("CallCount", dims("Class", "None", "Resource", api, "Service", service,
                        "Type", "API"), "Sum"), 1, unit, limit * share);
    }

    /** vCPUs of the running instances of one class, On-Demand or Spot; every simulated type is in Standard. */
    private static double vcpus(Fleet fleet, FleetExtras extras, boolean spot, String vcpuClass) {
        if (!vcpuClass.equals("Standard")) {
            return 0;
        }
        int sum = 0;
        for (SimInstance i : fleet.instances()) {
            SimNetwork network = extras.networks().get(i.id());
            boolean isSpot = network != null && "spot".equals(network.lifecycle());
            if (i.running() && isSpot == spot) {
                sum += InstanceTypes.spec(i.instanceType()).vcpus();
            }
        }
        return sum;
    }

    private static Map<String, String> dims(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
