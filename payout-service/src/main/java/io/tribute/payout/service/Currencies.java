package io.tribute.payout.service;

import java.util.regex.Pattern;

/** CAIP-19 currency ids as the API accepts them. */
public final class Currencies {

    /** CAIP-19: {@code namespace:reference/asset_namespace:asset_reference}. */
    public static final Pattern CAIP_19 =
            Pattern.compile("[-a-z0-9]{3,8}:[-_a-zA-Z0-9]{1,32}/[-a-z0-9]{3,8}:[-.%a-zA-Z0-9]{1,128}");

    private Currencies() {
    }

    public static boolean isCaip19(String text) {
        return CAIP_19.matcher(text).matches();
    }
}
