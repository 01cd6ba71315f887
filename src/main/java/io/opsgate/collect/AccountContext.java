package io.opsgate.collect;

import io.opsgate.aws.AwsClientFactory;
import io.opsgate.config.OpsGateConfig;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * One configured account: its credentials (shared by all its regions, so one AssumeRole session serves
 * them all) and its account id, resolved once and then remembered.
 */
final class AccountContext {
    private final OpsGateConfig.Account account;
    private final AwsClientFactory factory;
    private final AwsCredentialsProvider credentials;
    private volatile String accountId;

    AccountContext(OpsGateConfig.Account account, AwsClientFactory factory) {
        this.account = account;
        this.factory = factory;
        this.credentials = factory.credentialsFor(account);
        this.accountId = account.id();
    }

    OpsGateConfig.Account account() {
        return account;
    }

    AwsCredentialsProvider credentials() {
        return credentials;
    }

    /** Blocking on first use when the id must be asked of STS; a failure is retried next cycle. */
    synchronized String accountId() {
        if (accountId == null) {
            accountId = factory.resolveAccountId(account, credentials);
        }
        return accountId;
    }

    /** The id if already known, else the account's name: a label for failures before the id is known. */
    String knownIdOrName() {
        String id = accountId;
        return id != null ? id : account.name();
    }
}
