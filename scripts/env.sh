# Sourced by ./run, ./test and friends: finds a JDK >= 25 and sets JAVA_HOME and PATH.
visio_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'
}
visio_find_jdk() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for d in /usr/lib/jvm/*; do [ -x "$d/bin/javac" ] && candidates+=("$d"); done
  for d in "${candidates[@]}"; do
    [ -x "$d/bin/java" ] && [ -x "$d/bin/javac" ] || continue
    local major; major=$(visio_java_major "$d")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      echo "$d"; return 0
    fi
  done
  return 1
}
if ! VISIO_JDK=$(visio_find_jdk); then
  echo "error: Visio needs a JDK 25 or newer. Set JAVA_HOME to one, or install it under /usr/lib/jvm" >&2
  echo "       (for example Temurin 25 at /usr/lib/jvm/temurin-25-jdk-amd64)." >&2
  exit 1
fi
export JAVA_HOME="$VISIO_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
command -v mvn >/dev/null || { echo "error: Maven (mvn) is not installed: apt-get install maven" >&2; exit 1; }
# The web module is built with the system Node (no download during the build).
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "error: Visio's web module needs Node.js 20.19+ and npm (for example: apt-get install nodejs npm)" >&2
  exit 1
fi
