package io.opsgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class RequestAuthTest {
    private static String basic(String userPass) {
        return "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void noneAcceptsEverything() {
        assertThat(RequestAuth.NONE.enabled()).isFalse();
        assertThat(RequestAuth.NONE.accepts(null)).isTrue();
        assertThat(RequestAuth.NONE.challenges()).isEmpty();
    }

    @Test
    void basicAuthNeedsBothHalvesRight() {
        RequestAuth auth = new RequestAuth("prom", "p:w", null);
        assertThat(auth.accepts(basic("prom:p:w"))).as("password may contain ':'").isTrue();
        assertThat(auth.accepts("basic " + Base64.getEncoder().encodeToString("prom:p:w".getBytes(StandardCharsets.UTF_8))))
                .as("scheme is case-insensitive").isTrue();
        assertThat(auth.accepts(basic("prom:p"))).isFalse();
        assertThat(auth.accepts(basic("PROM:p:w"))).isFalse();
        assertThat(auth.accepts(basic("promp:w"))).isFalse();
        assertThat(auth.accepts("Bearer p:w")).as("no bearer configured").isFalse();
        assertThat(auth.challenges()).containsExactly("Basic realm=\"opsgate\", charset=\"UTF-8\"");
    }

    @Test
    void bearerAcceptsTheTokenWithOrWithoutScheme() {
        RequestAuth auth = new RequestAuth(null, null, "t0k");
        assertThat(auth.accepts("Bearer t0k")).isTrue();
        assertThat(auth.accepts("t0k")).isTrue();
        assertThat(auth.accepts("Bearer t0")).isFalse();
        assertThat(auth.accepts("")).isFalse();
        assertThat(auth.accepts(basic("x:t0k"))).isFalse();
        assertThat(auth.challenges()).containsExactly("Bearer realm=\"opsgate\"");
    }
}
