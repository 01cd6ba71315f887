package io.opsgate.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Derives instance networking, RDS databases and ELBv2 load balancers of a fleet from (seed, account, region)
 * and the fleet's instances alone. Values come from hashes of stable ids, never from a shared random sequence,
 * so adding a kind of resource here cannot shift the facts of another. As in {@link FleetGenerator}, the first
 * few items are pinned to shapes that exercise every label (public address, IPv6 on two ENIs, Windows, spot), and
 * the target health every alert needs: load balancer 0 drains a target, load balancer 1 has no healthy target.
 */
final class ExtrasGenerator {

    private static final String[][] ENGINES = {
        {"postgres", "16.4", "5432"}, {"mysql", "8.0.39", "3306"}, {"aurora-postgresql", "15.8", "5432"},
        {"mariadb", "10.11.9", "3306"}};
    private static final String[] DB_CLASSES = {"db.t3.micro", "db.t4g.medium", "db.m5.large", "db.r6g.large"};
    private static final String[] DB_STATUSES = {"available", "available", "available", "available", "backing-up",
        "stopped", "modifying"};
    private static final String[] TEAMS = {"payments", "search", "platform", "data", "web"};
    private static final String[] ENVIRONMENTS = {"prod", "staging", "dev"};

    /** Built-in shape: up to this many instances behind an application load balancer. */
    private static final int INSTANCE_TARGETS = 40;
    /** Built-in shape: this many IP targets behind a network load balancer. */
    private static final int IP_TARGETS = 4;

    private final long seed;
    /** 0 for the built-in shape; see {@link SimulatorOptions#withTargetsPerGroup(int)}. */
    private final int targetsPerGroup;

    ExtrasGenerator(long seed, int targetsPerGroup) {
        this.seed = seed;
        this.targetsPerGroup = targetsPerGroup;
    }

    FleetExtras generate(Fleet fleet) {
        long base = Hashing.mix(Hashing.mix(seed ^ 0x5d15c0L, fleet.accountId()), fleet.region());
        List<SimInstance> instances = fleet.instances();
        Map<String, SimNetwork> networks = new HashMap<>(instances.size() * 2);
        for (int i = 0; i < instances.size(); i++) {
            networks.put(instances.get(i).id(), network(base, i, instances.get(i), fleet.region()));
        }
        return new FleetExtras(Map.copyOf(networks), databases(base, fleet), loadBalancers(base, fleet));
    }

    private static SimNetwork network(long base, int i, SimInstance instance, String region) {
        long h = Hashing.mix(base, instance.id());
        String publicIp = null;
        String publicDns = null;
        if (instance.running() && (i == 0 || i == 1 || Hashing.unit(Hashing.mix(h, 1)) < 0.3)) {
            publicIp = "54." + (h >>> 8 & 255) + "." + (h >>> 16 & 255) + "." + (i % 250 + 1);
            String dashed = publicIp.replace('.', '-');
            publicDns = region.equals("us-east-1") ? "ec2-" + dashed + ".compute-1.amazonaws.com"
                    : "ec2-" + dashed + "." + region + ".compute.amazonaws.com";
        }
        String platform = i == 3 || (i > 4 && Hashing.unit(Hashing.mix(h, 2)) < 0.1) ? "windows" : null;
        String lifecycle = i == 4 || (i > 4 && Hashing.unit(Hashing.mix(h, 3)) < 0.15) ? "spot" : null;
        boolean ipv6 = i == 1 || (i > 4 && Hashing.unit(Hashing.mix(h, 4)) < 0.2);
        boolean secondInterface = i == 1 || (i > 4 && Hashing.unit(Hashing.mix(h, 5)) < 0.15);

        List<SimNetwork.Interface> interfaces = new ArrayList<>(2);
        List<String> primaryV6 = ipv6 ? List.of(ipv6(h, i, 1), ipv6(h, i, 2)) : List.of();
        interfaces.add(new SimNetwork.Interface("eni-0" + hex(Hashing.mix(h, 6), 16), 0, instance.subnetId(),
                primaryV6, ipv6 ? primaryV6.get(0) : null));
        if (secondInterface) {
            String subnet = "subnet-0" + hex(Hashing.mix(base, instance.vpcId() + "/secondary/" + instance.availabilityZone()), 16);
            List<String> v6 = ipv6 ? List.of(ipv6(h, i, 3)) : List.of();
            interfaces.add(new SimNetwork.Interface("eni-0" + hex(Hashing.mix(h, 7), 16), 1, subnet, v6, null));
        }
        return new SimNetwork(publicIp, publicDns, platform, lifecycle, List.copyOf(interfaces));
    }

    private static String ipv6(long h, int i, int n) {
        return "2600:1f18:" + Long.toHexString(h >>> 20 & 0xfff) + ":" + Long.toHexString(i & 0xffff) + "::" + n;
    }

    private static List<SimDatabase> databases(long base, Fleet fleet) {
        int count = fleet.instances().isEmpty() ? 0 : Math.max(3, fleet.instances().size() / 10);
        List<String> zones = Regions.zones(fleet.region());
        List<SimDatabase> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long h = Hashing.mix(base, "db" + i);
            String[] engine = ENGINES[i < ENGINES.length ? i : (int) Long.remainderUnsigned(h, ENGINES.length)];
            String team = TEAMS[(int) Long.remainderUnsigned(h >>> 8, TEAMS.length)];
            String env = ENVIRONMENTS[(int) Long.remainderUnsigned(h >>> 16, ENVIRONMENTS.length)];
            String identifier = team + "-" + env + "-db-" + i;
            String status = i < 2 ? "available" : DB_STATUSES[(int) Long.remainderUnsigned(h >>> 24, DB_STATUSES.length)];
            Map<String, String> tags = new LinkedHashMap<>();
            if (i != 1) { // database 1 lacks Name, Project and Service
                tags.put("Name", identifier);
            }
            tags.put("Environment", env);
            tags.put("Team", team);
            TagPolicy.addProjectAndService(tags, i == 1 ? 1.0 : Hashing.unit(Hashing.mix(h, "policy")), team, engine[0]);
            if (i == 0) {
                tags.put("aws:cloudformation:stack-name", team + "-" + env + "-stack");
            }
            out.add(new SimDatabase(identifier,
                    "db-" + AccessKeys.token(Hashing.mix(h, 1), 26),
                    "arn:aws:rds:" + fleet.region() + ":" + fleet.accountId() + ":db:" + identifier,
                    engine[0], engine[1], DB_CLASSES[(int) Long.remainderUnsigned(h >>> 32, DB_CLASSES.length)], status,
                    identifier + ".c" + hex(Hashing.mix(base, "cluster"), 12) + "." + fleet.region() + ".rds.amazonaws.com",
                    Integer.parseInt(engine[2]), zones.get((int) Long.remainderUnsigned(h >>> 40, zones.size())),
                    (h & 1) == 0, vpcOf(fleet), Map.copyOf(tags)));
        }
        return List.copyOf(out);
    }

    private List<SimLoadBalancer> loadBalancers(long base, Fleet fleet) {
        List<SimInstance> instances = fleet.instances();
        int count = instances.isEmpty() ? 0 : Math.max(2, instances.size() / 25);
        String region = fleet.region();
        List<SimLoadBalancer> out = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            long h = Hashing.mix(base, "lb" + k);
            boolean network = k % 2 == 1;
            String team = TEAMS[(int) Long.remainderUnsigned(h, TEAMS.length)];
            String name = team + (network ? "-nlb-" : "-alb-") + k;
            String id = hex(Hashing.mix(h, 1), 16);
            String arnPrefix = "arn:aws:elasticloadbalancing:" + region + ":" + fleet.accountId() + ":";
            String arn = arnPrefix + "loadbalancer/" + (network ? "net/" : "app/") + name + "/" + id;
            String dns = network ? name + "-" + id.substring(0, 10) + ".elb." + region + ".amazonaws.com"
                    : name + "-" + (Long.remainderUnsigned(h, 9_000_000_000L) + 1_000_000_000L) + "." + region + ".elb.amazonaws.com";
            String tgName = name + "-tg";
            String tgArn = arnPrefix + "targetgroup/" + tgName + "/" + hex(Hashing.mix(h, 2), 16);
            List<SimLoadBalancer.Target> targets = new ArrayList<>();
            SimLoadBalancer.TargetGroup group;
            if (network) {
                int ipTargets = targetsPerGroup > 0 ? targetsPerGroup : IP_TARGETS;
                for (int t = 0; t < ipTargets; t++) {
                    long th = Hashing.mix(h, "ip" + t);
                    String ip = "10." + (200 + t / 240) + "." + k % 250 + "." + (t % 240 + 10);
                    double u = Hashing.unit(th);
                    // Load balancer 1's group has no healthy target at all (its service is down).
                    String[] health = k == 1 ? new String[] {"unhealthy", "Target.FailedHealthChecks", "Health checks failed"}
                            : t == 0 ? new String[] {"healthy", null, null}
                            : u < 0.2 ? new String[] {"unhealthy", "Target.FailedHealthChecks", "Health checks failed"}
                            : u < 0.3 ? new String[] {"initial", "Elb.RegistrationInProgress", "Target registration is in progress"}
                            : new String[] {"healthy", null, null};
                    targets.add(new SimLoadBalancer.Target(ip, 443, null, health[0], health[1], health[2]));
                }
                group = new SimLoadBalancer.TargetGroup(tgArn, tgName, "TCP", 443, "ip", vpcOf(fleet), List.copyOf(targets));
            } else {
                boolean draining = false;
                // The built-in shape spreads the instances over the groups; a larger targetsPerGroup wraps around,
                // registering an instance in several groups, as shared fleets behind several services are.
                java.util.Set<String> registered = new java.util.HashSet<>();
                int wanted = targetsPerGroup > 0 ? Math.min(targetsPerGroup, instances.size()) : INSTANCE_TARGETS;
                int limit = targetsPerGroup > 0 ? k + wanted * count : instances.size();
                for (int step = k; step < limit && targets.size() < wanted; step += count) {
                    int j = targetsPerGroup > 0 ? (step + step / instances.size()) % instances.size() : step;
                    SimInstance instance = instances.get(j);
                    if (!registered.add(instance.id())) {
                        continue; // a target is registered once per group
                    }
                    double u = Hashing.unit(Hashing.mix(h, instance.id()));
                    String[] health = !instance.running()
                            ? new String[] {"unused", "Target.InvalidState", "Target is in the stopped state"}
                            : k == 0 && !draining && !targets.isEmpty() // pinned: load balancer 0 drains a running target
                            ? new String[] {"draining", "Target.DeregistrationInProgress", "Target deregistration is in progress"}
                            : u < 0.1 ? new String[] {"unhealthy", "Target.ResponseCodeMismatch", "Health checks failed with these codes: [502]"}
                            : u < 0.13 ? new String[] {"draining", "Target.DeregistrationInProgress", "Target deregistration is in progress"}
                            : new String[] {"healthy", null, null};
                    draining |= health[0].equals("draining");
                    targets.add(new SimLoadBalancer.Target(instance.id(), 8080, null, health[0], health[1], health[2]));
                }
                group = new SimLoadBalancer.TargetGroup(tgArn, tgName, "HTTP", 8080, "instance", vpcOf(fleet), List.copyOf(targets));
            }
            Map<String, String> tags = new LinkedHashMap<>();
            if (k != 1) { // load balancer 1 has no tags at all
                tags.put("Name", name);
                tags.put("Environment", ENVIRONMENTS[(int) Long.remainderUnsigned(h >>> 16, ENVIRONMENTS.length)]);
                tags.put("Team", team);
                TagPolicy.addProjectAndService(tags, Hashing.unit(Hashing.mix(h, "policy")), team, network ? "edge" : "web");
            }
            out.add(new SimLoadBalancer(arn, name, dns, network ? "network" : "application",
                    k == 0 ? "internet-facing" : "internal", vpcOf(fleet), Regions.zones(region), List.of(group),
                    Map.copyOf(tags)));
        }
        return List.copyOf(out);
    }

    private static String vpcOf(Fleet fleet) {
        return fleet.instances().isEmpty() ? null : fleet.instances().get(0).vpcId();
    }

    private static String hex(long value, int digits) {
        String s = Long.toHexString(value);
        return s.length() >= digits ? s.substring(s.length() - digits) : "0".repeat(digits - s.length()) + s;
    }
}
