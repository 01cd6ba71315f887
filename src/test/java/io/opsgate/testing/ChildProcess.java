package io.opsgate.testing;

import java.util.concurrent.TimeUnit;

/** A server running as a child process of the test JVM. */
final class ChildProcess implements ServerHandle {
    private final Process process;

    ChildProcess(Process process) {
        this.process = process;
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public String exitStatus() {
        return process.isAlive() ? "still running" : "exited with " + process.exitValue();
    }

    @Override
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
