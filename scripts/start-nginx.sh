#!/usr/bin/env bash
# Starts a disposable nginx in front of a service, for the end-to-end tests.
#
#   scripts/start-nginx.sh DIR PORT UPSTREAM_PORT [SITE]
#
# nginx listens on 127.0.0.1:PORT and proxies to the service on 127.0.0.1:UPSTREAM_PORT. SITE is
# an http-level file with one upstream and one server block, such as a generated etc/nginx.conf:
# its `listen` lines and the upstream's `server 127.0.0.1:N` line get the two ports, nothing else
# changes. Without SITE a minimal proxy site is written.
#
# Everything lives in DIR: the main file DIR/nginx.conf (which includes DIR/site.conf), the temp
# folders, error.log, access.log and the pid files. `-e DIR/error.log` keeps nginx from opening
# /var/log/nginx/error.log before it has read the config. The master runs in the foreground of
# its own background job; its pid is printed and written to DIR/nginx.fg.pid. Stop it with
# scripts/stop-by-pid.sh DIR/nginx.fg.pid.
set -euo pipefail

USAGE="usage: start-nginx.sh DIR PORT UPSTREAM_PORT [SITE]"
DIR=${1:?$USAGE}
PORT=${2:?$USAGE}
UPSTREAM_PORT=${3:?$USAGE}
SITE=${4:-}
PATH=$PATH:/usr/sbin

command -v nginx >/dev/null 2>&1 || {
  echo "start-nginx.sh: nginx is not installed; run scripts/setup.sh" >&2
  exit 2
}
case "$PORT$UPSTREAM_PORT" in *[!0-9]*)
  echo "start-nginx.sh: ports must be numbers: $PORT $UPSTREAM_PORT" >&2
  exit 2
  ;;
esac

mkdir -p "$DIR/tmp"
DIR=$(cd "$DIR" && pwd)

if [ -n "$SITE" ]; then
  sed -E \
    -e "s/^([[:space:]]*)listen[[:space:]]+[^;]*;/\1listen 127.0.0.1:$PORT;/" \
    -e "s/^([[:space:]]*)server[[:space:]]+127\.0\.0\.1:[0-9]+/\1server 127.0.0.1:$UPSTREAM_PORT/" \
    "$SITE" >"$DIR/site.conf"
else
  cat >"$DIR/site.conf" <<SITE_CONF
upstream service {
    server 127.0.0.1:$UPSTREAM_PORT;
    keepalive 16;
    keepalive_timeout 60s;
}
server {
    listen 127.0.0.1:$PORT;
    location / {
        proxy_pass http://service;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host \$host;
        proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
    }
}
SITE_CONF
fi

cat >"$DIR/nginx.conf" <<MAIN_CONF
worker_processes 1;
pid $DIR/nginx.pid;
error_log $DIR/error.log warn;
events { worker_connections 1024; }
http {
    access_log $DIR/access.log;
    client_body_temp_path $DIR/tmp/body;
    proxy_temp_path $DIR/tmp/proxy;
    fastcgi_temp_path $DIR/tmp/fastcgi;
    uwsgi_temp_path $DIR/tmp/uwsgi;
    scgi_temp_path $DIR/tmp/scgi;
    include $DIR/site.conf;
}
MAIN_CONF

nginx -t -q -p "$DIR" -e "$DIR/error.log" -c "$DIR/nginx.conf"
nginx -p "$DIR" -e "$DIR/error.log" -c "$DIR/nginx.conf" -g 'daemon off;' \
  </dev/null >"$DIR/nginx.out" 2>&1 &
echo $! >"$DIR/nginx.fg.pid"

# ready once the port accepts a connection; give up after 5 s
for _ in $(seq 1 50); do
  if ! kill -0 "$(cat "$DIR/nginx.fg.pid")" 2>/dev/null; then
    echo "start-nginx.sh: nginx exited; see $DIR/error.log" >&2
    cat "$DIR/error.log" >&2 || true
    exit 1
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    echo "nginx pid $(cat "$DIR/nginx.fg.pid") dir $DIR port $PORT upstream $UPSTREAM_PORT"
    exit 0
  fi
  sleep 0.1
done
echo "start-nginx.sh: nginx did not listen on 127.0.0.1:$PORT within 5 s" >&2
kill "$(cat "$DIR/nginx.fg.pid")" 2>/dev/null || true
exit 1
