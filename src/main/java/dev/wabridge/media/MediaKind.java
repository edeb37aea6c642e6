package dev.wabridge.media;

import java.util.Set;

/** WhatsApp's media kinds, the MIME types Meta accepts for each and their size limits. */
public enum MediaKind {
  IMAGE(5L << 20, Set.of("image/jpeg", "image/png")),
  VIDEO(16L << 20, Set.of("video/mp4", "video/3gpp")),
  AUDIO(16L << 20, Set.of("audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg")),
  DOCUMENT(100L << 20, Set.of("text/plain", "application/pdf", "application/msword",
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/vnd.ms-excel",
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/vnd.ms-powerpoint",
      "application/vnd.openxmlformats-officedocument.presentationml.presentation")),
  STICKER(500L << 10, Set.of("image/webp"));

  private final long maxBytes;
  private final Set<String> mimeTypes;

  MediaKind(long maxBytes, Set<String> mimeTypes) {
    this.maxBytes = maxBytes;
    this.mimeTypes = mimeTypes;
  }

  public long maxBytes() {
    return maxBytes;
  }

  public boolean accepts(String mime) {
    return mime != null && mimeTypes.contains(base(mime));
  }

  public static MediaKind of(String type) {
    return switch (type) {
      case "image" -> IMAGE;
      case "video" -> VIDEO;
      case "audio" -> AUDIO;
      case "document" -> DOCUMENT;
      case "sticker" -> STICKER;
      default -> null;
    };
  }

  /** The word with its article, for messages: "an image", "an audio", "a video", "a document", "a sticker". */
  public static String withArticle(String word) {
    boolean vowel = !word.isEmpty() && "aeiouAEIOU".indexOf(word.charAt(0)) >= 0;
    return (vowel ? "an " : "a ") + word;
  }

  /** "audio/ogg; codecs=opus" → "audio/ogg". */
  public static String base(String mime) {
    int semi = mime.indexOf(';');
    return (semi < 0 ? mime : mime.substring(0, semi)).trim().toLowerCase();
  }
}
