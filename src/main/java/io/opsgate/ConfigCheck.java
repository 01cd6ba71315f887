package io.opsgate;

import io.opsgate.alerts.routing.RouteCompiler;
import io.opsgate.alerts.template.TemplateEngine;
import io.opsgate.config.ConfigException;
import io.opsgate.config.OpsGateConfig;
import io.opsgate.config.Origins;
import io.opsgate.discovery.SdJobs;

/**
 * Checks the values of a loaded configuration whose syntax belongs to a capability package: route matchers
 * (alerts.routing), message templates (alerts.template) and http_sd jobs (discovery). {@code config} reads them as
 * text with their positions and imports none of those packages; each package validates its own syntax and reports
 * {@code file:line:col: key: message}. {@code check-config}, {@code run} and {@code demo} run this before starting.
 */
public final class ConfigCheck {
    private ConfigCheck() {
    }

    /** @return {@code config}, when every value is valid */
    public static OpsGateConfig check(OpsGateConfig config) throws ConfigException {
        RouteCompiler.compile(config.route());
        for (OpsGateConfig.Receiver r : config.receivers()) {
            for (OpsGateConfig.SlackConfig c : r.slack()) {
                templates(c.title(), c.text(), c.at());
            }
            for (OpsGateConfig.WebhookConfig c : r.webhooks()) {
                templates(c.title(), c.text(), c.at());
            }
            for (OpsGateConfig.PagerDutyConfig c : r.pagerDuty()) {
                templates(c.title(), c.text(), c.at());
            }
            for (OpsGateConfig.LogConfig c : r.log()) {
                templates(null, c.text(), c.at());
            }
            for (OpsGateConfig.TeamsConfig c : r.teams()) {
                templates(c.title(), c.text(), c.at());
            }
            for (OpsGateConfig.EmailConfig c : r.email()) {
                template(c.to(), c.at(), "to");
                template(c.from(), c.at(), "from");
                template(c.subject(), c.at(), "subject");
                template(c.html(), c.at(), "html");
                template(c.text(), c.at(), "text");
            }
            for (OpsGateConfig.SnsConfig c : r.sns()) {
                template(c.subject(), c.at(), "subject");
                template(c.message(), c.at(), "message");
            }
        }
        SdJobs.compile(config.discovery().jobs());
        return config;
    }

    private static void template(String source, Origins at, String key) throws ConfigException {
        if (source != null) {
            TemplateEngine.check(source, at.of(key));
        }
    }

    private static void templates(String title, String text, Origins at) throws ConfigException {
        if (title != null) {
            TemplateEngine.check(title, at.of("title"));
        }
        if (text != null) {
            TemplateEngine.check(text, at.of("text"));
        }
    }
}
