package dev.wabridge;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaConstructor;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layout's rules, read from the compiled classes and the sources (README, "How the code is laid out"):
 * packages without cycles; the sandbox and the benchmark are plug-ins the core never names; only {@code web}
 * (with the composition root and the plug-ins) speaks HTTP as a server; {@code reply} is pure; each table's SQL
 * lives in one package; small classes and constructors; typed rows, not {@code Object[]}.
 */
class ArchitectureTest {
  private static final Path MAIN = Path.of("src/main/java/dev/wabridge");
  private static final Path MIGRATIONS = Path.of("src/main/resources/db/sqlite");
  private static final int MAX_LINES = 400;
  private static final int MAX_CONSTRUCTOR_PARAMETERS = 8;

  private static JavaClasses classes;

  @BeforeAll
  static void read() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.wabridge");
  }

  @Test
  void noCycleBetweenPackages() {
    slices().matching("dev.wabridge.(*)..").should().beFreeOfCycles().check(classes);
  }

  /** The order of README's "How the code is laid out": a package uses only those after it (the plug-ins any). */
  private static final List<String> LAYERS = List.of("app", "web", "inbound", "agent", "outbound", "reply", "status",
      "media", "conversation", "whatsapp", "number", "auth", "queue", "db", "config", "net", "support");

  @Test
  void aPackageUsesOnlyThoseBelowItInTheReadmesOrder() {
    Set<String> upward = new TreeSet<>();
    for (JavaClass c : classes) {
      int from = LAYERS.indexOf(layer(c));
      if (from < 0) {
        continue;
      }
      c.getDirectDependenciesFromSelf().forEach(d -> {
        int to = LAYERS.indexOf(layer(d.getTargetClass()));
        if (to >= 0 && to < from) {
          upward.add(layer(c) + " -> " + layer(d.getTargetClass()) + " (" + c.getSimpleName() + " uses "
              + d.getTargetClass().getSimpleName() + ")");
        }
      });
    }
    assertThat(upward).as("dependencies up the layers").isEmpty();
    try (Stream<Path> dirs = Files.list(MAIN)) {
      List<String> packages = dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString())
          .filter(n -> !n.equals("sandbox") && !n.equals("bench")).sorted().toList();
      assertThat(packages).as("every core package has its place in the order").containsExactlyInAnyOrderElementsOf(
          LAYERS);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The first package name below dev.wabridge, or "" outside it. */
  private static String layer(JavaClass c) {
    String p = c.getPackageName();
    if (!p.startsWith("dev.wabridge.")) {
      return "";
    }
    String rest = p.substring("dev.wabridge.".length());
    int dot = rest.indexOf('.');
    return dot < 0 ? rest : rest.substring(0, dot);
  }

  @Test
  void theCoreNamesNeitherTheSandboxNorTheBenchmark() {
    noClasses().that().resideOutsideOfPackages("dev.wabridge.sandbox..", "dev.wabridge.bench..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.wabridge.sandbox..", "dev.wabridge.bench..")
        .check(classes);
  }

  @Test
  void onlyTheWebLayerServesHttp() {
    noClasses().that().resideOutsideOfPackages("dev.wabridge.web..", "dev.wabridge.sandbox..", "dev.wabridge.bench..")
        .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "org.eclipse.jetty.server..")
        .check(classes);
  }

  @Test
  void replyIsPure() {
    noClasses().that().resideInAPackage("dev.wabridge.reply..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.wabridge.db..", "org.jdbi..", "java.sql..",
            "io.javalin..", "org.eclipse.jetty..", "java.net.http..", "dev.wabridge.net..")
        .check(classes);
  }

  /** A collaborator list longer than this is a class doing two jobs; records (data) are exempt. */
  @Test
  void noConstructorTakesMoreThanEightParameters() {
    Set<String> over = new TreeSet<>();
    for (JavaClass c : classes) {
      if (c.isRecord()) {
        continue;
      }
      for (JavaConstructor k : c.getConstructors()) {
        if (k.getRawParameterTypes().size() > MAX_CONSTRUCTOR_PARAMETERS) {
          over.add(c.getName());
        }
      }
    }
    assertThat(over).as("constructors over " + MAX_CONSTRUCTOR_PARAMETERS + " parameters").isEmpty();
  }

  @Test
  void noSourceFileIsOverFourHundredLines() throws IOException {
    Set<String> over = new TreeSet<>();
    for (Path p : sources()) {
      int lines = Files.readAllLines(p).size();
      if (lines > MAX_LINES) {
        over.add(MAIN.relativize(p).toString());
      }
    }
    assertThat(over).as("source files over " + MAX_LINES + " lines").isEmpty();
  }

  /** Rows are records with named components, never arrays read by position. */
  @Test
  void rowsAreTypedNotArrays() throws IOException {
    Pattern array = Pattern.compile("\\bObject\\[\\]|<String\\[\\]>");
    Set<String> found = new TreeSet<>();
    for (Path p : sources()) {
      List<String> lines = Files.readAllLines(p);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        if (line.startsWith("*") || line.startsWith("//") || line.contains("String[] args")) {
          continue;
        }
        if (array.matcher(line).find()) {
          found.add(MAIN.relativize(p).toString());
        }
      }
    }
    assertThat(found).as("files with Object[] or List<String[]> rows").isEmpty();
  }

  /** Each table is read and written by the classes of one package: the table's owner. */
  @Test
  void eachTablesSqlLivesInOnePackage() throws IOException {
    Set<String> tables = new TreeSet<>();
    try (Stream<Path> files = Files.list(MIGRATIONS)) {
      for (Path m : files.toList()) {
        Matcher t = Pattern.compile("(?i)CREATE TABLE (?:IF NOT EXISTS )?([a-z_]+)").matcher(Files.readString(m));
        while (t.find()) {
          tables.add(t.group(1).toLowerCase());
        }
      }
    }
    assertThat(tables).contains("messages", "conversations", "turns", "outbox");
    Pattern use = Pattern.compile("(?i)\\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\\s+([a-z_]+)\\b");
    Pattern literal = Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"");
    Map<String, Set<String>> owners = new TreeMap<>();
    for (Path p : sources()) {
      String pkg = MAIN.relativize(p.getParent()).toString();
      Matcher s = literal.matcher(Files.readString(p));
      while (s.find()) {
        Matcher u = use.matcher(s.group());
        while (u.find()) {
          String table = u.group(1).toLowerCase();
          if (tables.contains(table)) {
            owners.computeIfAbsent(table, k -> new TreeSet<>()).add(pkg);
          }
        }
      }
    }
    Map<String, Set<String>> shared = new TreeMap<>();
    owners.forEach((table, pkgs) -> {
      if (pkgs.size() > 1) {
        shared.put(table, pkgs);
      }
    });
    assertThat(shared).as("tables whose SQL is in more than one package").isEmpty();
  }

  private static List<Path> sources() throws IOException {
    try (Stream<Path> files = Files.walk(MAIN)) {
      return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
  }
}
