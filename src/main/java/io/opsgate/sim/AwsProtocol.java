package io.opsgate.sim;

/**
 * The query-style services the simulator speaks. They share the request encoding but differ in API
 * version, XML namespace, error envelope and the error codes used for throttling and internal failures.
 */
enum AwsProtocol {
    EC2("ec2", "2016-11-15", "http://ec2.amazonaws.com/doc/2016-11-15/"),
    CLOUDWATCH("monitoring", "2010-08-01", "http://monitoring.amazonaws.com/doc/2010-08-01/"),
    STS("sts", "2011-06-15", "https://sts.amazonaws.com/doc/2011-06-15/"),
    RDS("rds", "2014-10-31", "http://rds.amazonaws.com/doc/2014-10-31/"),
    ELBV2("elasticloadbalancing", "2015-12-01", "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"),
    SNS("sns", "2010-03-31", "http://sns.amazonaws.com/doc/2010-03-31/");

    private final String signingName;
    private final String version;
    private final String namespace;

    AwsProtocol(String signingName, String version, String namespace) {
        this.signingName = signingName;
        this.version = version;
        this.namespace = namespace;
    }

    String namespace() {
        return namespace;
    }

    /** The service named by the SigV4 credential scope, falling back to the API {@code Version} parameter. */
    static AwsProtocol resolve(String scopeService, String version) {
        if (scopeService != null) {
            for (AwsProtocol p : values()) {
                if (p.signingName.equals(scopeService)) {
                    return p;
                }
            }
        }
        if (version != null) {
            for (AwsProtocol p : values()) {
                if (p.version.equals(version)) {
                    return p;
                }
            }
        }
        return null;
    }

    /** EC2 answers 503 RequestLimitExceeded; the awsQuery services answer 400 Throttling "Rate exceeded". */
    AwsError throttlingError() {
        return this == EC2
                ? new AwsError(503, "RequestLimitExceeded", "Request limit exceeded.")
                : new AwsError(400, "Throttling", "Rate exceeded");
    }

    AwsError internalError() {
        return this == EC2
                ? new AwsError(500, "InternalError", "An internal error has occurred")
                : new AwsError(500, "InternalFailure",
                        "The request processing has failed because of an unknown error, exception or failure.");
    }

    AwsError missingAuthentication() {
        return this == EC2
                ? new AwsError(403, "MissingAuthenticationToken",
                        "The request must contain either a valid (registered) AWS access key ID or X.509 certificate.")
                : new AwsError(403, "MissingAuthenticationToken", "Request is missing Authentication Token");
    }

    String renderError(AwsError error, String requestId) {
        XmlWriter xml = new XmlWriter(256);
        if (this == EC2) {
            xml.open("Response").open("Errors").open("Error")
                    .elem("Code", error.code()).elem("Message", error.getMessage())
                    .close("Error").close("Errors")
                    .elem("RequestID", requestId)
                    .close("Response");
        } else {
            xml.openNs("ErrorResponse", namespace).open("Error")
                    .elem("Type", error.type()).elem("Code", error.code()).elem("Message", error.getMessage())
                    .close("Error")
                    .elem("RequestId", requestId)
                    .close("ErrorResponse");
        }
        return xml.toString();
    }
}
