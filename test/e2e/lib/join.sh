# Join simulator for e2e tests and the demo: does what a kubelet does when its machine
# joins, against a running test/cluster, recording when each step was seen. Sourced after
# test/e2e/lib.sh (or with NCA_CLUSTER_DIR's env loaded and kubectl() defined).
#
#   join_machines MODE LIST OUTDIR [PARALLEL]
#     LIST: lines "NODE-NAME IP". MODE:
#       bootstrap  the kubelet's first boot: a client CSR as the bootstrap identity
#                  ($JOIN_BOOTSTRAP_KUBECONFIG, token-based), wait until it is approved and
#                  issued, register the Node with that issued certificate and write its
#                  status.addresses as the node, then a serving CSR as the node, wait again.
#       existing   a node whose client certificate exists already (from the test CA, as
#                  after an earlier join): register the Node, write its addresses, then a
#                  serving CSR and a client renewal CSR as the node, wait for both.
#     Machine objects (the inventory) must exist before: the caller creates them in one
#     batch. Runs PARALLEL joins at a time (default 4). Writes OUTDIR/NODE.row (see
#     join_row_format) and OUTDIR/NODE.log (what went wrong, if anything).
#   join_table OUTDIR          prints the timings table of every row in OUTDIR
#   join_summary OUTDIR        "N joined, M failed; client approved after median Xs / max Ys ..."
#
# Every API call is one curl as the identity a kubelet would use (no kubectl per step, so
# 20 parallel joins stay cheap on a small machine); waits poll the CSR every 0.1 s.
# shellcheck shell=bash

JOIN_API="https://127.0.0.1:${NCA_APISERVER_PORT:?cluster env not loaded}"
JOIN_CA="$NCA_CLUSTER_DIR/pki/ca.crt"
JOIN_TIMEOUT="${JOIN_TIMEOUT:-90}" # seconds per wait
JOIN_LABEL="${JOIN_LABEL:-join}"   # CSRs and Nodes get label nca-e2e-join=$JOIN_LABEL
: "${JOIN_BOOTSTRAP_KUBECONFIG:=$NCA_CLUSTER_DIR/identities/bootstrapper.kubeconfig}"

# join_curl AUTH METHOD PATH [BODY [CONTENT-TYPE]]: AUTH is "token:T", "cert:CRT:KEY" or
# "admin". Prints the body; fails on an HTTP error (the body goes to stderr).
join_curl() {
  local auth="$1" method="$2" path="$3" body="${4:-}" ctype="${5:-application/json}"
  local args=(-sS --cacert "$JOIN_CA" -A nca-e2e-join -X "$method" -w '\n%{http_code}')
  case "$auth" in
    token:*) args+=(-H "Authorization: Bearer ${auth#token:}") ;;
    cert:*)
      auth="${auth#cert:}"
      args+=(--cert "${auth%%:*}" --key "${auth#*:}")
      ;;
    admin) args+=(--cert "$NCA_CLUSTER_DIR/pki/admin.crt" --key "$NCA_CLUSTER_DIR/pki/admin.key") ;;
  esac
  [[ -n "$body" ]] && args+=(-H "Content-Type: $ctype" --data-binary "$body")
  local out code
  out="$(curl "${args[@]}" "$JOIN_API$path")" || return 1
  code="${out##*$'\n'}"
  out="${out%$'\n'*}"
  if [[ "$code" != 2* ]]; then
    echo "$method $path: HTTP $code: $out" >&2
    return 1
  fi
  printf '%s\n' "$out"
}

# join_token KUBECONFIG: the bearer token of a token kubeconfig.
join_token() { sed -n 's/^ *token: *//p' "$1" | head -1 | tr -d '"'; }

# join_csr_json NAME SIGNER USAGES(json list) PEMFILE
join_csr_json() {
  printf '{"apiVersion":"certificates.k8s.io/v1","kind":"CertificateSigningRequest",'
  printf '"metadata":{"name":"%s","labels":{"nca-e2e-join":"%s"}},' "$1" "$JOIN_LABEL"
  printf '"spec":{"signerName":"%s","usages":%s,"request":"%s"}}' "$2" "$3" "$(base64 -w0 "$4")"
}

# join_wait_issued NAME CERTOUT: waits until CSR NAME is Approved, then until it has a
# certificate (written to CERTOUT, PEM). Sets JOIN_APPROVED_AT / JOIN_ISSUED_AT
# ($EPOCHREALTIME when first seen). Fails at once on Denied/Failed, or on timeout.
join_wait_issued() {
  local name="$1" out="$2" deadline=$((SECONDS + JOIN_TIMEOUT)) json
  JOIN_APPROVED_AT="" JOIN_ISSUED_AT=""
  while ((SECONDS < deadline)); do
    json="$(join_curl admin GET "/apis/certificates.k8s.io/v1/certificatesigningrequests/$name")" ||
      return 1
    if [[ "$json" == *'"type":"Denied"'* || "$json" == *'"type":"Failed"'* ]]; then
      echo "CSR $name denied or failed: $json" >&2
      return 1
    fi
    if [[ -z "$JOIN_APPROVED_AT" && "$json" == *'"type":"Approved"'* ]]; then
      JOIN_APPROVED_AT="$EPOCHREALTIME"
    fi
    if [[ -n "$JOIN_APPROVED_AT" && "$json" == *'"certificate":"'* ]]; then
      JOIN_ISSUED_AT="$EPOCHREALTIME"
      sed -n 's/.*"certificate":"\([^"]*\)".*/\1/p' <<<"$json" | base64 -d >"$out"
      return 0
    fi
    sleep 0.1
  done
  echo "CSR $name not approved and issued within ${JOIN_TIMEOUT}s: $json" >&2
  return 1
}

# join_register_node AUTH NAME IP: creates Node NAME and writes its status.addresses, as
# the kubelet does (the node itself, through /status; NodeRestriction allows only that). A
# Node that exists already (409) is reused, as the kubelet does.
join_register_node() {
  local auth="$1" name="$2" ip="$3" err
  if ! err="$(join_curl "$auth" POST /api/v1/nodes \
    "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"$name\",\"labels\":{\"nca-e2e-join\":\"$JOIN_LABEL\"}}}" 2>&1 >/dev/null)"; then
    [[ "$err" == *"HTTP 409"* ]] || {
      echo "$err" >&2
      return 1
    }
  fi
  join_curl "$auth" PATCH "/api/v1/nodes/$name/status" \
    "{\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"$ip\"},{\"type\":\"Hostname\",\"address\":\"$name\"}]}}" \
    application/merge-patch+json >/dev/null
}

# join_row_format: the fields of OUTDIR/NODE.row, space-separated ("-" when not reached).
join_row_format() {
  echo "node ip start client_created client_approved client_issued node_registered" \
    "serving_created serving_approved serving_issued renewal_approved result"
}

# join_one MODE NAME IP OUTDIR: one machine's join; always writes OUTDIR/NAME.row.
join_one() {
  local mode="$1" name="$2" ip="$3" dir="$4"
  local work="$dir/$name.d" start="$EPOCHREALTIME" auth result=joined
  local c_created=- c_appr=- c_iss=- node_at=- s_created=- s_appr=- s_iss=- r_appr=-
  mkdir -p "$work"
  exec 3>&2 2>>"$dir/$name.log"
  {
    if [[ "$mode" == bootstrap ]]; then
      # 1. the client certificate, asked for with the bootstrap credential
      openssl ecparam -name prime256v1 -genkey -noout -out "$work/client.key" &&
        openssl req -new -key "$work/client.key" -subj "/O=system:nodes/CN=system:node:$name" \
          -out "$work/client.csr" &&
        c_created="$EPOCHREALTIME" &&
        join_curl "token:$(join_token "$JOIN_BOOTSTRAP_KUBECONFIG")" POST \
          /apis/certificates.k8s.io/v1/certificatesigningrequests \
          "$(join_csr_json "$name-client" kubernetes.io/kube-apiserver-client-kubelet \
            '["digital signature","client auth"]' "$work/client.csr")" >/dev/null &&
        join_wait_issued "$name-client" "$work/client.crt" &&
        c_appr="$JOIN_APPROVED_AT" c_iss="$JOIN_ISSUED_AT" &&
        auth="cert:$work/client.crt:$work/client.key" || result=client-not-issued
    else
      auth="cert:$NCA_CLUSTER_DIR/pki/node-$name.crt:$NCA_CLUSTER_DIR/pki/node-$name.key"
    fi
    # 2. the Node, registered by the node with its addresses
    if [[ "$result" == joined ]]; then
      join_register_node "$auth" "$name" "$ip" && node_at="$EPOCHREALTIME" ||
        result=node-not-registered
    fi
    # 3. the serving certificate, asked for as the node
    if [[ "$result" == joined ]]; then
      openssl ecparam -name prime256v1 -genkey -noout -out "$work/serving.key" &&
        openssl req -new -key "$work/serving.key" -subj "/O=system:nodes/CN=system:node:$name" \
          -addext "subjectAltName=DNS:$name,IP:$ip" -out "$work/serving.csr" &&
        s_created="$EPOCHREALTIME" &&
        join_curl "$auth" POST /apis/certificates.k8s.io/v1/certificatesigningrequests \
          "$(join_csr_json "$name-serving" kubernetes.io/kubelet-serving \
            '["digital signature","server auth"]' "$work/serving.csr")" >/dev/null &&
        join_wait_issued "$name-serving" "$work/serving.crt" &&
        s_appr="$JOIN_APPROVED_AT" s_iss="$JOIN_ISSUED_AT" || result=serving-not-issued
    fi
    # 4. (existing nodes) the client certificate renewed, asked for as the node
    if [[ "$result" == joined && "$mode" == existing ]]; then
      openssl ecparam -name prime256v1 -genkey -noout -out "$work/renewal.key" &&
        openssl req -new -key "$work/renewal.key" -subj "/O=system:nodes/CN=system:node:$name" \
          -out "$work/renewal.csr" &&
        join_curl "$auth" POST /apis/certificates.k8s.io/v1/certificatesigningrequests \
          "$(join_csr_json "$name-renewal" kubernetes.io/kube-apiserver-client-kubelet \
            '["digital signature","client auth"]' "$work/renewal.csr")" >/dev/null &&
        join_wait_issued "$name-renewal" "$work/renewal.crt" && r_appr="$JOIN_APPROVED_AT" ||
        result=renewal-not-issued
    fi
  }
  exec 2>&3 3>&-
  echo "$name $ip $start $c_created $c_appr $c_iss $node_at $s_created $s_appr $s_iss $r_appr $result" \
    >"$dir/$name.row"
  [[ "$result" == joined ]]
}

# join_machines MODE LIST OUTDIR [PARALLEL]: every machine of LIST, PARALLEL at a time.
# Succeeds when every machine joined.
join_machines() {
  local mode="$1" list="$2" dir="$3" parallel="${4:-4}" name ip pids=() pid live
  mkdir -p "$dir"
  while read -r name ip; do
    [[ -n "$name" ]] || continue
    while true; do # only our own jobs count: the caller may have other children (the approver)
      live=()
      for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && live+=("$pid"); done
      pids=("${live[@]}")
      ((${#pids[@]} < parallel)) && break
      wait -n "${pids[@]}" || true
    done
    join_one "$mode" "$name" "$ip" "$dir" </dev/null &
    pids+=($!)
  done <"$list"
  for pid in "${pids[@]}"; do wait "$pid" || true; done
  [[ -z "$(grep -hv ' joined$' "$dir"/*.row)" ]]
}

# join_table OUTDIR: machine, client CSR approved after (s, from its creation), serving CSR
# approved after (s), whole join (s), result.
join_table() {
  awk 'function d(a, b) { return (a == "-" || b == "-") ? "-" : sprintf("%.2f", b - a) }
       BEGIN { printf "%-16s %-15s %18s %19s %10s  %s\n", "machine", "address",
                      "client approved", "serving approved", "joined in", "result" }
       { end = ($10 != "-") ? $10 : "-"; if ($11 != "-") end = $11
         printf "%-16s %-15s %17ss %18ss %9ss  %s\n", $1, $2, d($4, $5), d($8, $9),
                d($3, end), $12 }' \
    <(sort -V "$1"/*.row)
}

# join_summary OUTDIR: one line with counts, medians and maxima (seconds).
join_summary() {
  cat "$1"/*.row | python3 -c '
import statistics, sys
rows = [l.split() for l in sys.stdin if l.strip()]
ok = [r for r in rows if r[11] == "joined"]
def lat(i, j):
    v = sorted(float(r[j]) - float(r[i]) for r in ok if r[i] != "-" and r[j] != "-")
    return "median %.2fs max %.2fs" % (statistics.median(v), v[-1]) if v else "n/a"
span = (max(float(r[9]) for r in ok) - min(float(r[2]) for r in rows)) if ok else 0
print("%d joined, %d failed in %.1fs; client CSR approved after %s; serving CSR approved after %s"
      % (len(ok), len(rows) - len(ok), span, lat(3, 4), lat(7, 8)))'
}
