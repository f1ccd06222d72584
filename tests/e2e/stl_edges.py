#!/usr/bin/env python3
"""stl_edges.py FILE.stl... — an independent check of binary STL meshes.

Welds vertices by their exact float coordinates and requires every edge to
be used by exactly two triangles, once in each direction, and no triangle
to have zero area. Prints one line per file; exits 1 if any file fails.
"""
import struct
import sys


def check(path):
    data = open(path, "rb").read()
    if len(data) < 84 or data[:5] == b"solid":
        return "not a binary STL"
    count = struct.unpack_from("<I", data, 80)[0]
    if len(data) != 84 + 50 * count:
        return "size does not match %d triangles" % count
    index = {}
    directed = {}
    degenerate = 0
    for t in range(count):
        off = 84 + 50 * t + 12
        ids = []
        for k in range(3):
            key = data[off + 12 * k: off + 12 * k + 12]
            ids.append(index.setdefault(key, len(index)))
        if len(set(ids)) < 3:
            degenerate += 1
            continue
        p = [struct.unpack_from("<3f", data, off + 12 * k) for k in range(3)]
        u = [p[1][i] - p[0][i] for i in range(3)]
        v = [p[2][i] - p[0][i] for i in range(3)]
        cross = (u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0])
        if cross == (0.0, 0.0, 0.0):
            degenerate += 1
        for a, b in ((ids[0], ids[1]), (ids[1], ids[2]), (ids[2], ids[0])):
            directed[(a, b)] = directed.get((a, b), 0) + 1
    bad = 0
    for (a, b), n in directed.items():
        if n != 1 or directed.get((b, a), 0) != 1:
            bad += 1
    if bad or degenerate:
        return "%d bad directed edges, %d degenerate triangles" % (bad, degenerate)
    return None


status = 0
for path in sys.argv[1:]:
    problem = check(path)
    if problem:
        print("%s: FAIL: %s" % (path, problem))
        status = 1
    else:
        print("%s: every edge used twice in opposite directions, no degenerate triangle" % path)
sys.exit(status)
