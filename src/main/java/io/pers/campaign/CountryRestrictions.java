package io.pers.campaign;

import java.util.List;

/**
 * Country restrictions of campaigns and redemptions, e.g. {@code ["NOT_ES", "FR"]}: NOT_ entries
 * deny a country, plain entries form an allow-list. With any restriction, a claim or redeem whose
 * country is unknown cannot be shown to comply.
 */
public final class CountryRestrictions {

    /** ISO 3166-1 alpha-2, or NOT_ and one to exclude a country. */
    public static final String RULE = "(NOT_)?[A-Z]{2}";

    private CountryRestrictions() {}

    public static boolean allowed(List<String> restrictions, String country) {
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
