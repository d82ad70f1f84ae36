# Helpers for tests and benches that run `vouch webhook serve` (source this file).
#   webhook_self_signed KEY PEM   a P-256 key and a self-signed certificate for 127.0.0.1
#   webhook_port ERRFILE          waits up to 10 s for the server's "listening" line on its
#                                 stderr file and prints the port (nothing if it never came)
webhook_self_signed() {
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -keyout "$1" \
        -out "$2" -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null
}

webhook_port() {
    local port="" _
    for _ in $(seq 100); do
        port=$(sed -n 's/^vouch: webhook: listening on .* port \([0-9]*\) .*/\1/p' "$1")
        [ -n "$port" ] && break
        sleep 0.1
    done
    printf '%s' "$port"
}
