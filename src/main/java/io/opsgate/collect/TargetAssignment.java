package io.opsgate.collect;

import java.time.Instant;

/**
 * Which configured targets this process collects, when several replicas share the work (one lease per target in
 * PostgreSQL, see {@code io.opsgate.replica}). A single process collects every target ({@link #ALL}). Every method is
 * called on Vert.x threads and must not block.
 */
public interface TargetAssignment {
    TargetAssignment ALL = new TargetAssignment() {
        @Override
        public boolean collects(String targetId) {
            return true;
        }

        @Override
        public boolean receivedElsewhere(String targetId) {
            return false;
        }

        @Override
        public void recorded(String targetId, CycleResult result, Snapshot snapshot, Instant finishedAt) {
        }
    };

    /** Whether this process runs the target's cycles now. */
    boolean collects(String targetId);

    /** Whether a result another process collected for the target has been applied here (readiness counts it). */
    boolean receivedElsewhere(String targetId);

    /** Told after a cycle's result is in the snapshot, with that snapshot: the collecting replica publishes it. */
    void recorded(String targetId, CycleResult result, Snapshot snapshot, Instant finishedAt);
}
