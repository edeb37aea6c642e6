package dev.wabridge.support;

/**
 * Text from a webhook made fit for a log line: control characters (newlines among them, which would start a forged
 * line) and Unicode line and paragraph separators become {@code ?}, and it is cut to a length. Webhooks can come
 * from anyone, signed or not; what they say is logged only through here.
 */
public final class LogSafe {
  private LogSafe() {
  }

  /** {@code s} without control characters, at most {@code max} characters (then ending in "…"); null stays null. */
  public static String text(String s, int max) {
    if (s == null) {
      return null;
    }
    int n = Math.min(s.length(), max);
    StringBuilder b = new StringBuilder(n + 1);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      b.append(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? '?' : c);
    }
    if (s.length() > max) {
      b.append('…');
    }
    return b.toString();
  }

  /** A few of {@code ids} (digits by now), each cut short, for a line that gives their count separately. */
  public static String someIds(java.util.Collection<String> ids, int few) {
    return ids.stream().limit(few).map(id -> text(id, 20)).toList() + (ids.size() > few ? " …" : "");
  }
}
