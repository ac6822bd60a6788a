# Shared by every scripts/boot/<service>/<service> (`push-connector start|stop|status|restart`) and the thin
# start/stop/status/restart wrappers next to it: those scripts only source this file and call `boot "$0" "$@"`; the
# service is the folder's name, the action the first argument (or the wrapper's own name).
#
# Per service folder: jvm.ini (JVM options, one per line), app.conf (optional: arguments of the launcher command,
# one per line, `--key=value`), lib/ (the launcher jar and this file, once installed by scripts/install-boot.sh), and
# the state: run/<name>.pid and log/<name>.out.
# Environment:
#   UNIVERSE_PUSH_HOME       folder holding push-standalone.jar (default: the service's lib/, else this file's folder,
#                            else the repository's push-standalone/target)
#   UNIVERSE_PUSH_CLASSPATH  run from this class path instead of the jar (tests run the freshly compiled classes)
#   BOOT_STATE_DIR           where run/ and log/ go (default: the service folder); the process runs in it
#   BOOT_NAME                instance name for the pid and log files (default: the service folder's name)
#   JAVA_OPTS                further JVM options, after jvm.ini's
#   START_TIMEOUT            seconds start waits for the ports to answer (default 120)
#   STOP_TIMEOUT             seconds stop waits after SIGTERM before SIGKILL (default 30)
# Arguments given to start/restart go after app.conf's and replace app.conf lines with the same --key.

boot_lib_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# The launcher command and the ports that must answer before the service counts as started: `--key=default`, the
# value taken from the arguments when they set that key.
boot_service_spec() {
  case "$1" in
    push-infra) boot_command=infra; boot_port_keys=(--zookeeper-port=2181 --redis-port=6379) ;;
    push-sub) boot_command=subscribe; boot_port_keys=(--dubbo.protocol.port=7462) ;;
    push-connector) boot_command=connector; boot_port_keys=(--universe.push.connector.tcp-port=6789) ;;
    push-api) boot_command=api; boot_port_keys=(--server.port=8080 --universe.push.api.admin-port=8090) ;;
    push-group) boot_command=group; boot_port_keys=(--server.port=8081 --dubbo.protocol.port=7463) ;;
    *) echo "unknown service '$1' (expected push-infra, push-sub, push-connector, push-api or push-group)" >&2; return 1 ;;
  esac
}

# Non-blank lines of a file that do not start with '#', trimmed; nothing when the file is missing.
boot_read_lines() {
  local file="$1" line
  [ -f "$file" ] || return 0
  while IFS= read -r line || [ -n "$line" ]; do
    line="${line#"${line%%[![:space:]]*}"}"
    line="${line%"${line##*[![:space:]]}"}"
    [ -z "$line" ] || [ "${line:0:1}" = "#" ] || printf '%s\n' "$line"
  done <"$file"
}

# app.conf lines followed by the given arguments; a given --key=value drops app.conf's line for that key, since
# Spring would otherwise join both values into one ("6789,6790").
boot_app_args() {
  local conf_line arg keep
  while IFS= read -r conf_line; do
    keep=1
    if [[ "$conf_line" == --*=* ]]; then
      for arg in "${@}"; do
        [[ "$arg" == "${conf_line%%=*}="* ]] && keep=0
      done
    fi
    [ "$keep" = 0 ] || printf '%s\n' "$conf_line"
  done < <(boot_read_lines "$boot_service_dir/app.conf")
  for arg in "$@"; do printf '%s\n' "$arg"; done
}

# The ports to wait for, given the final argument list.
boot_ports() {
  local spec key value arg
  for spec in "${boot_port_keys[@]}"; do
    key="${spec%%=*}"
    value="${spec#*=}"
    for arg in "$@"; do
      [[ "$arg" == "$key="* ]] && value="${arg#*=}"
    done
    printf '%s\n' "$value"
  done
}

boot_port_answers() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# The pid from the pid file when that process is alive and carries this instance's marker (a reused pid does not).
boot_running_pid() {
  local pid
  [ -f "$boot_pid_file" ] || return 1
  pid="$(cat "$boot_pid_file")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  ps -ww -o args= -p "$pid" 2>/dev/null | grep -qF -- "$boot_marker " || return 1
  printf '%s\n' "$pid"
}

boot_jvm_options() {
  local extra=()
  boot_read_lines "$boot_service_dir/jvm.ini"
  read -r -a extra <<<"${JAVA_OPTS:-}"
  [ "${#extra[@]}" = 0 ] || printf '%s\n' "${extra[@]}"
}

boot_java_command() {
  local java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
  if [ -n "${UNIVERSE_PUSH_CLASSPATH:-}" ]; then
    printf '%s\n' "$java" "$boot_marker" -cp "$UNIVERSE_PUSH_CLASSPATH"
    boot_jvm_options
    printf '%s\n' io.universepush.standalone.UniversePush
  else
    local jar
    if [ -n "${UNIVERSE_PUSH_HOME:-}" ]; then
      jar="$UNIVERSE_PUSH_HOME/push-standalone.jar"
    elif [ -f "$boot_service_dir/lib/push-standalone.jar" ]; then
      jar="$boot_service_dir/lib/push-standalone.jar"
    elif [ -f "$boot_lib_dir/push-standalone.jar" ]; then
      jar="$boot_lib_dir/push-standalone.jar"
    else
      jar="$(cd "$boot_lib_dir/../.." && pwd)/push-standalone/target/push-standalone.jar"
    fi
    [ -f "$jar" ] || { echo "$jar not found: build it (mvn -B package -DskipTests) or set UNIVERSE_PUSH_HOME" >&2; return 1; }
    printf '%s\n' "$java" "$boot_marker"
    boot_jvm_options
    printf '%s\n' -jar "$jar"
  fi
}

boot_start() {
  local pid java_cmd app_args ports port deadline
  if pid="$(boot_running_pid)"; then
    echo "$boot_name is already running (pid $pid)" >&2
    return 1
  fi
  mapfile -t app_args < <(boot_app_args "$@")
  mapfile -t ports < <(boot_ports "${app_args[@]}")
  for port in "${ports[@]}"; do
    if boot_port_answers "$port"; then
      echo "$boot_name: port $port is already in use by another process; not starting" >&2
      return 1
    fi
  done
  mapfile -t java_cmd < <(boot_java_command) || return 1
  [ "${#java_cmd[@]}" -gt 0 ] || return 1
  mkdir -p "$boot_state_dir/run" "$boot_state_dir/log"
  [ ! -f "$boot_log" ] || mv -f "$boot_log" "$boot_log.1"
  # Its own session (setsid: no fork here, the subshell is not a group leader, so $! stays the java pid): a Ctrl-C in
  # the terminal that ran start (local-cluster.sh N in the foreground) must not reach the service; stop does, in order.
  local detach=()
  command -v setsid >/dev/null && detach=(setsid)
  (cd "$boot_state_dir" && exec "${detach[@]}" nohup "${java_cmd[@]}" "$boot_command" "${app_args[@]}" >"$boot_log" 2>&1 </dev/null) &
  pid=$!
  echo "$pid" >"$boot_pid_file"
  deadline=$((SECONDS + ${START_TIMEOUT:-120}))
  for port in "${ports[@]}"; do
    until boot_port_answers "$port"; do
      if ! kill -0 "$pid" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
        kill -0 "$pid" 2>/dev/null && echo "$boot_name: port $port did not answer in ${START_TIMEOUT:-120} s" >&2 \
          || echo "$boot_name: the process exited during start" >&2
        echo "--- last lines of $boot_log" >&2
        tail -n 40 "$boot_log" >&2 || true
        boot_stop >/dev/null 2>&1 || true
        return 1
      fi
      sleep 0.5
    done
  done
  echo "$boot_name started (pid $pid, port$( [ "${#ports[@]}" -gt 1 ] && echo s) ${ports[*]}, log $boot_log)"
}

boot_stop() {
  local pid deadline
  if ! pid="$(boot_running_pid)"; then
    rm -f "$boot_pid_file"
    echo "$boot_name is not running"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + ${STOP_TIMEOUT:-30}))
  while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "$boot_name did not stop in ${STOP_TIMEOUT:-30} s: SIGKILL" >&2
    # Embedded Redis is a child process that a killed JVM cannot stop.
    pkill -KILL -P "$pid" 2>/dev/null || true
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$boot_pid_file"
  echo "$boot_name stopped (pid $pid)"
}

# LSB: 0 running, 1 dead with a pid file left, 3 stopped.
boot_status() {
  local pid app_args ports
  if pid="$(boot_running_pid)"; then
    # The ports the running instance was given: read back from its command line.
    mapfile -t app_args < <(ps -ww -o args= -p "$pid" | tr ' ' '\n')
    mapfile -t ports < <(boot_ports "${app_args[@]}")
    echo "$boot_name: running (pid $pid, uptime $(ps -o etime= -p "$pid" | tr -d ' '), port$( [ "${#ports[@]}" -gt 1 ] && echo s) ${ports[*]})"
    return 0
  fi
  if [ -f "$boot_pid_file" ]; then
    echo "$boot_name: dead (stale pid file $boot_pid_file)"
    return 1
  fi
  echo "$boot_name: stopped"
  return 3
}

# Entry point: boot <path of the calling script> [action] [arguments]. The action is the first argument when the
# script is named after its service (push-connector/push-connector start), else the script's own name (.../start).
boot() {
  local script="$1" action
  shift
  boot_service_dir="$(cd "$(dirname "$script")" && pwd)"
  boot_service="$(basename "$boot_service_dir")"
  boot_service_spec "$boot_service" || return 1
  boot_state_dir="${BOOT_STATE_DIR:-$boot_service_dir}"
  mkdir -p "$boot_state_dir"
  boot_state_dir="$(cd "$boot_state_dir" && pwd)"
  boot_name="${BOOT_NAME:-$boot_service}"
  boot_pid_file="$boot_state_dir/run/$boot_name.pid"
  boot_log="$boot_state_dir/log/$boot_name.out"
  # On the java command line so that a pid reused by another process is never taken for this instance.
  boot_marker="-Duniverse.push.boot=$boot_state_dir/$boot_name"
  action="$(basename "$script")"
  if [ "$action" = "$boot_service" ]; then
    action="${1:-}"
    [ "$#" = 0 ] || shift
  fi
  case "$action" in
    start) boot_start "$@" ;;
    stop) boot_stop ;;
    status) boot_status ;;
    restart) boot_stop && boot_start "$@" ;;
    *) echo "usage: $script start|stop|status|restart [--key=value ...]" >&2; return 2 ;;
  esac
}
