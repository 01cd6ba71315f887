package io.opsgate.testing;

/** What a test needs of a running server, whether it is a child process or a container. */
public interface ServerHandle {
    boolean isAlive();

    /** How it ended, for failure messages ("exited with 1"); meaningful once {@link #isAlive()} is false. */
    String exitStatus();

    /** SIGKILL: nothing is flushed, no shutdown hook runs, as in a crash or an OOM kill. Waits until it is gone. */
    void kill() throws InterruptedException;

    /** SIGTERM, then SIGKILL when it has not exited after a grace period; releases everything it held. */
    void stop() throws InterruptedException;

    static ServerHandle of(Process process) {
        return new ChildProcess(process);
    }
}
