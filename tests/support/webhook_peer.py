#!/usr/bin/env python3
"""Hostile peers for the webhook's limit tests (loopback only, every loop bounded).

  drip-registry PORTFILE        an HTTP "registry" that answers every request with headers,
                                then one body byte every 0.2 s (never finishing); writes its
                                port to PORTFILE and serves until killed
  idle SRC HOST PORT N HOLDFILE opens N TCP connections from address SRC, prints how many
                                connected, keeps them open until HOLDFILE exists (at most 60 s)
  idle-close HOST PORT BOUND    one connection that sends nothing: prints "closed" if the
                                server closes it within BOUND seconds, else "open"
  big HOST PORT CAFILE MODE LIMIT  a POST /validate whose body is larger than LIMIT: MODE
                                "length" sends only the headers with that Content-Length,
                                "chunked" sends chunks past LIMIT and never the last one;
                                prints the status line the server answers within 10 s,
                                "closed" if it closes the connection, or "timeout"
"""
import os
import socket
import ssl
import sys
import threading
import time


def drip_registry(portfile):
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(64)
    with open(portfile + ".tmp", "w") as f:
        f.write(str(srv.getsockname()[1]))
    os.rename(portfile + ".tmp", portfile)

    def serve(c):
        try:
            c.recv(65536)
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/vnd.oci.image.manifest.v1+json\r\n"
                      b"Docker-Content-Digest: sha256:" + b"0" * 64 + b"\r\nContent-Length: 100000\r\n\r\n")
            for _ in range(3000):  # 10 minutes at most
                c.sendall(b" ")
                time.sleep(0.2)
        except OSError:
            pass
        finally:
            c.close()

    while True:
        c, _ = srv.accept()
        threading.Thread(target=serve, args=(c,), daemon=True).start()


def idle(src, host, port, n, holdfile):
    socks = []
    for _ in range(n):
        s = socket.socket()
        s.bind((src, 0))
        s.settimeout(2)
        try:
            s.connect((host, port))
            socks.append(s)
        except OSError:
            s.close()
    print(len(socks), flush=True)
    for _ in range(600):
        if os.path.exists(holdfile):
            break
        time.sleep(0.1)
    for s in socks:
        s.close()


def idle_close(host, port, bound):
    s = socket.create_connection((host, port), timeout=bound)
    end = time.monotonic() + bound
    try:
        while time.monotonic() < end:  # a TLS alert may come before the close
            s.settimeout(max(0.1, end - time.monotonic()))
            if s.recv(4096) == b"":
                print("closed")
                return
        print("open")
    except socket.timeout:
        print("open")
    except ConnectionResetError:
        print("closed")


def big(host, port, cafile, mode, limit):
    ctx = ssl.create_default_context(cafile=cafile)
    ctx.check_hostname = False
    s = ctx.wrap_socket(socket.create_connection((host, port), timeout=10))
    head = "POST /validate HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n" % host
    try:
        if mode == "length":
            s.sendall((head + "Content-Length: %d\r\n\r\n" % (limit * 100)).encode())
        else:
            s.sendall((head + "Transfer-Encoding: chunked\r\n\r\n").encode())
            chunk = b" " * 4096
            for _ in range(limit // 4096 + 2):
                s.sendall(b"1000\r\n" + chunk + b"\r\n")
    except OSError:
        pass  # the server may answer and close while we are still sending
    try:
        line = s.recv(4096).split(b"\r\n", 1)[0].decode()
        print(line if line else "closed")
    except socket.timeout:
        print("timeout")
    except OSError as e:
        print("error %s" % e.__class__.__name__)


if __name__ == "__main__":
    a = sys.argv[1:]
    if a[0] == "drip-registry":
        drip_registry(a[1])
    elif a[0] == "idle":
        idle(a[1], a[2], int(a[3]), int(a[4]), a[5])
    elif a[0] == "idle-close":
        idle_close(a[1], int(a[2]), float(a[3]))
    elif a[0] == "big":
        big(a[1], int(a[2]), a[3], a[4], int(a[5]))
