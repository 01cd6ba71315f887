package io.opsgate.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.util.Map;

/**
 * Smithy RPC v2 CBOR, the protocol SDKs from 2.40.6 on use for CloudWatch: {@code POST
 * /service/GraniteServiceVersion20100801/operation/<Operation>} with {@code smithy-protocol: rpc-v2-cbor} and a
 * CBOR map as the body. CloudWatch is {@code awsQueryCompatible}: an error carries its awsQuery code in the
 * {@code x-amzn-query-error} header ({@code Code;Sender}), which the SDK reports as the error code, and the
 * modeled error's shape id in the body's {@code __type}, which selects the SDK's exception class.
 */
final class RpcV2Cbor {

    static final String PATH_PREFIX = "/service/";
    static final String CLOUDWATCH_SERVICE = "GraniteServiceVersion20100801";
    static final String PROTOCOL_HEADER = "smithy-protocol";
    static final String PROTOCOL = "rpc-v2-cbor";
    static final String CONTENT_TYPE = "application/cbor";
    static final String QUERY_ERROR_HEADER = "x-amzn-query-error";

    private static final CBORMapper MAPPER = new CBORMapper();
    private static final String NAMESPACE = "com.amazonaws.cloudwatch#";
    /** awsQuery error code -> the CloudWatch model's error shape (errors the model does not name keep their code). */
    private static final Map<String, String> MODELED = Map.of(
            "InvalidParameterValue", "InvalidParameterValueException",
            "MissingParameter", "MissingRequiredParameterException",
            "InvalidParameterCombination", "InvalidParameterCombinationException",
            "InvalidNextToken", "InvalidNextToken",
            "InternalServiceError", "InternalServiceFault",
            "LimitExceeded", "LimitExceededFault",
            "ResourceNotFound", "ResourceNotFound");

    /** The target of an RPC v2 request: service and operation from the path. */
    record Target(String service, String operation) {
    }

    private RpcV2Cbor() {
    }

    /** @return the target when the path has the RPC v2 shape, else null (an awsQuery or ec2-query request) */
    static Target target(HttpServerRequest req) {
        String path = req.path();
        if (path == null || !path.startsWith(PATH_PREFIX)) {
            return null;
        }
        String[] parts = path.substring(PATH_PREFIX.length()).split("/", -1);
        if (parts.length != 3 || !"operation".equals(parts[1]) || parts[0].isEmpty() || parts[2].isEmpty()) {
            return new Target("", "Unknown");
        }
        return new Target(parts[0], parts[2]);
    }

    /** Checks method, service, header and operation before any work is done (all answered as CBOR errors). */
    static void validate(HttpServerRequest req, Target target) {
        if (req.method() != HttpMethod.POST) {
            throw new AwsError(405, "MethodNotAllowed", "RPC v2 requests use POST.");
        }
        if (!CLOUDWATCH_SERVICE.equals(target.service())) {
            throw new AwsError(404, "UnknownOperationException", "No service " + target.service() + " here.");
        }
        if (!PROTOCOL.equals(req.getHeader(PROTOCOL_HEADER))) {
            throw new AwsError(400, "InvalidRequest", "RPC v2 requests carry the header " + PROTOCOL_HEADER + ": " + PROTOCOL + ".");
        }
    }

    /** Decodes the body (an absent body is an empty input, as for operations without input members). */
    static OperationInput input(Buffer body) {
        if (body == null || body.length() == 0) {
            return new CborInput(JsonNodeFactory.instance.objectNode());
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body.getBytes());
        } catch (IOException e) {
            throw new AwsError(400, "SerializationException", "The request body is not valid CBOR.");
        }
        if (node == null || !node.isObject()) {
            throw new AwsError(400, "SerializationException", "The request body must be a CBOR map.");
        }
        return new CborInput(node);
    }

    static String errorType(String code) {
        String shape = MODELED.get(code);
        return shape == null ? code : NAMESPACE + shape;
    }

    static byte[] errorBody(AwsError error) {
        return CborOutput.map("__type", errorType(error.code()), "message", error.getMessage());
    }

    static String queryErrorHeader(AwsError error) {
        return error.code() + ";" + error.type();
    }
}
