package io.opsgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ListenAddressTest {

    @ParameterizedTest
    @CsvSource({
        "0.0.0.0:9108, 0.0.0.0, 9108",
        "127.0.0.1:80, 127.0.0.1, 80",
        "localhost:0, localhost, 0",
        "opsgate.example.com:65535, opsgate.example.com, 65535",
        ":9108, 0.0.0.0, 9108",
        "[::1]:9108, ::1, 9108",
        "[::]:9108, ::, 9108",
        "[fe80::1%eth0]:9108, fe80::1%eth0, 9108",
    })
    void parses(String text, String host, int port) {
        assertThat(ListenAddress.parse(text)).isEqualTo(new OpsGateConfig.Server(host, port));
    }

    @ParameterizedTest
    @ValueSource(strings = {"9108", "host", "host:", "host:http", "host:65536", "::1:9108", "[::1]", "[::1]9108",
        "[host]:9108", "bad host:1", "a/b:1"})
    void rejects(String text) {
        assertThatThrownBy(() -> ListenAddress.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
