package dev.wabridge.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The console's files, read once from the classpath ({@code public/console/}, a directory or inside the jar) into
 * memory with their content types and ETags. Only files found there can be served, so a request path can never
 * reach anything else. {@link #version()} is a hash over every file: equal for equal builds (on every node of a
 * cluster), different as soon as one byte changes, which makes it safe to cache versioned URLs forever.
 */
final class ConsoleAssets {
  static final String ROOT = "public/console";

  /** One file: its bytes, {@code Content-Type} and strong ETag. */
  record Asset(String path, byte[] bytes, String contentType, String etag) {
  }

  private static final Map<String, String> TYPES = Map.ofEntries(
      Map.entry("html", "text/html; charset=utf-8"),
      Map.entry("css", "text/css; charset=utf-8"),
      Map.entry("js", "text/javascript; charset=utf-8"),
      Map.entry("mjs", "text/javascript; charset=utf-8"),
      Map.entry("json", "application/json"),
      Map.entry("webmanifest", "application/manifest+json"),
      Map.entry("svg", "image/svg+xml"),
      Map.entry("png", "image/png"),
      Map.entry("ico", "image/x-icon"),
      Map.entry("woff2", "font/woff2"),
      Map.entry("txt", "text/plain; charset=utf-8"));

  private final Map<String, Asset> files;
  private final String version;

  private ConsoleAssets(Map<String, Asset> files, String version) {
    this.files = Map.copyOf(files);
    this.version = version;
  }

  static ConsoleAssets load() {
    return load(ConsoleAssets.class.getClassLoader(), ROOT);
  }

  static ConsoleAssets load(ClassLoader loader, String root) {
    URL url = loader.getResource(root);
    if (url == null) {
      throw new IllegalStateException("the console's files are missing from the classpath (" + root + ")");
    }
    try {
      URI uri = url.toURI();
      if (!"jar".equals(uri.getScheme())) {
        return read(Path.of(uri));
      }
      try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of())) {
        return read(fs.provider().getPath(uri));
      } catch (FileSystemAlreadyExistsException e) {
        return read(FileSystems.getFileSystem(uri).provider().getPath(uri));
      }
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot read the console's files at " + url, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the console's files at " + url, e);
    }
  }

  private static ConsoleAssets read(Path dir) throws IOException {
    Map<String, Asset> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
        String rel = dir.relativize(p).toString().replace('\\', '/');
        byte[] bytes = Files.readAllBytes(p);
        files.put(rel, new Asset(rel, bytes, contentType(rel), "\"" + sha256(bytes).substring(0, 20) + "\""));
      }
    }
    StringBuilder all = new StringBuilder();
    files.values().forEach(a -> all.append(a.path()).append('=').append(a.etag()).append('\n'));
    return new ConsoleAssets(files, sha256(all.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 12));
  }

  Optional<Asset> get(String path) {
    return Optional.ofNullable(files.get(path));
  }

  String version() {
    return version;
  }

  static String contentType(String path) {
    int dot = path.lastIndexOf('.');
    String ext = dot < 0 ? "" : path.substring(dot + 1).toLowerCase();
    return TYPES.getOrDefault(ext, "application/octet-stream");
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
