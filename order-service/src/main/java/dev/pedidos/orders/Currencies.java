package dev.pedidos.orders;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Set;

/**
 * The currencies an order may be priced in, and their minor units.
 *
 * <p>{@link #PRICING} is ISO 4217 List One ("current currency and funds", as published by its
 * maintenance agency, SIX Group, in 2025) less every code that does not price goods:
 * <ul>
 * <li>funds: {@code BOV CHE CHW CLF COU MXV USN UYI UYW} (marked "fund" in List One);</li>
 * <li>precious metals: {@code XAU XAG XPD XPT};</li>
 * <li>units of account and bond-market units: {@code XBA XBB XBC XBD XDR XSU XUA XAD};</li>
 * <li>the testing code {@code XTS} and "no currency", {@code XXX};</li>
 * <li>codes the JDK still knows but List One no longer has (List Three, historic: {@code DEM},
 * {@code HRK}, {@code ANG}, {@code SLL}, {@code ZWL}, {@code CUC}, {@code BGN} (Bulgaria uses the
 * euro since 1 January 2026), ...).</li>
 * </ul>
 * The minor unit (digits after the decimal point: BRL 2, JPY 0, KWD 3) is the JDK's
 * {@link Currency#getDefaultFractionDigits()}, which follows List One's "minor unit" column.
 */
final class Currencies {

    /** ISO 4217 codes that price goods (155 codes). */
    static final Set<String> PRICING = Set.of("""
            AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF
            CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ
            GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP
            LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR
            PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC
            SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF
            XPF YER ZAR ZMW ZWG""".split("\\s+"));

    /** The most minor-unit digits of any code in {@link #PRICING} (BHD, IQD, JOD, KWD, LYD, OMR, TND). */
    static final int MAX_MINOR_UNIT = 3;

    private Currencies() {
    }

    /**
     * @param code a currency code, in upper case
     * @return whether an order may be priced in it
     */
    static boolean pricesGoods(String code) {
        return PRICING.contains(code);
    }

    /**
     * @param code a code of {@link #PRICING}
     * @return its minor unit: 2 for BRL, 0 for JPY, 3 for KWD
     * @throws IllegalArgumentException if the code is not in {@link #PRICING}
     */
    static int minorUnit(String code) {
        if (!pricesGoods(code)) {
            throw new IllegalArgumentException("Not a currency that prices goods: " + code);
        }
        return Currency.getInstance(code).getDefaultFractionDigits();
    }

    /**
     * @param amount an amount
     * @param code   a code of {@link #PRICING}
     * @return whether the amount has no more decimals than the currency's minor unit (trailing zeros
     *         do not count: {@code 1.50} has one, {@code 100} and {@code 1E+2} none)
     */
    static boolean fitsMinorUnit(BigDecimal amount, String code) {
        return amount.stripTrailingZeros().scale() <= minorUnit(code);
    }
}
