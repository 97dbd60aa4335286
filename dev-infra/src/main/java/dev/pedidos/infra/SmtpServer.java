package dev.pedidos.infra;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.mail.MailAddress;
import com.icegreen.greenmail.server.AbstractServer;
import com.icegreen.greenmail.smtp.SmtpManager;
import com.icegreen.greenmail.smtp.SmtpState;
import com.icegreen.greenmail.user.UserManager;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real SMTP server in this JVM (GreenMail) on 127.0.0.1 that accepts every message, with or
 * without authentication, and keeps what it received in memory for as long as it runs; it can be
 * stopped and started again on the same port (an outage).
 *
 * <p>One exception, for tests of a permanent refusal: a recipient whose address starts with
 * {@value #REFUSED_PREFIX} is refused with {@code 550 5.1.1} (RFC 5321 §4.2.2, mailbox unavailable),
 * and the other recipients of the session are not affected.
 */
public final class SmtpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SmtpServer.class);

    /** Start of the addresses this server refuses with a permanent {@code 550} reply. */
    public static final String REFUSED_PREFIX = "refused";

    private volatile GreenMail greenMail;

    private final int port;

    /** What earlier runs of the server received, before {@link #stop()}. */
    private final List<ReceivedMail> receivedBefore = new CopyOnWriteArrayList<>();

    private volatile boolean running = true;

    private SmtpServer(GreenMail greenMail, int port) {
        this.greenMail = greenMail;
        this.port = port;
    }

    private static GreenMail greenMail(int port) {
        GreenMail greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP)) {
            @Override
            protected Map<String, AbstractServer> createServices(ServerSetup[] config, Managers managers) {
                return super.createServices(config, new RefusingManagers(managers));
            }
        };
        greenMail.withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
        greenMail.start();
        return greenMail;
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
        return new SmtpServer(greenMail(bound), bound);
    }

    /** @return the SMTP port on 127.0.0.1 */
    public int port() {
        return port;
    }

    /** @return every message received so far, oldest first, also by runs before a {@link #stop()} */
    public List<ReceivedMail> received() {
        List<ReceivedMail> all = new ArrayList<>(receivedBefore);
        Arrays.stream(greenMail.getReceivedMessages()).map(ReceivedMail::of).forEach(all::add);
        return all;
    }

    /**
     * Stops the server as in an outage: connections are refused until {@link #start()}. What it
     * received so far is kept.
     */
    public synchronized void stop() {
        if (greenMail.isRunning()) {
            receivedBefore.addAll(Arrays.stream(greenMail.getReceivedMessages()).map(ReceivedMail::of).toList());
            greenMail.stop();
        }
    }

    /**
     * Starts the server again on the same port after {@link #stop()}; does nothing while it runs.
     *
     * @throws IllegalStateException when the port cannot be bound
     */
    public synchronized void start() {
        if (!greenMail.isRunning()) {
            greenMail = greenMail(port);
        }
    }

    /** @return whether the server accepts connections (not {@link #stop() stopped}) */
    public boolean isRunning() {
        return greenMail.isRunning();
    }

    /**
     * Hands every message received from now on to {@code listener}, from a background thread.
     *
     * @param listener receives each message once; a message it throws on is logged and skipped
     */
    public void onReceived(Consumer<ReceivedMail> listener) {
        int alreadyReceived = greenMail.getReceivedMessages().length;
        Thread.ofVirtual().name("smtp-received").start(() -> {
            int seen = alreadyReceived;
            GreenMail watched = greenMail;
            while (running) {
                if (watched != greenMail) {
                    // started again: a new server, nothing received yet
                    watched = greenMail;
                    seen = 0;
                }
                if (watched.waitForIncomingEmail(1_000, seen + 1)) {
                    MimeMessage[] messages = watched.getReceivedMessages();
                    for (int i = seen; i < messages.length; i++) {
                        try {
                            listener.accept(ReceivedMail.of(messages[i]));
                        }
                        catch (RuntimeException oneMessage) {
                            // one message the listener could not take must not end the reports of the next ones
                            log.warn("Received message {} not reported", i + 1, oneMessage);
                        }
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

    /** GreenMail's managers with an SMTP manager that refuses the {@value #REFUSED_PREFIX} recipients. */
    private static final class RefusingManagers extends Managers {

        private final Managers managers;
        private final SmtpManager smtp;

        RefusingManagers(Managers managers) {
            this.managers = managers;
            this.smtp = new SmtpManager(managers.getImapHostManager(), managers.getUserManager()) {
                @Override
                public String checkRecipient(SmtpState state, MailAddress address) {
                    return address.getEmail().startsWith(REFUSED_PREFIX)
                            ? "550 5.1.1 <" + address.getEmail() + ">: mailbox unavailable"
                            : super.checkRecipient(state, address);
                }
            };
        }

        @Override
        public SmtpManager getSmtpManager() {
            return smtp;
        }

        @Override
        public UserManager getUserManager() {
            return managers.getUserManager();
        }

        @Override
        public ImapHostManager getImapHostManager() {
            return managers.getImapHostManager();
        }
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
