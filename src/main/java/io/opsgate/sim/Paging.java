package io.opsgate.sim;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** EC2-style MaxResults/NextToken paging over an already filtered list. Tokens are opaque offsets. */
final class Paging {

    record Page<T>(List<T> items, String nextToken) {
    }

    private Paging() {
    }

    static <T> Page<T> page(List<T> all, QueryParams params, String operation, int min, int max) {
        Integer maxResults = params.integer("MaxResults");
        if (maxResults != null && maxResults < min) {
            // AWS words the lower bound this way although the bound itself is accepted.
            throw AwsError.invalidParameterValue("Value ( " + maxResults
                    + " ) for parameter maxResults is invalid. Expecting a value greater than " + min + ".");
        }
        if (maxResults != null && maxResults > max) {
            throw AwsError.invalidParameterValue("Value ( " + maxResults
                    + " ) for parameter maxResults is invalid. Expecting a value less than or equal to " + max + ".");
        }
        int from = offset(params.get("NextToken"), operation, all.size());
        int to = maxResults == null ? all.size() : Math.min(all.size(), from + maxResults);
        String next = to < all.size() ? token(operation, to) : null;
        return new Page<>(all.subList(from, to), next);
    }

    static String token(String operation, int offset) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((operation + ":" + offset).getBytes(StandardCharsets.UTF_8));
    }

    static int offset(String token, String operation, int size) {
        if (token == null || token.isEmpty()) {
            return 0;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (decoded.startsWith(operation + ":")) {
                int offset = Integer.parseInt(decoded.substring(operation.length() + 1));
                if (offset >= 0 && offset <= size) {
                    return offset;
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw AwsError.invalidParameterValue("The token '" + token + "' is invalid.");
    }
}
