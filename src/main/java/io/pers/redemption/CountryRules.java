package io.pers.redemption;

import java.util.List;

/**
 * Country restrictions as campaigns write them, e.g. {@code ["NOT_ES", "FR"]}: NOT_ entries deny
 * a country, plain entries form an allow-list. With any restriction, a redeem whose country is
 * unknown cannot be shown to comply.
 */
final class CountryRules {

    /** ISO 3166-1 alpha-2, or NOT_ and one to exclude a country. */
    static final String RULE = "(NOT_)?[A-Z]{2}";

    private CountryRules() {}

    static boolean allowed(List<String> restrictions, String country) {
        if (restrictions.isEmpty()) {
            return true;
        }
        if (country == null || restrictions.contains("NOT_" + country)) {
            return false;
        }
        List<String> allowed =
                restrictions.stream().filter(r -> !r.startsWith("NOT_")).toList();
        return allowed.isEmpty() || allowed.contains(country);
    }
}
