package io.opsgate.sim;

import java.time.Instant;
import java.util.List;

/**
 * The members of one operation's input, read the same way whichever wire protocol carried them: awsQuery's
 * flattened form ({@code MetricDataQueries.member.1.Id}) or Smithy RPC v2 CBOR's nested maps. Member names are the
 * model's (PascalCase for CloudWatch in both protocols). {@link #path} names a member as awsQuery spells it, so
 * error messages read the same on both protocols.
 */
interface OperationInput {

    String string(String member);

    /** @throws AwsError InvalidParameterValue when the member is present but not a whole number */
    Integer integer(String member);

    Boolean bool(String member);

    /** @throws AwsError InvalidParameterValue when the member is present but not a timestamp */
    Instant timestamp(String member);

    /** A nested structure, or null when absent. */
    OperationInput struct(String member);

    /** A list of structures; empty when absent. */
    List<OperationInput> structs(String member);

    /** A list of strings; empty when absent. */
    List<String> strings(String member);

    /** The member's awsQuery parameter name, for error messages. */
    String path(String member);
}
