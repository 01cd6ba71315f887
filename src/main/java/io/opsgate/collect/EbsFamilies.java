package io.opsgate.collect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeAttachment;

/** EBS volume facts and their BurstBalance as metric families. */
final class EbsFamilies {
    /** Only these types have a burst bucket; gp3, io1, io2 and standard never report BurstBalance. */
    static final Set<String> BURSTING_TYPES = Set.of("gp2", "st1", "sc1");
    private static final long GIB = 1024L * 1024 * 1024;

    private EbsFamilies() {
    }

    /** BurstBalance is published only while a bursting volume is attached. */
    static boolean reportsBurstBalance(Volume volume) {
        return BURSTING_TYPES.contains(volume.volumeTypeAsString()) && "in-use".equals(volume.stateAsString());
    }

    static List<MetricQuery> queries(List<Volume> volumes) {
        List<MetricQuery> queries = new ArrayList<>();
        for (Volume volume : volumes) {
            if (reportsBurstBalance(volume)) {
                queries.add(burstBalance(volume.volumeId()));
            }
        }
        return queries;
    }

    static MetricQuery burstBalance(String volumeId) {
        return new MetricQuery("AWS/EBS", "BurstBalance", "VolumeId", volumeId, "Average");
    }

    static List<MetricFamily> build(TargetKey target, List<Volume> volumes, Map<MetricQuery, Double> values) {
        LabelStrings strings = new LabelStrings();
        FamilyBuilder info = FamilyBuilder.info("aws_ebs_volume_info",
                "EBS volume facts; value is always 1. Tags appear as tag_<Key> labels.", strings);
        FamilyBuilder size = FamilyBuilder.gauge("aws_ebs_volume_size_bytes", "Provisioned size of the EBS volume.", strings);
        FamilyBuilder iops = FamilyBuilder.gauge("aws_ebs_volume_iops",
                "Provisioned IOPS of the EBS volume (for gp2, its baseline IOPS).", strings);
        FamilyBuilder burst = FamilyBuilder.gauge("aws_ebs_burst_balance_ratio",
                "Remaining I/O burst credits of a gp2, st1 or sc1 volume (CloudWatch BurstBalance), 0-1.", strings);
        for (Volume volume : volumes) {
            String id = volume.volumeId();
            info.addInfo(volume.tags(),
                    "account_id", target.accountId(), "region", target.region(), "volume_id", id,
                    "volume_type", volume.volumeTypeAsString(), "availability_zone", volume.availabilityZone(),
                    "state", volume.stateAsString(), "instance_id", attachedInstance(volume),
                    "encrypted", String.valueOf(Boolean.TRUE.equals(volume.encrypted())));
            if (volume.size() != null) {
                size.add(volume.size() * (double) GIB, "account_id", target.accountId(), "region", target.region(), "volume_id", id);
            }
            if (volume.iops() != null) {
                iops.add(volume.iops(), "account_id", target.accountId(), "region", target.region(), "volume_id", id);
            }
            Double balance = values.get(burstBalance(id));
            if (balance != null && reportsBurstBalance(volume)) {
                burst.add(Ratios.fromPercent(balance), "account_id", target.accountId(), "region", target.region(), "volume_id", id);
            }
        }
        return List.of(info.build(), size.build(), iops.build(), burst.build());
    }

    private static String attachedInstance(Volume volume) {
        for (VolumeAttachment attachment : volume.attachments()) {
            if (attachment.instanceId() != null) {
                return attachment.instanceId();
            }
        }
        return "";
    }
}
