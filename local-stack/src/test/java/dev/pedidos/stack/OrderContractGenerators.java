package dev.pedidos.stack;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The generators of {@link OrderContractPropertiesIT}: valid-but-unusual orders and malformed bodies,
 * drawn from a {@link Random} with a given seed, so that the same seed gives the same cases in the same
 * order. Choices are made from lists in a fixed order (never from a hash map's iteration order, which
 * changes from one JVM to the next).
 */
final class OrderContractGenerators {

    /** currency → its ISO 4217 minor unit (sorted: a fixed order for the draws). */
    static final SortedMap<String, Integer> CURRENCIES = new TreeMap<>(Map.of("BRL", 2, "JPY", 0, "KWD", 3,
            "EUR", 2, "CLP", 0, "BHD", 3, "XOF", 0, "USD", 2));

    /** A valid order, the base of the malformed bodies. */
    static final String VALID = """
            {"customer": {"name": "Ana", "email": "ana@example.com"},
             "items": [{"sku": "SKU-1", "name": "Caneca", "quantity": 2, "unitPrice": 1.50}], "currency": "BRL"}""";

    /** The issue's table, and its relatives. */
    private static final List<String> KNOWN_MALFORMED = List.of(
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
            VALID + " trailing", "", "null", "[]", "{}", "\"order\"", "[".repeat(5000));

    /** The text fields of {@link #VALID}, quoted. */
    private static final List<String> TEXT_FIELDS = List.of("\"Ana\"", "\"SKU-1\"", "\"Caneca\"", "\"ana@example.com\"");

    /** Currencies that do not price goods, or are not ISO 4217 codes. */
    private static final List<String> NOT_FOR_GOODS = List.of("XXX", "XTS", "XAU", "XAG", "XPD", "XPT", "XBA", "XBB",
            "XBC", "XBD", "XDR", "XSU", "XUA", "BOV", "CHE", "CHW", "CLF", "COU", "MXV", "USN", "UYI", "UYW", "brl", "", "DEM");

    private static final List<Character> JSON_BREAKERS = List.of('{', '}', '[', ']', '"', ',', ':', '0', '\\', ' ', 'x', '\u0000');

    /** RLM, LRM, ZWJ, combining acute accent, space. */
    private static final List<Integer> MARKS = List.of(0x200F, 0x200E, 0x200D, 0x0301, 0x20);

    private static final List<String> DOMAINS = List.of("example.com", "exemplo.com.br", "xn--exmpl-4qa.pt", "mail.example.org");

    private static final String EMAIL_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789+_-";

    private final RandomGenerator random;

    OrderContractGenerators(long seed) {
        this.random = new Random(seed);
    }

    // --- valid but unusual orders ---

    /** An order in one of the currencies; 1 to 100 lines, often exactly 100, often 1 to 5. */
    Map<String, Object> validOrder() {
        String currency = oneOf(List.copyOf(CURRENCIES.keySet()));
        int lines = switch (random.nextInt(3)) {
            case 0 -> between(1, 100);
            case 1 -> between(1, 5);
            default -> 100;
        };
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("customer", customer());
        order.put("items", listOf(lines, () -> item(currency)));
        order.put("currency", currency);
        return order;
    }

    private Map<String, Object> customer() {
        Map<String, Object> customer = new LinkedHashMap<>();
        if (random.nextDouble() >= 0.3) { // no id 30 % of the time
            customer.put("id", text(64));
        }
        customer.put("name", text(200));
        customer.put("email", email());
        return customer;
    }

    /** A line; the maximum quantity half the time and the maximum price a third of the time, so that both come up together. */
    private Map<String, Object> item(String currency) {
        int minorUnit = CURRENCIES.get(currency);
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("sku", text(64));
        item.put("name", text(200));
        item.put("quantity", random.nextBoolean() ? between(1, 1000) : 1000);
        item.put("unitPrice", random.nextInt(3) == 0 ? maximumPrice(minorUnit) : price(minorUnit));
        return item;
    }

    /** 0 to the maximum, with the currency's minor unit; of any number of digits (small prices as often as large). */
    private BigDecimal price(int minorUnit) {
        long bound = tenTo(between(1, 12 + minorUnit));
        return BigDecimal.valueOf(random.nextLong(bound), minorUnit);
    }

    /** 999 999 999 999 and as many 9s as the minor unit has digits. */
    static BigDecimal maximumPrice(int minorUnit) {
        return BigDecimal.valueOf(tenTo(12 + minorUnit) - 1, minorUnit);
    }

    /**
     * Text of 1 to {@code max} code points from many scripts, emoji included, never a control
     * character, never blank; a quarter of the time exactly {@code max} code points, all emoji (two
     * UTF-16 chars, four UTF-8 bytes each) or all Hebrew.
     */
    String text(int max) {
        if (random.nextInt(4) == 0) {
            return random.nextBoolean() ? "\uD83D\uDE00".repeat(max) : "\u05D0".repeat(max);
        }
        StringBuilder text = new StringBuilder().appendCodePoint(switch (random.nextInt(3)) {
            case 0 -> between(0x41, 0x5A);                 // A-Z
            case 1 -> between(0x5D0, 0x5EA);               // Hebrew
            default -> between(0x1F600, 0x1F64F);          // emoticons
        });
        int more = length(0, max - 1);
        for (int i = 0; i < more; i++) {
            text.appendCodePoint(codePoint());
        }
        return text.toString();
    }

    private int codePoint() {
        return switch (random.nextInt(10)) {
            case 0, 1, 2 -> between(0x21, 0x7E);       // ASCII
            case 3 -> between(0xA1, 0x24F);            // Latin-1 and Latin Extended
            case 4 -> between(0x5D0, 0x5EA);           // Hebrew (right to left)
            case 5 -> between(0x621, 0x64A);           // Arabic (right to left)
            case 6 -> oneOf(MARKS);                    // RLM, LRM, ZWJ, combining acute, space
            case 7 -> between(0x4E00, 0x9FFF);         // CJK
            default -> between(0x1F300, 0x1FAFF);      // emoji, outside the BMP
        };
    }

    /** ASCII addresses (SMTP without SMTPUTF8): dots, plus, hyphens; up to 64 characters before the @, a third of the time exactly 64. */
    String email() {
        String local = random.nextInt(3) == 0 ? "a".repeat(64)
                : String.join(".", listOf(between(1, 3), () -> chars(EMAIL_CHARS, between(1, 20))));
        return local + "@" + oneOf(DOMAINS);
    }

    // --- malformed bodies ---

    /**
     * A body that is not a valid order, mostly: one of the issue's table and its relatives; a control
     * character, a lone surrogate or text too long in a text field; a currency that does not price goods;
     * the valid body cut short, or a character of it replaced (which can make a valid order); random text.
     */
    String malformedBody() {
        return switch (random.nextInt(6)) {
            case 0 -> oneOf(KNOWN_MALFORMED);
            case 1 -> {
                String field = oneOf(TEXT_FIELDS);
                String bad = switch (random.nextInt(4)) {
                    case 0 -> "\\u%04x".formatted(between(0, 0x1F));
                    case 1 -> "\\u%04x".formatted(between(0x7F, 0x9F));
                    case 2 -> random.nextBoolean() ? "\\ud800" : "\\udfff";
                    default -> "x".repeat(321);
                };
                yield VALID.replace(field, field.substring(0, 2) + bad + field.substring(2));
            }
            case 2 -> VALID.replace("\"BRL\"", "\"" + oneOf(NOT_FOR_GOODS) + "\"");
            case 3 -> VALID.substring(0, random.nextInt(VALID.length()));
            case 4 -> {
                String replaced;
                do {
                    int at = random.nextInt(VALID.length());
                    replaced = VALID.substring(0, at) + oneOf(JSON_BREAKERS) + VALID.substring(at + 1);
                } while (replaced.equals(VALID));
                yield replaced;
            }
            default -> randomText(length(0, 200));
        };
    }

    /** Any UTF-16 code units (lone surrogates included), ASCII and JSON's punctuation often. */
    private String randomText(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            char next = switch (random.nextInt(3)) {
                case 0 -> (char) random.nextInt(0x10000);
                case 1 -> (char) between(0x20, 0x7E);
                default -> oneOf(JSON_BREAKERS);
            };
            text.append(next);
        }
        return text.toString();
    }

    // --- basics ---

    /** A length in [min, max]: either bound an eighth of the time each, a short one a quarter of the time, else any. */
    private int length(int min, int max) {
        return switch (random.nextInt(8)) {
            case 0 -> min;
            case 1 -> max;
            case 2, 3 -> between(min, Math.min(max, min + 5));
            default -> between(min, max);
        };
    }

    private static long tenTo(int exponent) {
        return BigInteger.TEN.pow(exponent).longValueExact();
    }

    /** Inclusive of both bounds. */
    private int between(int min, int max) {
        return random.nextInt(min, max + 1);
    }

    private <T> T oneOf(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    private <T> List<T> listOf(int size, Supplier<T> element) {
        List<T> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(element.get());
        }
        return list;
    }

    private String chars(String alphabet, int length) {
        StringBuilder chars = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            chars.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return chars.toString();
    }
}
