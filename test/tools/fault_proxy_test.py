#!/usr/bin/env python3
"""Self-test of fault_proxy.py against a loopback upstream: pass, pause (bytes held, then
delivered), delay, reset, http. Every wait is bounded; the proxy is stopped by its pid."""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))


received = []  # every line the upstream got, in order


def upstream_server():
    """Answers each line it receives with 'echo:' + the line, on one connection each."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)

    def serve(conn):
        with conn:
            buf = b""
            while True:
                try:
                    data = conn.recv(4096)
                except OSError:  # the proxy reset it: expected in the reset case
                    return
                if not data:
                    return
                buf += data
                while b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    received.append(line)
                    conn.sendall(b"echo:" + line + b"\n")

    def loop():
        while True:
            conn, _ = srv.accept()
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=loop, daemon=True).start()
    return srv.getsockname()[1]


def wait_for(pred, limit=10.0):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.01)
    return False


def set_mode(ctl, mode):
    tmp = os.path.join(ctl, "mode.tmp")
    with open(tmp, "w") as f:
        f.write(mode + "\n")
    os.rename(tmp, os.path.join(ctl, "mode"))

    def applied():
        try:
            return open(os.path.join(ctl, "applied")).read().split() == mode.split()
        except FileNotFoundError:
            return False

    if not wait_for(applied):
        raise RuntimeError("the proxy did not apply mode " + mode)


def ask(port, line, timeout=5.0):
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(line + b"\n")
        return s.recv(4096)


failures = []


def check(cond, what):
    print(("ok    " if cond else "FAIL  ") + what)
    if not cond:
        failures.append(what)


def main():
    up = upstream_server()
    with tempfile.TemporaryDirectory(prefix="fault-proxy-") as ctl:
        proc = subprocess.Popen([sys.executable, os.path.join(HERE, "fault_proxy.py"),
                                 "--upstream", "127.0.0.1:%d" % up, "--control", ctl])
        try:
            if not wait_for(lambda: os.path.exists(os.path.join(ctl, "port"))):
                print("FAIL  proxy did not start")
                return 1
            port = int(open(os.path.join(ctl, "port")).read())
            check(int(open(os.path.join(ctl, "pid")).read()) == proc.pid, "pid file")
            check(ask(port, b"a") == b"echo:a\n", "pass forwards")

            set_mode(ctl, "pause")
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(b"held\n")
            s.settimeout(0.5)
            try:
                s.recv(4096)
                stalled = False
            except socket.timeout:
                stalled = True
            check(stalled, "pause: no answer while paused")
            set_mode(ctl, "pass")
            s.settimeout(5)
            check(s.recv(4096) == b"echo:held\n", "pause: held bytes delivered after pass")
            s.close()

            # A client that gives up during a stall does not recall what it sent: the
            # bytes reach the upstream when the stall ends, not when the client closes.
            set_mode(ctl, "pause")
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(b"abandoned\n")
            s.close()
            check(not wait_for(lambda: b"abandoned" in received, 0.5),
                  "pause: a closed client's bytes stay held")
            set_mode(ctl, "pass")
            check(wait_for(lambda: b"abandoned" in received),
                  "pause: a closed client's bytes delivered after pass")

            set_mode(ctl, "delay 300")
            t0 = time.monotonic()
            answer = ask(port, b"d")
            check(answer == b"echo:d\n" and time.monotonic() - t0 >= 0.3, "delay 300 ms")

            set_mode(ctl, "pass")
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(b"x\n")
            s.recv(4096)
            set_mode(ctl, "reset")
            try:
                s.sendall(b"y\n")
                got = s.recv(4096)
                was_reset = got == b""
            except (ConnectionResetError, BrokenPipeError):
                was_reset = True
            check(was_reset, "reset: an open connection is cut")
            try:
                ask(port, b"z", timeout=2)
                new_reset = False
            except (ConnectionResetError, BrokenPipeError, socket.timeout):
                new_reset = True
            check(new_reset, "reset: a new connection is cut")

            set_mode(ctl, "http 410")
            with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
                s.sendall(b"GET /api/v1/nodes?watch=1 HTTP/1.1\r\nHost: x\r\n\r\n")
                data = b""
                while True:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    data += chunk
            check(data.startswith(b"HTTP/1.1 410") and b'"code": 410' in data, "http 410")
            events = open(os.path.join(ctl, "events")).read()
            check("http 410" in events and "accept 1 pass" in events, "events log")
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        check(proc.returncode == 0, "stops on SIGTERM")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
