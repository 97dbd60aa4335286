package dev.pedidos.infra;

import java.util.Optional;

/**
 * A real multi-node Apache Kafka cluster in KRaft mode, for the local run and the tests: either
 * broker processes of this machine ({@link LocalKafkaCluster}) or Docker containers
 * ({@link ContainerKafkaCluster}), with the same behaviour: every node is broker and controller,
 * {@code auto.create.topics.enable=false}, {@code unclean.leader.election.enable=false}, internal
 * topics replicated to three nodes with a minimum ISR of 2. Node IDs are 1 to {@link #size()}.
 *
 * <p>Nodes can be stopped, killed and started again on their data, so tests can take brokers
 * away under load. Methods that start nodes return when those nodes serve as brokers.
 */
public interface KafkaCluster extends AutoCloseable {

    /** @return the bootstrap servers of all nodes, {@code host:port} separated by commas */
    String bootstrapServers();

    /**
     * @return the secrets of a cluster in secure mode (SASL_SSL, SCRAM-SHA-512, ACLs), to build
     *         clients with; empty for a PLAINTEXT cluster
     */
    default Optional<KafkaSecurity> security() {
        return Optional.empty();
    }

    /** @return the number of nodes, running or not */
    int size();

    /**
     * Starts every node that is not running and waits until all of them serve as brokers.
     *
     * @return this cluster
     * @throws IllegalStateException when a node fails or the cluster is not ready within 120 s
     */
    KafkaCluster startAll();

    /** Stops every node, each as gracefully as the remaining quorum allows. */
    void stopAll();

    /**
     * Stops one node gracefully (SIGTERM, a controlled shutdown).
     *
     * @param nodeId 1 to {@link #size()}
     */
    void stopBroker(int nodeId);

    /**
     * Kills one node at once (SIGKILL), as a crash or power loss would.
     *
     * @param nodeId 1 to {@link #size()}
     */
    void killBroker(int nodeId);

    /**
     * Starts one node again on its data and waits until it serves as a broker.
     *
     * @param nodeId 1 to {@link #size()}
     * @throws IllegalStateException when the node fails or is not ready within 120 s
     */
    void startBroker(int nodeId);

    /** Stops every node and releases what the cluster holds. */
    @Override
    void close();
}
