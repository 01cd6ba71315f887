package io.opsgate.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** RDS (awsQuery, API version 2014-10-31): DescribeDBInstances over the caller's account and region. */
final class RdsQueryApi implements QueryApi {

    private final FleetModel fleets;

    RdsQueryApi(FleetModel fleets) {
        this.fleets = fleets;
    }

    @Override
    public String handle(ApiRequest r) {
        if (!r.action().equals("DescribeDBInstances")) {
            throw QueryApi.invalidAction(r.action());
        }
        List<SimDatabase> all = fleets.databases(r.accountId(), r.region());
        String wanted = r.params().get("DBInstanceIdentifier");
        if (wanted != null) {
            List<SimDatabase> one = new ArrayList<>(1);
            for (SimDatabase db : all) {
                if (db.identifier().equals(wanted) || db.arn().equals(wanted)) {
                    one.add(db);
                }
            }
            if (one.isEmpty()) {
                throw new AwsError(404, "DBInstanceNotFound", "DBInstance " + wanted + " not found.");
            }
            all = one;
        }
        Paging.Page<SimDatabase> page = MarkerPaging.page(all, r.params(), "MaxRecords", r.action(), 20, 100, 100);
        XmlWriter xml = MarkerPaging.begin(r, 512 + page.items().size() * 1500);
        xml.open("DBInstances");
        for (SimDatabase db : page.items()) {
            write(xml, db);
        }
        xml.close("DBInstances").elem("Marker", page.nextToken());
        return MarkerPaging.end(r, xml);
    }

    private static void write(XmlWriter xml, SimDatabase db) {
        xml.open("DBInstance")
                .elem("DBInstanceIdentifier", db.identifier())
                .elem("DBInstanceClass", db.instanceClass())
                .elem("Engine", db.engine())
                .elem("DBInstanceStatus", db.status())
                .elem("MasterUsername", "admin");
        if (!db.status().equals("stopped")) {
            xml.open("Endpoint")
                    .elem("Address", db.address())
                    .elem("Port", db.port())
                    .elem("HostedZoneId", "Z2R2ITUGPM61AM")
                    .close("Endpoint");
        }
        xml.elem("AllocatedStorage", 100)
                .elem("AvailabilityZone", db.availabilityZone())
                .open("DBSubnetGroup")
                .elem("DBSubnetGroupName", "default-" + db.vpcId())
                .elem("VpcId", db.vpcId())
                .elem("SubnetGroupStatus", "Complete")
                .close("DBSubnetGroup")
                .elem("MultiAZ", db.multiAz())
                .elem("EngineVersion", db.engineVersion())
                .elem("PubliclyAccessible", false)
                .elem("StorageType", "gp3")
                .elem("DbiResourceId", db.resourceId())
                .elem("DBInstanceArn", db.arn())
                .open("TagList");
        for (Map.Entry<String, String> t : db.tags().entrySet()) {
            xml.open("Tag").elem("Key", t.getKey()).elem("Value", t.getValue()).close("Tag");
        }
        xml.close("TagList").close("DBInstance");
    }
}
