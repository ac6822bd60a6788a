#!/usr/bin/env bash
# A cluster on this machine, one process per service: push-infra (embedded ZooKeeper and Redis), push-sub,
# N push-connector nodes, push-api and push-group, each started by scripts/boot/<service>/start with its own state folder.
#
#   scripts/local-cluster.sh N           N connectors in the foreground: Ctrl-C (or SIGTERM) stops everything
#   scripts/local-cluster.sh start [N]   N connectors (default 3) in the background; returns once all are up
#   scripts/local-cluster.sh status
#   scripts/local-cluster.sh stop        stops what either form started, newest first
#
# Environment:
#   ZK=host:port REDIS=redis://host:port  use that ZooKeeper and Redis instead of starting push-infra
#   BASE_PORT=B        every port in B..B+69 instead of the defaults (tests): ZooKeeper B, Redis B+1, push-sub Dubbo B+2,
#                      HTTP B+3, admin B+4, push-group HTTP B+5 and Dubbo B+6, connector i TCP B+10+i,
#                      WebSocket B+30+i and Dubbo B+50+i (i = 1..N, N <= 19); MQTT on any free port (published in the node directory)
#   LOCAL_CLUSTER_DIR  state folders, one per process (default data/local-cluster)
# Defaults without BASE_PORT: ZooKeeper 2181, Redis 6379, push-sub Dubbo 7462, HTTP 8080, admin 8090, push-group
# HTTP 8081 and Dubbo 7463,
# connector i TCP 6788+i, WebSocket 9325+i, MQTT 1882+i and Dubbo 7451+10*i (6789/9326/1883/7461, 6790/9327/1884/7471,
# ...).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
boot_dir="$repo/scripts/boot"
cluster_dir="${LOCAL_CLUSTER_DIR:-$repo/data/local-cluster}"
layout="$cluster_dir/cluster.env"

usage() {
  echo "usage: $0 N | start [N] | stop | status" >&2
  exit 2
}

# Sets every port for N connectors.
plan_ports() {
  local n="$1" i
  if [ -n "${BASE_PORT:-}" ]; then
    zk_port=$BASE_PORT redis_port=$((BASE_PORT + 1)) sub_port=$((BASE_PORT + 2))
    http_port=$((BASE_PORT + 3)) admin_port=$((BASE_PORT + 4))
    group_http_port=$((BASE_PORT + 5)) group_dubbo_port=$((BASE_PORT + 6))
  else
    zk_port=2181 redis_port=6379 sub_port=7462 http_port=8080 admin_port=8090
    group_http_port=8081 group_dubbo_port=7463
  fi
  if [ -n "${BASE_PORT:-}" ] && [ "$n" -gt 19 ]; then
    echo "at most 19 connectors with BASE_PORT" >&2
    exit 2
  fi
  tcp_ports=() ws_ports=() mqtt_ports=() dubbo_ports=()
  for ((i = 1; i <= n; i++)); do
    if [ -n "${BASE_PORT:-}" ]; then
      tcp_ports+=($((BASE_PORT + 10 + i))) ws_ports+=($((BASE_PORT + 30 + i))) dubbo_ports+=($((BASE_PORT + 50 + i)))
      mqtt_ports+=(0)
    else
      tcp_ports+=($((6788 + i))) ws_ports+=($((9325 + i))) dubbo_ports+=($((7451 + 10 * i)))
      mqtt_ports+=($((1882 + i)))
    fi
  done
}

# Runs scripts/boot/<service>/<action> for one process of the cluster.
instance() {
  local service="$1" name="$2" action="$3"
  shift 3
  BOOT_STATE_DIR="$cluster_dir/$name" BOOT_NAME="$name" "$boot_dir/$service/$action" "$@"
}

# name:service pairs in start order.
instances() {
  local n="$1" i
  [ "$external_infra" = 1 ] || echo "infra:push-infra"
  echo "sub:push-sub"
  for ((i = 1; i <= n; i++)); do echo "connector-$i:push-connector"; done
  echo "api:push-api"
  echo "group:push-group"
}

# GET /v1/cluster on the admin port; plain bash when curl is missing.
cluster_json() {
  if command -v curl >/dev/null; then
    curl -s --max-time 5 "http://127.0.0.1:$admin_port/v1/cluster" || true
    return
  fi
  (
    exec 3<>"/dev/tcp/127.0.0.1/$admin_port" || exit 0
    printf 'GET /v1/cluster HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
    timeout 5 cat <&3 | sed '1,/^\r\{0,1\}$/d'
  ) 2>/dev/null || true
}

start() {
  local n="${1:-3}" zk redis pids=() failed=0 i name deadline
  [[ "$n" =~ ^[1-9][0-9]*$ ]] && [ "$n" -le 29 ] || { echo "N must be 1..29" >&2; exit 2; }
  if [ -f "$layout" ] && (status >/dev/null 2>&1); then
    echo "the local cluster is already running (scripts/local-cluster.sh stop first)" >&2
    exit 1
  fi
  plan_ports "$n"
  if [ -n "${ZK:-}" ] && [ -n "${REDIS:-}" ]; then
    external_infra=1 zk="$ZK" redis="$REDIS"
  else
    external_infra=0 zk="127.0.0.1:$zk_port" redis="redis://127.0.0.1:$redis_port"
  fi
  mkdir -p "$cluster_dir"
  printf 'n=%s\nexternal_infra=%s\nadmin_port=%s\n' "$n" "$external_infra" "$admin_port" >"$layout"
  local shared=(--universe.push.zookeeper.address="$zk" --universe.push.redis.address="$redis")

  if [ "$external_infra" = 0 ]; then
    instance push-infra infra start --zookeeper-port="$zk_port" --redis-port="$redis_port" || { stop; exit 1; }
  fi
  # The services do not need each other to start (Dubbo consumers use check: false): start them together.
  instance push-sub sub start "${shared[@]}" --dubbo.protocol.port="$sub_port" &
  pids+=($!)
  for ((i = 1; i <= n; i++)); do
    instance push-connector "connector-$i" start "${shared[@]}" \
      --universe.push.connector.tcp-port="${tcp_ports[i - 1]}" \
      --universe.push.connector.websocket.port="${ws_ports[i - 1]}" \
      --universe.push.connector.mqtt.port="${mqtt_ports[i - 1]}" \
      --dubbo.protocol.port="${dubbo_ports[i - 1]}" \
      --universe.push.connector.node-id="connector-$i" \
      --universe.push.connector.tls.enabled=false &
    pids+=($!)
  done
  instance push-api api start "${shared[@]}" \
    --server.port="$http_port" --universe.push.api.admin-port="$admin_port" &
  pids+=($!)
  instance push-group group start "${shared[@]}" \
    --server.port="$group_http_port" --dubbo.protocol.port="$group_dubbo_port" &
  pids+=($!)
  for i in "${pids[@]}"; do
    wait "$i" || failed=1
  done
  if [ "$failed" = 1 ]; then
    echo "the local cluster did not start; stopping what did" >&2
    stop
    exit 1
  fi

  # Connectors publish themselves in ZooKeeper once accepting; push-api lists them from there.
  deadline=$((SECONDS + 60))
  until [ "$(cluster_json | grep -o '"node_id"' | wc -l)" -ge "$n" ]; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "only some connectors registered in 60 s: $(cluster_json)" >&2
      stop
      exit 1
    fi
    sleep 1
  done

  echo
  echo "Universe Push local cluster is up ($n connectors; state and logs in $cluster_dir/<name>/log)"
  echo "  ZooKeeper       $zk$([ "$external_infra" = 1 ] || echo ' (push-infra)')"
  echo "  Redis           $redis$([ "$external_infra" = 1 ] || echo ' (push-infra)')"
  echo "  push-sub        Dubbo $sub_port"
  for ((i = 1; i <= n; i++)); do
    echo "  connector-$i     TCP 127.0.0.1:${tcp_ports[i - 1]}, WebSocket ws://127.0.0.1:${ws_ports[i - 1]}/ws, Dubbo ${dubbo_ports[i - 1]}"
  done
  echo "  push-api        http://127.0.0.1:$http_port  (admin http://127.0.0.1:$admin_port)"
  echo "  push-group      http://127.0.0.1:$group_http_port, Dubbo $group_dubbo_port"
  echo
  echo "  curl -s http://127.0.0.1:$admin_port/v1/cluster"
}

load_layout() {
  [ -f "$layout" ] || return 1
  # shellcheck disable=SC1090
  source "$layout"
}

stop() {
  local entry name service pids=() pid names=() i
  load_layout || { echo "no local cluster in $cluster_dir"; return 0; }
  mapfile -t names < <(instances "$n")
  # Newest first: push-api, the connectors together, push-sub, then ZooKeeper and Redis they depend on.
  for ((i = ${#names[@]} - 1; i >= 0; i--)); do
    entry="${names[i]}"
    name="${entry%%:*}" service="${entry#*:}"
    if [ "$service" = push-connector ]; then
      instance "$service" "$name" stop &
      pids+=($!)
      continue
    fi
    for pid in "${pids[@]}"; do wait "$pid" || true; done
    pids=()
    instance "$service" "$name" stop || true
  done
  for pid in "${pids[@]}"; do wait "$pid" || true; done
}

# 0 when every process runs, 3 otherwise.
status() {
  local entry code=0
  load_layout || { echo "no local cluster in $cluster_dir"; return 3; }
  for entry in $(instances "$n"); do
    instance "${entry#*:}" "${entry%%:*}" status || code=3
  done
  [ "$code" != 0 ] || echo "cluster: $(cluster_json)"
  return "$code"
}

# Foreground: the cluster lives as long as this script; an interrupt during start stops what already started.
foreground() {
  trap 'echo; echo "stopping the local cluster"; stop; exit 0' INT TERM
  start "$1"
  echo
  echo "Ctrl-C stops every process of the cluster."
  while true; do sleep 1; done
}

case "${1:-}" in
  [1-9]*) foreground "$1" ;;
  start) start "${2:-3}" ;;
  stop) stop ;;
  status) status ;;
  *) usage ;;
esac
