package io.opsgate.sim;

import java.nio.charset.StandardCharsets;

/** Stateless 64-bit mixing, so that every simulated fact is a pure function of the seed and its inputs. */
final class Hashing {

    private Hashing() {
    }

    /** SplitMix64 finaliser: good avalanche, cheap, no allocation. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    static long mix(long a, long b) {
        return mix(a * 0x9e3779b97f4a7c15L + mix(b));
    }

    static long mix(long a, String s) {
        long h = a;
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            h = h * 31 + (b & 0xff);
        }
        return mix(a, mix(h + bytes.length));
    }

    /** Uniform double in [0, 1) from a hash. */
    static double unit(long hash) {
        return (hash >>> 11) * 0x1.0p-53;
    }
}
