package dev.pedidos.infra;

import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.pedidos.kafka.ChildMain;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link KafkaCluster} whose nodes run as separate processes of this machine,
 * started from the {@code kafka_2.13} jar of Maven Central: each node is broker and controller at
 * once, all listen on 127.0.0.1 only.
 *
 * <p>Broker settings come from {@link BrokerSettings} (the one source shared with the containers and
 * compose): {@code auto.create.topics.enable=false}, {@code unclean.leader.election.enable=false},
 * internal topics replicated to every node (up to 3) with a minimum ISR of 2. In secure mode
 * ({@link Builder#secure(boolean)}) clients connect with SASL_SSL and SCRAM-SHA-512 and are
 * authorized by ACLs. A node can be stopped, killed and started again on the same data, so
 * tests can take brokers away under load. Node IDs are 1 to {@link #size()}.
 *
 * <p>Start-up takes about 10 to 20 s on two cores. Each node uses up to {@code maxHeap} of heap
 * (512 MB by default) plus about 150 MB outside it.
 */
public final class LocalKafkaCluster implements KafkaCluster {

    private static final Logger log = LoggerFactory.getLogger(LocalKafkaCluster.class);

    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private static final int LAST_NODE_GRACE_SECONDS = 5;

    private final Path directory;

    private final boolean temporary;

    private final List<BrokerNode> nodes;

    private final BiConsumer<String, String> output;

    private final String maxHeap;

    private final KafkaSecurity security;

    private LocalKafkaCluster(Builder builder, Path directory, List<BrokerNode> nodes, KafkaSecurity security) {
        this.directory = directory;
        this.temporary = builder.directory == null;
        this.nodes = nodes;
        this.output = builder.output;
        this.maxHeap = builder.maxHeap;
        this.security = security;
    }

    /**
     * The cluster shared by every test of this JVM: three nodes on free ports with data in a new
     * directory (under {@code target/} when the working directory has one), started on first use and
     * stopped when the JVM exits. Each node's log is in {@code node-N/broker.log} of that directory.
     *
     * @return the running cluster
     * @throws IllegalStateException when the cluster does not come up within 120 s
     */
    public static LocalKafkaCluster shared() {
        return Shared.CLUSTER;
    }

    /** @return a builder for a new cluster, by default three nodes on free ports in a temporary directory */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String bootstrapServers() {
        return nodes.stream().map(BrokerNode::address).collect(Collectors.joining(","));
    }

    @Override
    public int size() {
        return nodes.size();
    }

    @Override
    public Optional<KafkaSecurity> security() {
        return Optional.ofNullable(security);
    }

    /** @return the directory holding every node's configuration, data and log */
    public Path directory() {
        return directory;
    }

    /**
     * Starts every node that is not running and waits until all of them serve as brokers.
     *
     * @return this cluster
     * @throws IllegalStateException when a node exits or the cluster is not ready within 120 s
     */
    @Override
    public LocalKafkaCluster startAll() {
        nodes.stream().filter(node -> !node.isRunning()).forEach(BrokerNode::start);
        awaitBrokers(nodes.stream().map(BrokerNode::id).collect(Collectors.toSet()));
        return this;
    }

    /**
     * Stops every node, one after the other, each with a controlled shutdown (SIGTERM) while a
     * controller quorum remains. The last node cannot complete one without a quorum (KRaft waits for
     * the controller), so it is given {@value #LAST_NODE_GRACE_SECONDS} s and then killed; it replays
     * its log on the next start, as after a crash.
     */
    @Override
    public void stopAll() {
        List<BrokerNode> running = nodes.stream().filter(BrokerNode::isRunning).toList();
        for (int i = 0; i < running.size(); i++) {
            boolean last = i == running.size() - 1;
            running.get(i).stop(last ? Duration.ofSeconds(LAST_NODE_GRACE_SECONDS) : STOP_GRACE);
        }
    }

    /**
     * Stops one node gracefully (SIGTERM; killed after 30 s).
     *
     * @param nodeId 1 to {@link #size()}
     */
    @Override
    public void stopBroker(int nodeId) {
        node(nodeId).stop(STOP_GRACE);
    }

    /**
     * Kills one node at once (SIGKILL), as a crash or power loss would.
     *
     * @param nodeId 1 to {@link #size()}
     */
    @Override
    public void killBroker(int nodeId) {
        node(nodeId).kill();
    }

    /**
     * Starts one node again on its data and waits until it serves as a broker.
     *
     * @param nodeId 1 to {@link #size()}
     * @throws IllegalStateException when the node exits or is not ready within 120 s
     */
    @Override
    public void startBroker(int nodeId) {
        BrokerNode node = node(nodeId);
        if (!node.isRunning()) {
            node.start();
        }
        awaitBrokers(Set.of(nodeId));
    }

    /**
     * Stops every node: a cluster in a directory of the caller's with {@link #stopAll()}, a temporary
     * one by killing its nodes and deleting its directory, since nothing of it is kept.
     */
    @Override
    public void close() {
        if (temporary) {
            nodes.parallelStream().forEach(BrokerNode::kill);
            Ports.deleteRecursively(directory);
        } else {
            stopAll();
        }
    }

    private BrokerNode node(int nodeId) {
        if (nodeId < 1 || nodeId > nodes.size()) {
            throw new IllegalArgumentException("No node " + nodeId + " in a cluster of " + nodes.size());
        }
        return nodes.get(nodeId - 1);
    }

    private void awaitBrokers(Set<Integer> expected) {
        Set<Integer> serving = BrokerReadiness.await(bootstrapServers(), adminProperties(), expected, () -> nodes.stream()
                .filter(node -> expected.contains(node.id()) && !node.isRunning())
                .findFirst()
                .ifPresent(node -> {
                    throw new IllegalStateException(node.name() + " exited while starting (" + node.exit()
                            + "); its last lines:\n" + String.join("\n", node.lastLines()));
                }));
        log.info("Kafka cluster ready: brokers {} at {}", serving, bootstrapServers());
    }

    /** @return the client settings of the brokers' own principal (a super user) in secure mode, else none */
    private Map<String, Object> adminProperties() {
        return security == null ? Map.of() : security.clientProperties(KafkaSecurity.BROKER_USER);
    }

    /** Creates the ACLs of {@code kafka-acls.txt}; creating one that exists changes nothing. */
    private void createAcls() {
        Map<String, Object> config = new HashMap<>(adminProperties());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        try (Admin admin = Admin.create(config)) {
            admin.createAcls(KafkaSecurity.acls()).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot create the ACLs of secure mode", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating the ACLs", e);
        }
    }

    /** Settings of a new {@link LocalKafkaCluster}. */
    public static final class Builder {

        private int size = 3;

        private Path directory;

        private int firstBrokerPort;

        private int firstControllerPort;

        private String maxHeap = "512m";

        private BiConsumer<String, String> output;

        private boolean secure;

        private Builder() {
        }

        /**
         * Secure mode (issue 12): clients and brokers connect with SASL_SSL and SCRAM-SHA-512, the
         * controllers with SASL_PLAINTEXT and PLAIN on 127.0.0.1, {@code StandardAuthorizer} with the
         * ACLs of {@link KafkaSecurity#acls()}. Certificates and passwords are made at first start in
         * {@code secrets/} of the directory ({@link KafkaSecurity}), the SCRAM users when the storage
         * is formatted. A directory formatted without it cannot be reused with it.
         *
         * @param secure whether to run in secure mode (off by default)
         * @return this builder
         */
        public Builder secure(boolean secure) {
            this.secure = secure;
            return this;
        }

        /**
         * @param size number of nodes, each broker and controller; 1 to 9 (3 by default)
         * @return this builder
         */
        public Builder size(int size) {
            if (size < 1 || size > 9) {
                throw new IllegalArgumentException("size must be 1 to 9, was " + size);
            }
            this.size = size;
            return this;
        }

        /**
         * Keeps the cluster in this directory: formatted on first start, reused with its topics,
         * records and committed offsets afterwards, never deleted by the cluster.
         *
         * @param directory created when missing
         * @return this builder
         */
        public Builder directory(Path directory) {
            this.directory = directory;
            return this;
        }

        /**
         * Fixed ports: brokers listen on {@code firstBrokerPort}, +1, ... and controllers on
         * {@code firstControllerPort}, +1, ... (by default, free ports are picked).
         *
         * @param firstBrokerPort     port of node 1's broker listener, e.g. 9092
         * @param firstControllerPort port of node 1's controller listener, e.g. 9192
         * @return this builder
         */
        public Builder ports(int firstBrokerPort, int firstControllerPort) {
            this.firstBrokerPort = firstBrokerPort;
            this.firstControllerPort = firstControllerPort;
            return this;
        }

        /**
         * @param maxHeap the {@code -Xmx} of each node, e.g. {@code 512m}
         * @return this builder
         */
        public Builder maxHeap(String maxHeap) {
            this.maxHeap = maxHeap;
            return this;
        }

        /**
         * Where the nodes' output goes (by default, to {@code node-N/broker.log} in the directory).
         *
         * @param output receives (node name such as {@code kafka-1}, line)
         * @return this builder
         */
        public Builder output(BiConsumer<String, String> output) {
            this.output = output;
            return this;
        }

        /**
         * Writes the nodes' configuration, formats their storage when new, starts them and waits
         * until every one serves as a broker.
         *
         * @return the running cluster
         * @throws IllegalStateException when a node fails to format or start, or the cluster is not
         *                               ready within 120 s
         */
        public LocalKafkaCluster start() {
            try {
                Path root = directory != null ? Files.createDirectories(directory) : Ports.newTemporaryDirectory("kafka-cluster-");
                List<Integer> brokerPorts = ports(firstBrokerPort);
                List<Integer> controllerPorts = ports(firstControllerPort);
                String voters = IntStream.rangeClosed(1, size)
                        .mapToObj(id -> id + "@127.0.0.1:" + controllerPorts.get(id - 1))
                        .collect(Collectors.joining(","));
                Path logConfig = root.resolve("broker-log4j2.properties");
                try (InputStream in = LocalKafkaCluster.class.getResourceAsStream("broker-log4j2.properties")) {
                    Files.copy(in, logConfig, StandardCopyOption.REPLACE_EXISTING);
                }
                String clusterId = clusterId(root);
                KafkaSecurity security = secure ? KafkaSecurity.createOrLoad(root.resolve("secrets")) : null;
                List<BrokerNode> nodes = new ArrayList<>();
                for (int id = 1; id <= size; id++) {
                    Path nodeDirectory = Files.createDirectories(root.resolve("node-" + id));
                    nodes.add(new BrokerNode(id, brokerPorts.get(id - 1), nodeDirectory, logConfig, output,
                            maxHeap, nodeProperties(id, brokerPorts.get(id - 1), controllerPorts.get(id - 1),
                                    voters, nodeDirectory, security)));
                }
                List<String> formatArguments = security == null ? List.of() : security.formatArguments();
                nodes.forEach(node -> node.formatIfNew(clusterId, formatArguments));
                LocalKafkaCluster cluster = new LocalKafkaCluster(this, root, List.copyOf(nodes), security);
                try {
                    cluster.startAll();
                    if (security != null) {
                        cluster.createAcls();
                    }
                    return cluster;
                } catch (RuntimeException e) {
                    cluster.close();
                    throw e;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot prepare the Kafka cluster's directory", e);
            }
        }

        private List<Integer> ports(int first) {
            return IntStream.range(0, size).mapToObj(i -> first > 0 ? first + i : Ports.free()).toList();
        }

        private Properties nodeProperties(int id, int brokerPort, int controllerPort, String voters, Path dir,
                KafkaSecurity security) {
            Properties p = new Properties();
            p.setProperty("node.id", Integer.toString(id));
            p.setProperty("process.roles", "broker,controller");
            String client = security == null ? "PLAINTEXT" : "SASL_SSL";
            p.setProperty("listeners", client + "://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
            p.setProperty("advertised.listeners", client + "://127.0.0.1:" + brokerPort);
            p.setProperty("listener.security.protocol.map", security == null
                    ? "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
                    : "SASL_SSL:SASL_SSL,CONTROLLER:SASL_PLAINTEXT");
            p.setProperty("controller.listener.names", "CONTROLLER");
            p.setProperty("inter.broker.listener.name", client);
            // A static voter set: every node knows the whole quorum from its configuration.
            p.setProperty("controller.quorum.voters", voters);
            p.setProperty("log.dirs", dir.resolve("data").toString());
            // The settings shared with the containers and compose (broker.properties), then secure mode's.
            BrokerSettings.common().forEach(p::setProperty);
            if (security != null) {
                BrokerSettings.secure().forEach(p::setProperty);
                security.brokerSecrets(List.of(client), "CONTROLLER", security.keystore().toString(),
                        security.truststore().toString()).forEach(p::setProperty);
            }
            // A cluster of fewer than three nodes cannot hold three replicas of anything.
            int replication = Math.min(size, 3);
            int minIsr = Math.min(replication, 2);
            for (String key : List.of("default.replication.factor", "offsets.topic.replication.factor",
                    "transaction.state.log.replication.factor", "share.coordinator.state.topic.replication.factor")) {
                p.setProperty(key, Integer.toString(Math.min(replication, Integer.parseInt(p.getProperty(key)))));
            }
            for (String key : List.of("min.insync.replicas", "transaction.state.log.min.isr",
                    "share.coordinator.state.topic.min.isr")) {
                p.setProperty(key, Integer.toString(Math.min(minIsr, Integer.parseInt(p.getProperty(key)))));
            }
            return p;
        }

        private static String clusterId(Path root) throws IOException {
            Path file = root.resolve("cluster.id");
            if (Files.exists(file)) {
                return Files.readString(file).strip();
            }
            String id = Uuid.randomUuid().toString();
            Files.writeString(file, id);
            return id;
        }
    }

    /** One node: its configuration, its process while it runs, and the last lines it printed. */
    private static final class BrokerNode {

        private static final int KEPT_LINES = 40;

        private final int id;

        private final int brokerPort;

        private final Path directory;

        private final Path logConfig;

        private final BiConsumer<String, String> output;

        private final String maxHeap;

        private final Path properties;

        private final Deque<String> lastLines = new ArrayDeque<>();

        private ManagedProcess process;

        BrokerNode(int id, int brokerPort, Path directory, Path logConfig, BiConsumer<String, String> output,
                String maxHeap, Properties config) throws IOException {
            this.id = id;
            this.brokerPort = brokerPort;
            this.directory = directory;
            this.logConfig = logConfig;
            this.output = output != null ? output : new FileOutput(directory.resolve("broker.log"));
            this.maxHeap = maxHeap;
            this.properties = directory.resolve("server.properties");
            try (var writer = Files.newBufferedWriter(properties)) {
                config.store(writer, "Kafka node " + id + ", written by dev.pedidos.infra.LocalKafkaCluster");
            }
            try {
                // In secure mode it holds the brokers' passwords.
                Files.setPosixFilePermissions(properties, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system
            }
        }

        int id() {
            return id;
        }

        String name() {
            return "kafka-" + id;
        }

        String address() {
            return "127.0.0.1:" + brokerPort;
        }

        synchronized boolean isRunning() {
            return process != null && process.isAlive();
        }

        /** @return how the process ended, after its remaining output was read */
        String exit() {
            ManagedProcess ended = running();
            return ended == null ? "never started" : "exit code " + ended.awaitExit(Duration.ofSeconds(5));
        }

        synchronized List<String> lastLines() {
            return List.copyOf(lastLines);
        }

        void formatIfNew(String clusterId, List<String> extraArguments) {
            if (Files.exists(directory.resolve("data").resolve("meta.properties"))) {
                return;
            }
            List<String> command = javaCommand("kafka.tools.StorageTool", "format", "--ignore-formatted",
                    "--cluster-id", clusterId, "--config", properties.toString());
            // Secure mode: the SCRAM users (--add-scram), in the metadata before the first start.
            command.addAll(extraArguments);
            // The format tool's output is kept for the error message only.
            int exit = ManagedProcess.start(name() + "-format", command, (name, line) -> keep(line))
                    .awaitExit(Duration.ofSeconds(60));
            if (exit != 0) {
                throw new IllegalStateException("Formatting " + name() + " failed (exit " + exit + "):\n"
                        + String.join("\n", lastLines()));
            }
        }

        synchronized void start() {
            List<String> command = javaCommand(ChildMain.class.getName(), "kafka.Kafka", properties.toString());
            command.add(1, "-D" + ChildMain.PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid());
            ManagedProcess started = ManagedProcess.start(name(), command, this::record);
            process = started;
            // Whoever stops or kills it, and a crash: one line on the console (a broker gone with SIGKILL went unmentioned).
            started.onExit(code -> output.accept(name(), name() + " (pid " + started.pid() + ") exited, "
                    + ManagedProcess.describeExit(code)));
        }

        void stop(Duration grace) {
            ManagedProcess running = running();
            if (running != null) {
                running.stop(grace);
            }
        }

        void kill() {
            ManagedProcess running = running();
            if (running != null) {
                running.kill();
            }
        }

        private synchronized ManagedProcess running() {
            return process;
        }

        private void record(String name, String line) {
            keep(line);
            output.accept(name, line);
        }

        private synchronized void keep(String line) {
            if (lastLines.size() == KEPT_LINES) {
                lastLines.removeFirst();
            }
            lastLines.addLast(line);
        }

        private List<String> javaCommand(String mainClass, String... args) {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xms128m", "-Xmx" + maxHeap,
                    "-XX:+ExitOnOutOfMemoryError",
                    "-Djava.awt.headless=true",
                    // Kafka 4.2 frees memory-mapped index buffers through sun.misc.Unsafe, which
                    // JDK 24+ warns about at every start; the call is intended.
                    "--sun-misc-unsafe-memory-access=allow",
                    "-Dlog4j2.configurationFile=" + logConfig,
                    "-cp", ChildMain.location() + File.pathSeparator + ChildMain.brokerClasspath(),
                    mainClass));
            command.addAll(List.of(args));
            return command;
        }
    }

    /** Appends (node, line) to one log file. */
    private static final class FileOutput implements BiConsumer<String, String> {

        private final BufferedWriter writer;

        FileOutput(Path file) throws IOException {
            this.writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }

        @Override
        public synchronized void accept(String node, String line) {
            try {
                writer.write(line);
                writer.newLine();
                writer.flush();
            } catch (IOException e) {
                // a full disk must not take the broker down with it
            }
        }
    }

    /** Holder of the JVM-wide cluster: started on first use, stopped at JVM exit. */
    private static final class Shared {

        static final LocalKafkaCluster CLUSTER = startShared();

        private static LocalKafkaCluster startShared() {
            LocalKafkaCluster cluster = LocalKafkaCluster.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "kafka-cluster-shutdown"));
            return cluster;
        }
    }
}
