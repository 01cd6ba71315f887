package io.opsgate.alerts.api;

import io.opsgate.alerts.store.AlertKey;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque {@code cursor} of the paged API: base64url of a small JSON array naming the endpoint and the key of the
 * last row returned. Opaque so that clients only pass back what {@code next} gave them and the key can change.
 */
final class PageCursor {
    private static final String ALERTS = "a";
    private static final String NOTIFICATIONS = "n";
    private static final int MAX_LENGTH = 8192;

    private PageCursor() {
    }

    static String of(AlertKey key) {
        return encode(new JsonArray().add(ALERTS).add(key.routeId()).add(key.fingerprint()));
    }

    static String of(long notificationId) {
        return encode(new JsonArray().add(NOTIFICATIONS).add(notificationId));
    }

    /** @throws IllegalArgumentException when the text is not a cursor of /api/v1/alerts */
    static AlertKey alertKey(String cursor) {
        JsonArray a = decode(cursor);
        if (a.size() != 3 || !ALERTS.equals(a.getValue(0)) || !(a.getValue(1) instanceof String route)
                || !(a.getValue(2) instanceof String fingerprint)) {
            throw invalid();
        }
        return new AlertKey(route, fingerprint);
    }

    /** @throws IllegalArgumentException when the text is not a cursor of /api/v1/notifications */
    static long notificationId(String cursor) {
        JsonArray a = decode(cursor);
        if (a.size() != 2 || !NOTIFICATIONS.equals(a.getValue(0)) || !(a.getValue(1) instanceof Number id)) {
            throw invalid();
        }
        return id.longValue();
    }

    private static String encode(JsonArray a) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(a.encode().getBytes(StandardCharsets.UTF_8));
    }

    private static JsonArray decode(String cursor) {
        if (cursor.length() > MAX_LENGTH) {
            throw invalid();
        }
        try {
            return new JsonArray(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
            throw invalid();
        }
    }

    private static IllegalArgumentException invalid() {
        return new IllegalArgumentException("not a cursor of this endpoint; pass the \"next\" of the previous page");
    }
}
