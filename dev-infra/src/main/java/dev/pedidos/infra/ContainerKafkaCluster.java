package dev.pedidos.infra;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.github.dockerjava.api.DockerClient;
import org.apache.kafka.common.Uuid;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;

/**
 * A {@link KafkaCluster} of Docker containers ({@code apache/kafka}, the release of the clients), for
 * machines with a Docker engine: three combined broker and controller nodes on one Docker network,
 * each publishing its client listener on a fixed free host port, so that a node stopped and
 * started again (same container, same data) keeps its advertised address.
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

    private ContainerKafkaCluster(List<GenericContainer<?>> nodes, String bootstrapServers, Network network) {
        this.nodes = nodes;
        this.bootstrapServers = bootstrapServers;
        this.network = network;
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
        int size = 3;
        String host = DockerClientFactory.instance().dockerHostIpAddress();
        String clusterId = Uuid.randomUuid().toString();
        String voters = IntStream.rangeClosed(1, size)
                .mapToObj(id -> id + "@kafka-" + id + ":9093")
                .collect(Collectors.joining(","));
        Network network = Network.newNetwork();
        List<Integer> hostPorts = IntStream.range(0, size).mapToObj(i -> Ports.free()).toList();
        List<GenericContainer<?>> nodes = IntStream.rangeClosed(1, size)
                .<GenericContainer<?>>mapToObj(id -> node(id, clusterId, voters, network, host, hostPorts.get(id - 1)))
                .toList();
        Startables.deepStart(nodes).join();
        String bootstrap = hostPorts.stream().map(port -> host + ":" + port).collect(Collectors.joining(","));
        ContainerKafkaCluster cluster = new ContainerKafkaCluster(nodes, bootstrap, network);
        cluster.await(IntStream.rangeClosed(1, size).boxed().collect(Collectors.toSet()));
        return cluster;
    }

    private static GenericContainer<?> node(int id, String clusterId, String voters, Network network, String host,
            int hostPort) {
        GenericContainer<?> node = new GenericContainer<>(IMAGE)
                .withNetwork(network)
                .withNetworkAliases("kafka-" + id)
                .withExposedPorts(CLIENT_PORT)
                .withEnv(Map.ofEntries(
                        Map.entry("CLUSTER_ID", clusterId),
                        Map.entry("KAFKA_NODE_ID", Integer.toString(id)),
                        Map.entry("KAFKA_PROCESS_ROLES", "broker,controller"),
                        Map.entry("KAFKA_CONTROLLER_QUORUM_VOTERS", voters),
                        Map.entry("KAFKA_LISTENERS", "PLAINTEXT://0.0.0.0:9092,BROKER://0.0.0.0:19092,CONTROLLER://0.0.0.0:9093"),
                        Map.entry("KAFKA_ADVERTISED_LISTENERS", "PLAINTEXT://" + host + ":" + hostPort + ",BROKER://kafka-" + id + ":19092"),
                        Map.entry("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "PLAINTEXT:PLAINTEXT,BROKER:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                        Map.entry("KAFKA_INTER_BROKER_LISTENER_NAME", "BROKER"),
                        Map.entry("KAFKA_CONTROLLER_LISTENER_NAMES", "CONTROLLER"),
                        Map.entry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false"),
                        Map.entry("KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE", "false"),
                        Map.entry("KAFKA_DEFAULT_REPLICATION_FACTOR", "3"),
                        Map.entry("KAFKA_MIN_INSYNC_REPLICAS", "2"),
                        Map.entry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "3"),
                        Map.entry("KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS", "12"),
                        Map.entry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "3"),
                        Map.entry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "2"),
                        Map.entry("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")))
                .waitingFor(Wait.forLogMessage(".*Kafka Server started.*", 1).withStartupTimeout(BrokerReadiness.TIMEOUT));
        // A fixed host port: a restarted container keeps the address it advertises.
        node.setPortBindings(List.of(hostPort + ":" + CLIENT_PORT));
        return node;
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
        BrokerReadiness.await(bootstrapServers, expected, () -> { });
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
