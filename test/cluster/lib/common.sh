# Shared helpers for test/cluster scripts. Sourced, not run.
# shellcheck shell=bash

cluster_here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../versions.sh
source "$cluster_here/versions.sh"

die() {
  echo "test/cluster: $*" >&2
  exit 1
}

# parse_dir_flag "$@": sets CLUSTER_DIR from --dir DIR (or NCA_CLUSTER_DIR) and REST_ARGS.
parse_dir_flag() {
  CLUSTER_DIR="${NCA_CLUSTER_DIR:-}"
  REST_ARGS=()
  while (($#)); do
    case "$1" in
      --dir) CLUSTER_DIR="$2"; shift 2 ;;
      --dir=*) CLUSTER_DIR="${1#--dir=}"; shift ;;
      *) REST_ARGS+=("$1"); shift ;;
    esac
  done
}

# A free TCP port on 127.0.0.1 (the kernel picks; a tiny race is acceptable for tests).
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# start_component NAME: runs DIR/cmd/NAME.sh in its own session, records its pid.
start_component() {
  local name="$1"
  setsid bash "$CLUSTER_DIR/cmd/$name.sh" >>"$CLUSTER_DIR/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$CLUSTER_DIR/pids/$name.pid"
}

# stop_component NAME: TERM, then KILL after 10 s, by the recorded pid (and its session).
stop_component() {
  local name="$1" pidfile="$CLUSTER_DIR/pids/$1.pid" pid
  [[ -f "$pidfile" ]] || return 0
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

# wait_until SECONDS DESCRIPTION COMMAND...: polls COMMAND until it succeeds or time runs out.
wait_until() {
  local deadline=$((SECONDS + $1)) what="$2"
  shift 2
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
  [[ -n "$what" ]] || true
}

apiserver_ready() {
  # shellcheck disable=SC1091
  source "$CLUSTER_DIR/env"
  curl -fsS --max-time 2 --cacert "$CLUSTER_DIR/pki/ca.crt" --cert "$CLUSTER_DIR/pki/admin.crt" \
    --key "$CLUSTER_DIR/pki/admin.key" "https://127.0.0.1:$NCA_APISERVER_PORT/readyz" | grep -qx ok
}

# write_kubeconfig FILE USER [--cert CRT --key KEY | --token TOKEN]
write_kubeconfig() {
  local file="$1" user="$2" mode="$3" a="$4" b="${5:-}"
  # shellcheck disable=SC1091
  source "$CLUSTER_DIR/env"
  {
    echo "apiVersion: v1"
    echo "kind: Config"
    echo "clusters:"
    echo "- name: local"
    echo "  cluster:"
    echo "    server: https://127.0.0.1:$NCA_APISERVER_PORT"
    echo "    certificate-authority: $CLUSTER_DIR/pki/ca.crt"
    echo "users:"
    echo "- name: $user"
    echo "  user:"
    if [[ "$mode" == --cert ]]; then
      echo "    client-certificate: $a"
      echo "    client-key: $b"
    else
      echo "    token: $a"
    fi
    echo "contexts:"
    echo "- name: local"
    echo "  context: {cluster: local, user: $user}"
    echo "current-context: local"
  } >"$file"
  chmod 600 "$file"
}

# issue_client_cert NAME CN [O...]: key + cert signed by the cluster CA under DIR/pki.
issue_client_cert() {
  local name="$1" cn="$2" subj
  shift 2
  subj="/CN=$cn"
  for o in "$@"; do subj="$subj/O=$o"; done
  openssl ecparam -name prime256v1 -genkey -noout -out "$CLUSTER_DIR/pki/$name.key" 2>/dev/null
  openssl req -new -key "$CLUSTER_DIR/pki/$name.key" -subj "$subj" -out "$CLUSTER_DIR/pki/$name.csr"
  openssl x509 -req -in "$CLUSTER_DIR/pki/$name.csr" -CA "$CLUSTER_DIR/pki/ca.crt" \
    -CAkey "$CLUSTER_DIR/pki/ca.key" -CAcreateserial -days 2 -sha256 \
    -extfile <(printf 'keyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n') \
    -out "$CLUSTER_DIR/pki/$name.crt" 2>/dev/null
  rm -f "$CLUSTER_DIR/pki/$name.csr"
}
