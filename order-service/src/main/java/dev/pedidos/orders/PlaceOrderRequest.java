package dev.pedidos.orders;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /orders} ({@code application/json}), validated with Bean Validation before
 * anything is published.
 *
 * <pre>
 * {"customer": {"id": "c-42", "name": "Ana", "email": "ana@example.com"},
 *  "items": [{"sku": "SKU-1", "name": "Caneca", "quantity": 3, "unitPrice": 19.99}],
 *  "currency": "BRL"}
 * </pre>
 *
 * @param customer who places the order
 * @param items    1 to 100 order lines
 * @param currency ISO 4217 code of every price, {@value #DEFAULT_CURRENCY} when absent
 */
record PlaceOrderRequest(
        @NotNull @Valid Customer customer,
        @NotNull @Size(min = 1, max = 100) List<@NotNull @Valid Item> items,
        @Iso4217 String currency) {

    /** Currency of an order that names none. */
    static final String DEFAULT_CURRENCY = "BRL";

    PlaceOrderRequest {
        if (currency == null) {
            currency = DEFAULT_CURRENCY;
        }
    }

    /**
     * The customer of the order.
     *
     * @param id    the store's customer ID, optional (guest checkout), at most 64 characters
     * @param name  required, at most 200 characters
     * @param email required, a valid address (the notification goes there)
     */
    record Customer(
            @Size(max = 64) String id,
            @NotBlank @Size(max = 200) String name,
            @NotBlank @Email @Size(max = 320) String email) {
    }

    /**
     * One order line.
     *
     * @param sku       required, at most 64 characters
     * @param name      required, at most 200 characters
     * @param quantity  units, 1 to 1000
     * @param unitPrice price of one unit, at least 0, at most 2 decimals (an exact decimal in JSON)
     */
    record Item(
            @NotBlank @Size(max = 64) String sku,
            @NotBlank @Size(max = 200) String name,
            @NotNull @Min(1) @Max(1000) Integer quantity,
            @NotNull @DecimalMin("0") @Digits(integer = 12, fraction = 2) BigDecimal unitPrice) {
    }

    /**
     * The annotated string is {@code null} or an ISO 4217 currency code known to the JDK
     * ({@link Currency#getInstance(String)}), in upper case, such as {@code BRL} or {@code EUR}.
     */
    @Documented
    @Constraint(validatedBy = Iso4217Validator.class)
    @Target({FIELD, PARAMETER, RECORD_COMPONENT, TYPE_USE})
    @Retention(RUNTIME)
    @interface Iso4217 {

        /** The message of a violation. */
        String message() default "must be an ISO 4217 currency code such as BRL";

        /** Validation groups. */
        Class<?>[] groups() default {};

        /** Payload for clients of the Bean Validation API. */
        Class<? extends Payload>[] payload() default {};
    }

    /** Checks {@link Iso4217}; public because the validation provider instantiates it. */
    public static final class Iso4217Validator implements ConstraintValidator<Iso4217, String> {

        /** Creates the validator (called by the validation provider). */
        public Iso4217Validator() {
        }

        @Override
        public boolean isValid(String code, ConstraintValidatorContext context) {
            if (code == null) {
                return true;
            }
            try {
                return Currency.getInstance(code).getCurrencyCode().equals(code);
            }
            catch (IllegalArgumentException notAnIsoCode) {
                return false;
            }
        }
    }
}
