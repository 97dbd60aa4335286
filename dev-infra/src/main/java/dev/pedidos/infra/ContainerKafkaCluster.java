package dev.pedidos.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.github.dockerjava.api.DockerClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * A {@link KafkaCluster} of Docker containers ({@code apache/kafka}, the release of the clients), for
 * machines with a Docker engine: three combined broker and controller nodes on one Docker network,
 * each publishing its client listener on a fixed free host port, so that a node stopped and
 * started again (same container, same data) keeps its advertised address.
 *
 * <p>Broker settings come from {@link BrokerSettings}, as for {@link LocalKafkaCluster}.
 * {@link #startSecure()} starts the secure-mode twin of {@code LocalKafkaCluster.builder().secure(true)}.
 *
 * <p>Listeners: {@code PLAINTEXT} on 9092 for this machine's clients (advertised as the Docker
 * host and the published port), {@code BROKER} on 19092 between the nodes, {@code CONTROLLER} on
 * 9093 for the quorum.
 */
public final class ContainerKafkaCluster implements KafkaCluster {

    /** The broker image: the same Kafka release as the clients Boot manages. */
    public static final DockerImageName IMAGE = DockerImageName.parse("apache/kafka:4.2.1");

    private static final int CLIENT_PORT = 9092;

    private final List<GenericContainer<?>> nodes;

    private final String bootstrapServers;

    private final Network network;

    private final KafkaSecurity security;

    private ContainerKafkaCluster(List<GenericContainer<?>> nodes, String bootstrapServers, Network network,
            KafkaSecurity security) {
        this.nodes = nodes;
        this.bootstrapServers = bootstrapServers;
        this.network = network;
        this.security = security;
    }

    /**
     * The container cluster shared by every test of this JVM, started on first use, removed at exit.
     *
     * @return the running cluster
     * @throws IllegalStateException when Docker is missing or the nodes do not start
     */
    public static ContainerKafkaCluster shared() {
        return Shared.CLUSTER;
    }

    /**
     * Starts three nodes in parallel (a quorum needs them together) and waits until all serve.
     *
     * @return the running cluster
     */
    public static ContainerKafkaCluster start() {
        return start(null);
    }

    /**
     * Starts three nodes in secure mode, as {@link LocalKafkaCluster.Builder#secure(boolean)} does:
     * SASL_SSL with SCRAM-SHA-512 for clients ({@code 9092}, published) and between brokers
     * ({@code BROKER}, 19092), SASL_PLAINTEXT with PLAIN for the quorum, the ACLs of
     * {@link KafkaSecurity#acls()}. Each node gets a complete {@code server.properties} and the
     * stores copied in, and formats its storage with the SCRAM users before its first start.
     *
     * @return the running cluster, its secrets in a new temporary directory
     */
    public static ContainerKafkaCluster startSecure() {
        ContainerKafkaCluster cluster;
        try {
            cluster = start(KafkaSecurity.createOrLoad(Ports.newTemporaryDirectory("kafka-secrets-")));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot make a directory for the cluster's secrets", e);
        }
        cluster.createAcls();
        return cluster;
    }

    private static ContainerKafkaCluster start(KafkaSecurity security) {
        int size = 3;
        String host = DockerClientFactory.instance().dockerHostIpAddress();
        String clusterId = Uuid.randomUuid().toString();
        String voters = IntStream.rangeClosed(1, size)
                .mapToObj(id -> id + "@kafka-" + id + ":9093")
                .collect(Collectors.joining(","));
        Network network = Network.newNetwork();
        List<Integer> hostPorts = IntStream.range(0, size).mapToObj(i -> Ports.free()).toList();
        List<GenericContainer<?>> nodes = IntStream.rangeClosed(1, size)
                .<GenericContainer<?>>mapToObj(id -> security == null
                        ? node(id, clusterId, voters, network, host, hostPorts.get(id - 1))
                        : secureNode(id, clusterId, voters, network, host, hostPorts.get(id - 1), security))
                .toList();
        Startables.deepStart(nodes).join();
        String bootstrap = hostPorts.stream().map(port -> host + ":" + port).collect(Collectors.joining(","));
        ContainerKafkaCluster cluster = new ContainerKafkaCluster(nodes, bootstrap, network, security);
        cluster.await(IntStream.rangeClosed(1, size).boxed().collect(Collectors.toSet()));
        return cluster;
    }

    private static GenericContainer<?> node(int id, String clusterId, String voters, Network network, String host,
            int hostPort) {
        GenericContainer<?> node = new GenericContainer<>(IMAGE)
                .withNetwork(network)
                .withNetworkAliases("kafka-" + id)
                .withExposedPorts(CLIENT_PORT)
                .withEnv(environment(id, clusterId, voters, host, hostPort))
                .waitingFor(Wait.forLogMessage(".*Kafka Server started.*", 1).withStartupTimeout(BrokerReadiness.TIMEOUT));
        // A fixed host port: a restarted container keeps the address it advertises.
        node.setPortBindings(List.of(hostPort + ":" + CLIENT_PORT));
        return node;
    }

    private static GenericContainer<?> secureNode(int id, String clusterId, String voters, Network network, String host,
            int hostPort, KafkaSecurity security) {
        String secrets = "/etc/kafka/pedidos/";
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("node.id", Integer.toString(id));
        settings.put("process.roles", "broker,controller");
        settings.put("controller.quorum.voters", voters);
        settings.put("listeners", "SASL_SSL://0.0.0.0:9092,BROKER://0.0.0.0:19092,CONTROLLER://0.0.0.0:9093");
        settings.put("advertised.listeners", "SASL_SSL://" + host + ":" + hostPort + ",BROKER://kafka-" + id + ":19092");
        settings.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,BROKER:SASL_SSL,CONTROLLER:SASL_PLAINTEXT");
        settings.put("inter.broker.listener.name", "BROKER");
        settings.put("controller.listener.names", "CONTROLLER");
        settings.put("log.dirs", "/var/lib/kafka/data");
        settings.putAll(BrokerSettings.common());
        settings.putAll(BrokerSettings.secure());
        settings.putAll(security.brokerSecrets(List.of("BROKER", "SASL_SSL"), "CONTROLLER", secrets + "broker.p12",
                secrets + "truststore.p12"));
        Path file = security.directory().resolve("server-" + id + ".properties");
        try {
            Files.write(file, settings.entrySet().stream()
                    .map(entry -> entry.getKey() + "=" + entry.getValue().replace("\\", "\\\\"))
                    .toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Format with the SCRAM users (ignored once formatted, e.g. after a restart), then run the broker.
        String start = "/opt/kafka/bin/kafka-storage.sh format --ignore-formatted --cluster-id " + clusterId
                + " --config " + secrets + "server.properties "
                + security.formatArguments().stream().map(argument -> "'" + argument + "'").collect(Collectors.joining(" "))
                + " && exec /opt/kafka/bin/kafka-server-start.sh " + secrets + "server.properties";
        GenericContainer<?> node = new GenericContainer<>(IMAGE)
                .withNetwork(network)
                .withNetworkAliases("kafka-" + id)
                .withExposedPorts(CLIENT_PORT)
                .withCopyFileToContainer(MountableFile.forHostPath(file, 0644), secrets + "server.properties")
                .withCopyFileToContainer(MountableFile.forHostPath(security.keystore(), 0644), secrets + "broker.p12")
                .withCopyFileToContainer(MountableFile.forHostPath(security.truststore(), 0644), secrets + "truststore.p12")
                .withCreateContainerCmdModifier(command -> command.withEntrypoint("bash", "-c", start))
                .waitingFor(Wait.forLogMessage(".*Kafka Server started.*", 1).withStartupTimeout(BrokerReadiness.TIMEOUT));
        node.setPortBindings(List.of(hostPort + ":" + CLIENT_PORT));
        return node;
    }

    /** Creates the ACLs of {@code kafka-acls.txt} as the brokers' principal. */
    private void createAcls() {
        Map<String, Object> config = new HashMap<>(adminProperties());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(config)) {
            admin.createAcls(KafkaSecurity.acls()).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot create the ACLs of secure mode", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating the ACLs", e);
        }
    }

    private Map<String, Object> adminProperties() {
        return security == null ? Map.of() : security.clientProperties(KafkaSecurity.BROKER_USER);
    }

    @Override
    public Optional<KafkaSecurity> security() {
        return Optional.ofNullable(security);
    }

    /** The node's environment: its listeners and quorum, then the shared settings of {@link BrokerSettings}. */
    private static Map<String, String> environment(int id, String clusterId, String voters, String host, int hostPort) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("CLUSTER_ID", clusterId);
        environment.put("KAFKA_NODE_ID", Integer.toString(id));
        environment.put("KAFKA_PROCESS_ROLES", "broker,controller");
        environment.put("KAFKA_CONTROLLER_QUORUM_VOTERS", voters);
        environment.put("KAFKA_LISTENERS", "PLAINTEXT://0.0.0.0:9092,BROKER://0.0.0.0:19092,CONTROLLER://0.0.0.0:9093");
        environment.put("KAFKA_ADVERTISED_LISTENERS", "PLAINTEXT://" + host + ":" + hostPort + ",BROKER://kafka-" + id + ":19092");
        environment.put("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "PLAINTEXT:PLAINTEXT,BROKER:PLAINTEXT,CONTROLLER:PLAINTEXT");
        environment.put("KAFKA_INTER_BROKER_LISTENER_NAME", "BROKER");
        environment.put("KAFKA_CONTROLLER_LISTENER_NAMES", "CONTROLLER");
        environment.putAll(BrokerSettings.asEnvironment(BrokerSettings.common()));
        return environment;
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public int size() {
        return nodes.size();
    }

    @Override
    public ContainerKafkaCluster startAll() {
        for (int id = 1; id <= nodes.size(); id++) {
            if (!isRunning(id)) {
                docker().startContainerCmd(container(id).getContainerId()).exec();
            }
        }
        await(IntStream.rangeClosed(1, nodes.size()).boxed().collect(Collectors.toSet()));
        return this;
    }

    /**
     * Stops the nodes one after the other (SIGTERM); the last, which cannot complete a controlled
     * shutdown without a quorum, is killed after 5 s, as {@link LocalKafkaCluster#stopAll()} does.
     */
    @Override
    public void stopAll() {
        List<Integer> running = IntStream.rangeClosed(1, nodes.size()).filter(this::isRunning).boxed().toList();
        for (int i = 0; i < running.size(); i++) {
            int grace = i == running.size() - 1 ? 5 : 30;
            docker().stopContainerCmd(container(running.get(i)).getContainerId()).withTimeout(grace).exec();
        }
    }

    @Override
    public void stopBroker(int nodeId) {
        docker().stopContainerCmd(container(nodeId).getContainerId()).withTimeout(30).exec();
    }

    @Override
    public void killBroker(int nodeId) {
        docker().killContainerCmd(container(nodeId).getContainerId()).exec();
    }

    @Override
    public void startBroker(int nodeId) {
        if (!isRunning(nodeId)) {
            docker().startContainerCmd(container(nodeId).getContainerId()).exec();
        }
        await(Set.of(nodeId));
    }

    /** Removes the containers and their network. */
    @Override
    public void close() {
        nodes.forEach(GenericContainer::stop);
        network.close();
    }

    private void await(Set<Integer> expected) {
        BrokerReadiness.await(bootstrapServers, adminProperties(), expected, () -> { });
    }

    private boolean isRunning(int nodeId) {
        Boolean running = docker().inspectContainerCmd(container(nodeId).getContainerId()).exec().getState().getRunning();
        return Boolean.TRUE.equals(running);
    }

    private GenericContainer<?> container(int nodeId) {
        if (nodeId < 1 || nodeId > nodes.size()) {
            throw new IllegalArgumentException("No node " + nodeId + " in a cluster of " + nodes.size());
        }
        return nodes.get(nodeId - 1);
    }

    private static DockerClient docker() {
        return DockerClientFactory.instance().client();
    }

    /** Holder of the JVM-wide cluster: started on first use, removed at JVM exit. */
    private static final class Shared {

        static final ContainerKafkaCluster CLUSTER = startShared();

        private static ContainerKafkaCluster startShared() {
            ContainerKafkaCluster cluster = ContainerKafkaCluster.start();
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "kafka-containers-shutdown"));
            return cluster;
        }
    }
}
