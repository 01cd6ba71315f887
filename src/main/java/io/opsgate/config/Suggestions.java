package io.opsgate.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Finds the known name a user most likely meant, so typos get a "did you mean" instead of a bare rejection. */
public final class Suggestions {
    private Suggestions() {
    }

    /** The closest candidate, if one is close enough to be a plausible typo of {@code input}. */
    static Optional<String> closest(String input, Collection<String> candidates) {
        String normalizedInput = normalize(input);
        // Far-fetched suggestions are worse than none, so allow about one edit per three characters.
        int limit = Math.max(1, Math.min(3, input.length() / 3));
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            // "maxAttempts" or "Max-Attempts" for "max_attempts" is a spelling of the same word, not a typo.
            int distance = normalize(candidate).equals(normalizedInput) ? 0 : distance(input, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return bestDistance <= limit ? Optional.of(best) : Optional.empty();
    }

    /** {@code ; did you mean "x"?} or {@code ; expected one of: a, b, c}, ready to append to an error message. */
    public static String hint(String input, Collection<String> candidates) {
        return closest(input, candidates)
                .map(s -> "; did you mean \"" + s + "\"?")
                .orElseGet(() -> "; expected one of: " + String.join(", ", candidates));
    }

    private static String normalize(String s) {
        return s.replace("_", "").replace("-", "").toLowerCase(Locale.ROOT);
    }

    /** Optimal string alignment distance: Levenshtein plus swaps of neighbours, the most common typo. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
