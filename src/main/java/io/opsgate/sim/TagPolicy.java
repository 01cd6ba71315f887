package io.opsgate.sim;

import java.util.Map;

/**
 * How well a simulated resource follows the operators' tagging policy (Name, Environment, Project, Service): most
 * carry all four, some lack Service or both Project and Service, and a few have Service with an empty value (the
 * demo's "untagged resources"; volumes without any tag come from {@link FleetGenerator} itself).
 */
final class TagPolicy {
    private TagPolicy() {
    }

    /** @param u a draw in [0, 1) from the resource's own hash, so that no other fact of the fleet shifts */
    static void addProjectAndService(Map<String, String> tags, double u, String team, String service) {
        if (u < 0.9) {
            tags.put("Project", team + "-core");
        }
        if (u < 0.8) {
            tags.put("Service", service);
        } else if (u < 0.84) {
            tags.put("Service", "");
        }
    }
}
