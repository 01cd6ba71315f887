package io.opsgate.collect;

import java.util.List;
import software.amazon.awssdk.services.ec2.model.InstanceStatus;
import software.amazon.awssdk.services.ec2.model.InstanceStatusEvent;
import software.amazon.awssdk.services.ec2.model.InstanceStatusSummary;

/**
 * EC2 status checks and scheduled events from DescribeInstanceStatus: real-time and free, unlike the
 * CloudWatch StatusCheckFailed metrics, which lag and cost per metric.
 */
final class StatusFamilies {
    private StatusFamilies() {
    }

    static List<MetricFamily> build(TargetKey target, List<InstanceStatus> statuses) {
        LabelStrings strings = new LabelStrings();
        FamilyBuilder ok = FamilyBuilder.gauge("aws_ec2_status_check_ok",
                "1 if the EC2 status check passes, 0 if it is impaired, initializing or has insufficient data. "
                        + "Absent while the check does not apply (stopped instance).", strings);
        FamilyBuilder events = FamilyBuilder.gauge("aws_ec2_scheduled_event_timestamp_seconds",
                "Earliest start (NotBefore) of a scheduled EC2 event such as a reboot, maintenance or retirement.", strings);
        FamilyBuilder eventDeadline = FamilyBuilder.gauge("aws_ec2_scheduled_event_deadline_timestamp_seconds",
                "Latest start (NotAfter) of a scheduled EC2 event, when AWS gives one.", strings);
        for (InstanceStatus status : statuses) {
            String id = status.instanceId();
            addCheck(ok, target, id, "system", status.systemStatus());
            addCheck(ok, target, id, "instance", status.instanceStatus());
            addCheck(ok, target, id, "attached_ebs", status.attachedEbsStatus());
            for (InstanceStatusEvent event : status.events()) {
                if (isFinished(event) || event.notBefore() == null) {
                    continue;
                }
                String[] labels = {"account_id", target.accountId(), "region", target.region(), "instance_id", id,
                        "event_id", event.instanceEventId() == null ? "" : event.instanceEventId(),
                        "code", event.codeAsString()};
                events.add(event.notBefore().getEpochSecond(), labels);
                if (event.notAfter() != null) {
                    eventDeadline.add(event.notAfter().getEpochSecond(), labels);
                }
            }
        }
        return List.of(ok.build(), events.build(), eventDeadline.build());
    }

    /** AWS keeps completed and canceled events in the list for a while, marking them in the description. */
    static boolean isFinished(InstanceStatusEvent event) {
        String description = event.description();
        return description != null && (description.startsWith("[Completed]") || description.startsWith("[Canceled]"));
    }

    private static void addCheck(FamilyBuilder ok, TargetKey target, String instanceId, String check,
                                 Object summary) {
        String status = statusOf(summary);
        if (status == null || status.equals("not-applicable")) {
            return;
        }
        ok.add(status.equals("ok") ? 1 : 0, "account_id", target.accountId(), "region", target.region(),
                "instance_id", instanceId, "check", check);
    }

    private static String statusOf(Object summary) {
        if (summary instanceof InstanceStatusSummary s) {
            return s.statusAsString();
        }
        if (summary instanceof software.amazon.awssdk.services.ec2.model.EbsStatusSummary s) {
            return s.statusAsString();
        }
        return null;
    }
}
