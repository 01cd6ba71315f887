package io.opsgate.alerts.notify;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Sends the events of one notification, at most {@code maxInFlight} at a time, and stops starting new ones at the
 * first "retry later" (a 429 from PagerDuty's rate limit of about 120 events a minute per key, a 5xx, a timeout):
 * hammering on would only be refused too. Which events PagerDuty accepted is remembered per notification, so the
 * retry sends only the rest: a group of 5,000 alerts gets through at PagerDuty's pace instead of re-sending its
 * first events forever. The memory is this process's (bounded to {@link #REMEMBERED} notifications); after a
 * restart a retry sends every event again, which their dedup_key makes harmless.
 */
final class EventFanout {
    static final int REMEMBERED = 1024;

    private final int maxInFlight;
    private final Map<Long, BitSet> accepted = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, BitSet> eldest) {
            return size() > REMEMBERED;
        }
    };

    EventFanout(int maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    /** Posts {@code events} of notification {@code id} with {@code post}; completes with the worst outcome. */
    Future<DeliveryOutcome> send(long id, List<Buffer> events, Function<Buffer, Future<DeliveryOutcome>> post,
                                 SecretRedactor redactor) {
        BitSet done;
        synchronized (accepted) {
            done = (BitSet) accepted.getOrDefault(id, new BitSet()).clone();
        }
        Run run = new Run(events, post, done, redactor);
        run.pump();
        return run.result.future().onSuccess(outcome -> {
            synchronized (accepted) {
                if (outcome instanceof DeliveryOutcome.RetryLater) {
                    accepted.put(id, run.accepted());
                } else {
                    accepted.remove(id);
                }
            }
        });
    }

    /** How many notifications have accepted events remembered for their retry (for tests). */
    int remembered() {
        synchronized (accepted) {
            return accepted.size();
        }
    }

    private final class Run {
        private final List<Buffer> events;
        private final Function<Buffer, Future<DeliveryOutcome>> post;
        private final BitSet done;
        private final SecretRedactor redactor;
        private final Promise<DeliveryOutcome> result = Promise.promise();
        private final List<DeliveryOutcome> outcomes = new ArrayList<>();
        private int next;
        private int open;
        private boolean stop;
        private boolean pumping;
        private boolean finished;

        Run(List<Buffer> events, Function<Buffer, Future<DeliveryOutcome>> post, BitSet done, SecretRedactor redactor) {
            this.events = events;
            this.post = post;
            this.done = done;
            this.redactor = redactor;
        }

        /** Starts what may start; one thread at a time, looping instead of recursing when a post completes at once. */
        void pump() {
            synchronized (this) {
                if (pumping) {
                    return;
                }
                pumping = true;
            }
            while (true) {
                int start = -1;
                boolean complete = false;
                synchronized (this) {
                    while (next < events.size() && done.get(next)) {
                        next++;
                    }
                    if (!stop && open < maxInFlight && next < events.size()) {
                        start = next++;
                        open++;
                    } else {
                        pumping = false;
                        if (open == 0 && !finished) {
                            finished = true;
                            complete = true;
                        }
                    }
                }
                if (complete) {
                    result.complete(worst());
                }
                if (start < 0) {
                    return;
                }
                int index = start;
                Future<DeliveryOutcome> sent;
                try {
                    sent = post.apply(events.get(index));
                } catch (RuntimeException e) {
                    sent = Future.failedFuture(e);
                }
                sent.onComplete(ar -> completed(index, ar));
            }
        }

        private void completed(int index, AsyncResult<DeliveryOutcome> ar) {
            DeliveryOutcome o = ar.succeeded() ? ar.result() : HttpOutcomes.ofFailure(ar.cause(), redactor);
            synchronized (this) {
                open--;
                outcomes.add(o);
                if (o instanceof DeliveryOutcome.Delivered) {
                    done.set(index);
                } else if (o instanceof DeliveryOutcome.RetryLater) {
                    stop = true;
                }
            }
            pump();
        }

        synchronized BitSet accepted() {
            return (BitSet) done.clone();
        }

        /** Failed if any event was rejected, else retry (the longest wait asked), else delivered. */
        private synchronized DeliveryOutcome worst() {
            List<String> failed = new ArrayList<>();
            DeliveryOutcome.RetryLater retry = null;
            DeliveryOutcome delivered = null;
            for (DeliveryOutcome o : outcomes) {
                if (o instanceof DeliveryOutcome.Failed failure) {
                    failed.add(failure.reason());
                } else if (o instanceof DeliveryOutcome.RetryLater later) {
                    retry = retry == null || longerWait(later, retry) ? later : retry;
                } else if (delivered == null) {
                    delivered = o;
                }
            }
            if (!failed.isEmpty()) {
                return new DeliveryOutcome.Failed(failed.size() + " of " + outcomes.size() + " events rejected: "
                        + failed.get(0));
            }
            if (retry != null) {
                int left = events.size() - done.cardinality();
                return new DeliveryOutcome.RetryLater(retry.reason() + " (" + left + " of " + events.size()
                        + " events still to send)", retry.retryAfter());
            }
            // nothing was left to send: every event was accepted by an earlier attempt
            return delivered != null ? delivered : new DeliveryOutcome.Delivered(202);
        }

        private static boolean longerWait(DeliveryOutcome.RetryLater a, DeliveryOutcome.RetryLater b) {
            return a.retryAfter().isPresent()
                    && (b.retryAfter().isEmpty() || a.retryAfter().get().compareTo(b.retryAfter().get()) > 0);
        }
    }
}
