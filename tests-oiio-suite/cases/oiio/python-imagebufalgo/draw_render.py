# render_point, render_line, render_box: colours as the binding sizes them
# (None, scalars, short and long tuples), alpha compositing with a
# designated alpha channel, shapes partly or wholly outside the image,
# reversed and degenerate corners, skip_first_point, pixel types with
# non-zero origins, errors; and the oiiotool-pattern line/box/point scenes.
import OpenImageIO as oiio
from OpenImageIO import ImageBufAlgo as IBA, ImageBuf, ImageSpec, ROI
from _iba import TYPES, ramp, show

for t in TYPES:
    A = ramp(7, 6, 3, t, x=-2, y=1, seed=21)
    print("point", t, IBA.render_point(A, 0, 3, (1, 0, 0)), IBA.render_point(A, -2, 1), IBA.render_point(A, 4, 6, 0.25),
          IBA.render_point(A, 9, 3, (1, 1, 1)), IBA.render_point(A, 0, 0, (1, 1, 1)), IBA.render_point(A, 1, 2, [0.5, 0.25, 0.125, 0.0625]))
    show("point %s" % t, A)
    B = ramp(7, 6, 3, t, x=-2, y=1, seed=22)
    print("line", t, IBA.render_line(B, -6, -1, 8, 9, (0.9, 0.1, 0.5)), IBA.render_line(B, 4, 6, -2, 6), IBA.render_line(B, 0, 1, 0, 6, (0.3,), True))
    show("line %s" % t, B)
    C = ramp(8, 7, 3, t, x=1, y=-1, seed=23)
    print("box", t, IBA.render_box(C, 2, 0, 6, 4, (0.2, 0.4, 0.6)), IBA.render_box(C, 7, 3, 3, 7, (1, 0, 0), True),
          IBA.render_box(C, 0, -3, 12, 1, (0, 0, 1), fill=True), IBA.render_box(C, 5, 5, 5, 5, (0.5, 0.5, 0.5)),
          IBA.render_box(C, -4, 2, 3, 2, (0.1, 0.9, 0.1)))
    show("box %s" % t, C)

# Alpha: the colour's value for the image's alpha channel is its opacity.
for t in TYPES:
    D = ImageBuf(ImageSpec(8, 6, 4, t))
    IBA.fill(D, (0.5, 0.25, 0.125, 0.75))
    print("alpha", t, IBA.render_line(D, 0, 0, 7, 5, (1, 0, 0, 0.5)), IBA.render_box(D, 1, 1, 6, 4, (0, 1, 0, 0.25)),
          IBA.render_box(D, 2, 2, 5, 3, (0, 0, 1, 0.5), fill=True), IBA.render_point(D, 3, 3, (1, 1, 1, 0.3)),
          IBA.render_point(D, 4, 3, (0.5, 0.5)), IBA.render_box(D, 5, 0, 5, 5, (0.2, 0.2, 0.2, 0.6)))
    show("alpha %s" % t, D)
# Without a designated alpha channel, a 4th value on 4 channels is a colour.
E = ImageBuf(ImageSpec(4, 3, 4, "float"))
E.specmod().alpha_channel = -1
print("noalpha", IBA.render_box(E, 0, 0, 3, 2, (0.5, 0.5, 0.5, 0.5), True), IBA.render_point(E, 1, 1, (0.2, 0.2, 0.2, 0.2)))
show("noalpha", E)
# Extra colour values are dropped; the alpha channel may come second.
F = ImageBuf(ImageSpec(4, 3, 2, "float"))
F.specmod().alpha_channel = 1
IBA.fill(F, (0.5, 1.0))
print("alpha ch1", IBA.render_line(F, 0, 0, 3, 2, (0.5, 0.5, 0.9)), IBA.render_box(F, 0, 0, 3, 2, 0.25))
show("alpha ch1", F)

# Errors: uninitialized destinations; wrong argument types.
b = ImageBuf()
print("point uninit", IBA.render_point(b, 0, 0, (1,)), repr(b.geterror()))
b = ImageBuf()
print("line uninit", IBA.render_line(b, 0, 0, 2, 2), repr(b.geterror()))
b = ImageBuf()
print("box uninit", IBA.render_box(b, 0, 0, 2, 2, fill=True), repr(b.geterror()))
try:
    IBA.render_point(ImageBuf(ImageSpec(2, 2, 1, "float")), 0.5, 0)
except TypeError as e:
    print("point float coord: TypeError")

# The oiiotool-pattern scenes, drawn through the Python API.
img = IBA.checker(16, 16, 1, (.1, .1, .1), (0, 0, 0), roi=ROI(0, 256, 0, 256, 0, 1, 0, 4))
img.specmod().alpha_channel = 3
for x1, y1, x2, y2, col in [(10, 60, 250, 20, (0.25, 0, 0, 0.25)), (10, 62, 250, 100, (0.5, 0, 0, 0.5)),
                            (10, 64, 250, 400, (1, 0, 0, 1)), (250, 100, 10, 184, (0, 1, 0, 1)),
                            (250, 200, 10, 182, (0, 0.5, 0, 0.5)), (100, 400, 10, 180, (0, 0.25, 0, 0.25))]:
    IBA.render_line(img, x1, y1, x2, y2, col)
pts = [100, 100, 120, 100, 120, 100, 120, 120, 120, 120, 100, 120, 100, 120, 100, 100]
for i in range(0, len(pts), 4):
    IBA.render_line(img, pts[i], pts[i + 1], pts[i + 2], pts[i + 3], (.5, .5, 0, 0.5), i > 0)
IBA.render_box(img, 150, 100, 240, 180, (0, 0.5, 0.5, 0.5))
img.write("lines.tif", "uint8")
box = IBA.checker(16, 16, 1, (.1, .1, .1), (0, 0, 0), roi=ROI(0, 256, 0, 256, 0, 1, 0, 3))
IBA.render_box(box, 150, 100, 240, 180, (0, 1, 1))
IBA.render_box(box, 100, 50, 180, 140, (0.5, 0.5, 0), True)
IBA.render_box(box, 200, 200, 300, 300, (0.2, 0.9, 0.4), True)
box.write("box.tif", "uint8")
p = ImageBuf(ImageSpec(64, 64, 3, "uint8"))
IBA.render_point(p, 50, 10, (0, 1, 1))
for xy in [(20, 20), (30, 30), (40, 40)]:
    IBA.render_point(p, xy[0], xy[1], (1, 0, 1))
p.write("points.tif")
