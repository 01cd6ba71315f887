package io.opsgate.alerts.notify;

import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.model.Notification;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The links a message offers besides its text: where its alerts come from (their distinct generatorURLs, the first
 * few) and Alertmanager's view of the group. A link is never cut (a cut URL leads nowhere): one longer than
 * {@link #MAX_URL_CHARS} is left out.
 */
final class AlertLinks {
    /** Longer URLs are left out; browsers and Teams handle about this much. */
    static final int MAX_URL_CHARS = 2048;

    record Link(String title, String url) {
    }

    private AlertLinks() {
    }

    static List<Link> of(Notification n, int maxSources) {
        Set<String> sources = new LinkedHashSet<>();
        for (Alert a : n.alerts()) {
            if (sources.size() >= maxSources) {
                break;
            }
            if (a.generatorUrl() != null && !a.generatorUrl().isBlank() && a.generatorUrl().length() <= MAX_URL_CHARS) {
                sources.add(a.generatorUrl());
            }
        }
        List<Link> links = new ArrayList<>();
        int i = 0;
        for (String source : sources) {
            links.add(new Link("Source" + (sources.size() > 1 ? " " + (++i) : ""), source));
        }
        if (n.externalUrl() != null && !n.externalUrl().isBlank()) {
            String am = SlackChannel.alertmanagerUrl(n);
            if (am.length() <= MAX_URL_CHARS) {
                links.add(new Link("Alertmanager", am));
            }
        }
        return links;
    }
}
