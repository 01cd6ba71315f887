package io.opsgate.sim;

/** One authenticated query-protocol call, as the API handlers see it. */
record ApiRequest(AwsProtocol protocol, String action, QueryParams params, String accountId, String region,
        String accessKeyId, String requestId) {
}
