package dev.wabridge.app;

import java.util.List;

/**
 * Subcommands of {@code wabridge} that a plug-in adds (the benchmark's): picocli {@code @Command} objects, found on
 * the class path through {@code META-INF/services/dev.wabridge.app.Commands} and listed after {@code serve} in the
 * order they come.
 */
public interface Commands {
  List<Object> commands();
}
