package dev.pedidos.stack;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.pedidos.infra.BrokerSettings;
import dev.pedidos.infra.KafkaSecurity;
import org.apache.kafka.common.utils.AppInfoParser;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

/**
 * {@code docker-compose.yml} and the services' {@code application.yml} describe one system from two
 * sides, and this machine cannot run compose: this test reads both (plain files, no Spring) and
 * fails, naming the fact, when they drift apart. One test per fact; each reports every drift of its
 * fact at once.
 *
 * <p>An {@code application.yml} value is what a service starts with (on the host, against this stack's
 * published ports); compose's {@code environment} overrides it inside the containers. Also read: the
 * PostgreSQL init script under {@code docker/}, the Dockerfile, the root pom's {@code java.version}
 * and the README's topic table. Paths are relative to this module's directory, Surefire's working
 * directory.
 */
class ComposeDriftTest {

    private static final Path ROOT = Path.of("..");
    private static final List<String> SERVICES = List.of("order-service", "billing-consumer", "notification-consumer");
    private static final List<String> CONSUMERS = List.of("billing-consumer", "notification-consumer");
    /** Broker variables that differ per node or per side of the network: not in broker.properties. */
    private static final Set<String> PER_NODE = Set.of("KAFKA_NODE_ID", "KAFKA_PROCESS_ROLES",
            "KAFKA_CONTROLLER_QUORUM_VOTERS", "KAFKA_CONTROLLER_LISTENER_NAMES", "KAFKA_INTER_BROKER_LISTENER_NAME",
            "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "KAFKA_LISTENERS", "KAFKA_ADVERTISED_LISTENERS", "KAFKA_LOG_DIRS");

    private final Compose compose = Compose.read(ROOT.resolve("docker-compose.yml"));
    private final AppConfig orders = AppConfig.read("order-service");
    private final Map<String, AppConfig> consumers = CONSUMERS.stream()
            .collect(Collectors.toMap(module -> module, AppConfig::read, (a, b) -> a, LinkedHashMap::new));

    @Test
    void brokerImageIsTheVersionOfTheKafkaClients() {
        String expected = "apache/kafka:" + AppInfoParser.getVersion();

        assertSoftly(softly -> compose.brokers().forEach(broker -> softly.assertThat(broker.image())
                .as("image of %s vs kafka-clients on the classpath (managed by Spring Boot)", broker.name())
                .isEqualTo(expected)));
    }

    @Test
    void threeCombinedNodesFormOneStaticQuorum() {
        List<Service> brokers = compose.brokers();
        assertThat(brokers).as("services running apache/kafka in docker-compose.yml").hasSize(3);

        String voters = brokers.stream()
                .map(broker -> broker.env("KAFKA_NODE_ID") + "@" + broker.name() + ":"
                        + broker.listener("KAFKA_LISTENERS", broker.env("KAFKA_CONTROLLER_LISTENER_NAMES")).port())
                .collect(Collectors.joining(","));
        assertSoftly(softly -> {
            softly.assertThat(brokers.stream().map(broker -> broker.env("KAFKA_NODE_ID")).distinct())
                    .as("KAFKA_NODE_ID of the brokers (must differ)").hasSize(brokers.size());
            softly.assertThat(brokers.stream().map(broker -> broker.env("CLUSTER_ID")).distinct())
                    .as("CLUSTER_ID of the brokers (one cluster)").hasSize(1);
            for (Service broker : brokers) {
                softly.assertThat(broker.env("KAFKA_PROCESS_ROLES")).as("%s KAFKA_PROCESS_ROLES", broker.name())
                        .isEqualTo("broker,controller");
                softly.assertThat(broker.env("KAFKA_CONTROLLER_QUORUM_VOTERS"))
                        .as("%s KAFKA_CONTROLLER_QUORUM_VOTERS vs the brokers' node IDs, names and controller ports",
                                broker.name())
                        .isEqualTo(voters);
            }
        });
    }

    @Test
    void brokerDefaultsKeepWhatTheTopicsPromise() {
        int brokerCount = compose.brokers().size();
        String minIsr = orders.text("pedidos.topic.min-insync-replicas");

        assertSoftly(softly -> compose.brokers().forEach(broker -> {
            softly.assertThat(broker.env("KAFKA_MIN_INSYNC_REPLICAS"))
                    .as("%s KAFKA_MIN_INSYNC_REPLICAS vs order-service pedidos.topic.min-insync-replicas", broker.name())
                    .isEqualTo(minIsr);
            softly.assertThat(broker.env("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"))
                    .as("%s KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR vs the number of brokers", broker.name())
                    .isEqualTo(String.valueOf(brokerCount));
            softly.assertThat(broker.env("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR"))
                    .as("%s KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR vs the number of brokers", broker.name())
                    .isEqualTo(String.valueOf(brokerCount));
            softly.assertThat(broker.env("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR"))
                    .as("%s KAFKA_TRANSACTION_STATE_LOG_MIN_ISR vs order-service pedidos.topic.min-insync-replicas",
                            broker.name())
                    .isEqualTo(minIsr);
            softly.assertThat(broker.env("KAFKA_AUTO_CREATE_TOPICS_ENABLE"))
                    .as("%s KAFKA_AUTO_CREATE_TOPICS_ENABLE (topics are declared by the services)", broker.name())
                    .isEqualTo("false");
            softly.assertThat(broker.env("KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE"))
                    .as("%s KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE", broker.name())
                    .isEqualTo("false");
        }));
    }

    @Test
    void brokerSettingsAreTheOnesOfDevInfrasOneSource() {
        Map<String, String> expected = BrokerSettings.asEnvironment(BrokerSettings.common());

        assertSoftly(softly -> compose.brokers().forEach(broker -> {
            expected.forEach((variable, value) -> softly.assertThat(broker.environment().get(variable))
                    .as("%s %s vs dev-infra broker.properties", broker.name(), variable).isEqualTo(value));
            softly.assertThat(broker.environment().keySet().stream()
                            .filter(variable -> variable.startsWith("KAFKA_") && !PER_NODE.contains(variable)))
                    .as("%s: a broker setting that is not per node belongs in dev-infra broker.properties", broker.name())
                    .containsExactlyInAnyOrderElementsOf(expected.keySet());
        }));
    }

    @Test
    void secureModeBrokersUseDevInfrasSecureSettingsOnEveryListener() {
        Compose secure = Compose.read(ROOT.resolve("compose.secure.yml"));
        Map<String, String> expected = BrokerSettings.asEnvironment(BrokerSettings.secure());

        assertSoftly(softly -> compose.brokers().forEach(broker -> {
            Service override = secure.service(broker.name());
            expected.forEach((variable, value) -> softly.assertThat(override.environment().get(variable))
                    .as("compose.secure.yml %s %s vs dev-infra broker-secure.properties", broker.name(), variable)
                    .isEqualTo(value));
            String controller = broker.env("KAFKA_CONTROLLER_LISTENER_NAMES");
            String protocols = Listener.parseAll(broker.env("KAFKA_LISTENERS")).stream()
                    .map(listener -> listener.name() + ":" + (listener.name().equals(controller) ? "SASL_PLAINTEXT" : "SASL_SSL"))
                    .collect(Collectors.joining(","));
            softly.assertThat(override.env("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"))
                    .as("compose.secure.yml %s: SASL_SSL on every client and inter-broker listener", broker.name())
                    .isEqualTo(protocols);
            softly.assertThat(override.environment().keySet())
                    .as("compose.secure.yml %s: secrets come from the kafka-secrets volume, never the environment",
                            broker.name())
                    .noneMatch(variable -> variable.contains("PASSWORD") || variable.contains("JAAS"));
        }));
    }

    @Test
    void secureModeServicesUseTheirOwnPrincipalAndTheAclsOfDevInfra() {
        Compose secure = Compose.read(ROOT.resolve("compose.secure.yml"));
        Set<String> principals = KafkaSecurity.acls().stream()
                .map(acl -> acl.entry().principal())
                .collect(Collectors.toSet());

        assertSoftly(softly -> {
            softly.assertThat(principals).as("principals of dev-infra kafka-acls.txt vs the services")
                    .containsExactlyInAnyOrderElementsOf(SERVICES.stream().map(service -> "User:" + service).toList());
            softly.assertThat(KafkaSecurity.SERVICES).as("KafkaSecurity.SERVICES").containsExactlyElementsOf(SERVICES);
            for (String module : SERVICES) {
                Service service = secure.service(module);
                softly.assertThat(service.env("SPRING_KAFKA_SECURITY_PROTOCOL")).as("compose.secure.yml %s", module)
                        .isEqualTo("SASL_SSL");
                softly.assertThat(service.env("SPRING_KAFKA_PROPERTIES_SASL_MECHANISM")).as("compose.secure.yml %s", module)
                        .isEqualTo(KafkaSecurity.MECHANISM);
                softly.assertThat(service.environment().keySet())
                        .as("compose.secure.yml %s: no secret in the environment", module)
                        .noneMatch(variable -> variable.contains("PASSWORD") || variable.contains("JAAS"));
                softly.assertThat(service.volumeSubpaths()).as("compose.secure.yml %s mounts only its own secrets", module)
                        .containsExactly(module);
            }
            softly.assertThat(secure.service("kafka-acls").volumes())
                    .as("compose.secure.yml kafka-acls: the ACL list of dev-infra")
                    .contains("./dev-infra/src/main/resources/dev/pedidos/infra/kafka-acls.txt:/pedidos/kafka-acls.txt:ro");
        });
    }

    @Test
    void secureModeScriptsMakeEverySecretKafkaSecurityMakes() throws IOException {
        String makeSecrets = Files.readString(ROOT.resolve("docker/kafka-secure/make-secrets"));
        String startBroker = Files.readString(ROOT.resolve("docker/kafka-secure/start-broker"));

        assertSoftly(softly -> {
            softly.assertThat(makeSecrets).as("make-secrets services vs KafkaSecurity.SERVICES")
                    .contains("services=(" + String.join(" ", KafkaSecurity.SERVICES) + ")");
            softly.assertThat(startBroker).as("start-broker SCRAM users vs KafkaSecurity.users()")
                    .contains("for user in " + String.join(" ", KafkaSecurity.users()) + "; do");
            softly.assertThat(startBroker).as("start-broker SCRAM mechanism")
                    .contains("--add-scram \"" + KafkaSecurity.MECHANISM + "=[name=");
        });
    }

    @Test
    void orderTopicFitsTheClusterAndIsTheOneTheConsumersRead() {
        int brokerCount = compose.brokers().size();
        String topic = orders.text("pedidos.topic.name");
        int partitions = orders.number("pedidos.topic.partitions");
        int replicas = orders.number("pedidos.topic.replicas");
        int minIsr = orders.number("pedidos.topic.min-insync-replicas");

        assertSoftly(softly -> {
            softly.assertThat(topic).as("order-service pedidos.topic.name").isEqualTo("pedidos-pendentes");
            softly.assertThat(replicas).as("order-service pedidos.topic.replicas vs the number of brokers")
                    .isEqualTo(brokerCount);
            softly.assertThat(minIsr).as("order-service pedidos.topic.min-insync-replicas: one broker may be down (G1)")
                    .isEqualTo(replicas - 1);
            consumers.forEach((module, config) -> {
                softly.assertThat(config.text("pedidos.source-topic"))
                        .as("%s pedidos.source-topic vs order-service pedidos.topic.name", module).isEqualTo(topic);
                softly.assertThat(partitions)
                        .as("order-service pedidos.topic.partitions vs %s spring.kafka.listener.concurrency", module)
                        .isGreaterThanOrEqualTo(config.number("spring.kafka.listener.concurrency"));
            });
            assertReadmeRow(softly, topic, partitions, replicas, minIsr);
        });
    }

    @Test
    void consumerGroupsAreTheDocumentedOnesAndNotOverridden() {
        assertSoftly(softly -> {
            softly.assertThat(consumers.get("billing-consumer").text("spring.kafka.consumer.group-id"))
                    .as("billing-consumer spring.kafka.consumer.group-id").isEqualTo("billing");
            softly.assertThat(consumers.get("notification-consumer").text("spring.kafka.consumer.group-id"))
                    .as("notification-consumer spring.kafka.consumer.group-id").isEqualTo("notification");
            softly.assertThat(orders.text("spring.kafka.consumer.group-id"))
                    .as("order-service spring.kafka.consumer.group-id (the journey view)").isEqualTo("order-journey");
            for (String module : SERVICES) {
                softly.assertThat(compose.service(module).environment().keySet())
                        .as("%s environment in docker-compose.yml: topics and groups come from application.yml", module)
                        .noneMatch(name -> (name.startsWith("PEDIDOS_") && !name.startsWith("PEDIDOS_ADMIN_"))
                                || name.startsWith("SPRING_KAFKA_CONSUMER_"));
            }
        });
    }

    @Test
    void deadLetterTopicsAreNamedPerGroupAndFitTheCluster() {
        int brokerCount = compose.brokers().size();
        int sourcePartitions = orders.number("pedidos.topic.partitions");

        assertSoftly(softly -> consumers.forEach((module, config) -> {
            String topic = config.text("pedidos.dead-letter.topic");
            int partitions = config.number("pedidos.dead-letter.partitions");
            int replicas = config.number("pedidos.dead-letter.replicas");
            int minIsr = config.number("pedidos.dead-letter.min-insync-replicas");
            softly.assertThat(topic).as("%s pedidos.dead-letter.topic vs <source topic>-<group>-dlt", module)
                    .isEqualTo(config.text("pedidos.source-topic") + "-" + config.text("spring.kafka.consumer.group-id")
                            + "-dlt");
            softly.assertThat(partitions)
                    .as("%s pedidos.dead-letter.partitions vs order-service pedidos.topic.partitions", module)
                    .isGreaterThanOrEqualTo(sourcePartitions);
            softly.assertThat(replicas).as("%s pedidos.dead-letter.replicas vs the number of brokers", module)
                    .isEqualTo(brokerCount);
            softly.assertThat(minIsr).as("%s pedidos.dead-letter.min-insync-replicas vs the brokers'", module)
                    .isEqualTo(Integer.parseInt(compose.brokers().getFirst().env("KAFKA_MIN_INSYNC_REPLICAS")));
            assertReadmeRow(softly, topic, partitions, replicas, minIsr);
        }));
    }

    @Test
    void everyServiceIsBuiltHerePublishedOnItsPortHealthCheckedAndRestartedOnFailure() {
        assertSoftly(softly -> {
            for (String module : SERVICES) {
                AppConfig config = module.equals("order-service") ? orders : consumers.get(module);
                Service service = compose.service(module);
                int port = config.number("server.port");
                softly.assertThat(config.text("spring.application.name")).as("%s spring.application.name", module)
                        .isEqualTo(module);
                softly.assertThat(service.buildArg("SERVICE")).as("%s build argument SERVICE (the Maven module)", module)
                        .isEqualTo(module);
                softly.assertThat(service.ports()).as("%s ports vs server.port (host port = container port)", module)
                        .containsExactly(new PortMapping("127.0.0.1", port, port));
                softly.assertThat(service.healthcheck())
                        .as("%s healthcheck vs server.port and the actuator health endpoint", module)
                        .containsExactly("CMD", "http-health", "http://127.0.0.1:" + port + "/actuator/health");
                softly.assertThat(service.definition().get("restart"))
                        .as("%s restart policy (the image's JVM exits on an OutOfMemoryError)", module)
                        .isEqualTo("on-failure");
                softly.assertThat(config.text("management.endpoints.web.exposure.include"))
                        .as("%s management.endpoints.web.exposure.include (the health check needs it)", module)
                        .contains("health");
            }
        });
    }

    @Test
    void everyKafkaClientUsesEveryBrokersListenerOfItsSide() {
        List<Service> brokers = compose.brokers();
        Set<String> internal = brokers.stream()
                .map(broker -> broker.listener("KAFKA_ADVERTISED_LISTENERS", broker.env("KAFKA_INTER_BROKER_LISTENER_NAME"))
                        .address())
                .collect(Collectors.toSet());
        Set<String> external = brokers.stream().map(broker -> broker.externalListener().address())
                .collect(Collectors.toSet());

        assertSoftly(softly -> {
            for (String module : SERVICES) {
                softly.assertThat(servers(compose.service(module).env("SPRING_KAFKA_BOOTSTRAP_SERVERS")))
                        .as("%s SPRING_KAFKA_BOOTSTRAP_SERVERS vs the brokers' internal (inter-broker) listeners", module)
                        .isEqualTo(internal);
                AppConfig config = module.equals("order-service") ? orders : consumers.get(module);
                softly.assertThat(servers(config.text("spring.kafka.bootstrap-servers")))
                        .as("%s spring.kafka.bootstrap-servers (on the host) vs the brokers' advertised external listeners",
                                module)
                        .isEqualTo(external);
            }
            softly.assertThat(servers(compose.service("kafka-ui").env("KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS")))
                    .as("kafka-ui KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS vs the brokers' internal listeners").isEqualTo(internal);
            for (Service broker : brokers) {
                Listener advertised = broker.externalListener();
                Listener bound = broker.listener("KAFKA_LISTENERS", advertised.name());
                softly.assertThat(broker.ports())
                        .as("%s ports vs its advertised external listener %s", broker.name(), advertised.address())
                        .containsExactly(new PortMapping(advertised.host(), advertised.port(), bound.port()));
            }
        });
    }

    @Test
    void databasesAreTheOnesTheInitScriptCreates() throws IOException {
        Service postgres = compose.service("postgres");
        String script = Files.readString(ROOT.resolve("docker/postgres/init-databases.sql"));

        assertSoftly(softly -> {
            softly.assertThat(postgres.volumes()).as("postgres volumes: the init script")
                    .contains("./docker/postgres/init-databases.sql:/docker-entrypoint-initdb.d/init-databases.sql:ro");
            Map<String, AppConfig> withDatabase = new LinkedHashMap<>(Map.of("order-service", orders));
            withDatabase.putAll(consumers);
            withDatabase.forEach((module, config) -> {
                JdbcUrl defaults = JdbcUrl.parse(config.text("spring.datasource.url"));
                JdbcUrl inCompose = JdbcUrl.parse(compose.service(module).env("SPRING_DATASOURCE_URL"));
                String user = config.text("spring.datasource.username");
                String password = config.text("spring.datasource.password");
                softly.assertThat(inCompose)
                        .as("%s SPRING_DATASOURCE_URL vs spring.datasource.url (same database and parameters, "
                                + "host postgres)", module)
                        .isEqualTo(new JdbcUrl("postgres", 5432, defaults.database(), defaults.parameters()));
                softly.assertThat(compose.service(module).env("SPRING_DATASOURCE_USERNAME"))
                        .as("%s SPRING_DATASOURCE_USERNAME vs spring.datasource.username", module).isEqualTo(user);
                softly.assertThat(compose.service(module).env("SPRING_DATASOURCE_PASSWORD"))
                        .as("%s SPRING_DATASOURCE_PASSWORD vs spring.datasource.password", module).isEqualTo(password);
                softly.assertThat(script)
                        .as("init-databases.sql: role and database of %s spring.datasource.*", module)
                        .contains("CREATE ROLE " + user + " LOGIN PASSWORD '" + password + "';")
                        .contains("CREATE DATABASE " + defaults.database() + " OWNER " + user + ";");
                softly.assertThat(postgres.ports())
                        .as("postgres ports vs %s spring.datasource.url (on the host)", module)
                        .containsExactly(new PortMapping(defaults.host(), defaults.port(), 5432));
            });
        });
    }

    @Test
    void notificationMailsThroughMailpit() {
        Service notification = compose.service("notification-consumer");
        Service mailpit = compose.service(notification.env("SPRING_MAIL_HOST"));
        AppConfig config = consumers.get("notification-consumer");
        int smtpPort = config.number("spring.mail.port");

        assertSoftly(softly -> {
            softly.assertThat(mailpit.image()).as("image of SPRING_MAIL_HOST's service").startsWith("axllent/mailpit:");
            softly.assertThat(notification.env("SPRING_MAIL_PORT"))
                    .as("notification-consumer SPRING_MAIL_PORT vs spring.mail.port").isEqualTo(String.valueOf(smtpPort));
            softly.assertThat(mailpit.env("MP_SMTP_BIND_ADDR")).as("mailpit MP_SMTP_BIND_ADDR vs spring.mail.port")
                    .isEqualTo("0.0.0.0:" + smtpPort);
            softly.assertThat(mailpit.ports())
                    .as("mailpit ports vs spring.mail.host/port (on the host) and the web inbox")
                    .containsExactlyInAnyOrder(new PortMapping(config.text("spring.mail.host"), smtpPort, smtpPort),
                            new PortMapping("127.0.0.1", 8025, 8025));
        });
    }

    @Test
    void imagesArePinnedAndEveryDependencyWaitsUntilHealthy() {
        assertSoftly(softly -> compose.services().forEach(service -> {
            softly.assertThat(service.image()).as("%s image (pinned: a version tag, never latest)", service.name())
                    .matches("[^:\\s]+:[^:\\s]+").doesNotEndWith(":latest");
            softly.assertThat(service.healthcheck()).as("%s healthcheck test", service.name()).isNotEmpty();
            service.dependsOn().forEach((dependency, condition) -> {
                softly.assertThat(condition).as("%s depends_on %s condition", service.name(), dependency)
                        .isEqualTo("service_healthy");
                softly.assertThat(compose.service(dependency).healthcheck())
                        .as("%s (a dependency of %s) healthcheck", dependency, service.name()).isNotEmpty();
            });
        }));
    }

    @Test
    void imagesBuildAndRunOnTheProjectsJava() throws IOException {
        String javaVersion = find(Files.readString(ROOT.resolve("pom.xml")), "<java.version>(\\d+)</java.version>");
        List<String> bases = Files.readAllLines(ROOT.resolve("Dockerfile")).stream()
                .filter(line -> line.startsWith("FROM eclipse-temurin:"))
                .map(line -> line.split("\\s+")[1])
                .toList();

        assertThat(bases).as("Temurin images of the Dockerfile vs the root pom's java.version %s: a JDK to build, "
                        + "the same version's JRE to run", javaVersion)
                .hasSize(2)
                .allMatch(image -> image.startsWith("eclipse-temurin:" + javaVersion + "."))
                .satisfies(images -> assertThat(images.get(1)).isEqualTo(images.get(0).replace("-jdk-", "-jre-")));
        assertThat(Files.readAllLines(ROOT.resolve("Dockerfile"))).as("the Dockerfile's ENTRYPOINT")
                .filteredOn(line -> line.startsWith("ENTRYPOINT "))
                .singleElement().asString().contains("\"-XX:+ExitOnOutOfMemoryError\"");
    }

    /** The README's topic table, e.g. {@code | `pedidos-pendentes` | order ID | 6 | 3 | 2 | 7 days | ...}. */
    private static void assertReadmeRow(SoftAssertions softly, String topic, int partitions, int replicas, int minIsr) {
        Optional<List<String>> row = readme().lines()
                .filter(line -> line.startsWith("| `" + topic + "` |"))
                .map(line -> Arrays.stream(line.split("\\|")).map(String::strip).toList())
                .findFirst();
        softly.assertThat(row).as("README.md topic table row for %s", topic).isPresent();
        row.ifPresent(cells -> softly.assertThat(cells.subList(3, 6))
                .as("README.md partitions, RF and min ISR of %s vs application.yml", topic)
                .containsExactly(String.valueOf(partitions), String.valueOf(replicas), String.valueOf(minIsr)));
    }

    private static String readme() {
        try {
            return Files.readString(ROOT.resolve("README.md"));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read README.md", e);
        }
    }

    private static Set<String> servers(String bootstrapServers) {
        return Arrays.stream(bootstrapServers.split(",")).map(String::strip).collect(Collectors.toSet());
    }

    private static String find(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertThat(matcher.find()).as("%s in the file", regex).isTrue();
        return matcher.group(1);
    }

    private static Map<String, Object> readYaml(Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            // The first document holds the defaults; YAML merge keys (<<) are resolved.
            return new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + file, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return node instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    /** A module's {@code src/main/resources/application.yml}. */
    private record AppConfig(String module, Map<String, Object> yaml) {

        static AppConfig read(String module) {
            return new AppConfig(module, readYaml(ROOT.resolve(module).resolve("src/main/resources/application.yml")));
        }

        /** The value at a dotted path of nested keys, e.g. {@code spring.kafka.consumer.group-id}. */
        String text(String path) {
            Object node = yaml;
            for (String key : path.split("\\.")) {
                node = map(node).get(key);
            }
            assertThat(node).as("%s application.yml has %s", module, path).isNotNull();
            return String.valueOf(node);
        }

        int number(String path) {
            return Integer.parseInt(text(path));
        }
    }

    /** docker-compose.yml. */
    private record Compose(Map<String, Object> yaml) {

        static Compose read(Path file) {
            return new Compose(readYaml(file));
        }

        List<Service> services() {
            return map(yaml.get("services")).entrySet().stream()
                    .map(entry -> new Service(entry.getKey(), map(entry.getValue())))
                    .toList();
        }

        Service service(String name) {
            Map<String, Object> definition = map(map(yaml.get("services")).get(name));
            assertThat(definition).as("docker-compose.yml service %s", name).isNotEmpty();
            return new Service(name, definition);
        }

        List<Service> brokers() {
            return services().stream().filter(service -> service.image().startsWith("apache/kafka:")).toList();
        }
    }

    /** One service of docker-compose.yml. */
    private record Service(String name, Map<String, Object> definition) {

        String image() {
            return String.valueOf(definition.get("image"));
        }

        Map<String, String> environment() {
            return map(definition.get("environment")).entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, entry -> String.valueOf(entry.getValue())));
        }

        String env(String variable) {
            String value = environment().get(variable);
            assertThat(value).as("docker-compose.yml %s environment %s", name, variable).isNotNull();
            return value;
        }

        String buildArg(String argument) {
            return String.valueOf(map(map(definition.get("build")).get("args")).get(argument));
        }

        List<PortMapping> ports() {
            return strings(definition.get("ports")).stream().map(PortMapping::parse).toList();
        }

        List<String> volumes() {
            return strings(definition.get("volumes"));
        }

        /** The {@code volume.subpath} of each long-form volume entry. */
        List<String> volumeSubpaths() {
            Object volumes = definition.get("volumes");
            if (!(volumes instanceof List<?> list)) {
                return List.of();
            }
            return list.stream()
                    .map(entry -> map(map(entry).get("volume")).get("subpath"))
                    .filter(subpath -> subpath != null)
                    .map(String::valueOf)
                    .toList();
        }

        List<String> healthcheck() {
            return strings(map(definition.get("healthcheck")).get("test"));
        }

        /** {@code depends_on} as service → condition (the short list form has none). */
        Map<String, String> dependsOn() {
            Object dependsOn = definition.get("depends_on");
            if (dependsOn instanceof List<?> list) {
                return list.stream().collect(Collectors.toMap(String::valueOf, dependency -> "(none: list form)"));
            }
            return map(dependsOn).entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, entry -> String.valueOf(map(entry.getValue()).get("condition"))));
        }

        /** The listener {@code name} in a listener list such as {@code KAFKA_LISTENERS}. */
        Listener listener(String variable, String name) {
            return Listener.parseAll(env(variable)).stream()
                    .filter(listener -> listener.name().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(this.name + " " + variable + " has no listener " + name));
        }

        /** The advertised listener that is neither the inter-broker nor the controller one: for the host. */
        Listener externalListener() {
            Set<String> others = Set.of(env("KAFKA_INTER_BROKER_LISTENER_NAME"), env("KAFKA_CONTROLLER_LISTENER_NAMES"));
            List<Listener> external = Listener.parseAll(env("KAFKA_ADVERTISED_LISTENERS")).stream()
                    .filter(listener -> !others.contains(listener.name()))
                    .toList();
            assertThat(external).as("%s advertised listeners for the host", name).hasSize(1);
            return external.getFirst();
        }

        private static List<String> strings(Object node) {
            return node instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of();
        }
    }

    /** {@code NAME://host:port}; the host is empty in {@code KAFKA_LISTENERS} (all interfaces). */
    private record Listener(String name, String host, int port) {

        private static final Pattern LISTENER = Pattern.compile("(\\w+)://([^:,]*):(\\d+)");

        static List<Listener> parseAll(String listeners) {
            return Arrays.stream(listeners.split(","))
                    .map(String::strip)
                    .map(listener -> {
                        Matcher matcher = LISTENER.matcher(listener);
                        assertThat(matcher.matches()).as("listener %s is NAME://host:port", listener).isTrue();
                        return new Listener(matcher.group(1), matcher.group(2), Integer.parseInt(matcher.group(3)));
                    })
                    .toList();
        }

        String address() {
            return host + ":" + port;
        }
    }

    /** A compose {@code ports} entry in its short form {@code [ip:]host:container}. */
    private record PortMapping(String hostIp, int hostPort, int containerPort) {

        private static final Pattern PORTS = Pattern.compile("(?:([\\d.]+):)?(\\d+):(\\d+)");

        static PortMapping parse(String ports) {
            Matcher matcher = PORTS.matcher(ports);
            assertThat(matcher.matches()).as("port mapping %s is [ip:]host:container", ports).isTrue();
            return new PortMapping(Optional.ofNullable(matcher.group(1)).orElse("0.0.0.0"),
                    Integer.parseInt(matcher.group(2)), Integer.parseInt(matcher.group(3)));
        }
    }

    /** {@code jdbc:postgresql://host:port/database?parameters}. */
    private record JdbcUrl(String host, int port, String database, String parameters) {

        private static final Pattern URL = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/([^?]+)(?:\\?(.*))?");

        static JdbcUrl parse(String url) {
            Matcher matcher = URL.matcher(url);
            assertThat(matcher.matches()).as("%s is jdbc:postgresql://host:port/database[?parameters]", url).isTrue();
            return new JdbcUrl(matcher.group(1), Integer.parseInt(matcher.group(2)), matcher.group(3),
                    Optional.ofNullable(matcher.group(4)).orElse(""));
        }
    }
}
