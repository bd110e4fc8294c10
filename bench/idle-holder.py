#!/usr/bin/env python3
"""Holds idle keep-alive client connections open on a proxy for bench/idle.sh.

Each connection sends one GET, reads the first bytes of its answer and then stays open and silent,
as browsers and pooled HTTP clients leave them. A process of its own, not the load generator: idle
connections held inside the generator put 10,000 sockets in the generator's heap and epoll set,
and whatever that costs the generator would be charged to the proxy's latency.

    idle-holder.py HOST PORT PATH COUNT

Prints "ready OPENED" once every connection got its answer (at most 200 connect at once, so the
proxy's accept queue never overflows), then waits. On SIGTERM or SIGINT it prints "open N" (how
many the proxy has not closed meanwhile) and exits. Exit 1 if a connection fails while opening.
"""
import selectors
import signal
import socket
import sys

OPENING_AT_ONCE = 200


def main():
    host, port, path, count = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    request = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode()
    selector = selectors.DefaultSelector()
    opened, answered, waiting = [], 0, 0

    def start_one():
        nonlocal waiting
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        s.connect_ex((host, port))
        selector.register(s, selectors.EVENT_WRITE, "connecting")
        opened.append(s)
        waiting += 1

    while len(opened) < count and waiting < OPENING_AT_ONCE:
        start_one()
    while waiting:
        for key, events in selector.select(timeout=10):
            s = key.fileobj
            if key.data == "connecting":
                error = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if error:
                    sys.exit(f"idle-holder: connection {len(opened)} failed: {error}")
                s.sendall(request)
                selector.modify(s, selectors.EVENT_READ, "answering")
            else:
                if not s.recv(65536):
                    sys.exit("idle-holder: the proxy closed a connection before answering it")
                selector.unregister(s)
                waiting -= 1
                answered += 1
                if len(opened) < count:
                    start_one()
    def report(signum, frame):
        still_open = 0
        for s in opened:
            try:
                still_open += 0 if s.recv(65536) == b"" else 1  # data after the answer: still open
            except BlockingIOError:
                still_open += 1  # nothing to read and no EOF: open and idle
            except OSError:
                pass  # reset by the proxy
        print(f"open {still_open}", flush=True)
        sys.exit(0)

    signal.signal(signal.SIGTERM, report)
    signal.signal(signal.SIGINT, report)
    print(f"ready {answered}", flush=True)

    while True:
        signal.pause()


if __name__ == "__main__":
    main()
