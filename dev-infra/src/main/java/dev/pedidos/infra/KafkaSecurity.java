package dev.pedidos.infra;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The secrets of a cluster in secure mode, made once in a directory and reused afterwards: a CA, one
 * broker certificate signed by it (for {@code localhost}, {@code 127.0.0.1} and {@code kafka-1} to
 * {@code kafka-3}), a trust store holding the CA, and a random password for each SCRAM user and for
 * the controllers. The directory is the data folder's ({@code .local/kafka/secrets} for
 * {@code ./run-local --secure}); nothing of it is in a jar or an image.
 *
 * <p>Users: {@code broker} (inter-broker, a super user), {@code controller} (the quorum, PLAIN, a
 * super user) and one per service ({@link #SERVICES}), whose ACLs are {@link #acls()}. Clients use
 * {@code SASL_SSL} with SCRAM-SHA-512 (RFC 5802, RFC 7677; Kafka KIP-84) and verify the broker's
 * host name against its certificate.
 *
 * <p>Certificates are made with the JDK's {@code keytool} (EC P-256, valid 825 days), a few seconds
 * at first start.
 */
public final class KafkaSecurity {

    /** The SASL mechanism of clients and brokers. */
    public static final String MECHANISM = "SCRAM-SHA-512";

    /** The SCRAM user of the brokers themselves (inter-broker listener), a super user. */
    public static final String BROKER_USER = "broker";

    /** The PLAIN user of the controller listener, a super user. */
    public static final String CONTROLLER_USER = "controller";

    /** One SCRAM user per service, named like the service. */
    public static final List<String> SERVICES = List.of("order-service", "billing-consumer", "notification-consumer");

    private static final String SECRETS = "secrets.properties";

    private static final Duration KEYTOOL_TIMEOUT = Duration.ofSeconds(60);

    private final Path directory;

    private final Properties secrets;

    private KafkaSecurity(Path directory, Properties secrets) {
        this.directory = directory;
        this.secrets = secrets;
    }

    /**
     * Loads the secrets of a directory, making them first when it has none.
     *
     * @param directory created when missing; only its owner may read the secrets file
     * @return the secrets
     * @throws IllegalStateException when keytool fails
     */
    public static KafkaSecurity createOrLoad(Path directory) {
        try {
            Files.createDirectories(directory);
            Path file = directory.resolve(SECRETS);
            Properties secrets = new Properties();
            if (Files.exists(file)) {
                try (Reader reader = Files.newBufferedReader(file)) {
                    secrets.load(reader);
                }
                return new KafkaSecurity(directory, secrets);
            }
            for (String user : users()) {
                secrets.setProperty("password." + user, randomPassword());
            }
            secrets.setProperty("password." + CONTROLLER_USER, randomPassword());
            secrets.setProperty("keystore.password", randomPassword());
            secrets.setProperty("truststore.password", randomPassword());
            KafkaSecurity security = new KafkaSecurity(directory, secrets);
            security.makeCertificates(randomPassword());
            Path partial = directory.resolve(SECRETS + ".new");
            try (Writer writer = Files.newBufferedWriter(partial)) {
                secrets.store(writer, "Kafka secure mode: passwords of this cluster (dev.pedidos.infra.KafkaSecurity)");
            }
            ownerOnly(partial);
            Files.move(partial, file);
            return security;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the Kafka secrets in " + directory, e);
        }
    }

    /** @return the SCRAM users: {@link #BROKER_USER} and the {@link #SERVICES} */
    public static List<String> users() {
        List<String> users = new ArrayList<>();
        users.add(BROKER_USER);
        users.addAll(SERVICES);
        return users;
    }

    /** @return the directory of the secrets */
    public Path directory() {
        return directory;
    }

    /**
     * @param user a SCRAM user ({@link #users()}) or {@link #CONTROLLER_USER}
     * @return its password
     * @throws IllegalArgumentException for another user
     */
    public String password(String user) {
        String password = secrets.getProperty("password." + user);
        if (password == null) {
            throw new IllegalArgumentException("No Kafka user " + user);
        }
        return password;
    }

    /** @return the PKCS12 trust store holding the CA, for every client */
    public Path truststore() {
        return directory.resolve("truststore.p12");
    }

    /** @return the trust store's password (not a secret in itself: it guards no key) */
    public String truststorePassword() {
        return secrets.getProperty("truststore.password");
    }

    /** @return the PKCS12 key store with the brokers' key and certificate chain */
    public Path keystore() {
        return directory.resolve("broker.p12");
    }

    /** @return the key store's password */
    public String keystorePassword() {
        return secrets.getProperty("keystore.password");
    }

    /**
     * The {@code kafka-storage format} arguments that create every SCRAM user with its password.
     *
     * @return e.g. {@code --add-scram SCRAM-SHA-512=[name=broker,password=...]}, for each user
     */
    public List<String> formatArguments() {
        List<String> arguments = new ArrayList<>();
        for (String user : users()) {
            arguments.add("--add-scram");
            arguments.add(MECHANISM + "=[name=" + user + ",password=" + password(user) + "]");
        }
        return arguments;
    }

    /**
     * Settings of a broker in secure mode, beside {@link BrokerSettings#secure()}: the stores and
     * the JAAS lines of the inter-broker and controller listeners.
     *
     * @param scramListeners     names of the SASL_SSL listeners, e.g. {@code SASL_SSL}; the first is
     *                           the inter-broker one
     * @param controllerListener name of the controller listener, e.g. {@code CONTROLLER}
     * @param keystore           the key store's path as the broker sees it
     * @param truststore         the trust store's path as the broker sees it
     * @return broker settings holding secrets: write them to files only the owner can read
     */
    public Map<String, String> brokerSecrets(List<String> scramListeners, String controllerListener, String keystore,
            String truststore) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("ssl.keystore.location", keystore);
        settings.put("ssl.keystore.password", keystorePassword());
        settings.put("ssl.truststore.location", truststore);
        settings.put("ssl.truststore.password", truststorePassword());
        // Every SASL listener needs a login module; on the inter-broker one it also logs the broker in.
        for (String listener : scramListeners) {
            settings.put("listener.name." + listener.toLowerCase(Locale.ROOT) + ".scram-sha-512.sasl.jaas.config",
                    scramJaas(BROKER_USER, password(BROKER_USER)));
        }
        String controller = controllerListener.toLowerCase(Locale.ROOT);
        String controllerPassword = password(CONTROLLER_USER);
        settings.put("listener.name." + controller + ".plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + CONTROLLER_USER
                        + "\" password=\"" + controllerPassword + "\" user_" + CONTROLLER_USER + "=\""
                        + controllerPassword + "\";");
        return settings;
    }

    /**
     * Kafka client settings for one user: SASL_SSL, SCRAM-SHA-512, this CA as the only trusted one.
     *
     * @param user a SCRAM user ({@link #users()})
     * @return settings for a producer, consumer or admin client
     */
    public Map<String, Object> clientProperties(String user) {
        return clientProperties(user, password(user));
    }

    /**
     * @param user     any user name
     * @param password any password (a wrong one, in a test)
     * @return settings for a producer, consumer or admin client
     */
    public Map<String, Object> clientProperties(String user, String password) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        settings.put(SaslConfigs.SASL_MECHANISM, MECHANISM);
        settings.put(SaslConfigs.SASL_JAAS_CONFIG, scramJaas(user, password));
        settings.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, truststore().toString());
        settings.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, truststorePassword());
        settings.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
        return settings;
    }

    /**
     * The environment that gives a Spring Boot service its Kafka credentials, with Boot's own
     * properties ({@code spring.kafka.security.protocol}, {@code spring.kafka.ssl.*},
     * {@code spring.kafka.properties.sasl.*}), so that they appear on no command line.
     *
     * @param user the service's SCRAM user ({@link #SERVICES})
     * @return environment variables
     */
    public Map<String, String> springEnvironment(String user) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("SPRING_KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
        environment.put("SPRING_KAFKA_SSL_TRUST_STORE_LOCATION", truststore().toUri().toString());
        environment.put("SPRING_KAFKA_SSL_TRUST_STORE_PASSWORD", truststorePassword());
        environment.put("SPRING_KAFKA_SSL_TRUST_STORE_TYPE", "PKCS12");
        environment.put("SPRING_KAFKA_PROPERTIES_SASL_MECHANISM", MECHANISM);
        environment.put("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", scramJaas(user, password(user)));
        return environment;
    }

    /**
     * The ACLs of secure mode, read from {@code kafka-acls.txt} (this package): every one ALLOW,
     * from any host, on a LITERAL resource name.
     *
     * @return the bindings, in the file's order
     * @throws IllegalStateException when a line is not {@code principal operation resource-type name}
     */
    public static List<AclBinding> acls() {
        List<AclBinding> acls = new ArrayList<>();
        try (InputStream in = KafkaSecurity.class.getResourceAsStream("kafka-acls.txt")) {
            if (in == null) {
                throw new IllegalStateException("kafka-acls.txt missing from dev-infra");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line : reader.lines().map(String::strip).toList()) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split("\\s+");
                if (fields.length != 4 || !fields[0].startsWith("User:")) {
                    throw new IllegalStateException("kafka-acls.txt: not 'User:name OPERATION TYPE name': " + line);
                }
                acls.add(new AclBinding(
                        new ResourcePattern(ResourceType.fromString(fields[2]), fields[3], PatternType.LITERAL),
                        new AccessControlEntry(fields[0], "*", AclOperation.fromString(fields[1]), AclPermissionType.ALLOW)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read kafka-acls.txt", e);
        }
        return acls;
    }

    private static String scramJaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    private void makeCertificates(String caPassword) throws IOException {
        Path ca = directory.resolve("ca.p12");
        Path caCert = directory.resolve("ca.pem");
        Path request = directory.resolve("broker.csr");
        Path brokerCert = directory.resolve("broker.pem");
        for (Path path : List.of(ca, caCert, request, brokerCert, keystore(), truststore())) {
            Files.deleteIfExists(path);
        }
        String store = "-storetype";
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "825",
                "-dname", "CN=pedidos local CA", "-ext", "bc:c", "-keystore", ca.toString(), store, "PKCS12",
                "-storepass", caPassword);
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-storepass", caPassword,
                "-file", caCert.toString());
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caCert.toString(), "-keystore",
                truststore().toString(), store, "PKCS12", "-storepass", truststorePassword());
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "825",
                "-dname", "CN=kafka-broker", "-keystore", keystore().toString(), store, "PKCS12",
                "-storepass", keystorePassword());
        keytool("-certreq", "-alias", "broker", "-keystore", keystore().toString(), "-storepass", keystorePassword(),
                "-file", request.toString());
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-storepass", caPassword,
                "-infile", request.toString(), "-outfile", brokerCert.toString(), "-validity", "825",
                "-ext", "SAN=dns:localhost,dns:kafka-1,dns:kafka-2,dns:kafka-3,ip:127.0.0.1",
                "-ext", "EKU=serverAuth,clientAuth");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caCert.toString(), "-keystore",
                keystore().toString(), "-storepass", keystorePassword());
        keytool("-importcert", "-alias", "broker", "-file", brokerCert.toString(), "-keystore",
                keystore().toString(), "-storepass", keystorePassword());
        // The CA's key signs nothing more: only its certificate (ca.pem, the trust store) is kept.
        Files.delete(ca);
        Files.delete(request);
        ownerOnly(keystore());
    }

    private static void keytool(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        List<String> output = new ArrayList<>();
        int exit = ManagedProcess.start("keytool", command, (name, line) -> output.add(line)).awaitExit(KEYTOOL_TIMEOUT);
        if (exit != 0) {
            throw new IllegalStateException("keytool " + arguments[0] + " failed (exit " + exit + "):\n"
                    + String.join("\n", output));
        }
    }

    private static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system (Windows): the user's profile directory protects it
        }
    }

    private static String randomPassword() {
        SecureRandom random = new SecureRandom();
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        StringBuilder password = new StringBuilder(24);
        for (int i = 0; i < 24; i++) {
            password.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return password.toString();
    }
}
