package io.opsgate.replica;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * How many targets each live replica collects, and which leases a replica above its quota hands back. The quotas of
 * the live replicas add up to the number of targets: with T targets and N live replicas, the first {@code T mod N}
 * replicas in the order of their names take ⌈T / N⌉ and the others ⌊T / N⌋, so once the leases have settled every
 * target is held and no replica holds more than ⌈T / N⌉ (nor fewer than ⌊T / N⌋). Every replica computes the same
 * quotas from the same heartbeat rows, with no coordination beyond them.
 */
final class FairShare {
    private FairShare() {
    }

    /**
     * @param liveReplicas the holders with a live heartbeat, in the order of their names, {@code me} among them
     * @return how many of the targets {@code me} may hold
     */
    static int quota(int targets, List<String> liveReplicas, String me) {
        int live = Math.max(1, liveReplicas.size());
        int rank = Math.max(0, liveReplicas.indexOf(me));
        return targets / live + (rank < targets % live ? 1 : 0);
    }

    /**
     * The leases to hand back now: as many as {@code held} exceeds the quota, chosen among those not {@code busy}
     * (a cycle running, or its result not yet published). A busy one is handed back at a later round, once its cycle
     * has ended and its result is published, so that the next holder never collects it a second time in the same
     * interval.
     *
     * @param held the held targets in a stable order (the surplus is taken from its end)
     */
    static List<String> surplus(List<String> held, int quota, Set<String> busy) {
        int over = held.size() - quota;
        if (over <= 0) {
            return List.of();
        }
        return reversed(held).stream().filter(t -> !busy.contains(t)).limit(over).toList();
    }

    private static List<String> reversed(Collection<String> held) {
        List<String> out = new java.util.ArrayList<>(held);
        java.util.Collections.reverse(out);
        return out;
    }
}
