# copy_metadata and merge_metadata(src, override, pattern) between in-memory
# buffers. Geometry and pixel type never change; only the metadata list.
import OpenImageIO as oiio
from _common import probe


def attrs(label, buf):
    print(label, [(p.name, str(p.type), p.value) for p in buf.spec().extra_attribs])


sA = oiio.ImageSpec(2, 2, 3, "uint8")
sA.attribute("abc", 1)
sA.attribute("def", 3.5)
sA.attribute("camera:z", "Az")
sB = oiio.ImageSpec(4, 4, 1, "float")
sB.tile_width, sB.tile_height = 2, 2
sB.attribute("def", "Bfoo")
sB.attribute("camera:x", "Bx")
sB.attribute("camera:z", "Bz")
sB.attribute("oiio:ColorSpace", "lin")
sB.attribute("Orientation", 3)
sB.attribute("compression", "zip")
A = oiio.ImageBuf(sA)
B = oiio.ImageBuf(sB)
attrs("A:", A)
attrs("B:", B)

C = A.copy()
C.copy_metadata(B)
attrs("A.copy_metadata(B):", C)
print("   geometry kept:", C.roi, C.spec().format, C.spec().channelnames,
      "| tiles now:", C.spec().tile_width, C.spec().tile_height, C.spec().tile_depth,
      "| orientation:", C.orientation)

for label, kwargs in [("merge_metadata(B)", {}),
                      ("merge_metadata(B, override=True)", {"override": True}),
                      ("merge_metadata(B, pattern='^camera:')", {"pattern": "^camera:"}),
                      ("merge_metadata(B, override=True, pattern='^camera:')",
                       {"override": True, "pattern": "^camera:"}),
                      ("merge_metadata(B, pattern='camera')", {"pattern": "camera"}),
                      ("merge_metadata(B, pattern='^nomatch$')", {"pattern": "^nomatch$"}),
                      ("merge_metadata(B, pattern='')", {"pattern": ""}),
                      ("merge_metadata(B, pattern='DEF')", {"pattern": "DEF", "override": True}),
                      ("merge_metadata(B, pattern='^(def|oiio:.*)$')", {"pattern": "^(def|oiio:.*)$", "override": True})]:
    C = A.copy()
    C.merge_metadata(B, **kwargs)
    attrs("A." + label + ":", C)
C = A.copy()
C.merge_metadata(B, True, "Orient")
attrs("A.merge_metadata(B, True, 'Orient') positional:", C)
print("   orientation:", C.orientation, "geometry:", C.roi, C.spec().tile_width)

# Bad regular expression: the C++ regex error surfaces as an exception.
C = A.copy()
probe("merge_metadata(B, False, '[unclosed')", lambda: C.merge_metadata(B, False, "[unclosed"))
attrs("   after it:", C)

# Empty buffers on either side.
E = oiio.ImageBuf()
E.copy_metadata(B)
attrs("empty.copy_metadata(B):", E)
print("   still uninitialized:", E.initialized, E.roi, E.spec().format)
C = A.copy()
C.copy_metadata(oiio.ImageBuf())
attrs("A.copy_metadata(empty):", C)
C = A.copy()
C.merge_metadata(oiio.ImageBuf(), True)
attrs("A.merge_metadata(empty, True):", C)

# copy_metadata from itself changes nothing.
C = A.copy()
C.copy_metadata(C)
attrs("A.copy_metadata(A):", C)

# With override, the display window and tile size come along too, unless a
# pattern is given that does not match the pseudo-names "full_geom" and
# "tile_size". Patterns are POSIX basic regular expressions, searched
# anywhere in the name: '(' and '|' are ordinary characters there.
sD = oiio.ImageSpec(2, 2, 1, "float")
sD.full_x, sD.full_y, sD.full_width, sD.full_height = -1, -2, 9, 8
sD.tile_width, sD.tile_height, sD.tile_depth = 4, 4, 1
sD.attribute("geometry_note", "x")
D = oiio.ImageBuf(sD)
for label, args in [("(D)", ()), ("(D, True)", (True,)), ("(D, True, 'geom')", (True, "geom")),
                    ("(D, True, 'tile')", (True, "tile")), ("(D, True, 'note')", (True, "note")),
                    ("(D, True, 'full_geom|tile_size')", (True, "full_geom|tile_size")),
                    ("(D, True, '_')", (True, "_")), ("(D, True, '^ful*')", (True, "^ful*")),
                    ("(D, True, 'e.*e')", (True, "e.*e")), ("(D, True, 'x\\{2\\}')", (True, "x\\{2\\}"))]:
    C = A.copy()
    C.merge_metadata(D, *args)
    print("A.merge_metadata%s: full" % label, C.roi_full, "tiles", C.spec().tile_width,
          C.spec().tile_height, C.spec().tile_depth,
          "attrs", [p.name for p in C.spec().extra_attribs])
C = A.copy()
C.copy_metadata(D)
print("A.copy_metadata(D): full", C.roi_full, "tiles", C.spec().tile_width,
      C.spec().tile_height, C.spec().tile_depth, "roi", C.roi)

probe("copy_metadata(spec)", lambda: A.copy_metadata(B.spec()))
probe("copy_metadata(None)", lambda: A.copy_metadata(None))
probe("merge_metadata(5)", lambda: A.merge_metadata(5))
probe("merge_metadata(B, 'yes')", lambda: A.merge_metadata(B, "yes"))
probe("merge_metadata(B, False, 5)", lambda: A.merge_metadata(B, False, 5))
