package io.opsgate.sim;

import java.util.List;

/**
 * awsQuery-style paging (RDS {@code MaxRecords}/{@code Marker}, ELBv2 {@code PageSize}/{@code Marker}): the same
 * opaque offset tokens as {@link Paging}, under the parameter names these services use.
 */
final class MarkerPaging {

    private MarkerPaging() {
    }

    static <T> Paging.Page<T> page(List<T> all, QueryParams params, String sizeParam, String operation,
            int min, int max, int defaultSize) {
        Integer size = params.integer(sizeParam);
        if (size != null && (size < min || size > max)) {
            throw new AwsError(400, "ValidationError", "1 validation error detected: Value '" + size + "' at '"
                    + Character.toLowerCase(sizeParam.charAt(0)) + sizeParam.substring(1)
                    + "' failed to satisfy constraint: Member must have value between " + min + " and " + max);
        }
        int pageSize = size == null ? defaultSize : size;
        int from = Paging.offset(params.get("Marker"), operation, all.size());
        int to = Math.min(all.size(), from + pageSize);
        return new Paging.Page<>(all.subList(from, to), to < all.size() ? Paging.token(operation, to) : null);
    }

    /** Opens {@code <ActionResponse xmlns><ActionResult>}; {@link #end} closes both and adds the request id. */
    static XmlWriter begin(ApiRequest r, int capacity) {
        XmlWriter xml = new XmlWriter(capacity);
        return xml.openNs(r.action() + "Response", r.protocol().namespace()).open(r.action() + "Result");
    }

    static String end(ApiRequest r, XmlWriter xml) {
        return xml.close(r.action() + "Result")
                .open("ResponseMetadata").elem("RequestId", r.requestId()).close("ResponseMetadata")
                .close(r.action() + "Response").toString();
    }
}
