package dev.pedidos.stack;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.SecureRandom;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;

import dev.pedidos.infra.KafkaCluster;
import dev.pedidos.infra.KafkaSecurity;
import dev.pedidos.infra.LocalKafkaCluster;
import dev.pedidos.infra.EmbeddedPostgresServer;
import dev.pedidos.infra.ManagedProcess;
import dev.pedidos.infra.Ports;
import dev.pedidos.infra.PostgresServer;
import dev.pedidos.infra.SmtpServer;
import dev.pedidos.kafka.ChildMain;

/**
 * The whole pipeline on this machine, without Docker: a real three-node KRaft cluster, a real
 * PostgreSQL 18 (one database and role per service), a real SMTP server and the three services,
 * each service and broker a separate process on 127.0.0.1, their output labelled on one console,
 * one {@code mail} line per e-mail the SMTP server receives.
 *
 * <p>Start-up order: PostgreSQL and SMTP, brokers (until all three serve), then the services
 * together (until each reports {@code UP} on {@code /actuator/health}). Shutdown order: services
 * (SIGTERM, in parallel), SMTP, PostgreSQL, then brokers one by one. Children ignore the terminal's Ctrl-C and end with this JVM even when it
 * is killed (see {@link ChildMain}), so nothing is left behind.
 *
 * <p>Run it with {@code ./run-local} from the repository root; {@code --clean} wipes the data
 * directory first, {@code --data DIR} moves it (default {@code .local}). {@code --secure} runs
 * Kafka in secure mode (default data directory {@code .local-secure}): each service gets its own
 * SCRAM principal and the CA's trust store through its environment.
 */
public final class LocalStack implements AutoCloseable {

    /** Name of the launcher's own lines on the console. */
    static final String NAME = "local-stack";

    /** How long a service may take to be healthy: 180 s, or {@code pedidos.stack.ready-timeout-seconds}. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(Long.getLong("pedidos.stack.ready-timeout-seconds", 180));

    private static final Duration SERVICE_STOP_GRACE = Duration.ofSeconds(20);

    /** The database (also its role and, on this machine only, its password) of each service that has one. */
    private static final Map<String, String> SERVICE_DATABASES = Map.of(
            "order-service", "orders",
            "billing-consumer", "billing",
            "notification-consumer", "notification");

    /**
     * The consumer group of each service that has one. {@code ready} (and a restart) waits until
     * each group's partitions of {@value #SOURCE_TOPIC} are held by the members just started.
     */
    private static final Map<String, String> SERVICE_GROUPS = Map.of(
            "billing-consumer", "billing",
            "notification-consumer", "notification");

    /** The topic every consumer group reads. */
    private static final String SOURCE_TOPIC = "pedidos-pendentes";

    /**
     * Logback pattern of the services on the shared console: time, level, trace and span ID (Boot's
     * {@code %correlationId}, {@code [traceId-spanId]} from the MDC, blank outside a trace), logger, message.
     */
    private static final String LOG_PATTERN = "%d{HH:mm:ss.SSS} %5p %correlationId%-32.32logger{31} : %m%n%wEx";

    /** Name of the SMTP server's lines on the console. */
    static final String MAIL = "mail";

    private final LocalKafkaCluster cluster;

    private final PostgresServer postgres;

    private final SmtpServer smtp;

    private final List<RunningService> services;

    private final BiConsumer<String, String> output;

    private volatile boolean closing;

    /** The consumers' admin user's password (replay, rewind): PEDIDOS_ADMIN_PASSWORD, else generated per run. */
    private final String adminPassword;

    private LocalStack(LocalKafkaCluster cluster, PostgresServer postgres, SmtpServer smtp, List<RunningService> services,
            BiConsumer<String, String> output) {
        String fromEnvironment = System.getenv("PEDIDOS_ADMIN_PASSWORD");
        this.adminPassword = fromEnvironment != null && !fromEnvironment.isBlank() ? fromEnvironment
                : generatedPassword();
        this.cluster = cluster;
        this.postgres = postgres;
        this.smtp = smtp;
        this.services = services;
        this.output = output;
    }

    /**
     * Where and how the stack runs.
     *
     * @param dataDirectory  holds the cluster's data ({@code kafka/}) and the databases ({@code postgres/});
     *                       created when missing, kept on close
     * @param firstKafkaPort broker listeners on this port and the next two (controllers on +100), 0 for free ports
     * @param postgresPort   PostgreSQL's port, 0 for a free one
     * @param smtpPort       the SMTP server's port, 0 for a free one
     * @param servicePorts   HTTP ports of order-service, billing-consumer and notification-consumer; 0 for a free one
     * @param output         receives (process name, line) for every line any process prints
     * @param secure         secure mode: Kafka with SASL_SSL, SCRAM-SHA-512 and ACLs, each service
     *                       with its own principal (see {@link LocalKafkaCluster.Builder#secure(boolean)})
     */
    public record Settings(Path dataDirectory, int firstKafkaPort, int postgresPort, int smtpPort,
            List<Integer> servicePorts, BiConsumer<String, String> output, boolean secure) {

        /**
         * Plaintext settings.
         *
         * @param dataDirectory  where the data lives
         * @param firstKafkaPort broker listeners on this port and the next two, 0 for free ports
         * @param postgresPort   PostgreSQL's port, 0 for a free one
         * @param smtpPort       the SMTP server's port, 0 for a free one
         * @param servicePorts   HTTP ports of the three services, 0 for a free one
         * @param output         where the lines go
         */
        public Settings(Path dataDirectory, int firstKafkaPort, int postgresPort, int smtpPort,
                List<Integer> servicePorts, BiConsumer<String, String> output) {
            this(dataDirectory, firstKafkaPort, postgresPort, smtpPort, servicePorts, output, false);
        }

        /**
         * @param secure whether to run in secure mode
         * @return these settings, in secure mode or not
         */
        public Settings secure(boolean secure) {
            return new Settings(dataDirectory, firstKafkaPort, postgresPort, smtpPort, servicePorts, output, secure);
        }

        /**
         * @param dataDirectory where the data lives
         * @param output        where the lines go
         * @return the settings of {@code ./run-local}: brokers on 9092-9094, PostgreSQL on 5432, SMTP on
         *         1025, services on 8080-8082
         */
        public static Settings defaults(Path dataDirectory, BiConsumer<String, String> output) {
            return new Settings(dataDirectory, 9092, 5432, 1025, List.of(8080, 8081, 8082), output);
        }
    }

    /**
     * Starts the cluster, then the services, and returns when every service is healthy.
     *
     * @param settings where and how
     * @return the running stack
     * @throws IllegalStateException when a broker or service fails to start or is not ready within 180 s
     *                               (what was started is stopped again)
     */
    public static LocalStack start(Settings settings) {
        BiConsumer<String, String> output = settings.output();
        PostgresServer postgres = EmbeddedPostgresServer.start(settings.dataDirectory().resolve("postgres"), settings.postgresPort());
        SERVICE_DATABASES.forEach((service, database) -> postgres.createDatabase(database, database));
        output.accept(NAME, "PostgreSQL ready at " + postgres.jdbcUrl("") + " with databases " + SERVICE_DATABASES.values());
        SmtpServer smtp = SmtpServer.start(settings.smtpPort());
        smtp.onReceived(mail -> output.accept(MAIL, "to " + String.join(", ", mail.to()) + ": \"" + mail.subject()
                + "\" " + mail.messageId()));
        output.accept(NAME, "SMTP ready at 127.0.0.1:" + smtp.port() + "; every e-mail it receives shows as a '" + MAIL + "' line");
        LocalKafkaCluster.Builder kafka = LocalKafkaCluster.builder()
                .directory(settings.dataDirectory().resolve("kafka"))
                .secure(settings.secure())
                .output(settings.output());
        if (settings.firstKafkaPort() > 0) {
            kafka.ports(settings.firstKafkaPort(), settings.firstKafkaPort() + 100);
        }
        LocalKafkaCluster cluster;
        try {
            cluster = kafka.start();
        } catch (RuntimeException e) {
            smtp.close();
            postgres.stop();
            throw e;
        }
        output.accept(NAME, "Kafka ready at " + cluster.bootstrapServers()
                + (settings.secure() ? " (secure mode: SASL_SSL, SCRAM-SHA-512, ACLs; secrets in "
                        + settings.dataDirectory().resolve("kafka/secrets") + ")" : "") + "; starting the services");
        List<RunningService> services = new ArrayList<>();
        LocalStack stack = new LocalStack(cluster, postgres, smtp, services, output);
        try {
            Properties jars = serviceJars();
            Set<String> staleMembers = stack.groupMembers(SERVICE_GROUPS.values());
            List<String> names = List.of("order-service", "billing-consumer", "notification-consumer");
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                int port = settings.servicePorts().get(i) > 0 ? settings.servicePorts().get(i) : Ports.free();
                RunningService service = new RunningService(name, Path.of(jars.getProperty(name)), port);
                stack.launch(service);
                services.add(service);
            }
            for (RunningService service : services) {
                service.awaitHealthy(READY_TIMEOUT);
            }
            long healthy = System.nanoTime();
            stack.awaitPartitionsAssigned(SERVICE_GROUPS.values(), staleMembers, READY_TIMEOUT);
            output.accept(NAME, String.format(Locale.ROOT, "groups %s have their partitions of %s, %.1f s after the "
                    + "services reported healthy", SERVICE_GROUPS.values().stream().sorted().toList(), SOURCE_TOPIC,
                    (System.nanoTime() - healthy) / 1e9));
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    /** @return the bootstrap servers of the cluster */
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** @return the cluster, to take brokers down and bring them back */
    public KafkaCluster cluster() {
        return cluster;
    }

    /**
     * @param name {@code order-service}, {@code billing-consumer} or {@code notification-consumer}
     * @return the service's base URL, e.g. {@code http://127.0.0.1:8080}
     * @throws IllegalArgumentException for another name
     */
    public URI baseUrl(String name) {
        return service(name).baseUrl();
    }

    private static String generatedPassword() {
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /** @return the password of the consumers' admin user {@code admin} (dead-letter replay, rewind) */
    public String adminPassword() {
        return adminPassword;
    }

    /** @return the SMTP server, with every e-mail it received */
    public SmtpServer mailbox() {
        return smtp;
    }

    /** @return the PostgreSQL server, to take it away and bring it back */
    public PostgresServer postgres() {
        return postgres;
    }

    /**
     * Stops the services (SIGTERM, in parallel, killed after 20 s), the SMTP server, PostgreSQL, then
     * the brokers one by one.
     */
    @Override
    public void close() {
        closing = true;
        services.parallelStream().forEach(service -> service.process().stop(SERVICE_STOP_GRACE));
        smtp.close();
        postgres.stop();
        cluster.stopAll();
    }

    /**
     * Kills a service's process at once (SIGKILL), as a crash would: no graceful shutdown, no
     * offset commit beyond what it had committed.
     *
     * @param name {@code order-service}, {@code billing-consumer} or {@code notification-consumer}
     */
    public void killService(String name) {
        service(name).process().kill();
    }

    /**
     * Starts a killed service again, on the same port, and waits until it is healthy and, for a
     * consumer, until its group's partitions are held by the members it started.
     *
     * @param name {@code order-service}, {@code billing-consumer} or {@code notification-consumer}
     * @return seconds from healthy (the launcher's {@code ready}) until the group's partitions were
     *         held by the new members; 0 for a service without group
     * @throws IllegalStateException when it is still running, or is not ready within 180 s
     */
    public double restartService(String name) {
        RunningService service = service(name);
        if (service.process().isAlive()) {
            throw new IllegalStateException(name + " is running");
        }
        String group = SERVICE_GROUPS.get(name);
        Set<String> staleMembers = group == null ? Set.of() : groupMembers(List.of(group));
        launch(service);
        service.awaitHealthy(READY_TIMEOUT);
        if (group == null) {
            return 0;
        }
        long healthy = System.nanoTime();
        awaitPartitionsAssigned(List.of(group), staleMembers, READY_TIMEOUT);
        return (System.nanoTime() - healthy) / 1e9;
    }

    /** @return the member IDs the groups have now (members of a killed process stay until they expire) */
    private Set<String> groupMembers(Collection<String> groups) {
        Set<String> members = new HashSet<>();
        try (Admin admin = admin()) {
            for (var group : admin.describeConsumerGroups(groups).describedGroups().values()) {
                try {
                    group.get().members().forEach(member -> members.add(member.consumerId()));
                } catch (ExecutionException e) {
                    // a group that does not exist yet (GroupIdNotFoundException) has no members
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while describing the groups " + groups, e);
        }
        return members;
    }

    /**
     * Waits until, in each group, members other than {@code staleMembers} hold every partition of
     * {@value #SOURCE_TOPIC} (Admin API {@code describeConsumerGroups}): the group consumes again.
     */
    private void awaitPartitionsAssigned(Collection<String> groups, Set<String> staleMembers, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        String last = "not described yet";
        try (Admin admin = admin()) {
            while (Instant.now().isBefore(deadline)) {
                try {
                    int partitions = admin.describeTopics(List.of(SOURCE_TOPIC)).allTopicNames().get()
                            .get(SOURCE_TOPIC).partitions().size();
                    Map<String, ConsumerGroupDescription> described = admin.describeConsumerGroups(groups).all().get();
                    boolean all = true;
                    for (ConsumerGroupDescription group : described.values()) {
                        long held = group.members().stream()
                                .filter(member -> !staleMembers.contains(member.consumerId()))
                                .flatMap(member -> member.assignment().topicPartitions().stream())
                                .filter(partition -> partition.topic().equals(SOURCE_TOPIC))
                                .distinct().count();
                        all &= group.groupState() == GroupState.STABLE && held == partitions;
                        last = group.groupId() + " " + group.groupState() + " with " + held + " of " + partitions;
                    }
                    if (all) {
                        return;
                    }
                } catch (ExecutionException e) {
                    last = String.valueOf(e.getCause()); // the topic is not created yet
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the groups " + groups, e);
        }
        throw new IllegalStateException("Groups " + groups + " without their partitions after " + timeout + ": " + last);
    }

    /** @return an admin client of the launcher; in secure mode as the brokers' own principal, the operator here */
    private Admin admin() {
        Map<String, Object> config = new HashMap<>(cluster.security()
                .map(security -> security.clientProperties(KafkaSecurity.BROKER_USER))
                .orElse(Map.of()));
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        return Admin.create(config);
    }

    private RunningService service(String name) {
        return services.stream()
                .filter(service -> service.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No service " + name));
    }

    private void launch(RunningService service) {
        String name = service.name();
        Path jar = service.jar();
        int port = service.port();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(name + " is not built (" + jar + "): run ./mvnw package -DskipTests");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + ChildMain.PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid(),
                "-Xmx384m",
                "-XX:+ExitOnOutOfMemoryError",
                "-cp", jar + File.pathSeparator + ChildMain.location(),
                ChildMain.class.getName(), "org.springframework.boot.loader.launch.JarLauncher",
                "--server.address=127.0.0.1",
                "--server.port=" + port,
                "--spring.kafka.bootstrap-servers=" + cluster.bootstrapServers(),
                // Short lines for a shared console, whose label already names the service.
                "--spring.main.banner-mode=off",
                "--logging.pattern.console=" + LOG_PATTERN));
        String database = SERVICE_DATABASES.get(name);
        if (database != null) {
            command.add("--spring.datasource.url=" + postgres.jdbcUrl(database));
            command.add("--spring.datasource.username=" + database);
            command.add("--spring.datasource.password=" + database);
        }
        if (SERVICE_GROUPS.containsKey(name)) {
            // Static membership (KIP-345), one member ID per service here (Spring Kafka appends -0, -1, ... per
            // consumer): a restarted consumer gets its partitions back at once instead of after the killed
            // member's session timeout (45 s).
            command.add("--spring.kafka.consumer.properties[group.instance.id]=" + name);
        }
        if (name.equals("notification-consumer")) {
            command.add("--spring.mail.host=127.0.0.1");
            command.add("--spring.mail.port=" + smtp.port());
        }
        // Secrets in the environment, not on the command line (ps shows that to every user): the admin
        // password, and in secure mode the service's own Kafka principal and the CA (Boot's properties).
        Map<String, String> environment = new HashMap<>();
        if (database != null) {
            environment.put("PEDIDOS_ADMIN_PASSWORD", adminPassword);
        }
        cluster.security().ifPresent(security -> environment.putAll(security.springEnvironment(name)));
        ManagedProcess process = ManagedProcess.start(name, command, environment, output);
        service.process(process);
        process.onExit(code -> output.accept(NAME, name + " (pid " + process.pid() + ") exited, "
                + ManagedProcess.describeExit(code) + (closing || service.process() != process ? "" : "; the others go on")));
    }

    private static Properties serviceJars() {
        Properties jars = new Properties();
        try (InputStream in = LocalStack.class.getResourceAsStream("stack.properties")) {
            if (in == null) {
                throw new IllegalStateException("stack.properties missing: build local-stack with Maven");
            }
            jars.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read stack.properties", e);
        }
        return jars;
    }

    /**
     * Runs the stack until Ctrl-C.
     *
     * @param args {@code --clean} wipes the data directory first; {@code --data DIR} sets it ({@code .local},
     *             {@code .local-secure} with {@code --secure}); {@code --secure} runs in secure mode
     * @throws Exception when the stack cannot start; what was started is stopped
     */
    public static void main(String[] args) throws Exception {
        Path data = null;
        boolean clean = false;
        boolean secure = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--clean" -> clean = true;
                case "--secure" -> secure = true;
                case "--data" -> data = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: ./run-local [--secure] [--clean] [--data DIR]");
                    System.exit(2);
                }
            }
        }
        if (data == null) {
            // A cluster formatted in one mode cannot run in the other: each mode has its own folder.
            data = Path.of(secure ? ".local-secure" : ".local");
        }
        Console console = Console.standardOutput("notification-consumer".length());
        if (clean) {
            console.accept(NAME, "--clean: deleting " + data.toAbsolutePath());
            deleteRecursively(data);
        }
        Instant started = Instant.now();
        console.accept(NAME, "starting PostgreSQL, SMTP and a 3-broker Kafka cluster" + (secure ? " in secure mode" : "")
                + " (data in " + data.toAbsolutePath() + ")");
        LocalStack stack = start(Settings.defaults(data, console).secure(secure));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            console.accept(NAME, "stopping: services, SMTP, PostgreSQL, then brokers one by one");
            stack.close();
            console.accept(NAME, "stopped; data kept in " + stack.cluster.directory().getParent().toAbsolutePath());
            stopped.countDown();
        }, "local-stack-shutdown"));
        Duration took = Duration.between(started, Instant.now());
        banner(took, stack).forEach(line -> console.accept(NAME, line));
        stopped.await();
    }

    private static List<String> banner(Duration took, LocalStack stack) {
        return List.of(
                String.format("ready in %.1f s: Kafka %s", took.toMillis() / 1000.0, stack.bootstrapServers()),
                "order-service " + stack.baseUrl("order-service")
                        + "  billing-consumer " + stack.baseUrl("billing-consumer")
                        + "  notification-consumer " + stack.baseUrl("notification-consumer"),
                "place an order:",
                "  curl -i " + stack.baseUrl("order-service") + "/orders -H 'Content-Type: application/json' -d '"
                        + "{\"customer\":{\"name\":\"Ana Souza\",\"email\":\"ana@example.com\"},"
                        + "\"items\":[{\"sku\":\"CAFE-500G\",\"name\":\"Café torrado 500 g\",\"quantity\":2,\"unitPrice\":\"24.90\"}]}'",
                "then follow it: its Location shows the whole journey (accepted, invoiced, e-mailed), with partitions,",
                "offsets and the trace ID; the billing-consumer, notification-consumer and mail lines below show it too:",
                "  curl " + stack.baseUrl("order-service") + "/orders/ORDER_ID",
                "  curl " + stack.baseUrl("billing-consumer") + "/invoices/ORDER_ID   curl "
                        + stack.baseUrl("notification-consumer") + "/notifications/ORDER_ID",
                "dead letters: curl " + stack.baseUrl("billing-consumer") + "/dead-letters; metrics: /actuator/prometheus on each",
                "admin (replay, rewind) on billing-consumer and notification-consumer: user admin, password "
                        + stack.adminPassword() + (System.getenv("PEDIDOS_ADMIN_PASSWORD") != null
                                ? " (PEDIDOS_ADMIN_PASSWORD)" : " (generated for this run; set PEDIDOS_ADMIN_PASSWORD to fix it)"),
                "Ctrl-C stops everything.");
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** A service of the stack: what it runs, where it listens, and its current process. */
    private static final class RunningService {

        private final String name;

        private final Path jar;

        private final int port;

        private volatile ManagedProcess process;

        RunningService(String name, Path jar, int port) {
            this.name = name;
            this.jar = jar;
            this.port = port;
        }

        String name() {
            return name;
        }

        Path jar() {
            return jar;
        }

        int port() {
            return port;
        }

        URI baseUrl() {
            return URI.create("http://127.0.0.1:" + port);
        }

        ManagedProcess process() {
            return process;
        }

        void process(ManagedProcess process) {
            this.process = process;
        }

        void awaitHealthy(Duration timeout) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest health = HttpRequest.newBuilder(baseUrl().resolve("/actuator/health"))
                    .timeout(Duration.ofSeconds(5)).build();
            Instant deadline = Instant.now().plus(timeout);
            while (Instant.now().isBefore(deadline)) {
                if (!process().isAlive()) {
                    throw new IllegalStateException(name + " exited while starting; its output is above");
                }
                try {
                    HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200 && response.body().contains("\"UP\"")) {
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for " + name, e);
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for " + name, e);
                }
            }
            throw new IllegalStateException(name + " not healthy after " + timeout);
        }
    }
}
