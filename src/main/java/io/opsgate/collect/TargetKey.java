package io.opsgate.collect;

/** One (account, region) pair: the unit of scheduling. */
public record TargetKey(String accountId, String region) {
}
