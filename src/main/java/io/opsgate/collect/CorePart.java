package io.opsgate.collect;

import io.opsgate.config.CollectorName;
import java.time.Instant;
import java.util.List;

/** The first three collectors (EBS volumes, EC2 instances with CPU credits, EC2 status checks) as parts. */
final class CorePart {
    private CorePart() {
    }

    static CollectorPart ebs(TargetKey target) {
        return part(CollectorName.EBS, inventory -> {
            var volumes = inventory.volumes();
            return CollectorPart.PartPlan.of(EbsFamilies.queries(volumes), values -> EbsFamilies.build(target, volumes, values));
        });
    }

    static CollectorPart ec2(TargetKey target) {
        return part(CollectorName.EC2, inventory -> {
            var instances = inventory.instances();
            var creditSpecs = inventory.creditSpecifications();
            return CollectorPart.PartPlan.of(Ec2Families.queries(instances),
                    values -> Ec2Families.build(target, instances, creditSpecs, values));
        });
    }

    static CollectorPart status(TargetKey target) {
        return part(CollectorName.EC2_STATUS, inventory -> {
            var statuses = inventory.instanceStatuses();
            return CollectorPart.PartPlan.of(List.of(), values -> StatusFamilies.build(target, statuses));
        });
    }

    /** A part read every cycle. */
    private static CollectorPart part(CollectorName name, java.util.function.Function<CycleInventory, CollectorPart.PartPlan> plan) {
        return new CollectorPart() {
            @Override
            public CollectorName name() {
                return name;
            }

            @Override
            public PartPlan plan(CycleInventory inventory, Instant now) {
                return plan.apply(inventory);
            }
        };
    }
}
