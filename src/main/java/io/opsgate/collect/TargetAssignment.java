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
        public boolean attemptedElsewhere(String targetId) {
            return false;
        }

        @Override
        public void recorded(String targetId, CycleResult result, Snapshot snapshot, Instant finishedAt) {
        }
    };

    /** Whether this process runs the target's cycles now. */
    boolean collects(String targetId);

    /**
     * Asked when a cycle of the target is due: whether this process runs it. When it answers true the target counts as
     * running here until {@link #finished}, so that a replica never hands a lease over in the middle of a cycle.
     */
    default boolean claim(String targetId) {
        return collects(targetId);
    }

    /** Told when a cycle that {@link #claim} allowed has ended, whatever its outcome (after recorded or failed). */
    default void finished(String targetId) {
    }

    /**
     * Whether another process's attempt of the target (a result it published, or a cycle of it that failed) is known
     * here: readiness counts it, so that every replica is ready at the same point.
     */
    boolean attemptedElsewhere(String targetId);

    /**
     * Told after each result is in the snapshot, with that snapshot: the collecting replica publishes it. A cycle's
     * result, and later the result of each beside part that was still running then ({@link CycleResult#late()}).
     */
    void recorded(String targetId, CycleResult result, Snapshot snapshot, Instant finishedAt);

    /** Told when a cycle failed as a whole (nothing recorded): the collecting replica makes the attempt known. */
    default void failed(String targetId) {
    }
}
