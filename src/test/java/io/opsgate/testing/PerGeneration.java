package io.opsgate.testing;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One fixture per {@link PeerGeneration}, started on first use and kept for the rest of the test class: a test
 * class parameterized over the generations shares its system under test (the demo, the gateway) and runs one peer
 * of each generation beside it. A generation whose binaries are missing skips (or, under CI, fails) only its own
 * invocations. Close it in {@code @AfterAll}.
 */
public final class PerGeneration<T extends AutoCloseable> implements AutoCloseable {
    @FunctionalInterface
    public interface Factory<T> {
        T start(PeerGeneration generation) throws Exception;
    }

    private final Factory<T> factory;
    private final Map<PeerGeneration, T> started = new EnumMap<>(PeerGeneration.class);

    public PerGeneration(Factory<T> factory) {
        this.factory = factory;
    }

    public synchronized T get(PeerGeneration generation) throws Exception {
        T fixture = started.get(generation);
        if (fixture == null) {
            fixture = factory.start(generation);
            started.put(generation, fixture);
        }
        return fixture;
    }

    @Override
    public synchronized void close() throws Exception {
        List<Exception> failures = new ArrayList<>();
        for (T fixture : started.values()) {
            try {
                fixture.close();
            } catch (Exception e) {
                failures.add(e);
            }
        }
        started.clear();
        if (!failures.isEmpty()) {
            Exception first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }
}
