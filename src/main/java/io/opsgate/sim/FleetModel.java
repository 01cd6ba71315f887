package io.opsgate.sim;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The simulated inventory: one deterministic fleet per (account, region), generated on first use and cached,
 * so paging through 10,000 volumes never regenerates anything.
 */
public final class FleetModel {

    private final FleetGenerator generator;
    private final ExtrasGenerator extrasGenerator;
    private final Map<String, Fleet> fleets = new ConcurrentHashMap<>();
    private final Map<String, FleetExtras> extras = new ConcurrentHashMap<>();
    private final SnapshotGenerator snapshotGenerator;
    private final AddressGenerator addressGenerator;
    private final QuotaCatalog quotaCatalog;
    private final Map<String, List<SimSnapshot>> snapshots = new ConcurrentHashMap<>();
    private final Map<String, List<SimAddress>> addresses = new ConcurrentHashMap<>();
    private final Map<String, List<SimQuota>> quotas = new ConcurrentHashMap<>();
    private final HealthCheckGenerator healthCheckGenerator;
    private final Map<String, List<SimHealthCheck>> healthChecks = new ConcurrentHashMap<>();
    private final Map<String, Map<String, UsageSeries>> usageSeries = new ConcurrentHashMap<>();

    FleetModel(long seed, int volumesPerRegion, int instancesPerRegion, Clock clock) {
        this(seed, volumesPerRegion, instancesPerRegion, clock, 0);
    }

    /** @param quotasPerRegion see {@link SimulatorOptions#withQuotasPerRegion(int)} */
    FleetModel(long seed, int volumesPerRegion, int instancesPerRegion, Clock clock, int quotasPerRegion) {
        this(seed, volumesPerRegion, instancesPerRegion, clock, quotasPerRegion, SimulatorOptions.DEFAULT_HEALTH_CHECKS);
    }

    /** @param healthChecksPerAccount see {@link SimulatorOptions#withHealthChecksPerAccount(int)} */
    FleetModel(long seed, int volumesPerRegion, int instancesPerRegion, Clock clock, int quotasPerRegion,
               int healthChecksPerAccount) {
        this(seed, volumesPerRegion, instancesPerRegion, clock, quotasPerRegion, healthChecksPerAccount, 0);
    }

    /** @param targetsPerGroup see {@link SimulatorOptions#withTargetsPerGroup(int)} */
    FleetModel(long seed, int volumesPerRegion, int instancesPerRegion, Clock clock, int quotasPerRegion,
               int healthChecksPerAccount, int targetsPerGroup) {
        this.healthCheckGenerator = new HealthCheckGenerator(seed, healthChecksPerAccount);
        this.snapshotGenerator = new SnapshotGenerator(seed, clock);
        this.addressGenerator = new AddressGenerator(seed);
        this.quotaCatalog = new QuotaCatalog(seed, quotasPerRegion);
        this.generator = new FleetGenerator(seed, volumesPerRegion, instancesPerRegion, clock);
        this.extrasGenerator = new ExtrasGenerator(seed, targetsPerGroup);
    }

    /** Public address, platform, lifecycle and network interfaces of an instance of this fleet. */
    public SimNetwork network(String accountId, String region, String instanceId) {
        return extras(accountId, region).networks().get(instanceId);
    }

    public List<SimDatabase> databases(String accountId, String region) {
        return extras(accountId, region).databases();
    }

    public List<SimLoadBalancer> loadBalancers(String accountId, String region) {
        return extras(accountId, region).loadBalancers();
    }

    /**
     * The zone id behind a zone name for one account, as DescribeAvailabilityZones reports it. As in AWS, the
     * name-to-id mapping differs between accounts (us-east-1a is use1-az1 in one and use1-az3 in another).
     */
    public String zoneId(String accountId, String zoneName) {
        String region = zoneName.substring(0, zoneName.length() - 1);
        int zones = Regions.zones(region).size();
        int index = zoneName.charAt(zoneName.length() - 1) - 'a';
        int shift = (int) Long.remainderUnsigned(Hashing.mix(0x20e1dL, accountId), zones);
        return Regions.zoneId(region, (index + shift) % zones);
    }

    FleetExtras extras(String accountId, String region) {
        return extras.computeIfAbsent(accountId + '/' + region, k -> extrasGenerator.generate(fleet(accountId, region)));
    }

    /** The EBS snapshots this region lists: the account's own, then a few public ones of other owners. */
    public List<SimSnapshot> snapshots(String accountId, String region) {
        return snapshots.computeIfAbsent(accountId + '/' + region, k -> snapshotGenerator.generate(fleet(accountId, region)));
    }

    public List<SimAddress> addresses(String accountId, String region) {
        return addresses.computeIfAbsent(accountId + '/' + region, k -> addressGenerator.generate(fleet(accountId, region)));
    }

    /** Every Service Quota of the region, of all service codes, in ListServiceQuotas order. */
    public List<SimQuota> quotas(String accountId, String region) {
        return quotas.computeIfAbsent(accountId + '/' + region, k -> quotaCatalog.generate(fleet(accountId, region),
                extras(accountId, region), snapshots(accountId, region), addresses(accountId, region)));
    }

    /** The AWS/Usage series of a region's quotas, by {@link UsageSeries#key}. */
    Map<String, UsageSeries> usageSeries(String accountId, String region) {
        return usageSeries.computeIfAbsent(accountId + '/' + region, k -> {
            Map<String, UsageSeries> index = new java.util.HashMap<>();
            for (SimQuota q : quotas(accountId, region)) {
                if (q.usageMetric() != null) {
                    index.put(UsageSeries.key(q.usageMetric().metricName(), q.usageMetric().dimensions()),
                            new UsageSeries(q));
                }
            }
            return Map.copyOf(index);
        });
    }

    /** The account's Route 53 health checks (a global service: the same whatever the region asked). */
    public List<SimHealthCheck> healthChecks(String accountId) {
        return healthChecks.computeIfAbsent(accountId, healthCheckGenerator::generate);
    }

    /** One health check of the account by id, or null. */
    public SimHealthCheck healthCheck(String accountId, String id) {
        for (SimHealthCheck c : healthChecks(accountId)) {
            if (c.id().equals(id)) {
                return c;
            }
        }
        return null;
    }

    public List<SimVolume> volumes(String accountId, String region) {
        return fleet(accountId, region).volumes();
    }

    public List<SimInstance> instances(String accountId, String region) {
        return fleet(accountId, region).instances();
    }

    public SimVolume volume(String accountId, String region, String volumeId) {
        return fleet(accountId, region).volume(volumeId);
    }

    public SimInstance instance(String accountId, String region, String instanceId) {
        return fleet(accountId, region).instance(instanceId);
    }

    public List<String> regions() {
        return Regions.ALL;
    }

    public List<String> availabilityZones(String region) {
        return Regions.zones(region);
    }

    /** The fleet holding this volume among the fleets generated so far (by any request), or null. */
    Fleet fleetOfVolume(String volumeId) {
        for (Fleet f : fleets.values()) {
            if (f.volume(volumeId) != null) {
                return f;
            }
        }
        return null;
    }

    Fleet fleet(String accountId, String region) {
        return fleets.computeIfAbsent(accountId + '/' + region, k -> generator.generate(accountId, region));
    }
}
