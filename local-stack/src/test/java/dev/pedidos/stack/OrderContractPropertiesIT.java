package dev.pedidos.stack;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The order contract's invariant (issue 8, DESIGN G8), property-based with jqwik on the real stack
 * (the built services as processes, as {@code ./run-local} starts them):
 * <ul>
 * <li>every generated valid-but-unusual order (Unicode in every text: emoji, right-to-left scripts,
 * combining marks, CJK; every maximum length; up to 100 lines; maximum quantity × maximum price; currencies
 * with 0, 2 and 3 decimals) is answered 202, invoiced once, e-mailed once, and dead-lettered by
 * neither group;</li>
 * <li>no generated malformed body gets a 5xx, and none is published (a random mutation of a valid
 * body that happens to be a valid order is accepted, and counted as such).</li>
 * </ul>
 * Tries are kept modest for CI time; a failure is shrunk by jqwik to a small counterexample.
 */
class OrderContractPropertiesIT {

    private static final Pattern ORDER_ID = Pattern.compile("\"orderId\"\\s*:\\s*\"([0-9a-f-]{36})\"");

    private static final Pattern TOTAL = Pattern.compile("\"total\"\\s*:\\s*([0-9.Ee+-]+)");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** currency → its ISO 4217 minor unit. */
    private static final Map<String, Integer> CURRENCIES = Map.of("BRL", 2, "JPY", 0, "KWD", 3, "EUR", 2, "CLP", 0,
            "BHD", 3, "XOF", 0, "USD", 2);

    private static RecordedStack recorded;

    /** Orders this class had accepted (202): the only "accepted" lines order-service may print. */
    private static final AtomicInteger ACCEPTED = new AtomicInteger();

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeContainer
    static void startStack() {
        recorded = RecordedStack.start("order-contract-properties-it");
    }

    @AfterContainer
    static void nothingElseWasPublishedAndStop() throws Exception {
        if (recorded == null) {
            return; // the stack did not start: that failure is reported
        }
        try {
            // A marker order after everything else: once its line is there, every earlier one is too.
            HttpResponse<String> marker = new OrderContractPropertiesIT().post(JSON.writeValueAsString(Map.of(
                    "customer", Map.of("name", "Marker", "email", "marker@example.com"),
                    "items", List.of(Map.of("sku", "M", "name", "Marker", "quantity", 1, "unitPrice", 1)))));
            assertThat(marker.statusCode()).as(marker.body()).isEqualTo(202);
            ACCEPTED.incrementAndGet();
            String markerId = orderId(marker);
            await().atMost(Duration.ofSeconds(30)).until(() -> !recorded.linesOf("order-service", markerId).isEmpty());
            assertThat(recorded.linesOf("order-service", " accepted: partition"))
                    .as("order-service published only the orders it answered 202").hasSize(ACCEPTED.get());
        }
        finally {
            recorded.close();
        }
    }

    @Property(tries = 40)
    void everyAcceptedOrderIsInvoicedAndEmailedOnceAndNeverDeadLettered(@ForAll("validOrders") Map<String, Object> order)
            throws Exception {
        HttpResponse<String> response = post(JSON.writeValueAsString(order));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        ACCEPTED.incrementAndGet();
        String id = orderId(response);
        BigDecimal total = totalOf(order);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(recorded.linesOf("billing-consumer", "Invoiced order " + id)).hasSize(1);
            assertThat(recorded.stack().mailbox().received()).filteredOn(mail -> mail.messageId().contains(id)).hasSize(1);
        });
        HttpResponse<String> invoice = get(recorded.stack().baseUrl("billing-consumer").resolve("/invoices/" + id));
        assertThat(invoice.statusCode()).as(invoice.body()).isEqualTo(200);
        Matcher invoiced = TOTAL.matcher(invoice.body());
        assertThat(invoiced.find()).as(invoice.body()).isTrue();
        assertThat(new BigDecimal(invoiced.group(1))).as("the invoice's total, with the currency's minor unit")
                .isEqualTo(total);
        assertThat(recorded.stack().mailbox().received()).filteredOn(mail -> mail.messageId().contains(id))
                .singleElement().satisfies(mail -> assertThat(mail.body())
                        .contains("Total: " + total.toPlainString() + " " + order.get("currency")));
        assertThat(recorded.lines()).filteredOn(line -> line.contains(id))
                .noneMatch(line -> line.contains("Dead-lettered") || line.contains("failed"));
    }

    @Property(tries = 100)
    void noMalformedBodyGetsA5xx(@ForAll("malformedBodies") String body) throws Exception {
        HttpResponse<String> response = post(body);

        assertThat(response.statusCode()).as("%s -> %s", body, response.body()).isLessThan(500);
        if (response.statusCode() == 202) {
            // a mutation can make a valid order (a letter of a name replaced): published, and counted as such
            ACCEPTED.incrementAndGet();
            return;
        }
        assertThat(response.statusCode()).as("%s -> %s", body, response.body()).isBetween(400, 499);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
    }

    // --- valid but unusual orders ---

    @Provide
    Arbitrary<Map<String, Object>> validOrders() {
        Arbitrary<String> currency = Arbitraries.of(new ArrayList<>(CURRENCIES.keySet()));
        return currency.flatMap(code -> Combinators.combine(customers(), Arbitraries.oneOf(
                        items(code).list().ofMinSize(1).ofMaxSize(100),
                        items(code).list().ofMinSize(1).ofMaxSize(5),
                        items(code).list().ofSize(100)))
                .as((customer, items) -> {
                    Map<String, Object> order = new LinkedHashMap<>();
                    order.put("customer", customer);
                    order.put("items", items);
                    order.put("currency", code);
                    return order;
                }));
    }

    private static Arbitrary<Map<String, Object>> customers() {
        return Combinators.combine(text(64).injectNull(0.3), text(200), emails()).as((id, name, email) -> {
            Map<String, Object> customer = new LinkedHashMap<>();
            if (id != null) {
                customer.put("id", id);
            }
            customer.put("name", name);
            customer.put("email", email);
            return customer;
        });
    }

    private static Arbitrary<Map<String, Object>> items(String currency) {
        int minorUnit = CURRENCIES.get(currency);
        Arbitrary<BigDecimal> price = Arbitraries.bigIntegers()
                .between(BigInteger.ZERO, BigInteger.TEN.pow(12 + minorUnit).subtract(BigInteger.ONE))
                .map(unscaled -> new BigDecimal(unscaled, minorUnit));
        BigDecimal maximum = new BigDecimal(BigInteger.TEN.pow(12 + minorUnit).subtract(BigInteger.ONE), minorUnit);
        // the maximum price and quantity often, so that maximum quantity × maximum price comes up
        Arbitrary<BigDecimal> anyPrice = Arbitraries.oneOf(price, price, Arbitraries.just(maximum));
        Arbitrary<Integer> quantity = Arbitraries.oneOf(Arbitraries.integers().between(1, 1000), Arbitraries.just(1000));
        return Combinators.combine(text(64), text(200), quantity, anyPrice).as((sku, name, units, unitPrice) -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("sku", sku);
            item.put("name", name);
            item.put("quantity", units);
            item.put("unitPrice", unitPrice);
            return item;
        });
    }

    /**
     * Text of 1 to {@code max} code points from many scripts, emoji included, never a control
     * character, never blank; its maximum length among the edge cases.
     */
    private static Arbitrary<String> text(int max) {
        Arbitrary<Integer> ascii = Arbitraries.integers().between(0x21, 0x7E);
        Arbitrary<Integer> codePoint = Arbitraries.oneOf(
                ascii, ascii, ascii,
                Arbitraries.integers().between(0xA1, 0x24F),         // Latin-1 and Latin Extended
                Arbitraries.integers().between(0x5D0, 0x5EA),        // Hebrew (right to left)
                Arbitraries.integers().between(0x621, 0x64A),        // Arabic (right to left)
                Arbitraries.of(0x200F, 0x200E, 0x200D, 0x0301, 0x20), // RLM, LRM, ZWJ, combining acute, space
                Arbitraries.integers().between(0x4E00, 0x9FFF),      // CJK
                Arbitraries.integers().between(0x1F300, 0x1FAFF),    // emoji, outside the BMP
                Arbitraries.integers().between(0x1F300, 0x1FAFF));
        Arbitrary<Integer> first = Arbitraries.oneOf(Arbitraries.integers().between(0x41, 0x5A),
                Arbitraries.integers().between(0x5D0, 0x5EA), Arbitraries.integers().between(0x1F600, 0x1F64F));
        Arbitrary<String> text = Combinators.combine(first, codePoint.list().ofMinSize(0).ofMaxSize(max - 1))
                .as((head, tail) -> {
                    StringBuilder built = new StringBuilder().appendCodePoint(head);
                    tail.forEach(built::appendCodePoint);
                    return built.toString();
                });
        // every maximum length, in emoji (two UTF-16 chars, four UTF-8 bytes each) and in Hebrew
        return Arbitraries.oneOf(text, text, text, Arbitraries.of("\uD83D\uDE00".repeat(max), "\u05D0".repeat(max)));
    }

    /** ASCII addresses (SMTP without SMTPUTF8): dots, plus, hyphens; up to 64 characters before the @. */
    private static Arbitrary<String> emails() {
        Arbitrary<String> atom = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789+_-")
                .ofMinLength(1).ofMaxLength(20);
        Arbitrary<String> local = atom.list().ofMinSize(1).ofMaxSize(3).map(atoms -> String.join(".", atoms))
                .filter(text -> text.length() <= 64);
        Arbitrary<String> domain = Arbitraries.of("example.com", "exemplo.com.br", "xn--exmpl-4qa.pt", "mail.example.org");
        return Combinators.combine(Arbitraries.oneOf(local, local, Arbitraries.just("a".repeat(64))), domain)
                .as((user, host) -> user + "@" + host);
    }

    private static BigDecimal totalOf(Map<String, Object> order) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> items = (List<Map<String, Object>>) order.get("items");
        int minorUnit = CURRENCIES.get((String) order.get("currency"));
        return items.stream()
                .map(item -> ((BigDecimal) item.get("unitPrice")).multiply(BigDecimal.valueOf((Integer) item.get("quantity"))))
                .reduce(BigDecimal.ZERO, BigDecimal::add)
                .setScale(minorUnit);
    }

    // --- malformed bodies ---

    private static final String VALID = """
            {"customer": {"name": "Ana", "email": "ana@example.com"},
             "items": [{"sku": "SKU-1", "name": "Caneca", "quantity": 2, "unitPrice": 1.50}], "currency": "BRL"}""";

    @Provide
    Arbitrary<String> malformedBodies() {
        return Arbitraries.oneOf(
                // the issue's table, and its relatives
                Arbitraries.of(
                        VALID.replace("\"quantity\": 2", "\"quantity\": 1.5"),
                        VALID.replace("\"quantity\": 2", "\"quantity\": \"2\""),
                        VALID.replace("\"unitPrice\": 1.50", "\"unitPrice\": \"1.50\""),
                        VALID.replace("{\"customer\"", "{\"customer\": {\"name\": \"Eve\", \"email\": \"eve@example.com\"}, \"customer\""),
                        VALID.replace("\"name\": \"Ana\"", "\"name\": \"A\\u0000na\""),
                        VALID.replace("\"BRL\"", "\"XXX\""),
                        VALID.replace("\"unitPrice\": 1.50", "\"unitPrice\": 1.505"),
                        VALID.replace("\"items\": [", "\"items\": ").replace("}], \"currency\"", "}, \"currency\""),
                        VALID.replace("\"currency\"", "\"discount\": 1, \"currency\""),
                        VALID.replace("\"unitPrice\": 1.50", "\"unitPrice\": 1e999999999"),
                        VALID.replace("\"quantity\": 2", "\"quantity\": 99999999999999999999"),
                        VALID + " trailing", "", "null", "[]", "{}", "\"order\"", "[" .repeat(5000)),
                // a control character, or text too long, in each text field
                Arbitraries.of("\"Ana\"", "\"SKU-1\"", "\"Caneca\"", "\"ana@example.com\"").flatMap(field ->
                        Arbitraries.oneOf(
                                Arbitraries.integers().between(0, 0x1F).map(c -> "\\u%04x".formatted(c)),
                                Arbitraries.integers().between(0x7F, 0x9F).map(c -> "\\u%04x".formatted(c)),
                                Arbitraries.of("\\ud800", "\\udfff"),
                                Arbitraries.just("x".repeat(321)))
                                .map(bad -> VALID.replace(field, field.substring(0, 2) + bad + field.substring(2)))),
                // a currency that does not price goods
                Arbitraries.of("XXX", "XTS", "XAU", "XAG", "XPD", "XPT", "XBA", "XBB", "XBC", "XBD", "XDR", "XSU", "XUA",
                        "BOV", "CHE", "CHW", "CLF", "COU", "MXV", "USN", "UYI", "UYW", "brl", "", "DEM")
                        .map(code -> VALID.replace("\"BRL\"", "\"" + code + "\"")),
                // the valid body cut short, or a byte of it replaced
                Arbitraries.integers().between(0, VALID.length() - 1).map(end -> VALID.substring(0, end)),
                Combinators.combine(Arbitraries.integers().between(0, VALID.length() - 1),
                                Arbitraries.of('{', '}', '[', ']', '"', ',', ':', '0', '\\', ' ', 'x', '\u0000'))
                        .as((at, c) -> VALID.substring(0, at) + c + VALID.substring(at + 1))
                        .filter(body -> !body.equals(VALID)),
                // random text
                Arbitraries.strings().ofMaxLength(200));
    }

    // --- HTTP ---

    private HttpResponse<String> post(String json) throws IOException, InterruptedException {
        URI orders = recorded.stack().baseUrl("order-service").resolve("/orders");
        HttpRequest request = HttpRequest.newBuilder(orders)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String orderId(HttpResponse<String> response) {
        Matcher id = ORDER_ID.matcher(response.body());
        assertThat(id.find()).as(response.body()).isTrue();
        return id.group(1);
    }
}
