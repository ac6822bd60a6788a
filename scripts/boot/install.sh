#!/usr/bin/env bash
# Copies the service scripts and the launcher jar to an /opt/boot-style folder:
#   scripts/boot/install.sh /opt/boot [path/to/push-standalone.jar]
# gives /opt/boot/{lib.sh,push-standalone.jar,push-infra,push-sub,push-connector,push-api}. Existing jvm.ini and
# app.conf files there are kept (they hold the machine's settings); scripts, lib.sh and the jar are replaced.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="${1:?usage: $0 <dir> [push-standalone.jar]}"
jar="${2:-$here/../../push-standalone/target/push-standalone.jar}"
[ -f "$jar" ] || { echo "$jar not found: build it first (mvn -B install -DskipTests)" >&2; exit 1; }
mkdir -p "$target"
install -m 0644 "$here/lib.sh" "$target/lib.sh"
install -m 0644 "$jar" "$target/push-standalone.jar"
for service_dir in "$here"/push-*/; do
  service="$(basename "$service_dir")"
  mkdir -p "$target/$service/log" "$target/$service/run"
  for action in start stop status restart; do
    install -m 0755 "$service_dir/$action" "$target/$service/$action"
  done
  for conf in jvm.ini app.conf; do
    if [ -f "$service_dir/$conf" ] && [ ! -f "$target/$service/$conf" ]; then
      install -m 0644 "$service_dir/$conf" "$target/$service/$conf"
    fi
  done
done
echo "installed to $target: start a service with $target/<service>/start (push-infra first when it provides ZooKeeper and Redis)"
