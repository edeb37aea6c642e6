package dev.wabridge.testing;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** HTTP/1.1 over a raw socket, for tests that need to control the bytes and the connection. */
public final class RawHttp {
  private static final Pattern LENGTH = Pattern.compile("(?i)content-length: *(\\d+)");

  private RawHttp() {
  }

  /** One response with a Content-Length: its head and body as text. */
  public static String readResponse(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed after: " + head);
      }
      head.append((char) b);
    }
    Matcher m = LENGTH.matcher(head);
    int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
    return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }
}
