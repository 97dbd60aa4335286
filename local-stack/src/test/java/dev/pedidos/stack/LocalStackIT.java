package dev.pedidos.stack;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The system test: the built services run as separate processes against a real three-broker
 * cluster, started by the same launcher as {@code ./run-local}, and are driven over HTTP only, and
 * through order-service's web page in a real headless Chromium ({@link HeadlessChromium}; those
 * tests skip where there is none). The browser tests share this class's stack: a second one would
 * cost a minute of CI.
 */
class LocalStackIT {

    private static final Pattern ORDER_ID = Pattern.compile("\"orderId\"\\s*:\\s*\"([0-9a-f-]{36})\"");

    private static RecordedStack recorded;

    private static LocalStack stack;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startStack() {
        recorded = RecordedStack.start("local-stack-it");
        stack = recorded.stack();
    }

    @AfterAll
    static void stopStack() {
        if (recorded != null) {
            recorded.close();
        }
    }

    @Test
    void everyAcceptedOrderIsInvoicedAndEmailedOnce() throws Exception {
        List<String> orderIds = new ArrayList<>();
        try (var clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HttpResponse<String>>> posts = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                posts.add(clients.submit(() -> post(order("cliente" + UUID.randomUUID() + "@example.com"))));
            }
            for (Future<HttpResponse<String>> post : posts) {
                HttpResponse<String> response = post.get();
                assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
                Matcher id = ORDER_ID.matcher(response.body());
                assertThat(id.find()).as(response.body()).isTrue();
                orderIds.add(id.group(1));
            }
        }
        assertThat(orderIds).doesNotHaveDuplicates().hasSize(50);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(orderIds).allSatisfy(id -> {
                assertThat(recorded.linesOf("billing-consumer", id)).anyMatch(line -> line.contains("group billing"));
                assertThat(recorded.linesOf("notification-consumer", id)).anyMatch(line -> line.contains("group notification"));
            });
        });
        // Each order's journey is complete in order-service's view (needs billing's INVOICED and notification's
        // CONFIRMATION_SENT on pedidos-status).
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(orderIds).allSatisfy(id -> {
            HttpResponse<String> journey = get(stack.baseUrl("order-service").resolve("/orders/" + id));
            assertThat(journey.statusCode()).as(journey.body()).isEqualTo(200);
            assertThat(journey.body()).as("journey of %s", id).contains("\"status\":\"COMPLETED\"");
        }));
        for (String id : orderIds) {
            HttpResponse<String> invoice = get(stack.baseUrl("billing-consumer").resolve("/invoices/" + id));
            assertThat(invoice.statusCode()).as(invoice.body()).isEqualTo(200);
            assertThat(invoice.body()).contains(id, "57.30");
            HttpResponse<String> notification = get(stack.baseUrl("notification-consumer").resolve("/notifications/" + id));
            assertThat(notification.statusCode()).as(notification.body()).isEqualTo(200);
            assertThat(stack.mailbox().received())
                    .filteredOn(mail -> mail.messageId().contains(id))
                    .singleElement()
                    .satisfies(mail -> assertThat(mail.body()).contains("57.30"));
        }
    }

    @Test
    void aBadOrderIsRefusedAndReachesNoConsumer() throws Exception {
        String email = "not-an-address-" + UUID.randomUUID();

        HttpResponse<String> response = post(order(email));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.body()).contains("customer.email");
        assertThat(recorded.lines()).noneMatch(line -> line.contains(email));
    }

    @Test
    void theWebPagePlacesAnOrderAndShowsItsJourneyReachCompletedLive() throws Exception {
        ChromeDriver browser = HeadlessChromium.start(HeadlessChromium.newProfile(), 1280, 1500);
        try {
            openPage(browser);
            browser.executeScript("window.loadedOnce = 'yes'");
            String email = "pagina-" + UUID.randomUUID() + "@example.com";
            fill(browser.findElement(By.id("customer-email")), email);
            fill(browser.findElement(By.id("item-0-quantity")), "3");

            long submitted = System.nanoTime();
            browser.findElement(By.id("submit-order")).click();
            String orderId = await().atMost(Duration.ofSeconds(20)).until(
                    () -> browser.findElement(By.id("form-result")).getText(), text -> text.contains("accepted"))
                    .replaceAll(".*Order ([0-9a-f-]{36}) accepted.*", "$1");
            String listed = "#order-list button[data-order-id='" + orderId + "'] .status";
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> textOf(browser, listed), "COMPLETED"::equals);
            long completedMillis = (System.nanoTime() - submitted) / 1_000_000;
            System.out.println("WEB PAGE submit -> COMPLETED on the page: " + completedMillis + " ms (order " + orderId + ")");

            await().atMost(Duration.ofSeconds(10)).ignoreExceptionsInstanceOf(StaleElementReferenceException.class)
                    .untilAsserted(() -> {
                assertThat(browser.findElement(By.id("journey-heading")).getText()).contains(orderId.substring(0, 8));
                assertThat(browser.findElements(By.cssSelector("#journey-steps li")))
                        .extracting(step -> step.getDomAttribute("data-stage"))
                        .contains("ACCEPTED", "INVOICED", "CONFIRMATION_SENT");
                String journey = browser.findElement(By.id("journey-steps")).getText();
                assertThat(journey).contains("Partition", "Offset", "INV-", "order-" + orderId);
                assertThat(browser.findElement(By.id("journey-summary")).getText()).contains("COMPLETED", email);
            });
            assertThat(browser.executeScript("return window.loadedOnce")).as("the page was not reloaded").isEqualTo("yes");
            Path screenshot = Path.of("target", "web-page.png");
            Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), screenshot, StandardCopyOption.REPLACE_EXISTING);
            System.out.println("WEB PAGE screenshot: " + screenshot.toAbsolutePath());
        }
        finally {
            browser.quit();
        }
    }

    @Test
    void theWebPageMarksTheFieldsOfARefusedOrder() {
        ChromeDriver browser = HeadlessChromium.start(HeadlessChromium.newProfile(), 420, 900);
        try {
            openPage(browser);
            fill(browser.findElement(By.id("customer-email")), "not-an-address");
            fill(browser.findElement(By.id("item-0-quantity")), "0");

            browser.findElement(By.id("submit-order")).click();

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                WebElement email = browser.findElement(By.id("customer-email"));
                assertThat(email.getDomAttribute("aria-invalid")).isEqualTo("true");
                assertThat(browser.findElement(By.id("customer-email-error")).getText()).contains("email address");
                assertThat(browser.findElement(By.id("item-0-quantity")).getDomAttribute("aria-invalid")).isEqualTo("true");
                assertThat(browser.findElement(By.id("item-0-quantity-error")).getText()).contains("1");
                assertThat(browser.findElement(By.id("customer-name")).getDomAttribute("aria-invalid")).isNull();
                assertThat(browser.findElement(By.id("form-result")).getText()).contains("Invalid order", "2 fields");
            });
        }
        finally {
            browser.quit();
        }
    }

    @Test
    void aStepThatArrivesWhileTheStreamReconnectsIsNotLost() throws Exception {
        ChromeDriver browser = HeadlessChromium.start(HeadlessChromium.newProfile(), 1280, 900);
        try {
            openPage(browser);
            String before = acceptedOrderId(post(order("antes-" + UUID.randomUUID() + "@example.com")));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> streamedSteps(browser, before), steps -> steps >= 1);

            browser.executeScript("window.pedidos.pauseStream()");
            String during = acceptedOrderId(post(order("durante-" + UUID.randomUUID() + "@example.com")));
            await().atMost(Duration.ofSeconds(60)).until(
                    () -> get(stack.baseUrl("order-service").resolve("/orders/" + during)).body(),
                    body -> body.contains("\"COMPLETED\""));
            assertThat(streamedSteps(browser, during)).as("nothing arrives while paused").isZero();
            browser.executeScript("window.pedidos.resumeStream()");

            String listed = "#order-list button[data-order-id='" + during + "'] .status";
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(streamedSteps(browser, during)).as("ACCEPTED, INVOICED, CONFIRMATION_SENT").isEqualTo(3);
                assertThat(textOf(browser, listed)).isEqualTo("COMPLETED");
            });
        }
        finally {
            browser.quit();
        }
    }

    private static void openPage(ChromeDriver browser) {
        browser.get(stack.baseUrl("order-service").resolve("/").toString());
        await().atMost(Duration.ofSeconds(20)).until(
                () -> browser.findElement(By.id("connection-state")).getText(), "connected"::equals);
    }

    private static void fill(WebElement input, String text) {
        input.clear();
        input.sendKeys(text);
    }

    /** The text of the element, read in one script: the page re-renders list entries as steps arrive. */
    private static String textOf(ChromeDriver browser, String selector) {
        Object text = browser.executeScript(
                "const e = document.querySelector(arguments[0]); return e ? e.textContent.trim() : ''", selector);
        return String.valueOf(text);
    }

    private static long streamedSteps(ChromeDriver browser, String orderId) {
        return (Long) browser.executeScript("return window.pedidos.streamedSteps(arguments[0])", orderId);
    }

    private static String acceptedOrderId(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        Matcher id = ORDER_ID.matcher(response.body());
        assertThat(id.find()).as(response.body()).isTrue();
        return id.group(1);
    }

    @Test
    void aPoisonRecordIsListedByBothGroupsAndReplayedThroughBillingOnly() throws Exception {
        // given a record that is not JSON, produced straight to the source topic
        String orderId = UUID.randomUUID().toString();
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("pedidos-pendentes", orderId, "{\"not json".getBytes(UTF_8))).get();
        }

        // then both groups list it among their dead letters
        URI billing = stack.baseUrl("billing-consumer");
        URI notification = stack.baseUrl("notification-consumer");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(deadLettersOf(billing, orderId)).hasSize(1);
            assertThat(deadLettersOf(notification, orderId)).hasSize(1);
        });
        String entry = deadLettersOf(billing, orderId).getFirst();
        int partition = Integer.parseInt(field(entry, "partition"));
        long offset = Long.parseLong(field(entry, "offset"));

        // when billing's is replayed, without and with the admin password
        String selection = "{\"partition\": %d, \"offset\": %d}".formatted(partition, offset);
        assertThat(replay(billing, selection, null).statusCode()).isEqualTo(401);
        HttpResponse<String> replayed = replay(billing, selection, stack.adminPassword());
        assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(200);

        // then it fails again in billing and is back in billing's dead letters with replay count 1
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(deadLettersOf(billing, orderId))
                .hasSize(2).anyMatch(letter -> letter.contains("\"replayCount\":1")));
        // while notification's dead letter is untouched: one entry, never replayed
        assertThat(deadLettersOf(notification, orderId)).singleElement().satisfies(letter -> assertThat(letter)
                .contains("\"replayCount\":0", "\"replayState\":\"NOT_REPLAYED\""));
        assertThat(recorded.linesOf("notification-consumer", orderId)).noneMatch(line -> line.contains("Replayed"));
        // and billing goes on: a new order is invoiced
        HttpResponse<String> next = post(order("depois-" + UUID.randomUUID() + "@example.com"));
        Matcher id = ORDER_ID.matcher(next.body());
        assertThat(id.find()).as(next.body()).isTrue();
        await().atMost(Duration.ofSeconds(60)).until(() ->
                get(billing.resolve("/invoices/" + id.group(1))).statusCode() == 200);
    }

    /** @return the JSON objects of the group's dead letters whose orderId is this one (one object per entry) */
    private List<String> deadLettersOf(URI service, String orderId) throws IOException, InterruptedException {
        HttpResponse<String> page = get(service.resolve("/dead-letters?size=500"));
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        List<String> entries = new ArrayList<>();
        Matcher entry = Pattern.compile("\\{\"partition\"[^{}]*\\}").matcher(page.body());
        while (entry.find()) {
            if (entry.group().contains("\"orderId\":\"" + orderId + "\"")) {
                entries.add(entry.group());
            }
        }
        return entries;
    }

    private static String field(String json, String name) {
        Matcher value = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
        assertThat(value.find()).as(json).isTrue();
        return value.group(1);
    }

    private HttpResponse<String> replay(URI service, String selection, String password)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(service.resolve("/dead-letters/replay"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(15))
                .POST(HttpRequest.BodyPublishers.ofString(selection));
        if (password != null) {
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(("admin:" + password).getBytes(UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String json) throws IOException, InterruptedException {
        URI orders = stack.baseUrl("order-service").resolve("/orders");
        HttpRequest request = HttpRequest.newBuilder(orders)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(15))
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String order(String email) {
        return """
                {"customer": {"name": "Ana Souza", "email": "%s"},
                 "items": [{"sku": "CAFE-500G", "name": "Café torrado 500 g", "quantity": 2, "unitPrice": 24.90},
                           {"sku": "FILTRO-103", "name": "Filtro de papel 103", "quantity": 1, "unitPrice": 7.50}]}
                """.formatted(email);
    }
}
