package io.opsgate.discovery;

import io.opsgate.collect.TagLabels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceIpv6Address;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterface;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * EC2 instances as discovered targets, labelled as Prometheus's {@code ec2_sd_config} labels them (3.5, the current
 * long-term-support line): the same names, the same value formats (lists as {@code ,a,b,}), the same conditions for
 * optional labels, and the same tag rule as {@code /metrics} ({@link TagLabels}: a later tag wins when two keys
 * sanitise alike). That is 2.42's label set plus {@code __meta_ec2_primary_ipv6_addresses}, which releases before
 * 2.47 do not emit (their relabel rules cannot refer to it, so the extra label changes nothing for them).
 * Ec2SdParityIT checks both.
 */
final class Ec2Targets {
    static final String PREFIX = "__meta_ec2_";
    static final String ACCOUNT_ID = "__meta_aws_account_id";
    private static final String SEPARATOR = ",";

    private Ec2Targets() {
    }

    /**
     * @param zoneIds zone name → zone id of this account and region; a zone missing from it gets an empty
     *                {@code availability_zone_id}, as Prometheus does when DescribeAvailabilityZones fails
     */
    static List<Discovered> of(String accountId, String region, List<Instance> instances, Map<String, String> zoneIds) {
        List<Discovered> out = new ArrayList<>(instances.size());
        for (Instance instance : instances) {
            // Prometheus skips instances without a private IPv4 address (terminated ones, IPv6-only ones).
            if (instance.privateIpAddress() != null) {
                out.add(of(accountId, region, instance, zoneIds));
            }
        }
        return out;
    }

    static Discovered of(String accountId, String region, Instance i, Map<String, String> zoneIds) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(PREFIX + "instance_id", i.instanceId());
        labels.put(PREFIX + "region", region);
        // The reservation's owner, which is the account the instance was described in.
        labels.put(PREFIX + "owner_id", accountId);
        labels.put(PREFIX + "private_ip", i.privateIpAddress());
        putIfPresent(labels, "private_dns_name", i.privateDnsName());
        putIfPresent(labels, "platform", i.platformAsString());
        if (i.publicIpAddress() != null) {
            labels.put(PREFIX + "public_ip", i.publicIpAddress());
            labels.put(PREFIX + "public_dns_name", i.publicDnsName() == null ? "" : i.publicDnsName());
        }
        putIfPresent(labels, "ami", i.imageId());
        String zone = i.placement() == null ? null : i.placement().availabilityZone();
        putIfPresent(labels, "availability_zone", zone);
        labels.put(PREFIX + "availability_zone_id", zone == null ? "" : zoneIds.getOrDefault(zone, ""));
        putIfPresent(labels, "instance_state", i.state() == null ? null : i.state().nameAsString());
        putIfPresent(labels, "instance_type", i.instanceTypeAsString());
        putIfPresent(labels, "instance_lifecycle", i.instanceLifecycleAsString());
        putIfPresent(labels, "architecture", i.architectureAsString());
        if (i.vpcId() != null) {
            labels.put(PREFIX + "vpc_id", i.vpcId());
            labels.put(PREFIX + "primary_subnet_id", i.subnetId() == null ? "" : i.subnetId());
            Set<String> subnets = new LinkedHashSet<>();
            List<String> ipv6 = new ArrayList<>();
            // Indexed by the interface's device index; gaps stay empty strings, as Prometheus keeps positions.
            List<String> primaryIpv6 = new ArrayList<>();
            for (InstanceNetworkInterface eni : i.networkInterfaces()) {
                if (eni.subnetId() == null) {
                    continue;
                }
                subnets.add(eni.subnetId());
                for (InstanceIpv6Address address : eni.ipv6Addresses()) {
                    ipv6.add(address.ipv6Address());
                    if (Boolean.TRUE.equals(address.isPrimaryIpv6()) && eni.attachment() != null
                            && eni.attachment().deviceIndex() != null) {
                        int index = eni.attachment().deviceIndex();
                        while (primaryIpv6.size() <= index) {
                            primaryIpv6.add("");
                        }
                        primaryIpv6.set(index, address.ipv6Address());
                    }
                }
            }
            labels.put(PREFIX + "subnet_id", SEPARATOR + String.join(SEPARATOR, subnets) + SEPARATOR);
            if (!ipv6.isEmpty()) {
                labels.put(PREFIX + "ipv6_addresses", SEPARATOR + String.join(SEPARATOR, ipv6) + SEPARATOR);
            }
            if (!primaryIpv6.isEmpty()) {
                labels.put(PREFIX + "primary_ipv6_addresses", SEPARATOR + String.join(SEPARATOR, primaryIpv6) + SEPARATOR);
            }
        }
        Map<String, String> tags = new HashMap<>();
        for (Tag tag : i.tags()) {
            if (tag.key() != null && tag.value() != null) {
                tags.put(tag.key(), tag.value());
            }
        }
        labels.putAll(TagLabels.labels(PREFIX + "tag_", i.tags(), Tag::key, Tag::value));
        labels.put(ACCOUNT_ID, accountId);

        Map<String, String> attributes = new HashMap<>();
        attributes.put("state", labels.getOrDefault(PREFIX + "instance_state", ""));
        attributes.put("instance_type", labels.getOrDefault(PREFIX + "instance_type", ""));
        return Discovered.of(accountId, region, i.privateIpAddress(), 0, attributes, tags, labels);
    }

    private static void putIfPresent(Map<String, String> labels, String name, String value) {
        if (value != null) {
            labels.put(PREFIX + name, value);
        }
    }
}
