package io.opsgate.config;

import java.util.ArrayList;
import java.util.List;

/** Reads a list of AWS regions: at least one, each well formed, none twice. */
final class RegionList {
    private RegionList() {
    }

    static List<String> read(ConfigNode node) throws ConfigException {
        List<ConfigNode> items = node.list("regions like [us-east-1, eu-west-1]");
        if (items.isEmpty()) {
            throw node.error("must list at least one region");
        }
        List<String> regions = new ArrayList<>();
        for (ConfigNode item : items) {
            String region = item.text();
            if (!AwsNames.isRegion(region)) {
                throw item.error("expected an AWS region like us-east-1, got " + ConfigNode.quote(region));
            }
            if (regions.contains(region)) {
                throw item.error("region " + region + " is listed twice");
            }
            regions.add(region);
        }
        return List.copyOf(regions);
    }
}
