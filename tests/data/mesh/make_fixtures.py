#!/usr/bin/env python3
"""make_fixtures.py — writes the mesh and ZIP test fixtures of this folder.

Run from this folder: python3 make_fixtures.py. The outputs are committed;
the script is the record of how they were made (deterministic: fixed
timestamps in the ZIP archives).
"""
import struct
import subprocess
import sys
import zipfile
import zlib

# A 10 mm cube, counter-clockwise from outside.
V = [(0, 0, 0), (10, 0, 0), (10, 10, 0), (0, 10, 0),
     (0, 0, 10), (10, 0, 10), (10, 10, 10), (0, 10, 10)]
T = [(0, 3, 2), (0, 2, 1), (4, 5, 6), (4, 6, 7), (0, 1, 5), (0, 5, 4),
     (1, 2, 6), (1, 6, 5), (2, 3, 7), (2, 7, 6), (3, 0, 4), (3, 4, 7)]


def normal(a, b, c):
    u = [b[i] - a[i] for i in range(3)]
    v = [c[i] - a[i] for i in range(3)]
    n = [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]]
    length = sum(x * x for x in n) ** 0.5 or 1.0
    return [x / length for x in n]


def binary_stl(tris, header=b"fixture"):
    out = header.ljust(80, b"\0") + struct.pack("<I", len(tris))
    for t in tris:
        out += struct.pack("<3f", *normal(*t))
        for p in t:
            out += struct.pack("<3f", *p)
        out += b"\0\0"
    return out


def ascii_stl(name, tris):
    s = "solid %s\n" % name
    for t in tris:
        s += "  facet normal %g %g %g\n    outer loop\n" % tuple(normal(*t))
        for p in t:
            s += "      vertex %g %g %g\n" % p
        s += "    endloop\n  endfacet\n"
    return s + "endsolid %s\n" % name


def cube_tris(offset=(0, 0, 0), size=10):
    return [tuple(tuple(V[i][k] * size / 10 + offset[k] for k in range(3)) for i in t) for t in T]


def fixed_zip(path, members, method=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", method) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = method
            z.writestr(info, data)


RELS = ('<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Target="/3D/3dmodel.model" Id="rel0" '
        'Type="http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel"/></Relationships>\n')
TYPES = ('<?xml version="1.0" encoding="UTF-8"?>\n'
         '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
         '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
         '<Default Extension="model" ContentType="application/vnd.ms-package.3dmanufacturing-3dmodel+xml"/>'
         '</Types>\n')
CORE = "http://schemas.microsoft.com/3dmanufacturing/core/2015/02"
PROD = "http://schemas.microsoft.com/3dmanufacturing/production/2015/06"


def mesh_xml(tris_idx, verts, indent="   "):
    s = indent + "<mesh><vertices>\n"
    for v in verts:
        s += indent + ' <vertex x="%g" y="%g" z="%g"/>\n' % v
    s += indent + "</vertices><triangles>\n"
    for t in tris_idx:
        s += indent + ' <triangle v1="%d" v2="%d" v3="%d"/>\n' % t
    return s + indent + "</triangles></mesh>\n"


def model(objects, unit="millimeter", extra_ns=""):
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<model unit="%s" xmlns="%s"%s>\n'
            '<resources>\n%s</resources>\n<build/>\n</model>\n' % (unit, CORE, extra_ns, objects))


def main():
    cube = cube_tris()
    open("cube.stl", "wb").write(binary_stl(cube))
    open("cube_ascii.stl", "w").write(ascii_stl("cyan", cube) + ascii_stl("open", cube[:-1]))
    # Binary STL whose header begins with "solid", as some exporters write.
    open("cube_solid_header.stl", "wb").write(binary_stl(cube, b"solid cube from a CAD program"))
    open("open_cube.stl", "wb").write(binary_stl(cube[:-1]))
    flipped = list(cube)
    flipped[0] = (cube[0][0], cube[0][2], cube[0][1])
    open("flipped_cube.stl", "wb").write(binary_stl(flipped))
    inside_out = [(t[0], t[2], t[1]) for t in cube]
    open("inside_out_cube.stl", "wb").write(binary_stl(inside_out))
    open("truncated.stl", "wb").write(binary_stl(cube)[:-10])
    open("garbage.stl", "w").write("this is not a mesh, just some text that is long enough "
                                   "to look like it might have an STL header\n" * 3)

    objects = ('  <object id="1" name="Cyan PLA" type="model">\n' +
               mesh_xml(T, V) + "  </object>\n" +
               '  <object id="2" type="model">\n' +
               mesh_xml(T[:-1], [tuple(c + 20 if k == 0 else c for k, c in enumerate(v)) for v in V]) +
               "  </object>\n")
    fixed_zip("cubes.3mf", [("[Content_Types].xml", TYPES), ("_rels/.rels", RELS),
                            ("3D/3dmodel.model", model(objects))])
    # Production extension: the root object is made of a component in another part.
    root = ('  <object id="5" name="Magenta PLA" type="model"><components>'
            '<component objectid="1" p:path="/3D/Objects/object_1.model"/>'
            '</components></object>\n')
    sub = '  <object id="1" type="model">\n' + mesh_xml(T, V) + "  </object>\n"
    fixed_zip("components.3mf", [("[Content_Types].xml", TYPES), ("_rels/.rels", RELS),
                                 ("3D/3dmodel.model", model(root, extra_ns=' xmlns:p="%s"' % PROD)),
                                 ("3D/Objects/object_1.model", model(sub, unit="centimeter"))])

    # Broken 3MF files.
    bad = '  <object id="1" type="model">\n' + mesh_xml([(0, 1, 8)], V) + "  </object>\n"
    fixed_zip("bad_index.3mf", [("_rels/.rels", RELS), ("3D/3dmodel.model", model(bad))])
    fixed_zip("malformed.3mf", [("_rels/.rels", RELS),
                                ("3D/3dmodel.model", model(sub)[:200] + "<oops>")])
    fixed_zip("missing_part.3mf", [("_rels/.rels", RELS),
                                   ("3D/3dmodel.model", model(root, extra_ns=' xmlns:p="%s"' % PROD))])
    # Entity expansion is off: a "billion laughs" document is not expanded.
    laughs = ('<?xml version="1.0"?>\n<!DOCTYPE model [<!ENTITY a "aaaaaaaaaa">'
              + "".join('<!ENTITY %s "%s">' % (chr(98 + i), ("&%s;" % chr(97 + i)) * 10)
                        for i in range(8))
              + ']>\n<model xmlns="%s"><resources><object id="1" name="&i;">' % CORE
              + mesh_xml(T, V) + "</object></resources></model>\n")
    fixed_zip("laughs.3mf", [("_rels/.rels", RELS), ("3D/3dmodel.model", laughs)])

    # ZIP reader fixtures. python_cli.zip comes from Python's own command line.
    open("hello.txt", "w").write("hello, zip\n")
    subprocess.run([sys.executable, "-m", "zipfile", "-c", "python_cli.zip", "hello.txt"],
                   check=True)
    fixed_zip("stored.zip", [("a.txt", b"stored bytes\n"), ("b/c.txt", b"more\n")],
              zipfile.ZIP_STORED)
    text = ("filastack " * 500).encode()
    fixed_zip("deflated.zip", [("dir/text.txt", text), ("empty.txt", b"")])
    good = open("deflated.zip", "rb").read()
    # One byte of compressed data changed (the stream stays decodable or not).
    at = good.index(b"dir/text.txt") + len("dir/text.txt") + 5
    bad = bytearray(good)
    bad[at] ^= 0x01
    open("corrupt_data.zip", "wb").write(bytes(bad))
    open("truncated.zip", "wb").write(good[: len(good) // 2])
    # 16 MiB of zeros deflate to about 16 KiB: refused by a smaller limit.
    fixed_zip("bomb.zip", [("zeros.bin", bytes(16 << 20))])
    # A central directory that lies: declares 1000 bytes for a 64 KiB stream.
    fixed_zip("lying.zip", [("zeros.bin", bytes(64 << 10))])
    data = bytearray(open("lying.zip", "rb").read())
    cd = data.rindex(b"PK\x01\x02")
    struct.pack_into("<I", data, cd + 24, 1000)
    open("lying.zip", "wb").write(bytes(data))


if __name__ == "__main__":
    main()
