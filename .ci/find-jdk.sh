# Sourced by ./wabridge and .ci/run: sets JAVA_HOME to a JDK 21 or newer, or explains what is missing.
java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}' \
    | cut -d. -f1
}
pick_jdk() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for d in /usr/lib/jvm/*; do [ -x "$d/bin/javac" ] && candidates+=("$d"); done
  local best="" best_v=0 v
  for d in "${candidates[@]}"; do
    [ -x "$d/bin/java" ] && [ -x "$d/bin/javac" ] || continue
    v=$(java_major "$d")
    [ -n "$v" ] || continue
    if [ "$v" -ge 21 ] && [ "$v" -gt "$best_v" ]; then best="$d"; best_v=$v; fi
  done
  if [ -z "$best" ]; then
    echo "wabridge needs a JDK 21 or newer (java and javac). None found in JAVA_HOME, on PATH or under" \
      "/usr/lib/jvm. Install one, e.g. 'apt-get install openjdk-21-jdk' or Temurin 21+, then retry." >&2
    exit 1
  fi
  export JAVA_HOME="$best"
}
pick_jdk
