package dev.pedidos.orders;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.math.BigDecimal;
import java.util.List;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /orders} ({@code application/json}), read strictly (no coercion, no
 * duplicate or unknown fields: {@code spring.jackson.*} in {@code application.yml}) and validated
 * with Bean Validation before anything is published (issue 8, DESIGN G8).
 *
 * <pre>
 * {"customer": {"id": "c-42", "name": "Ana", "email": "ana@example.com"},
 *  "items": [{"sku": "SKU-1", "name": "Caneca", "quantity": 3, "unitPrice": 19.99}],
 *  "currency": "BRL"}
 * </pre>
 *
 * <p>Text limits count Unicode code points (an emoji is one), and no text may contain a control
 * character (C0 U+0000-U+001F, DEL U+007F, C1 U+0080-U+009F) or an unpaired surrogate: PostgreSQL
 * text cannot hold U+0000, and CR/LF would break e-mail headers and log lines downstream.
 *
 * @param customer who places the order
 * @param items    1 to {@value #MAX_ITEMS} order lines
 * @param currency an ISO 4217 code that prices goods ({@link Currencies#PRICING}),
 *                 {@value #DEFAULT_CURRENCY} when absent
 */
@PlaceOrderRequest.PricedInMinorUnits
@Schema(description = "An order. Read strictly: a field of the wrong JSON type (\"2\" for 2, 1.5 for a quantity),"
        + " a duplicate field or an unknown field is a 400.")
record PlaceOrderRequest(
        @NotNull @Valid Customer customer,
        @ArraySchema(minItems = 1, maxItems = MAX_ITEMS)
        @NotNull @Size(min = 1, max = MAX_ITEMS) List<@NotNull @Valid Item> items,
        @Schema(description = "ISO 4217 code of every price, one that prices goods: not a fund (BOV, CHE, CHW, CLF,"
                + " COU, MXV, USN, UYI, UYW), a precious metal (XAU, XAG, XPD, XPT), a unit of account (XBA-XBD, XDR,"
                + " XSU, XUA, XAD), a test code (XTS) or no currency (XXX). Default BRL.",
                defaultValue = DEFAULT_CURRENCY, pattern = "^[A-Z]{3}$", example = "BRL")
        @PricingCurrency String currency) {

    /** Currency of an order that names none. */
    static final String DEFAULT_CURRENCY = "BRL";

    /** Most lines in one order. */
    static final int MAX_ITEMS = 100;

    /** Most units of one line. */
    static final int MAX_QUANTITY = 1000;

    /** Most code points of a customer ID and of a SKU. */
    static final int MAX_ID = 64;

    /** Most code points of a customer's and of a product's name. */
    static final int MAX_NAME = 200;

    /** Most characters of an e-mail address (RFC 5321 §4.5.3.1: 64 local + @ + 255 domain). */
    static final int MAX_EMAIL = 320;

    /** Most integer digits of a unit price: below one trillion. */
    static final int MAX_PRICE_DIGITS = 12;

    PlaceOrderRequest {
        if (currency == null) {
            currency = DEFAULT_CURRENCY;
        }
    }

    /**
     * The customer of the order.
     *
     * @param id    the store's customer ID, optional (guest checkout), at most {@value #MAX_ID} code points
     * @param name  required, at most {@value #MAX_NAME} code points
     * @param email required, an ASCII address (RFC 5321 mailbox, at most {@value #MAX_EMAIL} characters): the
     *              confirmation goes there over SMTP, which without the SMTPUTF8 extension carries ASCII only
     */
    record Customer(
            @Schema(description = "The store's customer ID; absent for a guest checkout. No control characters.",
                    maxLength = MAX_ID, nullable = true)
            @Text(max = MAX_ID) String id,
            @Schema(description = "No control characters; any other Unicode, emoji and right-to-left text included.",
                    maxLength = MAX_NAME, requiredMode = Schema.RequiredMode.REQUIRED)
            @NotBlank @Text(max = MAX_NAME) String name,
            @Schema(description = "The confirmation goes here. ASCII only (SMTP without SMTPUTF8).",
                    maxLength = MAX_EMAIL, requiredMode = Schema.RequiredMode.REQUIRED, format = "email")
            @NotBlank @Email @Text(max = MAX_EMAIL)
            @Pattern(regexp = "\\p{ASCII}*", message = "must be ASCII (an internationalised domain in its xn-- form)")
            String email) {
    }

    /**
     * One order line.
     *
     * @param sku       required, at most {@value #MAX_ID} code points
     * @param name      required, at most {@value #MAX_NAME} code points
     * @param quantity  units, 1 to {@value #MAX_QUANTITY}, a JSON integer
     * @param unitPrice price of one unit, a JSON number from 0 to below 10^12, with no more decimals than the
     *                  currency's minor unit (BRL 2, JPY 0, KWD 3); carried on with exactly that many
     */
    record Item(
            @Schema(description = "No control characters.", maxLength = MAX_ID,
                    requiredMode = Schema.RequiredMode.REQUIRED)
            @NotBlank @Text(max = MAX_ID) String sku,
            @Schema(description = "No control characters.", maxLength = MAX_NAME,
                    requiredMode = Schema.RequiredMode.REQUIRED)
            @NotBlank @Text(max = MAX_NAME) String name,
            @Schema(description = "A JSON integer (1.5 and \"2\" are 400s).", requiredMode = Schema.RequiredMode.REQUIRED)
            @NotNull @Min(1) @Max(MAX_QUANTITY) Integer quantity,
            @Schema(description = "A JSON number (\"1.00\" is a 400), with no more decimals than the currency's minor"
                    + " unit (BRL 2, JPY 0, KWD 3). Carried downstream with exactly that many: 1 becomes 1.00 in BRL.",
                    requiredMode = Schema.RequiredMode.REQUIRED, example = "19.99")
            @NotNull @DecimalMin("0")
            // Beside @Digits, which computes precision - scale in an int: 1E+2147483647 overflowed it and passed.
            @DecimalMax(value = "1E" + MAX_PRICE_DIGITS, inclusive = false, message = "must be below 10^" + MAX_PRICE_DIGITS)
            @Digits(integer = MAX_PRICE_DIGITS, fraction = Currencies.MAX_MINOR_UNIT,
                    message = "must be below 10^{integer} with at most {fraction} decimals (fewer in most currencies)")
            BigDecimal unitPrice) {
    }

    /**
     * The annotated text is {@code null}, or at most {@link #max()} Unicode code points with no control
     * character (C0, DEL, C1: {@link Character#isISOControl}) and no unpaired surrogate.
     */
    @Documented
    @Constraint(validatedBy = TextValidator.class)
    @Target({FIELD, PARAMETER, RECORD_COMPONENT, TYPE_USE})
    @Retention(RUNTIME)
    @interface Text {

        /** Most code points. */
        int max();

        /** The message of a violation; the validator says which rule failed. */
        String message() default "must be at most {max} characters with no control characters";

        /** Validation groups. */
        Class<?>[] groups() default {};

        /** Payload for clients of the Bean Validation API. */
        Class<? extends Payload>[] payload() default {};
    }

    /** Checks {@link Text}; public because the validation provider instantiates it. */
    public static final class TextValidator implements ConstraintValidator<Text, String> {

        private int max;

        /** Creates the validator (called by the validation provider). */
        public TextValidator() {
        }

        @Override
        public void initialize(Text text) {
            this.max = text.max();
        }

        @Override
        public boolean isValid(String text, ConstraintValidatorContext context) {
            if (text == null) {
                return true;
            }
            String problem = null;
            for (int i = 0; i < text.length() && problem == null; ) {
                int codePoint = text.codePointAt(i);
                if (Character.isISOControl(codePoint)) {
                    problem = "must not contain control characters (found U+%04X at code point %d)"
                            .formatted(codePoint, text.codePointCount(0, i));
                }
                else if (Character.isSurrogate((char) codePoint) && Character.charCount(codePoint) == 1) {
                    problem = "must not contain an unpaired surrogate (found U+%04X)".formatted(codePoint);
                }
                i += Character.charCount(codePoint);
            }
            if (problem == null && text.codePointCount(0, text.length()) > max) {
                problem = "must be at most " + max + " characters (Unicode code points)";
            }
            if (problem == null) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(problem.replace("{", "\\{")).addConstraintViolation();
            return false;
        }
    }

    /** The annotated string is {@code null} or a code of {@link Currencies#PRICING}. */
    @Documented
    @Constraint(validatedBy = PricingCurrencyValidator.class)
    @Target({FIELD, PARAMETER, RECORD_COMPONENT, TYPE_USE})
    @Retention(RUNTIME)
    @interface PricingCurrency {

        /** The message of a violation. */
        String message() default "must be an ISO 4217 currency code that prices goods, such as BRL"
                + " (not a fund, precious metal, unit of account, test code or XXX)";

        /** Validation groups. */
        Class<?>[] groups() default {};

        /** Payload for clients of the Bean Validation API. */
        Class<? extends Payload>[] payload() default {};
    }

    /** Checks {@link PricingCurrency}; public because the validation provider instantiates it. */
    public static final class PricingCurrencyValidator implements ConstraintValidator<PricingCurrency, String> {

        /** Creates the validator (called by the validation provider). */
        public PricingCurrencyValidator() {
        }

        @Override
        public boolean isValid(String code, ConstraintValidatorContext context) {
            return code == null || Currencies.pricesGoods(code);
        }
    }

    /**
     * No unit price of the annotated order has more decimals than its currency's minor unit; a
     * violation names {@code items[i].unitPrice}. An order whose currency is invalid is left to
     * {@link PricingCurrency}.
     */
    @Documented
    @Constraint(validatedBy = MinorUnitsValidator.class)
    @Target(TYPE)
    @Retention(RUNTIME)
    @interface PricedInMinorUnits {

        /** The message of a violation; the validator names the currency and its minor unit. */
        String message() default "has more decimals than the currency allows";

        /** Validation groups. */
        Class<?>[] groups() default {};

        /** Payload for clients of the Bean Validation API. */
        Class<? extends Payload>[] payload() default {};
    }

    /** Checks {@link PricedInMinorUnits}; public because the validation provider instantiates it. */
    public static final class MinorUnitsValidator implements ConstraintValidator<PricedInMinorUnits, PlaceOrderRequest> {

        /** Creates the validator (called by the validation provider). */
        public MinorUnitsValidator() {
        }

        @Override
        public boolean isValid(PlaceOrderRequest order, ConstraintValidatorContext context) {
            if (order == null || order.items() == null || !Currencies.pricesGoods(order.currency())) {
                return true;
            }
            boolean valid = true;
            int digits = Currencies.minorUnit(order.currency());
            for (int i = 0; i < order.items().size(); i++) {
                Item item = order.items().get(i);
                // More decimals than any currency has is @Digits' violation already: one message per field.
                if (item != null && item.unitPrice() != null
                        && item.unitPrice().stripTrailingZeros().scale() <= Currencies.MAX_MINOR_UNIT
                        && !Currencies.fitsMinorUnit(item.unitPrice(), order.currency())) {
                    if (valid) {
                        context.disableDefaultConstraintViolation();
                    }
                    valid = false;
                    context.buildConstraintViolationWithTemplate(
                                    "must have at most %d decimals in %s".formatted(digits, order.currency()))
                            .addPropertyNode("items")
                            .addPropertyNode("unitPrice").inIterable().atIndex(i)
                            .addConstraintViolation();
                }
            }
            return valid;
        }
    }
}
