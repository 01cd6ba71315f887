package io.opsgate.sim;

/**
 * The parts of a SigV4 {@code Authorization} header the simulator needs. The signature itself is not verified:
 * the simulator only has to attribute the request to an account and region the way AWS would.
 */
record CredentialScope(String accessKeyId, String date, String region, String service) {

    private static final String ALGORITHM = "AWS4-HMAC-SHA256";

    /** @return the parsed scope, or null when the header is absent */
    static CredentialScope parse(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return null;
        }
        String header = authorization.trim();
        if (!header.startsWith(ALGORITHM + " ")) {
            throw new AwsError(400, "IncompleteSignature",
                    "Unsupported authorization type; only " + ALGORITHM + " is accepted.");
        }
        int at = header.indexOf("Credential=");
        if (at < 0) {
            throw new AwsError(400, "IncompleteSignature",
                    "Authorization header requires 'Credential' parameter.");
        }
        int end = header.indexOf(',', at);
        String credential = header.substring(at + "Credential=".length(), end < 0 ? header.length() : end).trim();
        String[] parts = credential.split("/");
        if (parts.length != 5 || !"aws4_request".equals(parts[4]) || parts[0].isEmpty()) {
            throw new AwsError(400, "IncompleteSignature",
                    "Credential should be scoped to a valid region and service: " + credential);
        }
        if (!header.contains("Signature=")) {
            throw new AwsError(400, "IncompleteSignature",
                    "Authorization header requires 'Signature' parameter.");
        }
        return new CredentialScope(parts[0], parts[1], parts[2], parts[3]);
    }
}
