package io.opsgate.sim;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** awsQuery's flattened form as an {@link OperationInput}: structure members are {@code prefix.Member}. */
final class QueryInput implements OperationInput {

    private final QueryParams params;
    private final String prefix;

    QueryInput(QueryParams params) {
        this(params, "");
    }

    private QueryInput(QueryParams params, String prefix) {
        this.params = params;
        this.prefix = prefix;
    }

    @Override
    public String string(String member) {
        return params.get(prefix + member);
    }

    @Override
    public Integer integer(String member) {
        return params.integer(prefix + member);
    }

    @Override
    public Boolean bool(String member) {
        String v = params.get(prefix + member);
        return v == null ? null : "true".equalsIgnoreCase(v);
    }

    @Override
    public Instant timestamp(String member) {
        return params.instant(prefix + member);
    }

    @Override
    public OperationInput struct(String member) {
        String p = prefix + member + ".";
        return params.hasPrefix(p) ? new QueryInput(params, p) : null;
    }

    @Override
    public List<OperationInput> structs(String member) {
        List<OperationInput> out = new ArrayList<>();
        for (int n = 1; ; n++) {
            String p = prefix + member + ".member." + n + ".";
            if (!params.hasPrefix(p)) {
                return out;
            }
            out.add(new QueryInput(params, p));
        }
    }

    @Override
    public List<String> strings(String member) {
        return params.list(prefix + member + ".member");
    }

    @Override
    public String path(String member) {
        return prefix + member;
    }
}
