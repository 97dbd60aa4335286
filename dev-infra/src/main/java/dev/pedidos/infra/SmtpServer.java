package dev.pedidos.infra;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

/**
 * A real SMTP server in this JVM (GreenMail) on 127.0.0.1 that accepts every message, with or
 * without authentication, and keeps what it received in memory for as long as it runs.
 */
public final class SmtpServer implements AutoCloseable {

    private final GreenMail greenMail;

    private final int port;

    private volatile boolean running = true;

    private SmtpServer(GreenMail greenMail, int port) {
        this.greenMail = greenMail;
        this.port = port;
    }

    /**
     * The server shared by every test of this JVM, on a free port, started on first use.
     *
     * @return the running server
     */
    public static SmtpServer shared() {
        return Shared.SERVER;
    }

    /**
     * Starts a server.
     *
     * @param port port on 127.0.0.1, 0 for a free one
     * @return the running server
     * @throws IllegalStateException when the port cannot be bound
     */
    public static SmtpServer start(int port) {
        int bound = port > 0 ? port : Ports.free();
        GreenMail greenMail = new GreenMail(new ServerSetup(bound, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
                .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
        greenMail.start();
        return new SmtpServer(greenMail, bound);
    }

    /** @return the SMTP port on 127.0.0.1 */
    public int port() {
        return port;
    }

    /** @return every message received so far, oldest first */
    public List<ReceivedMail> received() {
        return Arrays.stream(greenMail.getReceivedMessages()).map(ReceivedMail::of).toList();
    }

    /**
     * Hands every message received from now on to {@code listener}, from a background thread.
     *
     * @param listener receives each message once
     */
    public void onReceived(Consumer<ReceivedMail> listener) {
        int alreadyReceived = greenMail.getReceivedMessages().length;
        Thread.ofVirtual().name("smtp-received").start(() -> {
            int seen = alreadyReceived;
            while (running) {
                if (greenMail.waitForIncomingEmail(1_000, seen + 1)) {
                    MimeMessage[] messages = greenMail.getReceivedMessages();
                    for (int i = seen; i < messages.length; i++) {
                        listener.accept(ReceivedMail.of(messages[i]));
                    }
                    seen = messages.length;
                }
            }
        });
    }

    /** Stops the server; what it received is gone. */
    @Override
    public void close() {
        running = false;
        greenMail.stop();
    }

    /**
     * A message as the server received it.
     *
     * @param messageId the {@code Message-ID} header, with its angle brackets
     * @param from      the {@code From} header
     * @param to        the {@code To} addresses
     * @param subject   the subject, decoded
     * @param body      the text of the message, decoded
     */
    public record ReceivedMail(String messageId, String from, List<String> to, String subject, String body) {

        static ReceivedMail of(MimeMessage message) {
            try {
                Address[] recipients = message.getAllRecipients();
                return new ReceivedMail(message.getMessageID(),
                        message.getFrom() == null ? null : message.getFrom()[0].toString(),
                        recipients == null ? List.of() : Arrays.stream(recipients).map(Address::toString).toList(),
                        message.getSubject(),
                        text(message));
            } catch (MessagingException | IOException e) {
                throw new IllegalStateException("Unreadable message", e);
            }
        }
    }

    /** @return the decoded text of a plain message, or the raw body of any other (e.g. multipart) */
    private static String text(MimeMessage message) throws MessagingException, IOException {
        return message.getContent() instanceof String text ? text : GreenMailUtil.getBody(message);
    }

    /** Holder of the JVM-wide server: started on first use, stopped at JVM exit. */
    private static final class Shared {

        static final SmtpServer SERVER = startShared();

        private static SmtpServer startShared() {
            SmtpServer server = SmtpServer.start(0);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "smtp-shutdown"));
            return server;
        }
    }
}
