#!/usr/bin/env bash
# Starts the whole system in one process: embedded ZooKeeper and Redis plus every service, on the default ports.
# Builds the project first when the launcher jar is missing or older than the sources.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=push-standalone/target/push-standalone.jar
if [ ! -f "$jar" ] || [ -n "$(find . -path ./.git -prune -o \( -name '*.java' -o -name '*.proto' -o -name 'pom.xml' -o -name '*.yml' -o -name '*.js' -o -name '*.html' \) -newer "$jar" -print -quit)" ]; then
  echo "Building Universe Push (first run takes a minute or two)..."
  mvn -q -B install -DskipTests
fi
exec java ${JAVA_OPTS:-} -jar "$jar" standalone "$@"
