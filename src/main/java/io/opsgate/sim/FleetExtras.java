package io.opsgate.sim;

import java.util.List;
import java.util.Map;

/** What one (account, region) holds besides volumes and instances: instance networking, RDS and ELBv2. */
record FleetExtras(Map<String, SimNetwork> networks, List<SimDatabase> databases,
        List<SimLoadBalancer> loadBalancers) {
}
