package dev.pedidos.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;

import dev.pedidos.orders.PlaceOrderRequest.Customer;
import dev.pedidos.orders.PlaceOrderRequest.Item;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlaceOrderRequestTest {

    private ValidatorFactory factory;
    private Validator validator;

    @BeforeAll
    void realValidator() {
        factory = Validation.buildDefaultValidatorFactory();
        validator = factory.getValidator();
    }

    @AfterAll
    void close() {
        factory.close();
    }

    @Test
    void aCompleteOrderIsValid() {
        assertThat(validator.validate(valid())).isEmpty();
    }

    @Test
    void aGuestOrderWithoutCustomerIdIsValid() {
        var guest = new PlaceOrderRequest(new Customer(null, "Ana", "ana@example.com"), valid().items(), "BRL");

        assertThat(validator.validate(guest)).isEmpty();
    }

    @Test
    void currencyDefaultsToBrl() {
        var request = new PlaceOrderRequest(valid().customer(), valid().items(), null);

        assertThat(request.currency()).isEqualTo("BRL");
        assertThat(validator.validate(request)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"BRL", "EUR", "USD", "JPY", "KWD", "XOF", "XCG", "CHF"})
    void iso4217CodesAreAccepted(String currency) {
        var request = new PlaceOrderRequest(valid().customer(),
                List.of(new Item("SKU-1", "Caneca", 3, new BigDecimal("19"))), currency);

        assertThat(validator.validate(request)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "brl", "ABC", "REAL", "R$", "XXX", "XTS", "XAU", "CLF", "UYW", "DEM"})
    void otherCurrenciesAreRejected(String currency) {
        var request = new PlaceOrderRequest(valid().customer(), valid().items(), currency);

        assertThat(invalidPaths(request)).containsExactly("currency");
    }

    static Stream<Arguments> oneInvalidField() {
        return Stream.of(
                invalid("customer", r -> new PlaceOrderRequest(null, r.items(), r.currency())),
                invalid("customer.id", r -> withCustomer(r, new Customer("c".repeat(65), "Ana", "ana@example.com"))),
                invalid("customer.name", r -> withCustomer(r, new Customer("c-1", " ", "ana@example.com"))),
                invalid("customer.name", r -> withCustomer(r, new Customer("c-1", "n".repeat(201), "ana@example.com"))),
                invalid("customer.email", r -> withCustomer(r, new Customer("c-1", "Ana", null))),
                invalid("customer.email", r -> withCustomer(r, new Customer("c-1", "Ana", "not-an-address"))),
                invalid("items", r -> new PlaceOrderRequest(r.customer(), null, r.currency())),
                invalid("items", r -> new PlaceOrderRequest(r.customer(), List.of(), r.currency())),
                invalid("items", r -> new PlaceOrderRequest(r.customer(), Collections.nCopies(101, item()), r.currency())),
                invalid("items[0].<list element>", r -> new PlaceOrderRequest(r.customer(), Collections.singletonList(null), r.currency())),
                invalid("items[0].sku", r -> withItem(r, new Item(null, "Caneca", 1, new BigDecimal("1.00")))),
                invalid("items[0].sku", r -> withItem(r, new Item("s".repeat(65), "Caneca", 1, new BigDecimal("1.00")))),
                invalid("items[0].name", r -> withItem(r, new Item("SKU-1", "", 1, new BigDecimal("1.00")))),
                invalid("items[0].name", r -> withItem(r, new Item("SKU-1", "n".repeat(201), 1, new BigDecimal("1.00")))),
                invalid("items[0].quantity", r -> withItem(r, new Item("SKU-1", "Caneca", null, new BigDecimal("1.00")))),
                invalid("items[0].quantity", r -> withItem(r, new Item("SKU-1", "Caneca", 0, new BigDecimal("1.00")))),
                invalid("items[0].quantity", r -> withItem(r, new Item("SKU-1", "Caneca", 1001, new BigDecimal("1.00")))),
                invalid("items[0].unitPrice", r -> withItem(r, new Item("SKU-1", "Caneca", 1, null))),
                invalid("items[0].unitPrice", r -> withItem(r, new Item("SKU-1", "Caneca", 1, new BigDecimal("-0.01")))),
                invalid("items[0].unitPrice", r -> withItem(r, new Item("SKU-1", "Caneca", 1, new BigDecimal("19.999")))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void oneInvalidField(String path, UnaryOperator<PlaceOrderRequest> breakIt) {
        assertThat(invalidPaths(breakIt.apply(valid()))).containsExactly(path);
    }

    @Test
    void boundariesAreValid() {
        var request = new PlaceOrderRequest(
                new Customer("c".repeat(64), "n".repeat(200), "ana@example.com"),
                Collections.nCopies(100, new Item("s".repeat(64), "n".repeat(200), 1000, new BigDecimal("0.00"))),
                "BRL");

        assertThat(validator.validate(request)).isEmpty();
    }

    @Test
    void everyInvalidFieldIsReported() {
        var request = new PlaceOrderRequest(
                new Customer(null, "", "nope"),
                List.of(item(), new Item("", "Caneca", 0, new BigDecimal("1.0001"))),
                "XYZ");

        assertThat(invalidPaths(request)).containsExactlyInAnyOrder("customer.name", "customer.email",
                "items[1].sku", "items[1].quantity", "items[1].unitPrice", "currency");
    }

    private Set<String> invalidPaths(PlaceOrderRequest request) {
        Set<ConstraintViolation<PlaceOrderRequest>> violations = validator.validate(request);
        return violations.stream()
                .map(violation -> violation.getPropertyPath().toString())
                .collect(java.util.stream.Collectors.toSet());
    }

    private static Arguments invalid(String path, UnaryOperator<PlaceOrderRequest> breakIt) {
        return Arguments.of(path, breakIt);
    }

    private static PlaceOrderRequest withCustomer(PlaceOrderRequest request, Customer customer) {
        return new PlaceOrderRequest(customer, request.items(), request.currency());
    }

    private static PlaceOrderRequest withItem(PlaceOrderRequest request, Item item) {
        return new PlaceOrderRequest(request.customer(), List.of(item), request.currency());
    }

    private static Item item() {
        return new Item("SKU-1", "Caneca", 3, new BigDecimal("19.99"));
    }

    private static PlaceOrderRequest valid() {
        return new PlaceOrderRequest(new Customer("c-42", "Ana", "ana@example.com"), List.of(item()), "BRL");
    }
}
