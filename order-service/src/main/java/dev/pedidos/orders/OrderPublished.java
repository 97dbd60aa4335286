package dev.pedidos.orders;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.pedidos.events.OrderCreated;
import org.apache.kafka.common.header.Header;

/**
 * Spring application event, published in the request's thread once the brokers acknowledged an order
 * and before its {@code 202}: the journey view shows it from memory until it has projected it
 * (read your own write).
 *
 * @param event     the order as written
 * @param topic     the topic it was written to ({@code pedidos-pendentes})
 * @param partition partition it was written to
 * @param offset    its offset there
 * @param traceId   W3C trace ID of the record's {@code traceparent} header (32 hex digits), or
 *                  {@code null} when the record has none
 */
public record OrderPublished(OrderCreated event, String topic, int partition, long offset, String traceId) {

    /** Name of the W3C Trace Context record header. */
    public static final String TRACEPARENT = "traceparent";

    /** W3C Trace Context version 00: trace ID, parent span ID, flags. */
    private static final Pattern VERSION_00 = Pattern.compile("00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}");

    /**
     * @param traceparent a {@value #TRACEPARENT} record header, or {@code null}
     * @return its trace ID (32 lower-case hex digits), or {@code null} when absent or not version 00
     *         (W3C Trace Context, section 3.2)
     */
    public static String traceId(Header traceparent) {
        if (traceparent == null || traceparent.value() == null) {
            return null;
        }
        Matcher matcher = VERSION_00.matcher(new String(traceparent.value(), UTF_8));
        return matcher.matches() ? matcher.group(1) : null;
    }
}
