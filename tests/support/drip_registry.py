#!/usr/bin/env python3
"""A registry that drips (plain HTTP; TLS hellos are hung up on): every request is answered 200 with a large Content-Length, then the
body comes 5 bytes a second (never stalling, so only an overall deadline ends it). Listens on
127.0.0.1:PORT; prints "ready" when listening. usage: drip_registry.py PORT"""
import socket
import sys
import threading
import time


def serve(conn):
    try:
        conn.settimeout(30)
        data = conn.recv(4096)
        if data[:1] == b'\x16':
            return  # a TLS hello: plain HTTP only (the client falls back on loopback)
        while b'\r\n\r\n' not in data:
            chunk = conn.recv(4096)
            if not chunk:
                return
            data += chunk
        body_len = 1 << 20
        conn.sendall(b'HTTP/1.1 200 OK\r\n'
                     b'Content-Type: application/vnd.oci.image.manifest.v1+json\r\n'
                     b'Docker-Distribution-Api-Version: registry/2.0\r\n'
                     b'Content-Length: %d\r\n\r\n' % body_len)
        for _ in range(body_len // 5):
            conn.sendall(b'     ')
            time.sleep(1)
    except OSError:
        pass
    finally:
        conn.close()


def main():
    port = int(sys.argv[1])
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(('127.0.0.1', port))
    srv.listen(16)
    print('ready', flush=True)
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


if __name__ == '__main__':
    main()
