package io.opsgate.sim;

/** One service's operations. Returns the 200 reply body or throws {@link AwsError}. */
interface QueryApi {

    String handle(ApiRequest request);

    static AwsError invalidAction(String action) {
        return new AwsError(400, "InvalidAction", "The action " + action + " is not valid for this web service.");
    }
}
