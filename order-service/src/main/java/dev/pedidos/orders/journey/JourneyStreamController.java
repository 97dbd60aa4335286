package dev.pedidos.orders.journey;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.pedidos.orders.journey.StepFeed.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /orders/stream}: the journey steps as Server-Sent Events
 * (<a href="https://html.spec.whatwg.org/multipage/server-sent-events.html">HTML, Server-sent events</a>),
 * {@code text/event-stream}.
 *
 * <p>One event per step, named {@code step}, whose {@code id} is the step's ID and whose data is a
 * {@link StepEvent} as JSON. Query {@code orderId} (UUID) restricts the stream to one order; without
 * it every order's steps are sent. Where the stream starts:
 * <ul>
 * <li>with a {@code Last-Event-ID} header (the browser sends it when it reconnects), or a
 * {@code lastEventId} query parameter (for a new {@code EventSource}; the header wins): every step
 * after that ID, then each new one;
 * <li>otherwise, with {@code orderId}: the order's whole journey so far, then each new step;
 * <li>otherwise: the steps from now on.
 * </ul>
 * The first line sets the browser's reconnection delay ({@code retry}, 1 s); a comment every
 * {@code pedidos.stream.heartbeat} keeps the connection open. A connection ends after
 * {@code max-connection}, or when the client fell {@code buffered-events} behind; either way the
 * browser reconnects and resumes from its last event. 400 for an {@code orderId} or event ID that
 * is not one; 503 problem with {@code Retry-After} when a stream that starts with a catch-up (with
 * {@code orderId} or an event ID) cannot read the view ({@link JourneyViewUnavailable}). A stream
 * of new steps only needs no read to start: while the view is unavailable it stays open, with
 * heartbeats, and its steps follow once the view is back.
 */
@RestController
class JourneyStreamController {

    private static final Logger log = LoggerFactory.getLogger(JourneyStreamController.class);

    private static final long RECONNECT_MILLIS = 1000;

    private final StepFeed feed;

    private final JourneyStreamProperties properties;

    JourneyStreamController(StepFeed feed, JourneyStreamProperties properties) {
        this.feed = feed;
        this.properties = properties;
    }

    @GetMapping(path = "/orders/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter stream(@RequestParam(required = false) UUID orderId,
            @RequestHeader(name = "Last-Event-ID", required = false) Long lastEventIdHeader,
            @RequestParam(name = "lastEventId", required = false) Long lastEventIdParameter) {
        Long lastEventId = lastEventIdHeader != null ? lastEventIdHeader : lastEventIdParameter;
        Subscription subscription = feed.subscribe(orderId, lastEventId);
        List<StepEvent> firstPage;
        try {
            // A stream that starts with a catch-up reads its first page here, before the 200 is committed: a view that
            // cannot be read is then a 503 problem (JourneyViewUnavailable), which the page retries.
            firstPage = orderId != null || lastEventId != null
                    ? feed.read(subscription.after(), subscription.catchUp(), orderId, properties.batchSize())
                    : List.of();
        }
        catch (RuntimeException viewUnreadable) {
            feed.unsubscribe(subscription);
            throw viewUnreadable;
        }
        // The timeout is the connection's lifetime; the sending thread ends it a little earlier, cleanly.
        SseEmitter emitter = new SseEmitter(properties.maxConnection().toMillis() + 10_000);
        Thread sender = Thread.ofVirtual().name("journey-stream").unstarted(() -> send(subscription, firstPage, emitter));
        emitter.onCompletion(sender::interrupt);
        emitter.onTimeout(sender::interrupt);
        emitter.onError(failure -> sender.interrupt());
        sender.start();
        return emitter;
    }

    private void send(Subscription subscription, List<StepEvent> firstPage, SseEmitter emitter) {
        Instant end = Instant.now().plus(properties.maxConnection());
        try {
            emitter.send(SseEmitter.event().reconnectTime(RECONNECT_MILLIS).comment("journey steps"));
            List<StepEvent> steps = firstPage;
            while (!steps.isEmpty()) {
                for (StepEvent step : steps) {
                    emitter.send(event(step));
                }
                long after = steps.getLast().id();
                steps = after < subscription.catchUp()
                        ? feed.read(after, subscription.catchUp(), subscription.orderId(), properties.batchSize())
                        : List.of();
            }
            while (Instant.now().isBefore(end)) {
                StepEvent step = subscription.live().poll(properties.heartbeat().toMillis(), TimeUnit.MILLISECONDS);
                if (step == null) {
                    emitter.send(SseEmitter.event().comment("keep-alive"));
                }
                else if (Subscription.isOverflow(step)) {
                    log.info("A stream client fell {} steps behind; ending its connection, it resumes from its "
                            + "Last-Event-ID", properties.bufferedEvents());
                    break;
                }
                else {
                    emitter.send(event(step));
                }
            }
            emitter.complete();
        }
        catch (InterruptedException | IOException | IllegalStateException clientGoneOrStopping) {
            // The client closed the connection, or the server is stopping: nothing to answer.
            emitter.completeWithError(clientGoneOrStopping);
        }
        catch (RuntimeException viewUnreadable) {
            log.warn("Journey stream ended: {}", viewUnreadable.toString());
            emitter.completeWithError(viewUnreadable);
        }
        finally {
            feed.unsubscribe(subscription);
        }
    }

    private static SseEmitter.SseEventBuilder event(StepEvent step) {
        return SseEmitter.event().id(Long.toString(step.id())).name("step").data(step, MediaType.APPLICATION_JSON);
    }
}
