# shellcheck shell=bash
# Shared by bench/proxy.sh, bench/open-loop.sh and bench/idle.sh: process lifecycle, CPU pinning,
# the fixed nginx backend, the reference proxies (NGINX, HAProxy), Strangler, Spring Cloud Gateway,
# the layer floors (bench/floor), the open-loop generator, and per-process CPU and memory readings from /proc.
#
# The sourcing script sets BENCH_NAME (log prefix) and ROOT (repository root) first, then calls
# bench_setup once. Every process started with `spawn` runs in its own session and is killed with
# its whole process group on exit, Ctrl-C or TERM.

log() { printf '[%s] %s\n' "$BENCH_NAME" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# wants NAME: whether $TARGETS names NAME.
wants() { [[ " $TARGETS " == *" $1 "* ]]; }

# check_targets "ALL": dies naming the first entry of $TARGETS that is not one of ALL.
check_targets() {
    local t
    for t in $TARGETS; do [[ " $1 " == *" $t "* ]] || die "TARGETS: unknown target '$t' (expected: $1)"; done
}

# bench_setup: checks tools (installing wrk, nginx and haproxy with apt-get when missing), decides
# pinning (ON_PROXY_CPUS / ON_LOAD_CPUS command prefixes), raises the descriptor limit and makes $TMP.
bench_setup() {
    local missing=()
    command -v wrk >/dev/null || missing+=(wrk)
    command -v nginx >/dev/null || missing+=(nginx)
    command -v haproxy >/dev/null || missing+=(haproxy)
    if ((${#missing[@]})); then
        log "installing ${missing[*]}"
        [[ $(id -u) -eq 0 ]] || die "${missing[*]} missing and not root: install them (apt-get install -y ${missing[*]})"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
    for tool in curl awk setsid; do command -v "$tool" >/dev/null || die "$tool is required"; done
    PIN=${PIN:-1}; PROXY_CPUS=${PROXY_CPUS:-0}; LOAD_CPUS=${LOAD_CPUS:-1}; KEEP_TMP=${KEEP_TMP:-0}
    if [[ $PIN == 1 ]] && { [[ $(nproc) -lt 2 ]] || ! command -v taskset >/dev/null; }; then
        log "fewer than 2 CPUs or no taskset: not pinning"
        PIN=0
    fi
    # Command prefixes (arrays, so setsid can exec them): empty when not pinning.
    ON_PROXY_CPUS=(); ON_LOAD_CPUS=()
    if [[ $PIN == 1 ]]; then ON_PROXY_CPUS=(taskset -c "$PROXY_CPUS"); ON_LOAD_CPUS=(taskset -c "$LOAD_CPUS"); fi
    ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
    TMP=$(mktemp -d "/tmp/strangler-$BENCH_NAME.XXXXXX")
    PGIDS=()
    trap bench_cleanup EXIT
    trap 'exit 130' INT TERM
}

bench_cleanup() {
    local status=$?
    trap - EXIT INT TERM
    rm -f "$TMP"/*.running   # background loops of the script's own (samplers) stop when theirs is gone
    # A process stopped for another's measurement (bench/proxy.sh PAUSE_OTHERS) acts on TERM only once continued.
    for pgid in "${PGIDS[@]}"; do kill -CONT -- "-$pgid" 2>/dev/null || true; done
    for pgid in "${PGIDS[@]}"; do kill -TERM -- "-$pgid" 2>/dev/null || true; done
    for _ in $(seq 50); do
        local alive=0
        for pgid in "${PGIDS[@]}"; do kill -0 -- "-$pgid" 2>/dev/null && alive=1; done
        [[ $alive == 0 ]] && break
        sleep 0.1
    done
    for pgid in "${PGIDS[@]}"; do kill -KILL -- "-$pgid" 2>/dev/null || true; done
    if [[ $KEEP_TMP == 1 ]]; then log "kept $TMP"; else rm -rf "$TMP"; fi
    exit "$status"
}

# ports_free PORT...: dies when one is in use.
ports_free() {
    for port in "$@"; do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then die "port $port is in use; set PORT_BASE"; fi
    done
}

# spawn NAME COMMAND...: starts COMMAND in its own session (so cleanup can kill the whole process
# group) with output to $TMP/NAME.log; PGID_OF[NAME] is its process group.
declare -A PGID_OF
spawn() {
    local name=$1; shift
    setsid "$@" >"$TMP/$name.log" 2>&1 </dev/null &
    PGIDS+=($!)
    PGID_OF[$name]=$!
}

# wait_until SECONDS DESCRIPTION COMMAND...: polls COMMAND every 0.2 s.
wait_until() {
    local timeout=$1 what=$2; shift 2
    local deadline=$((SECONDS + timeout))
    until "$@" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || return 1
        sleep 0.2
    done
    log "$what is up"
}

# served_by URL: the X-Served-By header of a GET, "" if none.
served_by() {
    curl -s -o /dev/null -D - --max-time 5 "$1" | tr -d '\r' | awk -F': ' 'tolower($1) == "x-served-by" { print $2 }'
}

# expect_service NAME URL: dies unless URL is answered by the service (not the monolith, not an error page).
expect_service() {
    local who
    who=$(served_by "$2")
    [[ $who == bench-service ]] || die "$1: $2 was answered by '${who:-nothing}', expected the service (bench-service)"
}

# ---------------------------------------------------------------- warm-up
# A JVM target's warm-up is split into WARMUP_RUNS wrk runs [3], not one: when a wrk run ends it
# closes its connections with requests in flight, and code that had never seen a client leave (the
# observers' branches for an aborted exchange, Netty's writes to a closed channel) was compiled
# without those paths. Their first use throws the compiled code away ("made not entrant: uncommon
# trap", -Xlog:deoptimization), and the JIT compiled it again on the proxy's core during the first
# measured round (docs/performance.md, "Issue 14, fourth round"). A production gateway sees clients
# leave all the time, so several ends during the warm-up are the steady state, not a favour.
WARMUP_RUNS=${WARMUP_RUNS:-3}

# split_duration DURATION N: DURATION ("30s", "2m" or plain seconds) divided into N runs, as "<s>s" (at least 1s).
split_duration() {
    local d=$1 n=$2 seconds
    case $d in
        *m) seconds=$(( ${d%m} * 60 )) ;;
        *s) seconds=${d%s} ;;
        *) seconds=$d ;;
    esac
    [[ $seconds =~ ^[0-9]+$ ]] || die "duration '$d': expected seconds (30, 30s) or minutes (2m)"
    seconds=$(( seconds / n )); (( seconds >= 1 )) || seconds=1
    echo "${seconds}s"
}

# ---------------------------------------------------------------- /proc readings
# group_pids NAME: the process ids of NAME's process group (spawn), space-separated.
group_pids() { pgrep -g "${PGID_OF[$1]}" | tr '\n' ' '; }

# cpu_ticks NAME: user + system CPU ticks (1/CLK_TCK s) of every process in NAME's process group,
# children that have exited and been waited for included (cutime, cstime).
cpu_ticks() {
    local pids
    pids=$(group_pids "$1")
    [[ -n $pids ]] || { echo 0; return; }
    # The command name (field 2) may hold spaces: count fields from the closing parenthesis.
    for pid in $pids; do cat "/proc/$pid/stat" 2>/dev/null; done \
        | awk '{ sub(/^.*\) /, ""); t += $12 + $13 + $14 + $15 } END { print t + 0 }'
}
CLK_TCK=$(getconf CLK_TCK)

# busy_share TICKS_BEFORE TICKS_AFTER NANOS_BEFORE NANOS_AFTER: CPU time / wall time (1.00 = one core busy).
busy_share() {
    awk -v a="$1" -v b="$2" -v t0="$3" -v t1="$4" -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", ((b - a) / hz) / ((t1 - t0) / 1e9) }'
}

# rss_mb NAME: resident memory of NAME's process group in MB (sum of VmRSS).
rss_mb() {
    local pids
    pids=$(group_pids "$1")
    for pid in $pids; do cat "/proc/$pid/status" 2>/dev/null; done | awk '/^VmRSS:/ { kb += $2 } END { printf "%.0f", kb / 1024 }'
}

# ---------------------------------------------------------------- nginx: backend and reference proxy
# A ~200-byte JSON body, shaped like a small API answer. No '$' or single quote in it (nginx string).
BODY='{"id":42,"title":"Notes on connection pools","authorId":3,"tags":["operations","design"],"createdAt":"2024-01-08T09:00:00Z","summary":"A fixed body for the proxy benchmark; the backend is not the subject."}'

nginx_common() { # $1 = name, $2 = worker_connections [8192]
    cat <<EOF
worker_processes 1;
daemon off;
pid $TMP/$1.pid;
error_log $TMP/$1-error.log warn;
worker_rlimit_nofile 65536;
events { worker_connections ${2:-8192}; }
EOF
}
nginx_temp_paths() { # $1 = name
    mkdir -p "$TMP/$1-tmp"
    cat <<EOF
    client_body_temp_path $TMP/$1-tmp/body;
    proxy_temp_path $TMP/$1-tmp/proxy;
    fastcgi_temp_path $TMP/$1-tmp/fastcgi;
    uwsgi_temp_path $TMP/$1-tmp/uwsgi;
    scgi_temp_path $TMP/$1-tmp/scgi;
EOF
}

# start_backend SERVICE_PORT MONOLITH_PORT: nginx, 1 worker on the load CPUs, no access log, the fixed
# body from memory, as the service (X-Served-By: bench-service) and the monolith (bench-monolith).
start_backend() {
    {
        nginx_common backend
        echo "http {"
        nginx_temp_paths backend
        cat <<EOF
    access_log off;
    keepalive_requests 10000000;
    keepalive_timeout 300s;
    server {
        listen 127.0.0.1:$1;
        default_type application/json;
        location / { add_header X-Served-By bench-service; return 200 '$BODY'; }
    }
    server {
        listen 127.0.0.1:$2;
        default_type application/json;
        location / { add_header X-Served-By bench-monolith; return 200 '$BODY'; }
    }
}
EOF
    } >"$TMP/backend.conf"
    nginx -t -q -c "$TMP/backend.conf" -p "$TMP" 2>"$TMP/nginx-t.log" || { cat "$TMP/nginx-t.log" >&2; die "backend nginx config rejected"; }
    spawn backend "${ON_LOAD_CPUS[@]}" nginx -c "$TMP/backend.conf" -p "$TMP"
    wait_until 10 "backend (service :$1, monolith :$2)" curl -sf "http://127.0.0.1:$1/health" \
        || die "backend did not start: $(cat "$TMP/backend.log" "$TMP/backend-error.log" 2>/dev/null)"
    [[ $(served_by "http://127.0.0.1:$1/") == bench-service ]] || die "backend service port does not answer as expected"
}

# start_nginx_proxy NAME PORT UPSTREAM_PORT [WORKER_CONNECTIONS]: the reference proxy on the proxy
# CPUs: 1 worker, upstream keepalive 64, HTTP/1.1 upstream, access log on, X-Request-Id both ways.
start_nginx_proxy() {
    local name=$1 port=$2 upstream=$3
    {
        nginx_common "$name" "${4:-8192}"
        echo "http {"
        nginx_temp_paths "$name"
        cat <<EOF
    access_log $TMP/$name-access.log combined;
    keepalive_requests 10000000;
    keepalive_timeout 300s;
    upstream service {
        server 127.0.0.1:$upstream;
        keepalive 64;
    }
    server {
        listen 127.0.0.1:$port;
        location / {
            proxy_pass http://service;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header X-Request-Id \$request_id;
            add_header X-Request-Id \$request_id always;
        }
    }
}
EOF
    } >"$TMP/$name.conf"
    nginx -t -q -c "$TMP/$name.conf" -p "$TMP" 2>"$TMP/nginx-t.log" || { cat "$TMP/nginx-t.log" >&2; die "$name config rejected"; }
    spawn "$name" "${ON_PROXY_CPUS[@]}" nginx -c "$TMP/$name.conf" -p "$TMP"
    wait_until 10 "$name (:$port)" curl -sf "http://127.0.0.1:$port/health" \
        || die "$name did not start: $(cat "$TMP/$name.log" "$TMP/$name-error.log" 2>/dev/null)"
    expect_service "$name" "http://127.0.0.1:$port/api/r0/items/42"
}

# start_haproxy NAME PORT UPSTREAM_PORT: the second C reference, configured like the NGINX one: one
# thread on the proxy CPUs, keep-alive to the backend (http-reuse always), a log line per request
# (HTTP log format, to standard output and so to $TMP/NAME.log), X-Request-Id generated and passed both ways.
start_haproxy() {
    local name=$1 port=$2 upstream=$3
    cat >"$TMP/$name.cfg" <<EOF
global
    nbthread 1
    maxconn 9000
    log stdout format raw local0 info
defaults
    mode http
    log global
    option httplog
    option http-keep-alive
    timeout connect 2s
    timeout client 300s
    timeout server 30s
    timeout http-keep-alive 300s
frontend bench
    bind 127.0.0.1:$port
    maxconn 9000
    unique-id-format %{+X}o\ %ci:%cp_%fi:%fp_%Ts_%rt:%pid
    unique-id-header X-Request-Id
    http-response set-header X-Request-Id %[unique-id]
    default_backend service
backend service
    http-reuse always
    server s1 127.0.0.1:$upstream maxconn 1000
EOF
    haproxy -c -q -f "$TMP/$name.cfg" >"$TMP/haproxy-c.log" 2>&1 || { cat "$TMP/haproxy-c.log" >&2; die "$name config rejected"; }
    spawn "$name" "${ON_PROXY_CPUS[@]}" haproxy -db -f "$TMP/$name.cfg"
    wait_until 10 "$name (:$port)" curl -sf "http://127.0.0.1:$port/health" \
        || die "$name did not start: $(cat "$TMP/$name.log" 2>/dev/null)"
    expect_service "$name" "http://127.0.0.1:$port/api/r0/items/42"
}

# ---------------------------------------------------------------- Strangler
# start_strangler NAME CONFIG ADMIN_PORT: ./strangler run on the proxy CPUs, healthy within
# STARTUP_TIMEOUT; STRANGLER_JAVA records the JVM's version line. LAUNCHER (default ./strangler)
# runs another checkout's build instead.
start_strangler() {
    local name=$1 config=$2 admin=$3 pid launcher=${LAUNCHER:-./strangler}
    [[ -x $launcher ]] || die "$launcher launcher not found"
    # Unpinned, so a first build of the jar by the launcher gets every CPU; fails fast on a bad config.
    "$launcher" validate --config "$config" >"$TMP/$name-validate.log" 2>&1 \
        || { cat "$TMP/$name-validate.log" >&2; die "$name: config rejected ($config)"; }
    spawn "$name" "${ON_PROXY_CPUS[@]}" "$launcher" run --config "$config"
    wait_until "${STARTUP_TIMEOUT:-300}" "$name (admin :$admin)" curl -sf "http://127.0.0.1:$admin/health" \
        || { tail -n 40 "$TMP/$name.log" >&2; die "$name did not become healthy in ${STARTUP_TIMEOUT:-300}s"; }
    pid=$(pgrep -g "${PGID_OF[$name]}" java | head -1 || true)
    if [[ -n $pid && -z ${STRANGLER_JAVA:-} ]]; then
        STRANGLER_JAVA=$("$(readlink "/proc/$pid/exe")" -version 2>&1 | head -1)
    fi
}

# write_config FILE ROUTES LISTEN_PORT ADMIN_PORT NAME [EXTRA-TOP-LEVEL-YAML]: a Strangler config with ROUTES
# routes /api/r0/** .. (the last one live and measured) in front of $MONOLITH_PORT and $SERVICE_PORT,
# its store under $TMP/NAME-store (bench/proxy.sh, bench/wakeups.sh).
write_config() {
    local file=$1 routes=$2 port=$3 admin=$4 name=$5 extra=${6:-}
    {
        [[ -n $extra ]] && echo "$extra"
        cat <<EOC
# Generated by bench/proxy.sh: $routes route(s); the last route (/api/r$((routes - 1))/**) is live and measured.
listen: 127.0.0.1:$port
admin: { listen: 127.0.0.1:$admin }
store: { url: "jdbc:h2:file:$TMP/$name-store/state" }
monolith: { url: "http://127.0.0.1:$MONOLITH_PORT" }
services:
  backend: { url: "http://127.0.0.1:$SERVICE_PORT" }
routes:
EOC
        # Distinct first segments r0..rN-1 keep every route disjoint from every other. Shapes and
        # stages vary so the table looks like a real migration plan, not N copies of one entry;
        # only stages that need no extra settings are used (no traffic reaches the others).
        awk -v n="$routes" 'BEGIN {
            for (i = 0; i < n; i++) {
                last = (i == n - 1)
                shape = last ? 0 : i % 3
                stage = last ? "live" : ((i % 2) ? "live" : "monolith")
                printf "  - name: r%d\n", i
                if (shape == 0)      printf "    match: { path: \"/api/r%d/**\" }\n", i
                else if (shape == 1) printf "    match: { methods: [GET], path: \"/api/r%d/items/{id}\" }\n", i
                else                 printf "    match: { methods: [GET, POST], path: \"/api/r%d/items\" }\n", i
                printf "    service: backend\n    stage: %s\n", stage
            }
        }'
    } >"$file"
}

# ---------------------------------------------------------------- Spring Cloud Gateway
SCG_JAVA=${SCG_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
SCG_JAR=bench/scg/target/scg-bench.jar

# build_scg: builds bench/scg (its own Maven project, Spring Boot 4.0.7, Spring Cloud 2025.1.4) when
# the jar is missing or older than its sources; offline first, like the rest of the build.
build_scg() {
    [[ -x $SCG_JAVA ]] || die "Spring Cloud Gateway runs on JDK 25: $SCG_JAVA not found (set SCG_JAVA)"
    if [[ ! -f $SCG_JAR || -n $(find bench/scg/pom.xml bench/scg/src -newer "$SCG_JAR" -print -quit) ]]; then
        log "building $SCG_JAR"
        (export JAVA_HOME=${SCG_JAVA%/bin/java}
         ./mvnw -q -B -o -f bench/scg/pom.xml package -DskipTests || ./mvnw -q -B -f bench/scg/pom.xml package -DskipTests) >&2 \
            || die "bench/scg did not build"
    fi
}

# start_scg NAME ROUTES PORT SERVICE_PORT MEASURED_PATH: Spring Cloud Gateway (reactive) with ROUTES
# routes /api/r0/** .. /api/r{ROUTES-1}/** to the service, on the proxy CPUs, Reactor Netty's access
# log on (to $TMP/NAME-access.log); checks that MEASURED_PATH reaches the service.
start_scg() {
    local name=$1 routes=$2 port=$3 service=$4 path=$5
    {
        echo "# Generated by bench/lib.sh: $routes route(s); the last one is measured."
        echo "server: { address: 127.0.0.1, port: $port }"
        echo "spring.cloud.gateway.server.webflux.routes:"
        awk -v n="$routes" -v uri="http://127.0.0.1:$service" 'BEGIN {
            for (i = 0; i < n; i++) printf "  - { id: r%d, uri: \"%s\", predicates: [ \"Path=/api/r%d/**\" ] }\n", i, uri, i
        }'
    } >"$TMP/$name.yml"
    spawn "$name" "${ON_PROXY_CPUS[@]}" "$SCG_JAVA" --enable-native-access=ALL-UNNAMED -Dreactor.netty.http.server.accessLogEnabled=true \
        -jar "$SCG_JAR" --spring.config.additional-location="file:$TMP/$name.yml" --bench.access-log="$TMP/$name-access.log"
    wait_until "${STARTUP_TIMEOUT:-300}" "$name (:$port, $routes route(s))" curl -sf -o /dev/null "http://127.0.0.1:$port$path" \
        || { tail -n 40 "$TMP/$name.log" >&2; die "$name did not route $path in ${STARTUP_TIMEOUT:-300}s"; }
    expect_service "$name" "http://127.0.0.1:$port$path"
    SCG_VERSION=$(unzip -l "$SCG_JAR" 2>/dev/null | grep -o 'spring-cloud-gateway-server-webflux-[0-9.]*[0-9]' | head -1 || true)
}

# ---------------------------------------------------------------- layer floors (bench/floor)
FLOOR_JAR=bench/floor/target/floor.jar

# build_bench_jar MODULE: builds bench/MODULE (-P bench module) when bench/MODULE/target/MODULE.jar is
# missing or older than its sources, offline first; BENCH_JAVA is the java of the JDK it was built with.
build_bench_jar() {
    local jar=bench/$1/target/$1.jar
    if [[ ! -f $jar || -n $(find "bench/$1/pom.xml" "bench/$1/src" -newer "$jar" -print -quit) ]]; then
        log "building $jar"
        (. bin/find-jdk && strangler_find_jdk >/dev/null
         ./mvnw -q -B -o -P bench -pl "bench/$1" -am package -DskipTests || ./mvnw -q -B -P bench -pl "bench/$1" -am package -DskipTests) >&2 \
            || die "bench/$1 did not build"
    fi
    BENCH_JAVA=$(. bin/find-jdk && strangler_find_jdk >/dev/null && echo "$JAVA_HOME/bin/java")
}

build_floor() { build_bench_jar floor; FLOOR_JAVA=$BENCH_JAVA; }

# start_floor NAME MODE PORT SERVICE_PORT: one of bench/floor's minimal proxies (MODE vertx, netty, hybrid
# or own) on the proxy CPUs, with Strangler's young-generation cap, its access log in $TMP/NAME-access.log;
# checks that a request reaches the service.
start_floor() {
    local name=$1 mode=$2 port=$3 service=$4
    spawn "$name" "${ON_PROXY_CPUS[@]}" "$FLOOR_JAVA" ${FLOOR_JAVA_OPTS:-} -XX:MaxNewSize=64m -jar "$FLOOR_JAR" "$mode" \
        --listen "127.0.0.1:$port" --backend "127.0.0.1:$service" --access-log "$TMP/$name-access.log"
    wait_until 60 "$name (:$port)" curl -sf -o /dev/null "http://127.0.0.1:$port/health" \
        || { tail -n 40 "$TMP/$name.log" >&2; die "$name did not start"; }
    expect_service "$name" "http://127.0.0.1:$port/api/r0/items/42"
}

# ---------------------------------------------------------------- open-loop generator
OPENLOOP_JAR=bench/openloop/target/openloop.jar

build_openloop() { build_bench_jar openloop; OPENLOOP_JAVA=$BENCH_JAVA; }

# openloop ARGS...: runs the generator on the load CPUs; prints its RESULT line as "key=value ..."
# and returns its exit status (2: it fell behind its schedule).
openloop() {
    local out status=0
    out=$("${ON_LOAD_CPUS[@]}" "$OPENLOOP_JAVA" -XX:+UseSerialGC -Xms256m -Xmx256m -jar "$OPENLOOP_JAR" "$@" 2>"$TMP/openloop-last.err") || status=$?
    cat "$TMP/openloop-last.err" >>"$TMP/openloop.log"
    grep -v '^WARNING' "$TMP/openloop-last.err" | grep -v '^$' >&2 || true
    echo "$out" | sed -n 's/^RESULT //p'
    return "$status"
}

# field KEY "k=v k=v ...": the value of KEY.
field() { tr ' ' '\n' <<<"$2" | awk -F= -v k="$1" '$1 == k { print $2 }'; }

# ---------------------------------------------------------------- report helpers
median() { tr ' ' '\n' | awk 'NF' | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }' | sed 's/\.000$//'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0 || a == "" || b == "") print "n/a"; else printf "%.2f", a / b }'; }

machine_line() {
    local cpu_model mem
    cpu_model=$(lscpu 2>/dev/null | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2; exit }')
    mem=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
    echo "$(nproc) CPUs, $cpu_model, $mem, kernel $(uname -r), load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
}
commit_line() {
    local commit dirty
    commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
    dirty=$( [[ -n $(git status --porcelain 2>/dev/null | head -1) ]] && echo " (with uncommitted changes)" || true)
    echo "Commit \`$commit\`$dirty"
}

# cpu_busy_ticks CPU: busy ticks (all but idle and iowait) of one CPU from /proc/stat, "" for a CPU list.
cpu_busy_ticks() {
    [[ $1 =~ ^[0-9]+$ ]] || return 0
    awk -v c="cpu$1" '$1 == c { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat
}

# start_slow_service NAME PORT: a service that answers the fixed body after 500 ms (python3, a thread
# per connection), on the load CPUs.
start_slow_service() {
    cat >"$TMP/$1.py" <<EOF_PY
import http.server, socketserver, time
BODY = b'$BODY'
class Slow(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        time.sleep(0.5)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)
    def log_message(self, *args):
        pass
class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    request_queue_size = 1024
Server(("127.0.0.1", $2), Slow).serve_forever()
EOF_PY
    spawn "$1" "${ON_LOAD_CPUS[@]}" python3 "$TMP/$1.py"
    wait_until 10 "$1 (500 ms service, :$2)" curl -sf -o /dev/null "http://127.0.0.1:$2/" || die "$1 did not start: $(cat "$TMP/$1.log")"
}
