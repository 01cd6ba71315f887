package io.opsgate.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A local stand-in for the part of Slack's Web API a bot uses (https://api.slack.com/methods): {@code
 * chat.postMessage}, {@code chat.update} and {@code conversations.history}, with the documented answer shape (HTTP
 * 200 with {@code ok}, {@code channel}, {@code ts}, or {@code ok: false} and an {@code error}), the bearer token
 * checked ({@code not_authed}, {@code invalid_auth}), channels known by name and id (updates and history take the
 * id only, as in Slack), thread replies ({@code thread_ts}) and message metadata. Faults are scripted per method: an
 * error answer, a 429 with {@code Retry-After}, or an answer that is lost after the request took effect (the
 * request is served and the connection closed unanswered), as after a timeout.
 */
public final class SlackApiStandIn implements AutoCloseable {
    /** One API call as it arrived, with its arguments (JSON body or form), and what it was answered. */
    public record Call(String method, JsonObject args, JsonObject answer) {
        public boolean threadReply() {
            return method.equals("chat.postMessage") && args.containsKey("thread_ts");
        }

        public boolean topLevelPost() {
            return method.equals("chat.postMessage") && !args.containsKey("thread_ts") && answer != null
                    && answer.getBoolean("ok", false);
        }
    }

    /** A message as the channel holds it now; {@code replies} are its thread, oldest first. */
    public record Message(String channel, String ts, JsonObject content, List<JsonObject> replies) {
    }

    private sealed interface Fault {
    }

    private record ErrorFault(String error) implements Fault {
    }

    private record RateLimitFault(int retryAfterSeconds) implements Fault {
    }

    private record LostAnswer() implements Fault {
    }

    private final Vertx vertx;
    private final HttpServer server;
    private final String token;
    private final Map<String, String> channelIds = new LinkedHashMap<>();
    private final Map<String, Map<String, Message>> messages = new LinkedHashMap<>();
    private final Map<String, Deque<Fault>> faults = new LinkedHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Set<String> everPosted = new HashSet<>();
    private volatile boolean historyScope = true;
    private long lastTs;

    private SlackApiStandIn(String token, Map<String, String> channels) throws Exception {
        this.vertx = Vertx.vertx();
        this.token = token;
        channels.forEach((name, id) -> {
            channelIds.put(name, id);
            channelIds.put("#" + name, id);
            channelIds.put(id, id);
            messages.put(id, new LinkedHashMap<>());
        });
        this.server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** @param channels name (without {@code #}) to id, e.g. {@code alerts → C0ALERTS} */
    public static SlackApiStandIn start(String token, Map<String, String> channels) throws Exception {
        return new SlackApiStandIn(token, channels);
    }

    /** The Web API base URL, ending in {@code /}, as {@code web_api_url} takes it. */
    public String url() {
        return "http://127.0.0.1:" + server.actualPort() + "/api/";
    }

    /** The next call of {@code method} is answered {@code ok: false} with {@code error}. */
    public synchronized SlackApiStandIn failNext(String method, String error) {
        return fault(method, new ErrorFault(error));
    }

    /** The next call of {@code method} is answered HTTP 429 with {@code Retry-After} and {@code ratelimited}. */
    public synchronized SlackApiStandIn rateLimitNext(String method, int retryAfterSeconds) {
        return fault(method, new RateLimitFault(retryAfterSeconds));
    }

    /** The next call of {@code method} takes effect but its answer is lost (the connection is closed). */
    public synchronized SlackApiStandIn loseNextAnswer(String method) {
        return fault(method, new LostAnswer());
    }

    /** Whether the token has {@code channels:history}; without it, history answers {@code missing_scope}. */
    public SlackApiStandIn historyScope(boolean granted) {
        this.historyScope = granted;
        return this;
    }

    /** Deletes a message, as a user in the channel can: updates of it answer {@code message_not_found}. */
    public synchronized void delete(String channelId, String ts) {
        messages.get(channelId).remove(ts);
    }

    /** Forgets every message, call and fault, and grants the history scope again: a fresh workspace. */
    public synchronized void reset() {
        messages.values().forEach(Map::clear);
        calls.clear();
        faults.clear();
        everPosted.clear();
        historyScope = true;
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Call> calls(String method) {
        return calls.stream().filter(c -> c.method().equals(method)).toList();
    }

    /** The ts of every top-level message ever posted, deleted ones too, whether or not its answer was lost. */
    public synchronized Set<String> everPosted() {
        return Set.copyOf(everPosted);
    }

    /** The top-level messages of a channel, oldest first. */
    public synchronized List<Message> messages(String channelId) {
        return List.copyOf(messages.get(channelId).values());
    }

    private SlackApiStandIn fault(String method, Fault fault) {
        faults.computeIfAbsent(method, m -> new ConcurrentLinkedDeque<>()).add(fault);
        return this;
    }

    private void handle(HttpServerRequest req) {
        req.body().onSuccess(body -> {
            String method = req.path().startsWith("/api/") ? req.path().substring(5) : req.path();
            JsonObject args;
            String type = Optional.ofNullable(req.getHeader("Content-Type")).orElse("");
            try {
                args = type.startsWith("application/json") ? body.toJsonObject() : form(body.toString());
            } catch (DecodeException e) {
                answer(req, method, new JsonObject(), error("invalid_json"));
                return;
            }
            if (args == null) {
                args = new JsonObject();
            }
            String auth = req.getHeader("Authorization");
            if (auth == null) {
                answer(req, method, args, error("not_authed"));
                return;
            }
            if (!auth.equals("Bearer " + token)) {
                answer(req, method, args, error("invalid_auth"));
                return;
            }
            Fault fault = nextFault(method);
            if (fault instanceof ErrorFault e) {
                answer(req, method, args, error(e.error()));
                return;
            }
            if (fault instanceof RateLimitFault r) {
                JsonObject answer = error("ratelimited");
                calls.add(new Call(method, args, answer));
                req.response().setStatusCode(429).putHeader("Retry-After", String.valueOf(r.retryAfterSeconds()))
                        .putHeader("Content-Type", "application/json").end(answer.encode());
                return;
            }
            JsonObject answer = serve(method, args);
            if (fault instanceof LostAnswer) {
                calls.add(new Call(method, args, null));
                req.connection().close();
                return;
            }
            answer(req, method, args, answer);
        });
    }

    private synchronized Fault nextFault(String method) {
        Deque<Fault> queue = faults.get(method);
        return queue == null ? null : queue.poll();
    }

    private void answer(HttpServerRequest req, String method, JsonObject args, JsonObject answer) {
        calls.add(new Call(method, args, answer));
        req.response().setStatusCode(200).putHeader("Content-Type", "application/json; charset=utf-8")
                .end(answer.encode());
    }

    private synchronized JsonObject serve(String method, JsonObject args) {
        return switch (method) {
            case "chat.postMessage" -> post(args);
            case "chat.update" -> update(args);
            case "conversations.history" -> history(args);
            default -> error("unknown_method");
        };
    }

    private JsonObject post(JsonObject args) {
        String id = channelIds.get(args.getString("channel", ""));
        if (id == null) {
            return error("channel_not_found");
        }
        if (args.getString("text") == null && args.getValue("blocks") == null && args.getValue("attachments") == null) {
            return error("no_text");
        }
        String ts = nextTs();
        JsonObject content = content(args);
        String threadTs = args.getString("thread_ts");
        if (threadTs != null) {
            Message parent = messages.get(id).get(threadTs);
            if (parent == null) {
                return error("thread_not_found");
            }
            parent.replies().add(content.put("ts", ts));
        } else {
            messages.get(id).put(ts, new Message(id, ts, content, new ArrayList<>()));
            everPosted.add(ts);
        }
        return new JsonObject().put("ok", true).put("channel", id).put("ts", ts)
                .put("message", content.copy().put("ts", ts));
    }

    private JsonObject update(JsonObject args) {
        String channel = args.getString("channel", "");
        if (!messages.containsKey(channel)) {
            return error("channel_not_found"); // chat.update takes the channel's id, never its name
        }
        String ts = args.getString("ts", "");
        Message old = messages.get(channel).get(ts);
        if (old == null) {
            return error("message_not_found");
        }
        JsonObject content = content(args);
        if (old.content().containsKey("metadata") && !content.containsKey("metadata")) {
            content.put("metadata", old.content().getJsonObject("metadata")); // metadata stays unless replaced
        }
        messages.get(channel).put(ts, new Message(channel, ts, content, old.replies()));
        return new JsonObject().put("ok", true).put("channel", channel).put("ts", ts).put("text",
                content.getString("text"));
    }

    private JsonObject history(JsonObject args) {
        if (!historyScope) {
            return error("missing_scope").put("needed", "channels:history");
        }
        String channel = args.getString("channel", "");
        if (!messages.containsKey(channel)) {
            return error("channel_not_found");
        }
        double oldest = Double.parseDouble(args.getString("oldest", "0"));
        boolean metadata = "true".equals(args.getString("include_all_metadata"));
        JsonArray out = new JsonArray();
        List<Message> all = new ArrayList<>(messages.get(channel).values());
        for (int i = all.size() - 1; i >= 0; i--) { // newest first, as Slack answers
            Message m = all.get(i);
            if (Double.parseDouble(m.ts()) < oldest) {
                continue;
            }
            JsonObject shown = m.content().copy().put("ts", m.ts()).put("type", "message");
            if (!metadata) {
                shown.remove("metadata");
            }
            out.add(shown);
        }
        return new JsonObject().put("ok", true).put("messages", out).put("has_more", false);
    }

    private static JsonObject content(JsonObject args) {
        JsonObject content = new JsonObject();
        for (String key : List.of("text", "blocks", "attachments", "metadata")) {
            if (args.containsKey(key)) {
                content.put(key, args.getValue(key));
            }
        }
        return content;
    }

    /** Slack's ts: seconds and microseconds since the epoch, unique in the channel. */
    private String nextTs() {
        long micros = Math.max(System.currentTimeMillis() * 1000, lastTs + 1);
        lastTs = micros;
        return String.format("%d.%06d", micros / 1_000_000, micros % 1_000_000);
    }

    private static JsonObject error(String code) {
        return new JsonObject().put("ok", false).put("error", code);
    }

    private static JsonObject form(String body) {
        JsonObject args = new JsonObject();
        if (body.isEmpty()) {
            return args;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            args.put(key, value);
        }
        return args;
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
