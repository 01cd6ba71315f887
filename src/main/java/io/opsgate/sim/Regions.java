package io.opsgate.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The regions DescribeRegions lists and the availability zones of each region. */
final class Regions {

    static final List<String> ALL = List.of(
            "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "sa-east-1",
            "eu-west-1", "eu-west-2", "eu-central-1", "eu-north-1",
            "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "ap-south-1");

    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");

    private Regions() {
    }

    static boolean valid(String region) {
        return region != null && REGION.matcher(region).matches();
    }

    static List<String> zones(String region) {
        int n = region.equals("us-east-1") ? 6 : 3;
        List<String> zones = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            zones.add(region + (char) ('a' + i));
        }
        return zones;
    }

    /** AWS-style zone id, e.g. us-east-1 zone 0 → use1-az1. */
    static String zoneId(String region, int index) {
        String[] parts = region.split("-");
        StringBuilder sb = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length - 1; i++) {
            sb.append(parts[i].charAt(0));
        }
        return sb.append(parts[parts.length - 1]).append("-az").append(index + 1).toString();
    }
}
