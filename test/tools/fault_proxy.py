#!/usr/bin/env python3
"""fault_proxy.py: a loopback TCP proxy whose faults a test controls (test tooling only).

    fault_proxy.py --upstream 127.0.0.1:6443 --control DIR [--listen-port 0]
                   [--tls-cert CERT --tls-key KEY]

Listens on 127.0.0.1 only and forwards every connection to --upstream, byte for byte (TLS
passes through end to end). Writes DIR/port (the port it listens on) and DIR/pid, then
reads DIR/mode whenever it changes (write it atomically: write DIR/mode.tmp, rename) and
then writes the mode it applied to DIR/applied (wait for that instead of sleeping):

    pass               forward (the default)
    pause              stall: accept connections but move no byte in either direction
                       (buffered bytes are held, not dropped, until the mode changes —
                       also those of a side that closed meanwhile: a request whose client
                       gave up still reaches the server once the stall ends)
    delay MS           forward, each chunk MS milliseconds late
    reset              reset (RST) every open connection and every new one
    http CODE [FILE]   answer each NEW connection with HTTP CODE and FILE's bytes as the
                       body (or a metav1.Status), then close; open ones are reset. With
                       --tls-cert/--tls-key the answer is given over TLS with that cert,
                       so an HTTPS client that also trusts it sees a real HTTP answer.

DIR/events gets one line per connection accepted ("accept N MODE"), for assertions.
Stop it by its pid (DIR/pid): SIGTERM closes everything and exits.
"""

import argparse
import json
import os
import selectors
import signal
import socket
import ssl
import struct
import sys
import threading
import time

POLL = 0.02  # seconds between looks at DIR/mode and held buffers


class Control:
    def __init__(self, directory):
        self.dir = directory
        self.mode = ["pass"]
        self.generation = 0  # bumped on every change
        self._mtime = None
        self.lock = threading.Lock()
        self.events = open(os.path.join(directory, "events"), "a", buffering=1)

    def refresh(self):
        path = os.path.join(self.dir, "mode")
        try:
            st = os.stat(path)
        except FileNotFoundError:
            return
        if st.st_mtime_ns == self._mtime:
            return
        self._mtime = st.st_mtime_ns
        with open(path) as f:
            words = f.read().split()
        with self.lock:
            self.mode = words or ["pass"]
            self.generation += 1
        # Acknowledge: a test waits for DIR/applied to hold the mode it wrote.
        tmp = os.path.join(self.dir, "applied.tmp")
        with open(tmp, "w") as f:
            f.write(" ".join(self.mode) + "\n")
        os.rename(tmp, os.path.join(self.dir, "applied"))

    def current(self):
        with self.lock:
            return list(self.mode), self.generation

    def log(self, line):
        self.events.write(line + "\n")


def reset(sock):
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()
    except OSError:
        pass


def http_answer(conn, mode, tls_ctx):
    code = int(mode[1]) if len(mode) > 1 else 503
    if len(mode) > 2:
        with open(mode[2], "rb") as f:
            body = f.read()
    else:
        body = json.dumps({"kind": "Status", "apiVersion": "v1", "status": "Failure",
                           "message": "injected by fault_proxy", "code": code}).encode()
    try:
        if tls_ctx is not None:
            conn = tls_ctx.wrap_socket(conn, server_side=True)
        conn.settimeout(5)
        data = b""
        while b"\r\n\r\n" not in data and len(data) < 65536:
            chunk = conn.recv(4096)
            if not chunk:
                break
            data += chunk
        head = ("HTTP/1.1 %d Injected\r\nContent-Type: application/json\r\n"
                "Content-Length: %d\r\nConnection: close\r\n\r\n" % (code, len(body)))
        conn.sendall(head.encode() + body)
    except (OSError, ssl.SSLError):
        pass
    finally:
        try:
            conn.close()
        except OSError:
            pass


def pipe(client, upstream_addr, control):
    """Forwards one connection until either side closes or the mode resets it."""
    try:
        upstream = socket.create_connection(upstream_addr, timeout=10)
    except OSError:
        reset(client)
        return
    upstream.settimeout(None)
    peers = {client: upstream, upstream: client}
    held = {client: [], upstream: []}  # bytes read from the key, waiting to be sent on
    ended = set()  # sides that closed; what they sent is still held and sent on later
    sel = selectors.DefaultSelector()
    for s in peers:
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ)
    try:
        while True:
            mode, _ = control.current()
            if mode[0] in ("reset", "http"):
                reset(client)
                reset(upstream)
                return
            flowing = mode[0] != "pause"
            delay = float(mode[1]) / 1000.0 if mode[0] == "delay" and len(mode) > 1 else 0.0
            now = time.monotonic()
            if flowing:
                for src, queue in held.items():
                    while queue and queue[0][0] <= now:
                        _, data = queue.pop(0)
                        peers[src].setblocking(True)
                        peers[src].sendall(data)
                        peers[src].setblocking(False)
                # A side that closed: once all it sent has been passed on, close both. While
                # paused its bytes stay held, like a stalled network that delivers a request
                # after its sender gave up (a client's timeout does not recall them).
                if any(not held[src] for src in ended):
                    return
            if len(ended) == 2 and not flowing:
                time.sleep(POLL)
                continue
            for key, _ in sel.select(timeout=POLL):
                src = key.fileobj
                try:
                    data = src.recv(65536)
                except BlockingIOError:
                    continue
                if not data:
                    sel.unregister(src)
                    ended.add(src)
                    continue
                held[src].append((now + delay, data))
    except OSError:
        pass
    finally:
        for s in peers:
            try:
                s.close()
            except OSError:
                pass


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--upstream", required=True, help="HOST:PORT to forward to")
    ap.add_argument("--control", required=True, help="directory for port, pid, mode, events")
    ap.add_argument("--listen-port", type=int, default=0)
    ap.add_argument("--tls-cert")
    ap.add_argument("--tls-key")
    args = ap.parse_args()
    host, port = args.upstream.rsplit(":", 1)
    upstream_addr = (host, int(port))
    tls_ctx = None
    if args.tls_cert:
        tls_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls_ctx.load_cert_chain(args.tls_cert, args.tls_key)

    os.makedirs(args.control, exist_ok=True)
    control = Control(args.control)
    control.refresh()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", args.listen_port))  # loopback only
    listener.listen(128)
    listener.settimeout(POLL)
    for name, value in (("pid", os.getpid()), ("port", listener.getsockname()[1])):
        tmp = os.path.join(args.control, name + ".tmp")
        with open(tmp, "w") as f:
            f.write("%d\n" % value)
        os.rename(tmp, os.path.join(args.control, name))

    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    signal.signal(signal.SIGINT, lambda *_: stopping.set())
    accepted = 0
    while not stopping.is_set():
        control.refresh()
        try:
            conn, _ = listener.accept()
        except socket.timeout:
            continue
        except OSError:
            break
        accepted += 1
        mode, _ = control.current()
        control.log("accept %d %s" % (accepted, " ".join(mode)))
        if mode[0] == "reset":
            reset(conn)
        elif mode[0] == "http":
            threading.Thread(target=http_answer, args=(conn, mode, tls_ctx), daemon=True).start()
        else:
            threading.Thread(target=pipe, args=(conn, upstream_addr, control), daemon=True).start()
    listener.close()
    # Set reset mode so that open pipes end, then exit (daemon threads die with us).
    with control.lock:
        control.mode = ["reset"]
    time.sleep(2 * POLL)
    return 0


if __name__ == "__main__":
    sys.exit(main())
