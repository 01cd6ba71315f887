package io.opsgate.alerts.template;

/**
 * A template's output, stripped of surrounding whitespace.
 *
 * @param text the output, at most the limit it was rendered with
 * @param cut  whether the template produced more visible text than the limit, which was dropped
 */
public record Rendered(String text, boolean cut) {
}
