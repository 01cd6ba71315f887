package io.opsgate.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * EC2's DescribeSnapshots (MaxResults 5..1000 with NextToken; Owner.N with {@code self} or account ids; SnapshotId.N;
 * filters volume-id, status, owner-id) and DescribeAddresses (not paged, as in AWS; filters allocation-id,
 * instance-id, public-ip). Without an owner, DescribeSnapshots lists public snapshots of other owners too, as AWS
 * does: a caller that wants its backups must ask for {@code self}.
 */
final class Ec2SnapshotsApi {
    private final FleetModel fleets;

    Ec2SnapshotsApi(FleetModel fleets) {
        this.fleets = fleets;
    }

    String describeSnapshots(ApiRequest r) {
        List<String> owners = r.params().list("Owner");
        List<String> ids = r.params().list("SnapshotId");
        if (!ids.isEmpty() && r.params().has("MaxResults")) {
            throw new AwsError(400, "InvalidParameterCombination",
                    "The parameter snapshotSet cannot be used with the parameter maxResults");
        }
        List<SimSnapshot> candidates = new ArrayList<>();
        for (SimSnapshot s : fleets.snapshots(r.accountId(), r.region())) {
            boolean owned = owners.isEmpty() || owners.stream().anyMatch(o ->
                    o.equals(s.ownerId()) || ("self".equals(o) && s.ownerId().equals(r.accountId()))
                            || ("amazon".equals(o) && s.ownerId().equals(SnapshotGenerator.PUBLIC_OWNER)));
            if (owned && (ids.isEmpty() || ids.contains(s.id()))) {
                candidates.add(s);
            }
        }
        Ec2Filters filters = Ec2Filters.parse(r.params());
        List<SimSnapshot> matching = new ArrayList<>();
        for (SimSnapshot s : candidates) {
            if (filters.isEmpty() || filters.matches(s, Ec2SnapshotsApi::snapshotAttribute)) {
                matching.add(s);
            }
        }
        Paging.Page<SimSnapshot> page = Paging.page(matching, r.params(), r.action(), 5, 1000);
        XmlWriter xml = begin(r, 256 + page.items().size() * 500);
        xml.open("snapshotSet");
        for (SimSnapshot s : page.items()) {
            xml.open("item")
                    .elem("snapshotId", s.id())
                    .elem("volumeId", s.volumeId())
                    .elem("status", s.state())
                    .elem("startTime", s.startTime())
                    .elem("progress", s.progress() + "%")
                    .elem("ownerId", s.ownerId())
                    .elem("volumeSize", s.volumeSizeGiB())
                    .elem("description", s.description())
                    .elem("encrypted", s.encrypted())
                    .elem("storageTier", "standard")
                    .open("tagSet").close("tagSet")
                    .close("item");
        }
        xml.close("snapshotSet");
        return xml.elem("nextToken", page.nextToken()).close(r.action() + "Response").toString();
    }

    private static List<String> snapshotAttribute(SimSnapshot s, String filter) {
        return switch (filter) {
            case "volume-id" -> List.of(s.volumeId());
            case "status" -> List.of(s.state());
            case "owner-id" -> List.of(s.ownerId());
            case "snapshot-id" -> List.of(s.id());
            default -> null;
        };
    }

    String describeAddresses(ApiRequest r) {
        List<String> ids = r.params().list("AllocationId");
        Ec2Filters filters = Ec2Filters.parse(r.params());
        List<SimAddress> all = fleets.addresses(r.accountId(), r.region());
        XmlWriter xml = begin(r, 256 + all.size() * 400);
        xml.open("addressesSet");
        for (SimAddress a : all) {
            if ((!ids.isEmpty() && !ids.contains(a.allocationId()))
                    || (!filters.isEmpty() && !filters.matches(a, Ec2SnapshotsApi::addressAttribute))) {
                continue;
            }
            xml.open("item")
                    .elem("publicIp", a.publicIp())
                    .elem("allocationId", a.allocationId())
                    .elem("domain", "vpc")
                    .elem("instanceId", a.instanceId())
                    .elem("associationId", a.associationId())
                    .elem("privateIpAddress", a.privateIp())
                    .open("tagSet").close("tagSet")
                    .elem("publicIpv4Pool", "amazon")
                    .elem("networkBorderGroup", r.region())
                    .close("item");
        }
        xml.close("addressesSet");
        return xml.close(r.action() + "Response").toString();
    }

    private static List<String> addressAttribute(SimAddress a, String filter) {
        return switch (filter) {
            case "allocation-id" -> List.of(a.allocationId());
            case "instance-id" -> a.instanceId() == null ? List.of() : List.of(a.instanceId());
            case "public-ip" -> List.of(a.publicIp());
            default -> null;
        };
    }

    private static XmlWriter begin(ApiRequest r, int capacity) {
        XmlWriter xml = new XmlWriter(capacity);
        xml.openNs(r.action() + "Response", r.protocol().namespace()).elem("requestId", r.requestId());
        return xml;
    }
}
