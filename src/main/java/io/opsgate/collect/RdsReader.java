package io.opsgate.collect;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;

/** RDS DescribeDBInstances, paginated with the largest page AWS allows (100); each instance carries its TagList. */
final class RdsReader {
    private RdsReader() {
    }

    static List<DBInstance> databases(RdsClient rds) {
        List<DBInstance> databases = new ArrayList<>();
        rds.describeDBInstancesPaginator(r -> r.maxRecords(100)).forEach(page -> databases.addAll(page.dbInstances()));
        return databases;
    }
}
