package io.opsgate.collect;

import io.opsgate.config.CollectorName;

/** One collector for one (account, region): the unit that succeeds, fails and keeps its last good data. */
public record CollectorKey(CollectorName collector, TargetKey target) {
}
