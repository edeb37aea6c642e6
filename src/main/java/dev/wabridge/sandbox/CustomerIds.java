package dev.wabridge.sandbox;

import dev.wabridge.config.SecretBox;
import java.math.BigInteger;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Business-scoped user ids (BSUIDs) for simulated customers, shaped like Meta's: the ISO country code of the
 * customer's number, a dot and 20 digits ({@code US.13491208655302741918}). The digits are a keyed hash of the
 * workspace and the number, so they are stable for a customer, differ between workspaces (as Meta's differ between
 * business portfolios) and do not give the number away.
 */
final class CustomerIds {
  /** Meta's shape: two capital letters, a dot, up to 128 letters, digits or dots (parent ids: {@code US.ENT.…}). */
  static final Pattern BSUID = Pattern.compile("[A-Z]{2}\\.[A-Za-z0-9.]{1,128}");
  private static final String PURPOSE = "sandbox-bsuid";
  private static final BigInteger LOWEST = BigInteger.TEN.pow(19);
  private static final BigInteger SPAN = BigInteger.valueOf(9).multiply(LOWEST);
  /** Calling codes of common countries; a number none of them starts is filed under US, as Meta's examples are. */
  private static final Map<String, String> COUNTRIES = Map.ofEntries(
      Map.entry("1", "US"), Map.entry("7", "RU"), Map.entry("20", "EG"), Map.entry("27", "ZA"), Map.entry("30", "GR"),
      Map.entry("31", "NL"), Map.entry("32", "BE"), Map.entry("33", "FR"), Map.entry("34", "ES"), Map.entry("36", "HU"),
      Map.entry("39", "IT"), Map.entry("40", "RO"), Map.entry("41", "CH"), Map.entry("43", "AT"), Map.entry("44", "GB"),
      Map.entry("45", "DK"), Map.entry("46", "SE"), Map.entry("47", "NO"), Map.entry("48", "PL"), Map.entry("49", "DE"),
      Map.entry("51", "PE"), Map.entry("52", "MX"), Map.entry("54", "AR"), Map.entry("55", "BR"), Map.entry("56", "CL"),
      Map.entry("57", "CO"), Map.entry("58", "VE"), Map.entry("60", "MY"), Map.entry("61", "AU"), Map.entry("62", "ID"),
      Map.entry("63", "PH"), Map.entry("64", "NZ"), Map.entry("65", "SG"), Map.entry("66", "TH"), Map.entry("81", "JP"),
      Map.entry("82", "KR"), Map.entry("84", "VN"), Map.entry("86", "CN"), Map.entry("90", "TR"), Map.entry("91", "IN"),
      Map.entry("92", "PK"), Map.entry("93", "AF"), Map.entry("94", "LK"), Map.entry("98", "IR"), Map.entry("212", "MA"),
      Map.entry("213", "DZ"), Map.entry("216", "TN"), Map.entry("233", "GH"), Map.entry("234", "NG"),
      Map.entry("254", "KE"), Map.entry("255", "TZ"), Map.entry("256", "UG"), Map.entry("351", "PT"),
      Map.entry("353", "IE"), Map.entry("358", "FI"), Map.entry("380", "UA"), Map.entry("420", "CZ"),
      Map.entry("593", "EC"), Map.entry("852", "HK"), Map.entry("880", "BD"), Map.entry("886", "TW"),
      Map.entry("966", "SA"), Map.entry("971", "AE"), Map.entry("972", "IL"), Map.entry("974", "QA"));

  private final SecretBox secrets;

  CustomerIds(SecretBox secrets) {
    this.secrets = secrets;
  }

  /** The BSUID of the customer on {@code phone} ({@code +} and digits) in the workspace. */
  String userId(String workspaceId, String phone) {
    byte[] mac = secrets.mac(PURPOSE, workspaceId + '\n' + phone);
    // 20 digits with no leading zero, like Meta's.
    return country(phone) + '.' + new BigInteger(1, mac).mod(SPAN).add(LOWEST);
  }

  /** The ISO country of a number by its calling code (longest match), or US. */
  static String country(String phone) {
    String digits = phone.startsWith("+") ? phone.substring(1) : phone;
    for (int len = 3; len >= 1; len--) {
      if (digits.length() > len) {
        String cc = COUNTRIES.get(digits.substring(0, len));
        if (cc != null) {
          return cc;
        }
      }
    }
    return "US";
  }
}
