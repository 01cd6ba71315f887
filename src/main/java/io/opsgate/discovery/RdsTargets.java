package io.opsgate.discovery;

import io.opsgate.collect.TagLabels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * RDS DB instances as discovered targets at their endpoint address and port, labelled in the style of
 * {@code ec2_sd_config} under {@code __meta_rds_}. Instances without an endpoint (being created, stopped) are left out:
 * there is nothing to probe.
 */
final class RdsTargets {
    static final String PREFIX = "__meta_rds_";

    private RdsTargets() {
    }

    static List<Discovered> of(String accountId, String region, List<DBInstance> databases) {
        List<Discovered> out = new ArrayList<>(databases.size());
        for (DBInstance db : databases) {
            if (db.endpoint() == null || db.endpoint().address() == null || db.endpoint().port() == null) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put(PREFIX + "instance_id", db.dbInstanceIdentifier());
            put(labels, "resource_id", db.dbiResourceId());
            put(labels, "arn", db.dbInstanceArn());
            put(labels, "engine", db.engine());
            put(labels, "engine_version", db.engineVersion());
            put(labels, "instance_class", db.dbInstanceClass());
            put(labels, "status", db.dbInstanceStatus());
            labels.put(PREFIX + "endpoint_address", db.endpoint().address());
            labels.put(PREFIX + "endpoint_port", String.valueOf(db.endpoint().port()));
            put(labels, "availability_zone", db.availabilityZone());
            if (db.multiAZ() != null) {
                labels.put(PREFIX + "multi_az", String.valueOf(db.multiAZ()));
            }
            put(labels, "vpc_id", db.dbSubnetGroup() == null ? null : db.dbSubnetGroup().vpcId());
            labels.put(PREFIX + "region", region);
            Map<String, String> tags = new HashMap<>();
            for (Tag tag : db.tagList()) {
                if (tag.key() != null && tag.value() != null) {
                    tags.put(tag.key(), tag.value());
                }
            }
            labels.putAll(TagLabels.labels(PREFIX + "tag_", db.tagList(), Tag::key, Tag::value));
            labels.put(Ec2Targets.ACCOUNT_ID, accountId);
            Map<String, String> attributes = Map.of(
                    "state", nullToEmpty(db.dbInstanceStatus()),
                    "engine", nullToEmpty(db.engine()),
                    "instance_class", nullToEmpty(db.dbInstanceClass()));
            out.add(Discovered.of(accountId, region, db.endpoint().address(), db.endpoint().port(), attributes, tags, labels));
        }
        return out;
    }

    private static void put(Map<String, String> labels, String name, String value) {
        if (value != null) {
            labels.put(PREFIX + name, value);
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
