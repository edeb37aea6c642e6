package dev.wabridge.config;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What wabridge keeps in {@code WABRIDGE_DATA_DIR} (the SQLite database and its {@code -wal}/{@code -shm}, the
 * generated secret key, hosted media) is its owner's alone: directories are created {@code 0700} and files
 * {@code 0600}, with those modes at creation (never a window with looser ones), and an install made before with
 * looser modes is tightened at start ({@link #tighten}). On a file system without POSIX modes files are created
 * as the platform does.
 */
public final class PrivateFiles {
  private static final Logger LOG = LoggerFactory.getLogger(PrivateFiles.class);
  private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  /** The data directory's files, tightened at start when they exist. */
  private static final List<String> KNOWN_FILES = List.of("secret.key", "wabridge.db", "wabridge.db-wal",
      "wabridge.db-shm", "wabridge.db-journal");

  private PrivateFiles() {
  }

  /** Whether this file system has POSIX modes (else nothing here sets or checks them). */
  public static boolean posix(Path p) {
    return p.toAbsolutePath().getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  /** Creates {@code dir} and any missing parents, each {@code 0700}. */
  public static Path createDirectories(Path dir) throws IOException {
    return posix(dir) ? Files.createDirectories(dir, attribute(DIR)) : Files.createDirectories(dir);
  }

  /** Creates {@code file} ({@code 0600}) with {@code bytes}; fails if it exists. */
  public static void writeNew(Path file, byte[] bytes) throws IOException {
    try (var out = Files.newByteChannel(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        posix(file) ? new FileAttribute<?>[] {attribute(FILE)} : new FileAttribute<?>[0])) {
      out.write(java.nio.ByteBuffer.wrap(bytes));
    }
  }

  /** Creates {@code file} empty ({@code 0600}) unless it exists, so that whatever fills it later keeps that mode. */
  public static void createIfAbsent(Path file) throws IOException {
    try {
      if (posix(file)) {
        Files.createFile(file, attribute(FILE));
      } else {
        Files.createFile(file);
      }
    } catch (FileAlreadyExistsException ignored) {
      // kept as it is; tighten() corrects its mode at start
    }
  }

  /** A new temporary file ({@code 0600}) in {@code dir}. */
  public static Path createTempFile(Path dir, String prefix, String suffix) throws IOException {
    return posix(dir) ? Files.createTempFile(dir, prefix, suffix, attribute(FILE))
        : Files.createTempFile(dir, prefix, suffix);
  }

  /**
   * Takes group and other permissions (and a file's execute bit) off the data directory, its known files and its
   * media, with one INFO line naming what changed. The media tree is walked only when the media directory itself
   * was looser: after the first start it is {@code 0700} and nothing below it is reachable by others anyway.
   */
  public static void tighten(Path dataDir) {
    if (!Files.isDirectory(dataDir) || !posix(dataDir)) {
      return;
    }
    List<String> changed = new ArrayList<>();
    try {
      restrict(dataDir, DIR, ".", changed);
      for (String name : KNOWN_FILES) {
        Path f = dataDir.resolve(name);
        if (Files.isRegularFile(f)) {
          restrict(f, FILE, name, changed);
        }
      }
      Path media = dataDir.resolve("media");
      if (Files.isDirectory(media) && restrict(media, DIR, "media", changed)) {
        int below = 0;
        try (Stream<Path> all = Files.walk(media)) {
          for (Path p : (Iterable<Path>) all.skip(1)::iterator) {
            if (restrict(p, Files.isDirectory(p) ? DIR : FILE, null, changed)) {
              below++;
            }
          }
        }
        if (below > 0) {
          changed.add(below + " under media/");
        }
      }
    } catch (IOException e) {
      throw new ConfigException("cannot restrict the modes of WABRIDGE_DATA_DIR " + dataDir + ": " + e.getMessage()
          + " (run wabridge as the owner of that directory)");
    }
    if (!changed.isEmpty()) {
      LOG.info("made {} readable by its owner only (directories 0700, files 0600): {}", dataDir,
          String.join(", ", changed));
    }
  }

  /** Drops every permission of {@code p} outside {@code allowed}; says whether it did. */
  private static boolean restrict(Path p, Set<PosixFilePermission> allowed, String name, List<String> changed)
      throws IOException {
    if (Files.isSymbolicLink(p)) {
      return false;
    }
    Set<PosixFilePermission> now = Files.getPosixFilePermissions(p);
    if (allowed.containsAll(now)) {
      return false;
    }
    Set<PosixFilePermission> kept = EnumSet.noneOf(PosixFilePermission.class);
    kept.addAll(now);
    kept.retainAll(allowed);
    Files.setPosixFilePermissions(p, kept);
    if (name != null) {
      changed.add(name + " " + PosixFilePermissions.toString(now) + " -> " + PosixFilePermissions.toString(kept));
    }
    return true;
  }

  private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> perms) {
    return PosixFilePermissions.asFileAttribute(perms);
  }
}
