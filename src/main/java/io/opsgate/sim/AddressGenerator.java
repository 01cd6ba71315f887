package io.opsgate.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * Elastic IPs of one fleet: five (the default quota, so the demo's EIP quota sits at its limit) for fleets of up to
 * 40 instances, one per eight instances beyond. Most are associated with running instances, the last one is idle.
 */
final class AddressGenerator {
    private final long seed;

    AddressGenerator(long seed) {
        this.seed = seed;
    }

    List<SimAddress> generate(Fleet fleet) {
        List<SimInstance> running = fleet.instances().stream().filter(SimInstance::running).toList();
        if (fleet.instances().isEmpty()) {
            return List.of();
        }
        int count = Math.max(5, fleet.instances().size() / 8);
        long base = Hashing.mix(Hashing.mix(seed ^ 0xe1bL, fleet.accountId()), fleet.region());
        List<SimAddress> out = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            long h = Hashing.mix(base, "eip" + k);
            String ip = "3." + (h >>> 8 & 255) + "." + (h >>> 16 & 255) + "." + (k % 250 + 1);
            SimInstance owner = k < count - 1 && k < running.size() ? running.get(k) : null;
            out.add(new SimAddress("eipalloc-0" + SnapshotGenerator.hex(h, 16), ip,
                    owner == null ? null : owner.id(),
                    owner == null ? null : "eipassoc-0" + SnapshotGenerator.hex(Hashing.mix(h, 1), 16),
                    owner == null ? null : owner.privateIp()));
        }
        return List.copyOf(out);
    }
}
