package io.opsgate.sim;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The EC2 (ec2-query protocol) operations OpsGate needs, read-only, over the fleet of the caller's account. */
final class Ec2QueryApi implements QueryApi {

    private final FleetModel fleets;
    private final Ec2SnapshotsApi snapshots;

    Ec2QueryApi(FleetModel fleets) {
        this.fleets = fleets;
        this.snapshots = new Ec2SnapshotsApi(fleets);
    }

    @Override
    public String handle(ApiRequest r) {
        return switch (r.action()) {
            case "DescribeVolumes" -> describeVolumes(r);
            case "DescribeInstances" -> describeInstances(r);
            case "DescribeInstanceCreditSpecifications" -> describeCreditSpecifications(r);
            case "DescribeInstanceStatus" -> describeInstanceStatus(r);
            case "DescribeAvailabilityZones" -> describeAvailabilityZones(r);
            case "DescribeRegions" -> describeRegions(r);
            case "DescribeSnapshots" -> snapshots.describeSnapshots(r);
            case "DescribeAddresses" -> snapshots.describeAddresses(r);
            default -> throw QueryApi.invalidAction(r.action());
        };
    }

    private static XmlWriter begin(ApiRequest r, int capacity) {
        XmlWriter xml = new XmlWriter(capacity);
        xml.openNs(r.action() + "Response", r.protocol().namespace()).elem("requestId", r.requestId());
        return xml;
    }

    private static String end(ApiRequest r, XmlWriter xml, String nextToken) {
        return xml.elem("nextToken", nextToken).close(r.action() + "Response").toString();
    }

    // ---- DescribeVolumes ------------------------------------------------------------------------------------

    private String describeVolumes(ApiRequest r) {
        Fleet fleet = fleets.fleet(r.accountId(), r.region());
        List<String> ids = r.params().list("VolumeId");
        if (!ids.isEmpty() && r.params().has("MaxResults")) {
            throw new AwsError(400, "InvalidParameterCombination",
                    "The parameter volumeSet cannot be used with the parameter maxResults");
        }
        List<SimVolume> candidates = ids.isEmpty() ? fleet.volumes() : lookup(ids, fleet::volume, "InvalidVolume.NotFound", "The volume '%s' does not exist.");
        Ec2Filters filters = Ec2Filters.parse(r.params());
        List<SimVolume> matching = filters.isEmpty() ? candidates : filter(candidates, filters, Ec2QueryApi::volumeAttribute);
        Paging.Page<SimVolume> page = Paging.page(matching, r.params(), r.action(), 5, 500);
        XmlWriter xml = begin(r, 256 + page.items().size() * 900);
        xml.open("volumeSet");
        for (SimVolume v : page.items()) {
            writeVolume(xml, v);
        }
        xml.close("volumeSet");
        return end(r, xml, page.nextToken());
    }

    private static void writeVolume(XmlWriter xml, SimVolume v) {
        xml.open("item")
                .elem("volumeId", v.id())
                .elem("size", v.sizeGiB())
                .elem("snapshotId", "")
                .elem("availabilityZone", v.availabilityZone())
                .elem("status", v.state())
                .elem("createTime", v.createTime());
        xml.open("attachmentSet");
        if (v.attached()) {
            xml.open("item")
                    .elem("volumeId", v.id())
                    .elem("instanceId", v.attachedInstanceId())
                    .elem("device", v.device())
                    .elem("status", "attached")
                    .elem("attachTime", v.createTime())
                    .elem("deleteOnTermination", "/dev/xvda".equals(v.device()))
                    .close("item");
        }
        xml.close("attachmentSet");
        writeTags(xml, v.tags());
        xml.elem("volumeType", v.volumeType());
        if (v.iops() != null) {
            xml.elem("iops", v.iops());
        }
        if (v.throughput() != null) {
            xml.elem("throughput", v.throughput());
        }
        xml.elem("encrypted", v.encrypted())
                .elem("multiAttachEnabled", false)
                .close("item");
    }

    private static List<String> volumeAttribute(SimVolume v, String filter) {
        return switch (filter) {
            case "volume-type" -> List.of(v.volumeType());
            case "status" -> List.of(v.state());
            case "volume-id" -> List.of(v.id());
            case "size" -> List.of(String.valueOf(v.sizeGiB()));
            case "availability-zone" -> List.of(v.availabilityZone());
            case "encrypted" -> List.of(String.valueOf(v.encrypted()));
            case "attachment.status" -> v.attached() ? List.of("attached") : List.of();
            case "attachment.instance-id" -> v.attached() ? List.of(v.attachedInstanceId()) : List.of();
            case "attachment.device" -> v.attached() ? List.of(v.device()) : List.of();
            default -> Ec2Filters.tagAttribute(v.tags(), filter);
        };
    }

    // ---- DescribeInstances ----------------------------------------------------------------------------------

    private String describeInstances(ApiRequest r) {
        Fleet fleet = fleets.fleet(r.accountId(), r.region());
        List<String> ids = r.params().list("InstanceId");
        if (!ids.isEmpty() && r.params().has("MaxResults")) {
            throw new AwsError(400, "InvalidParameterCombination",
                    "The parameter instancesSet cannot be used with the parameter maxResults");
        }
        List<SimInstance> candidates = ids.isEmpty() ? fleet.instances() : lookupInstances(fleet, ids);
        Ec2Filters filters = Ec2Filters.parse(r.params());
        List<SimInstance> matching = filters.isEmpty() ? candidates : filter(candidates, filters, Ec2QueryApi::instanceAttribute);
        Paging.Page<SimInstance> page = Paging.page(matching, r.params(), r.action(), 5, 1000);
        XmlWriter xml = begin(r, 256 + page.items().size() * 2500);
        xml.open("reservationSet");
        for (SimInstance i : page.items()) {
            // One reservation per instance keeps MaxResults (which counts instances) exact.
            xml.open("item")
                    .elem("reservationId", "r-" + i.id().substring(2))
                    .elem("ownerId", r.accountId())
                    .open("groupSet").close("groupSet")
                    .open("instancesSet");
            writeInstance(xml, i, fleet, fleets.network(r.accountId(), r.region(), i.id()));
            xml.close("instancesSet").close("item");
        }
        xml.close("reservationSet");
        return end(r, xml, page.nextToken());
    }

    private static void writeInstance(XmlWriter xml, SimInstance i, Fleet fleet, SimNetwork network) {
        boolean running = i.running();
        String dns = "ip-" + i.privateIp().replace('.', '-') + "." + fleet.region() + ".compute.internal";
        xml.open("item")
                .elem("instanceId", i.id())
                .elem("imageId", i.imageId())
                .open("instanceState").elem("code", i.stateCode()).elem("name", i.state()).close("instanceState")
                .elem("privateDnsName", dns)
                .elem("dnsName", network.publicDnsName() == null ? "" : network.publicDnsName())
                .elem("reason", running ? "" : "User initiated")
                .elem("amiLaunchIndex", 0)
                .open("productCodes").close("productCodes")
                .elem("instanceType", i.instanceType())
                .elem("launchTime", i.launchTime())
                .open("placement")
                .elem("availabilityZone", i.availabilityZone())
                .elem("groupName", "")
                .elem("tenancy", "default")
                .close("placement")
                .elem("platform", network.platform())
                .open("monitoring").elem("state", "disabled").close("monitoring")
                .elem("subnetId", i.subnetId())
                .elem("vpcId", i.vpcId())
                .elem("privateIpAddress", i.privateIp())
                .elem("ipAddress", network.publicIp())
                .elem("sourceDestCheck", true)
                .open("groupSet").close("groupSet")
                .elem("architecture", i.architecture())
                .elem("rootDeviceType", "ebs")
                .elem("rootDeviceName", "/dev/xvda")
                .open("blockDeviceMapping");
        for (String volumeId : i.volumeIds()) {
            SimVolume v = fleet.volume(volumeId);
            xml.open("item")
                    .elem("deviceName", v.device())
                    .open("ebs")
                    .elem("volumeId", v.id())
                    .elem("status", "attached")
                    .elem("attachTime", v.createTime())
                    .elem("deleteOnTermination", "/dev/xvda".equals(v.device()))
                    .close("ebs")
                    .close("item");
        }
        xml.close("blockDeviceMapping")
                .elem("instanceLifecycle", network.lifecycle())
                .elem("virtualizationType", "hvm")
                .elem("clientToken", "");
        writeTags(xml, i.tags());
        xml.elem("hypervisor", "xen");
        writeInterfaces(xml, i, network, fleet.accountId());
        xml
                .elem("ebsOptimized", !i.instanceType().startsWith("t2."))
                .elem("enaSupport", true)
                .open("cpuOptions")
                .elem("coreCount", Math.max(1, InstanceTypes.spec(i.instanceType()).vcpus() / 2))
                .elem("threadsPerCore", InstanceTypes.spec(i.instanceType()).vcpus() > 1 ? 2 : 1)
                .close("cpuOptions")
                .elem("platformDetails", "Linux/UNIX")
                .close("item");
    }

    private static void writeInterfaces(XmlWriter xml, SimInstance i, SimNetwork network, String accountId) {
        xml.open("networkInterfaceSet");
        for (SimNetwork.Interface eni : network.interfaces()) {
            xml.open("item")
                    .elem("networkInterfaceId", eni.id())
                    .elem("subnetId", eni.subnetId())
                    .elem("vpcId", i.vpcId())
                    .elem("ownerId", accountId)
                    .elem("status", "in-use")
                    .elem("privateIpAddress", eni.deviceIndex() == 0 ? i.privateIp() : null)
                    .elem("sourceDestCheck", true)
                    .open("attachment")
                    .elem("attachmentId", "eni-attach-" + eni.id().substring(4))
                    .elem("deviceIndex", eni.deviceIndex())
                    .elem("status", "attached")
                    .elem("deleteOnTermination", eni.deviceIndex() == 0)
                    .elem("networkCardIndex", 0)
                    .close("attachment");
            if (eni.deviceIndex() == 0 && network.publicIp() != null) {
                xml.open("association")
                        .elem("publicIp", network.publicIp())
                        .elem("publicDnsName", network.publicDnsName())
                        .elem("ipOwnerId", "amazon")
                        .close("association");
            }
            xml.open("ipv6AddressesSet");
            for (String v6 : eni.ipv6Addresses()) {
                xml.open("item").elem("ipv6Address", v6).elem("isPrimaryIpv6", v6.equals(eni.primaryIpv6())).close("item");
            }
            xml.close("ipv6AddressesSet")
                    .elem("interfaceType", "interface")
                    .close("item");
        }
        xml.close("networkInterfaceSet");
    }

    private static List<String> instanceAttribute(SimInstance i, String filter) {
        return switch (filter) {
            case "instance-state-name" -> List.of(i.state());
            case "instance-state-code" -> List.of(String.valueOf(i.stateCode()));
            case "instance-type" -> List.of(i.instanceType());
            case "instance-id" -> List.of(i.id());
            case "availability-zone" -> List.of(i.availabilityZone());
            case "vpc-id" -> List.of(i.vpcId());
            case "subnet-id" -> List.of(i.subnetId());
            case "image-id" -> List.of(i.imageId());
            case "architecture" -> List.of(i.architecture());
            case "private-ip-address" -> List.of(i.privateIp());
            case "block-device-mapping.volume-id" -> i.volumeIds();
            default -> Ec2Filters.tagAttribute(i.tags(), filter);
        };
    }

    // ---- DescribeInstanceCreditSpecifications ---------------------------------------------------------------

    private String describeCreditSpecifications(ApiRequest r) {
        Fleet fleet = fleets.fleet(r.accountId(), r.region());
        List<String> ids = r.params().list("InstanceId");
        List<SimInstance> candidates;
        if (ids.isEmpty()) {
            // Without ids AWS lists only the instances running in unlimited mode.
            candidates = new ArrayList<>();
            for (SimInstance i : fleet.instances()) {
                if ("unlimited".equals(i.creditMode())) {
                    candidates.add(i);
                }
            }
        } else {
            candidates = new ArrayList<>();
            for (SimInstance i : lookupInstances(fleet, ids)) {
                if (i.burstable()) {
                    candidates.add(i);
                }
            }
        }
        Ec2Filters filters = Ec2Filters.parse(r.params());
        List<SimInstance> matching = filters.isEmpty() ? candidates : filter(candidates, filters,
                (i, f) -> f.equals("instance-id") ? List.of(i.id()) : null);
        Paging.Page<SimInstance> page = Paging.page(matching, r.params(), r.action(), 5, 1000);
        XmlWriter xml = begin(r, 256 + page.items().size() * 120);
        xml.open("instanceCreditSpecificationSet");
        for (SimInstance i : page.items()) {
            xml.open("item").elem("instanceId", i.id()).elem("cpuCredits", i.creditMode()).close("item");
        }
        xml.close("instanceCreditSpecificationSet");
        return end(r, xml, page.nextToken());
    }

    // ---- DescribeInstanceStatus -----------------------------------------------------------------------------

    private String describeInstanceStatus(ApiRequest r) {
        Fleet fleet = fleets.fleet(r.accountId(), r.region());
        List<String> ids = r.params().list("InstanceId");
        boolean all = r.params().bool("IncludeAllInstances");
        List<SimInstance> candidates = ids.isEmpty() ? fleet.instances() : lookupInstances(fleet, ids);
        Ec2Filters filters = Ec2Filters.parse(r.params());
        List<SimInstance> matching = new ArrayList<>();
        for (SimInstance i : candidates) {
            if ((all || i.running()) && (filters.isEmpty() || filters.matches(i, Ec2QueryApi::statusAttribute))) {
                matching.add(i);
            }
        }
        Paging.Page<SimInstance> page = Paging.page(matching, r.params(), r.action(), 5, 1000);
        XmlWriter xml = begin(r, 256 + page.items().size() * 1200);
        xml.open("instanceStatusSet");
        for (SimInstance i : page.items()) {
            xml.open("item")
                    .elem("instanceId", i.id())
                    .elem("availabilityZone", i.availabilityZone())
                    .open("eventsSet");
            for (SimEvent e : i.events()) {
                xml.open("item")
                        .elem("instanceEventId", e.id())
                        .elem("code", e.code())
                        .elem("description", e.description())
                        .elem("notBefore", e.notBefore())
                        .elem("notAfter", e.notAfter())
                        .close("item");
            }
            xml.close("eventsSet")
                    .open("instanceState").elem("code", i.stateCode()).elem("name", i.state()).close("instanceState");
            writeSummary(xml, "systemStatus", i.running() ? i.systemStatus() : "not-applicable");
            writeSummary(xml, "instanceStatus", i.running() ? i.instanceStatus() : "not-applicable");
            writeSummary(xml, "attachedEbsStatus", i.running() ? i.attachedEbsStatus() : "not-applicable");
            xml.close("item");
        }
        xml.close("instanceStatusSet");
        return end(r, xml, page.nextToken());
    }

    private static void writeSummary(XmlWriter xml, String element, String status) {
        xml.open(element).elem("status", status).open("details");
        if (!"not-applicable".equals(status)) {
            xml.open("item")
                    .elem("name", "reachability")
                    .elem("status", status.equals("ok") ? "passed" : "failed")
                    .close("item");
        }
        xml.close("details").close(element);
    }

    private static List<String> statusAttribute(SimInstance i, String filter) {
        return switch (filter) {
            case "instance-state-name" -> List.of(i.state());
            case "instance-state-code" -> List.of(String.valueOf(i.stateCode()));
            case "availability-zone" -> List.of(i.availabilityZone());
            case "system-status.status" -> List.of(i.running() ? i.systemStatus() : "not-applicable");
            case "instance-status.status" -> List.of(i.running() ? i.instanceStatus() : "not-applicable");
            case "attached-ebs-status.status" -> List.of(i.running() ? i.attachedEbsStatus() : "not-applicable");
            case "event.code" -> i.events().stream().map(SimEvent::code).toList();
            default -> null;
        };
    }

    // ---- DescribeAvailabilityZones / DescribeRegions --------------------------------------------------------

    private String describeAvailabilityZones(ApiRequest r) {
        List<String> zones = Regions.zones(r.region());
        XmlWriter xml = begin(r, 512 + zones.size() * 400);
        xml.open("availabilityZoneInfo");
        for (int z = 0; z < zones.size(); z++) {
            xml.open("item")
                    .elem("optInStatus", "opt-in-not-required")
                    .elem("zoneName", zones.get(z))
                    .elem("zoneId", fleets.zoneId(r.accountId(), zones.get(z)))
                    .elem("groupName", r.region() + "-zg-1")
                    .elem("networkBorderGroup", r.region())
                    .elem("zoneType", "availability-zone")
                    .elem("zoneState", "available")
                    .elem("regionName", r.region())
                    .open("messageSet").close("messageSet")
                    .close("item");
        }
        xml.close("availabilityZoneInfo");
        return end(r, xml, null);
    }

    private String describeRegions(ApiRequest r) {
        Set<String> wanted = new LinkedHashSet<>(r.params().list("RegionName"));
        XmlWriter xml = begin(r, 256 + Regions.ALL.size() * 200);
        xml.open("regionInfo");
        for (String region : Regions.ALL) {
            if (wanted.isEmpty() || wanted.contains(region)) {
                xml.open("item")
                        .elem("regionName", region)
                        .elem("regionEndpoint", "ec2." + region + ".amazonaws.com")
                        .elem("optInStatus", "opt-in-not-required")
                        .close("item");
            }
        }
        xml.close("regionInfo");
        return end(r, xml, null);
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static void writeTags(XmlWriter xml, Map<String, String> tags) {
        xml.open("tagSet");
        for (Map.Entry<String, String> t : tags.entrySet()) {
            xml.open("item").elem("key", t.getKey()).elem("value", t.getValue()).close("item");
        }
        xml.close("tagSet");
    }

    private static <T> List<T> filter(List<T> items, Ec2Filters filters,
            java.util.function.BiFunction<T, String, List<String>> attributes) {
        List<T> out = new ArrayList<>();
        for (T item : items) {
            if (filters.matches(item, attributes)) {
                out.add(item);
            }
        }
        return out;
    }

    private static List<SimInstance> lookupInstances(Fleet fleet, List<String> ids) {
        return lookup(ids, fleet::instance, "InvalidInstanceID.NotFound", "The instance ID '%s' does not exist");
    }

    private static <T> List<T> lookup(List<String> ids, java.util.function.Function<String, T> byId,
            String code, String message) {
        List<T> out = new ArrayList<>(ids.size());
        List<String> missing = new ArrayList<>();
        for (String id : new LinkedHashSet<>(ids)) {
            T item = byId.apply(id);
            if (item == null) {
                missing.add(id);
            } else {
                out.add(item);
            }
        }
        if (!missing.isEmpty()) {
            throw new AwsError(400, code, String.format(message, String.join(", ", missing)));
        }
        return out;
    }
}
