package io.opsgate.discovery;

import io.opsgate.config.DiscoveryKind;
import java.util.List;

/** What each {@link DiscoveryKind} selects on and how its targets are addressed. */
final class KindRules {
    private KindRules() {
    }

    /** The port of {@code __address__} when none is asked for; 0 means the resource's own port. */
    static int defaultPort(DiscoveryKind kind) {
        return kind == DiscoveryKind.EC2 ? 80 : 0;
    }

    /** Attribute names this kind filters on besides {@code state}, {@code account} and {@code region}. */
    static List<String> attributeFilters(DiscoveryKind kind) {
        return switch (kind) {
            case EC2 -> List.of("instance_type");
            case RDS -> List.of("engine", "instance_class");
            case ELBV2_TARGETS -> List.of("target_group", "load_balancer");
        };
    }

    /** EC2 and RDS carry tags; ELBv2 targets are not tagged (tags live on the group and balancer). */
    static boolean tagged(DiscoveryKind kind) {
        return kind != DiscoveryKind.ELBV2_TARGETS;
    }
}
