package io.opsgate.sim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Builds a fleet from (seed, account, region) alone. The first few resources of a fleet are pinned to fixed
 * shapes (burstable in both credit modes, stopped, impaired, attached gp2, detached gp2, ...) so that even a
 * tiny fleet exercises every code path, whatever the seed.
 */
final class FleetGenerator {

    private static final String[] VOLUME_TYPES = {"gp2", "gp3", "io1", "io2", "st1", "sc1", "standard"};
    private static final double[] VOLUME_TYPE_WEIGHTS = {0.35, 0.30, 0.05, 0.05, 0.08, 0.07, 0.10};
    private static final String[] ENVIRONMENTS = {"prod", "staging", "dev"};
    private static final String[] TEAMS = {"payments", "search", "platform", "data", "web"};
    private static final String[] ROLES = {"api", "worker", "db", "cache", "batch", "ingest"};
    private static final String[] EVENT_CODES = {
        "instance-reboot", "system-reboot", "system-maintenance", "instance-retirement", "instance-stop"};

    private final long seed;
    private final int volumeCount;
    private final int instanceCount;
    private final Clock clock;

    FleetGenerator(long seed, int volumeCount, int instanceCount, Clock clock) {
        this.seed = seed;
        this.volumeCount = volumeCount;
        this.instanceCount = instanceCount;
        this.clock = clock;
    }

    Fleet generate(String accountId, String region) {
        long fleetHash = Hashing.mix(Hashing.mix(seed, accountId), region);
        SplittableRandom rnd = new SplittableRandom(fleetHash);
        // Anchored to the day the fleet is first seen: launch times lie before it, scheduled events after it.
        Instant anchor = clock.instant().truncatedTo(ChronoUnit.DAYS);
        List<String> zones = Regions.zones(region);
        String[] vpcs = {"vpc-0" + hex(Hashing.mix(fleetHash, "vpc1"), 16), "vpc-0" + hex(Hashing.mix(fleetHash, "vpc2"), 16)};
        String[] images = new String[3];
        for (int i = 0; i < images.length; i++) {
            images[i] = "ami-0" + hex(Hashing.mix(fleetHash, "ami" + i), 16);
        }

        List<InstanceDraft> drafts = new ArrayList<>(instanceCount);
        for (int i = 0; i < instanceCount; i++) {
            drafts.add(instance(i, rnd, fleetHash, anchor, zones, vpcs, images));
        }
        List<SimVolume> volumes = new ArrayList<>(volumeCount);
        for (int i = 0; i < volumeCount; i++) {
            volumes.add(volume(i, rnd, fleetHash, anchor, zones, drafts));
        }
        List<SimInstance> instances = new ArrayList<>(instanceCount);
        for (InstanceDraft d : drafts) {
            instances.add(d.build());
        }
        return new Fleet(accountId, region, volumes, instances);
    }

    /** Instances are drafted first so volumes can attach to them; their volume ids are filled in afterwards. */
    private static final class InstanceDraft {
        SimInstance base;
        final List<String> volumeIds = new ArrayList<>(2);

        SimInstance build() {
            SimInstance b = base;
            return new SimInstance(b.id(), b.instanceType(), b.state(), b.availabilityZone(), b.privateIp(), b.vpcId(),
                    b.subnetId(), b.imageId(), b.architecture(), b.launchTime(), b.creditMode(), b.tags(),
                    b.systemStatus(), b.instanceStatus(), b.attachedEbsStatus(), b.events(),
                    Collections.unmodifiableList(volumeIds));
        }
    }

    private InstanceDraft instance(int i, SplittableRandom rnd, long fleetHash, Instant anchor, List<String> zones,
            String[] vpcs, String[] images) {
        String id = "i-0" + hex(Hashing.mix(fleetHash, "i"), 8) + suffix(i);
        boolean burstable = rnd.nextDouble() < 0.65;
        String type = burstable ? pick(rnd, InstanceTypes.BURSTABLE) : pick(rnd, InstanceTypes.FIXED);
        String state = rnd.nextDouble() < 0.85 ? "running" : "stopped";
        boolean flipMode = rnd.nextDouble() < 0.3;
        double health = rnd.nextDouble();
        boolean hasEvent = rnd.nextDouble() < 0.10;
        switch (i) { // pinned shapes, see class comment
            case 0 -> { type = "t3.micro"; state = "running"; flipMode = false; health = 1.0; }
            case 1 -> { type = "t2.small"; state = "running"; flipMode = false; health = 1.0; }
            case 2 -> { type = "t3.small"; state = "stopped"; }
            case 3 -> { type = "m5.large"; state = "running"; health = 0.0; hasEvent = true; }
            case 4 -> { type = "t4g.micro"; state = "running"; flipMode = true; health = 0.07; hasEvent = true; }
            default -> { }
        }
        String creditMode = null;
        if (InstanceTypes.burstable(type)) {
            String def = InstanceTypes.defaultCreditMode(type);
            creditMode = flipMode ? (def.equals("standard") ? "unlimited" : "standard") : def;
        }
        int zoneIndex = rnd.nextInt(zones.size());
        int vpcIndex = rnd.nextInt(vpcs.length);
        String az = zones.get(zoneIndex);
        String subnet = "subnet-0" + hex(Hashing.mix(fleetHash, vpcs[vpcIndex] + az), 16);
        String ip = "10." + (vpcIndex * 64 + (i / 62500) % 64) + "." + ((i / 250) % 250) + "." + (i % 250 + 4);
        Instant launch = anchor.minus(Duration.ofSeconds(3600L + rnd.nextLong(400L * 86400)));
        String env = pick(rnd, ENVIRONMENTS);
        String team = pick(rnd, TEAMS);
        Map<String, String> tags = new LinkedHashMap<>();
        String role = pick(rnd, ROLES);
        tags.put("Name", team + "-" + role + "-" + i);
        tags.put("Environment", env);
        tags.put("Team", team);
        // Pinned: instance 0 meets the tag policy, instance 1 lacks Project and Service (dynamics: untagged resources).
        TagPolicy.addProjectAndService(tags, i == 0 ? 0.0 : i == 1 ? 1.0 : Hashing.unit(Hashing.mix(fleetHash, "policy-i" + i)),
                team, role);
        if (rnd.nextDouble() < 0.3) {
            tags.put("aws:cloudformation:stack-name", team + "-" + env + "-stack");
        }
        if (rnd.nextDouble() < 0.2) {
            tags.put("kubernetes.io/cluster/" + env, "owned");
        }
        // Drawn from a hash rather than rnd so the rest of the fleet stays as it was before these tags existed.
        long tagHash = Hashing.mix(fleetHash, "port-tag" + i);
        if (i == 1 || (tagHash & 3) == 0) {
            tags.put("prometheus_port", (tagHash & 4) == 0 || i == 1 ? "9100,9256" : "9100");
        }
        if (i == 0) {
            // Both keys sanitise to tag_cost_center: Prometheus keeps the one AWS lists last.
            tags.put("cost-center", "cc-1");
            tags.put("cost.center", "cc-2");
        }

        String system = "ok";
        String inst = "ok";
        String ebs = "ok";
        if (health < 0.05) {
            system = "impaired";
        } else if (health < 0.09) {
            inst = "impaired";
        } else if (health < 0.12) {
            ebs = "impaired";
        }
        List<SimEvent> events = List.of();
        if (hasEvent && state.equals("running")) {
            String code = i == 3 ? "system-maintenance" : pick(rnd, EVENT_CODES);
            Instant notBefore = anchor.plus(Duration.ofHours(24 + rnd.nextInt(14 * 24)));
            events = List.of(new SimEvent("instance-event-0" + hex(Hashing.mix(fleetHash, id), 16), code,
                    describe(code), notBefore, notBefore.plus(Duration.ofHours(2))));
        }
        InstanceDraft d = new InstanceDraft();
        d.base = new SimInstance(id, type, state, az, ip, vpcs[vpcIndex], subnet, images[rnd.nextInt(images.length)],
                InstanceTypes.spec(type).architecture(), launch, creditMode, Collections.unmodifiableMap(tags),
                system, inst, ebs, events, List.of());
        return d;
    }

    private SimVolume volume(int i, SplittableRandom rnd, long fleetHash, Instant anchor, List<String> zones,
            List<InstanceDraft> instances) {
        String id = "vol-0" + hex(Hashing.mix(fleetHash, "vol"), 8) + suffix(i);
        String type = weighted(rnd, VOLUME_TYPES, VOLUME_TYPE_WEIGHTS);
        boolean inUse = rnd.nextDouble() < 0.8;
        switch (i) { // pinned shapes, see class comment
            case 0 -> { type = "gp2"; inUse = true; }
            case 1 -> { type = "gp2"; inUse = false; }
            case 2 -> { type = "gp3"; inUse = true; }
            case 3 -> { type = "st1"; inUse = true; }
            case 4 -> { type = "io2"; inUse = true; }
            default -> { }
        }
        inUse &= !instances.isEmpty();
        int size = switch (type) {
            case "st1", "sc1" -> pick(rnd, new int[] {125, 500, 1000, 2000, 4000, 12500});
            case "standard" -> pick(rnd, new int[] {1, 8, 20, 100, 500});
            case "io1", "io2" -> pick(rnd, new int[] {50, 100, 200, 500, 1000});
            default -> pick(rnd, new int[] {8, 16, 20, 30, 50, 100, 200, 500, 1000, 2000});
        };
        Integer iops = switch (type) {
            case "gp2" -> Math.max(100, Math.min(16000, size * 3));
            case "gp3" -> pick(rnd, new int[] {3000, 3000, 4000, 6000});
            case "io1", "io2" -> Math.min(size * 50, pick(rnd, new int[] {1000, 2000, 5000, 10000}));
            default -> null;
        };
        Integer throughput = type.equals("gp3") ? pick(rnd, new int[] {125, 125, 250, 500}) : null;
        String instanceId = null;
        String device = null;
        String az;
        if (inUse) {
            InstanceDraft owner = instances.get(i % instances.size());
            instanceId = owner.base.id();
            device = device(owner.volumeIds.size());
            owner.volumeIds.add(id);
            az = owner.base.availabilityZone();
        } else {
            az = zones.get(rnd.nextInt(zones.size()));
        }
        Instant created = anchor.minus(Duration.ofSeconds(7200L + rnd.nextLong(500L * 86400)));
        Map<String, String> tags = new LinkedHashMap<>();
        if (rnd.nextDouble() < 0.9) {
            String team = pick(rnd, TEAMS);
            String env = pick(rnd, ENVIRONMENTS);
            tags.put("Name", team + "-data-" + i);
            tags.put("Environment", env);
            tags.put("Team", team);
            TagPolicy.addProjectAndService(tags, Hashing.unit(Hashing.mix(fleetHash, "policy-v" + i)), team, "storage");
            if (rnd.nextDouble() < 0.3) {
                tags.put("aws:cloudformation:stack-name", team + "-" + env + "-stack");
            }
            if (rnd.nextDouble() < 0.1) {
                tags.put("backup-policy", "daily-7d");
            }
        }
        return new SimVolume(id, type, inUse ? "in-use" : "available", size, iops, throughput, az, instanceId, device,
                created, rnd.nextDouble() < 0.6, Collections.unmodifiableMap(tags));
    }

    private static String describe(String code) {
        return switch (code) {
            case "instance-reboot" -> "The instance is scheduled for a reboot";
            case "system-reboot" -> "The system is scheduled for a reboot";
            case "system-maintenance" -> "The instance is scheduled for system maintenance";
            case "instance-retirement" -> "The instance is running on degraded hardware";
            default -> "The instance is scheduled to stop";
        };
    }

    private static String device(int k) {
        if (k == 0) {
            return "/dev/xvda";
        }
        int n = k - 1;
        return "/dev/sd" + (char) ('f' + n % 21) + (n >= 21 ? String.valueOf(n / 21) : "");
    }

    /** 8 hex digits, unique per index: multiplication by an odd constant is a bijection modulo 2^32. */
    private static String suffix(int index) {
        return hex((index * 0x9E3779B1L) & 0xffffffffL, 8);
    }

    private static String hex(long value, int digits) {
        String s = Long.toHexString(value);
        if (s.length() >= digits) {
            return s.substring(s.length() - digits);
        }
        return "0".repeat(digits - s.length()) + s;
    }

    private static String pick(SplittableRandom rnd, String[] options) {
        return options[rnd.nextInt(options.length)];
    }

    private static int pick(SplittableRandom rnd, int[] options) {
        return options[rnd.nextInt(options.length)];
    }

    private static String weighted(SplittableRandom rnd, String[] options, double[] weights) {
        double u = rnd.nextDouble();
        for (int i = 0; i < options.length; i++) {
            u -= weights[i];
            if (u < 0) {
                return options[i];
            }
        }
        return options[options.length - 1];
    }
}
