package io.opsgate.sim;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One generated (account, region) fleet with id indexes. Immutable once built, so it is shared freely. */
final class Fleet {

    private final String accountId;
    private final String region;
    private final List<SimVolume> volumes;
    private final List<SimInstance> instances;
    private final Map<String, SimVolume> volumesById;
    private final Map<String, SimInstance> instancesById;

    Fleet(String accountId, String region, List<SimVolume> volumes, List<SimInstance> instances) {
        this.accountId = accountId;
        this.region = region;
        this.volumes = List.copyOf(volumes);
        this.instances = List.copyOf(instances);
        Map<String, SimVolume> vols = new HashMap<>(volumes.size() * 2);
        volumes.forEach(v -> vols.put(v.id(), v));
        Map<String, SimInstance> insts = new HashMap<>(instances.size() * 2);
        instances.forEach(i -> insts.put(i.id(), i));
        this.volumesById = vols;
        this.instancesById = insts;
    }

    String accountId() {
        return accountId;
    }

    String region() {
        return region;
    }

    List<SimVolume> volumes() {
        return volumes;
    }

    List<SimInstance> instances() {
        return instances;
    }

    SimVolume volume(String id) {
        return volumesById.get(id);
    }

    SimInstance instance(String id) {
        return instancesById.get(id);
    }
}
