#!/usr/bin/env bash
# Lays out the services as they run on a machine, one folder each under BOOT_HOME (default /opt/boot):
#   scripts/install-boot.sh [BOOT_HOME] [path/to/push-standalone.jar]
# gives BOOT_HOME/<service>/ for push-infra, push-sub, push-connector, push-api and push-group, each holding
#   <service>            the script: <service> start|stop|status|restart [--key=value ...]
#   start stop status restart   the same, one action each (thin wrappers)
#   jvm.ini app.conf     JVM options and the service's arguments, one per line; kept when already there (they hold
#                        the machine's settings)
#   lib/                 push-standalone.jar and lib.sh (replaced on every install)
#   log/ run/            output, GC log and pid file
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
boot_src="$here/boot"
target="${1:-/opt/boot}"
jar="${2:-$here/../push-standalone/target/push-standalone.jar}"
[ -f "$jar" ] || { echo "$jar not found: build it first (mvn -B package -DskipTests)" >&2; exit 1; }
mkdir -p "$target"
for service_dir in "$boot_src"/push-*/; do
  service="$(basename "$service_dir")"
  dest="$target/$service"
  mkdir -p "$dest/log" "$dest/run" "$dest/lib"
  install -m 0644 "$boot_src/lib.sh" "$dest/lib/lib.sh"
  install -m 0644 "$jar" "$dest/lib/push-standalone.jar"
  for script in "$service" start stop status restart; do
    install -m 0755 "$service_dir/$script" "$dest/$script"
  done
  for conf in jvm.ini app.conf; do
    if [ -f "$service_dir/$conf" ] && [ ! -f "$dest/$conf" ]; then
      install -m 0644 "$service_dir/$conf" "$dest/$conf"
    fi
  done
done
# A layout of an older install (lib.sh and the jar at the top) is no longer used by the scripts.
rm -f "$target/lib.sh" "$target/push-standalone.jar"
echo "installed to $target: $target/<service>/<service> start|stop|status|restart (push-infra first when it provides ZooKeeper and Redis)"
