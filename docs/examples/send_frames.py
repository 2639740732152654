#!/usr/bin/env python3
"""Sends frames to `isacflow stream` over TCP in the live framing (docs/frame-format.md):
per frame one JSON header line, then the raw little-endian payload, C order (L, N_A, N_c, M).
Needs numpy only. Here: the frames of a recording folder; replace `frames()` with your receiver.

    python3 docs/examples/send_frames.py RECORDING_DIR [HOST:PORT]
"""
import json
import os
import socket
import sys

import numpy as np


def frames(folder):
    """(header dict, complex array (L, N_A, N_c, M)) of every frame of a recording folder."""
    with open(os.path.join(folder, "recording.json")) as f:
        sidecar = json.load(f)
    table = sidecar.get("frames")
    if table is None and os.path.exists(os.path.join(folder, "frames.jsonl")):
        with open(os.path.join(folder, "frames.jsonl")) as f:
            table = [json.loads(line) for line in f if line.strip()]
    if sidecar["layout"] == "array":
        arr = np.load(os.path.join(folder, sidecar["array"]), mmap_mode="r")  # never the whole file
        for k in range(len(table) if table else arr.shape[0]):
            e = table[k] if table else {}
            yield {"trial": e.get("trial", 0), "frame": e.get("frame", k), **({"truth": e["truth"]} if "truth" in e else {})}, arr[e.get("index", k)]
    else:
        for k, e in enumerate(table):
            a = np.load(os.path.join(folder, e["file"]), mmap_mode="r")
            yield {"trial": e.get("trial", 0), "frame": e.get("frame", k), **({"truth": e["truth"]} if "truth" in e else {})}, a


def send(sock, header, y):
    """One frame: y is complex (L, N_A, N_c, M); sent as little-endian complex64 or complex128."""
    dtype = "<c16" if y.dtype == np.complex128 else "<c8"
    payload = np.ascontiguousarray(y, dtype=dtype).tobytes()
    header = {**header, "dtype": "complex128" if dtype == "<c16" else "complex64", "shape": list(y.shape), "bytes": len(payload)}
    sock.sendall((json.dumps(header) + "\n").encode())
    sock.sendall(payload)


def main():
    folder = sys.argv[1]
    host, port = (sys.argv[2] if len(sys.argv) > 2 else "127.0.0.1:7400").rsplit(":", 1)
    n = 0
    with socket.create_connection((host, int(port))) as sock:
        for header, y in frames(folder):
            send(sock, header, y)
            n += 1
        sock.shutdown(socket.SHUT_WR)
        sock.recv(1)  # wait until isacflow closes
    print(f"sent {n} frame(s) to {host}:{port}", file=sys.stderr)


if __name__ == "__main__":
    main()
