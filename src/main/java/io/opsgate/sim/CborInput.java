package io.opsgate.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A Smithy RPC v2 CBOR request body (decoded by Jackson's CBOR data format) as an {@link OperationInput}.
 * Timestamps arrive as epoch seconds (CBOR tag 1, integer or float); Jackson's tree keeps the number.
 */
final class CborInput implements OperationInput {

    private final JsonNode node;
    private final String prefix;

    CborInput(JsonNode node) {
        this(node, "");
    }

    private CborInput(JsonNode node, String prefix) {
        this.node = node;
        this.prefix = prefix;
    }

    private JsonNode member(String name) {
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? null : v;
    }

    @Override
    public String string(String member) {
        JsonNode v = member(member);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw AwsError.invalidParameterValue("Invalid value for parameter " + path(member) + ": a string is expected.");
        }
        return v.textValue();
    }

    @Override
    public Integer integer(String member) {
        JsonNode v = member(member);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw AwsError.invalidParameterValue("Invalid value '" + v.asText() + "' for parameter " + path(member) + ".");
        }
        return v.intValue();
    }

    @Override
    public Boolean bool(String member) {
        JsonNode v = member(member);
        if (v == null) {
            return null;
        }
        if (!v.isBoolean()) {
            throw AwsError.invalidParameterValue("Invalid value '" + v.asText() + "' for parameter " + path(member) + ".");
        }
        return v.booleanValue();
    }

    @Override
    public Instant timestamp(String member) {
        JsonNode v = member(member);
        if (v == null) {
            return null;
        }
        if (!v.isNumber()) {
            throw AwsError.invalidParameterValue("Invalid value '" + v.asText() + "' for parameter " + path(member) + ".");
        }
        double seconds = v.doubleValue();
        long whole = (long) Math.floor(seconds);
        return Instant.ofEpochSecond(whole, Math.round((seconds - whole) * 1e9));
    }

    @Override
    public OperationInput struct(String member) {
        JsonNode v = member(member);
        if (v == null) {
            return null;
        }
        if (!v.isObject()) {
            throw AwsError.invalidParameterValue("Invalid value for parameter " + path(member) + ": a structure is expected.");
        }
        return new CborInput(v, prefix + member + ".");
    }

    @Override
    public List<OperationInput> structs(String member) {
        JsonNode v = list(member);
        List<OperationInput> out = new ArrayList<>(v == null ? 0 : v.size());
        if (v != null) {
            for (int i = 0; i < v.size(); i++) {
                JsonNode item = v.get(i);
                String p = prefix + member + ".member." + (i + 1) + ".";
                if (!item.isObject()) {
                    throw AwsError.invalidParameterValue("Invalid value for parameter " + p + ": a structure is expected.");
                }
                out.add(new CborInput(item, p));
            }
        }
        return out;
    }

    @Override
    public List<String> strings(String member) {
        JsonNode v = list(member);
        List<String> out = new ArrayList<>(v == null ? 0 : v.size());
        if (v != null) {
            for (JsonNode item : v) {
                if (!item.isTextual()) {
                    throw AwsError.invalidParameterValue("Invalid value for parameter " + path(member) + ": strings are expected.");
                }
                out.add(item.textValue());
            }
        }
        return out;
    }

    private JsonNode list(String member) {
        JsonNode v = member(member);
        if (v != null && !v.isArray()) {
            throw AwsError.invalidParameterValue("Invalid value for parameter " + path(member) + ": a list is expected.");
        }
        return v;
    }

    @Override
    public String path(String member) {
        return prefix + member;
    }
}
