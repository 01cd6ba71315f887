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
    private final Map<String, Fleet> fleets = new ConcurrentHashMap<>();

    FleetModel(long seed, int volumesPerRegion, int instancesPerRegion, Clock clock) {
        this.generator = new FleetGenerator(seed, volumesPerRegion, instancesPerRegion, clock);
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

    Fleet fleet(String accountId, String region) {
        return fleets.computeIfAbsent(accountId + '/' + region, k -> generator.generate(accountId, region));
    }
}
