package dev.pedidos.notification;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Source topic and e-mail settings of the notification consumer ({@code pedidos.*}). The dead-letter
 * topic ({@code pedidos.dead-letter.*}) and the back-off ({@code pedidos.retry.*}) are the
 * dead-letter module's.
 *
 * @param sourceTopic topic the orders are read from, written by order-service
 * @param mail        what the confirmation e-mails say about their sender
 */
@ConfigurationProperties(prefix = "pedidos")
record PedidosProperties(
        @DefaultValue("pedidos-pendentes") String sourceTopic,
        @DefaultValue Mail mail) {

    /**
     * The sender of the confirmations.
     *
     * @param from {@code From} address (RFC 5322 §3.4), optionally with a display name, e.g.
     *             {@code Loja <pedidos@loja.example>}; also the SMTP envelope sender
     */
    record Mail(@DefaultValue("pedidos@loja.example") String from) {
    }
}
