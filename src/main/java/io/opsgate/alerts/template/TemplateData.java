package io.opsgate.alerts.template;

import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.model.AlertStatus;
import io.opsgate.alerts.model.Notification;
import io.opsgate.alerts.model.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a template sees, named after Alertmanager's template data in camelCase:
 * <pre>
 * status             "firing" or "resolved"
 * receiver, route, groupKey, externalURL
 * alerts             every alert: status, labels, annotations, startsAt, endsAt, generatorURL, fingerprint
 * firing, resolved   the alerts with that status
 * groupLabels, commonLabels, commonAnnotations   (maps; a missing key renders as "")
 * notificationReason why Alertmanager (0.32 and later) notified: "first notification", "new alerts added",
 *                    "some alerts resolved", "all alerts resolved", "repeat interval elapsed" (also OpsGate's own
 *                    reminders); "" when Alertmanager did not say
 * </pre>
 * Times are RFC 3339 strings; {@code endsAt} is "" while unknown. Label maps are sorted by name, so
 * {@code {% for name, value in commonLabels %}} is stable.
 */
public final class TemplateData {
    private TemplateData() {
    }

    public static Map<String, Object> of(Notification n) {
        return of(n, n.alerts(), n.status());
    }

    /**
     * The data of {@code n} narrowed to one alert, for destinations that take one event per alert (PagerDuty, the
     * log): {@code alerts} holds only it, and {@code commonLabels} and {@code commonAnnotations} are its own.
     */
    public static Map<String, Object> forAlert(Notification n, Alert alert) {
        Map<String, Object> data = of(n, List.of(alert), alert.status());
        data.put("commonLabels", new TreeMap<>(alert.labels()));
        data.put("commonAnnotations", new TreeMap<>(alert.annotations()));
        return data;
    }

    /**
     * The data of {@code n} holding only {@code alerts}, a part of its alerts, as Alertmanager computes the data of a
     * webhook cut to {@code max_alerts}: {@code status}, {@code commonLabels} and {@code commonAnnotations} are
     * those of the alerts kept.
     */
    public static Map<String, Object> forAlerts(Notification n, List<Alert> alerts) {
        if (alerts.equals(n.alerts())) {
            return of(n);
        }
        boolean firing = alerts.stream().anyMatch(a -> a.status() == AlertStatus.FIRING);
        Map<String, Object> data = of(n, alerts, firing ? AlertStatus.FIRING : AlertStatus.RESOLVED);
        data.put("commonLabels", new TreeMap<>(common(alerts.stream().map(Alert::labels).toList())));
        data.put("commonAnnotations", new TreeMap<>(common(alerts.stream().map(Alert::annotations).toList())));
        return data;
    }

    /** The pairs every map holds (Alertmanager's common labels and annotations); empty for no maps. */
    public static Map<String, String> common(List<Map<String, String>> maps) {
        if (maps.isEmpty()) {
            return Map.of();
        }
        Map<String, String> common = new TreeMap<>(maps.get(0));
        for (Map<String, String> m : maps.subList(1, maps.size())) {
            common.entrySet().removeIf(e -> !e.getValue().equals(m.get(e.getKey())));
        }
        return common;
    }

    private static Map<String, Object> of(Notification n, List<Alert> alerts, AlertStatus status) {
        List<Map<String, Object>> maps = new ArrayList<>(alerts.size());
        alerts.forEach(a -> maps.add(alert(a)));
        return ofMaps(n, maps, status);
    }

    /** The data with {@code alerts} already turned into template maps, e.g. a prefix of them (see {@link TextBudget}). */
    static Map<String, Object> ofMaps(Notification n, List<Map<String, Object>> alerts, AlertStatus status) {
        List<Map<String, Object>> firing = new ArrayList<>();
        List<Map<String, Object>> resolved = new ArrayList<>();
        for (Map<String, Object> m : alerts) {
            (AlertStatus.FIRING.wire().equals(m.get("status")) ? firing : resolved).add(m);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("status", status.wire());
        data.put("receiver", n.receiver());
        data.put("route", n.route());
        data.put("groupKey", n.groupKey());
        data.put("externalURL", n.externalUrl());
        data.put("alerts", alerts);
        data.put("firing", firing);
        data.put("resolved", resolved);
        data.put("groupLabels", new TreeMap<>(n.groupLabels()));
        data.put("commonLabels", new TreeMap<>(n.commonLabels()));
        data.put("commonAnnotations", new TreeMap<>(n.commonAnnotations()));
        data.put("notificationReason", n.notificationReason());
        return data;
    }

    public static Map<String, Object> alert(Alert a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", a.status().wire());
        m.put("labels", new TreeMap<>(a.labels()));
        m.put("annotations", new TreeMap<>(a.annotations()));
        m.put("startsAt", time(a.startsAt()));
        m.put("endsAt", time(a.endsAt()));
        m.put("generatorURL", a.generatorUrl() == null ? "" : a.generatorUrl());
        m.put("fingerprint", a.fingerprint());
        return m;
    }

    private static String time(Instant t) {
        return t == null ? "" : Timestamps.format(t);
    }
}
