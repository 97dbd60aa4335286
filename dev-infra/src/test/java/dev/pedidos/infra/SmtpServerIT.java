package dev.pedidos.infra;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SmtpServerIT {

    @Test
    void aMessageSentOverSmtpIsReceivedAndReported() throws Exception {
        try (SmtpServer server = SmtpServer.start(0)) {
            List<SmtpServer.ReceivedMail> reported = new CopyOnWriteArrayList<>();
            server.onReceived(reported::add);

            MimeMessage message = new MimeMessage(session(server)) {
                @Override
                protected void updateMessageID() throws jakarta.mail.MessagingException {
                    setHeader("Message-ID", "<order-42@pedidos.dev>");
                }
            };
            message.setFrom(new InternetAddress("pedidos@loja.example"));
            message.setRecipient(Message.RecipientType.TO, new InternetAddress("ana@example.com"));
            message.setSubject("Pedido confirmado", "UTF-8");
            message.setText("Olá Ana, total: R$ 49,80 = 2 × 24,90", "UTF-8");
            Transport.send(message);

            SmtpServer.ReceivedMail expected = new SmtpServer.ReceivedMail("<order-42@pedidos.dev>",
                    "pedidos@loja.example", List.of("ana@example.com"), "Pedido confirmado", "Olá Ana, total: R$ 49,80 = 2 × 24,90");
            assertThat(server.received()).containsExactly(expected);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(reported).containsExactly(expected));
        }
    }

    @Test
    void aListenerThatFailsOnOneMessageIsStillHandedTheNextOnes() throws Exception {
        try (SmtpServer server = SmtpServer.start(0)) {
            List<String> reported = new CopyOnWriteArrayList<>();
            server.onReceived(mail -> {
                if (mail.subject().equals("first")) {
                    throw new IllegalStateException("this listener fails on the first message");
                }
                reported.add(mail.subject());
            });

            for (String subject : List.of("first", "second")) {
                MimeMessage message = new MimeMessage(session(server));
                message.setFrom(new InternetAddress("pedidos@loja.example"));
                message.setRecipient(Message.RecipientType.TO, new InternetAddress("ana@example.com"));
                message.setSubject(subject, "UTF-8");
                message.setText(subject, "UTF-8");
                Transport.send(message);
            }

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(reported).containsExactly("second"));
        }
    }

    private static Session session(SmtpServer server) {
        Properties smtp = new Properties();
        smtp.put("mail.smtp.host", "127.0.0.1");
        smtp.put("mail.smtp.port", Integer.toString(server.port()));
        return Session.getInstance(smtp);
    }
}
