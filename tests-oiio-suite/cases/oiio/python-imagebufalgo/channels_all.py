# channels (reorder by index or name, fill values from floats, new names,
# shuffle_channel_names, alpha/z designations, errors) and channel_append
# (type merging, clashing names, different data windows, ROIs) across types.
import numpy as np
import OpenImageIO as oiio
from OpenImageIO import ImageBufAlgo as IBA, ImageBuf, ROI
from _iba import TYPES, ramp
from _copy import bothx, showx

ORDERS = [
    ((0, 1, 2, 3), ()),
    ((2, 1, 0), ()),
    ((3, 0, 1, 2), ()),
    ((0.25, 2, "G"), ()),
    ((0, 1, 2, 1.0), ()),
    (("A", "B", "G", "R"), ()),
    (("Z", "nope", 0), ()),
    ((0,), ()),
    ((0, 1, 2, 3), ("R", "G", "B", "A")),
    ((0, 1, 2, 3), ("a", "b", "", "d")),
    ((3, 2, 1), ("alpha", "Z", "")),
    ((0, 7, -1, 0.5), ()),
    ((1, 2), ("X",)),
    ((True, 2), ()),
]
for t in TYPES:
    A = ramp(3, 2, 4, t, x=1, y=-1, seed=21)
    A.specmod().attribute("Author", "me")
    A.specmod().attribute("oiio:SHA-1", "abc")
    for order, names in ORDERS:
        bothx("channels %s %s %s" % (t, order, names), IBA.channels, A, order, names)
    # Alpha/z follow the source with shuffle_channel_names.
    Z = ramp(2, 2, 5, t, seed=22)
    Z.specmod().channelnames = ("R", "G", "B", "opacity", "depth")
    Z.specmod().alpha_channel = 3
    Z.specmod().z_channel = 4
    for shuffle in (False, True):
        bothx("channels %s shuffle=%s" % (t, shuffle), IBA.channels, Z, (4, 3, 0), shuffle_channel_names=shuffle)
        bothx("channels %s shuffle=%s fill" % (t, shuffle), IBA.channels, Z, (0.5, 4, 1), ("", "", "Q"), shuffle)
    B = ramp(3, 2, 4, t, x=1, y=-1, seed=21)
    print("channels in place", IBA.channels(B, B, (2, 1, 0)))
    showx("   ", B)
    D = ramp(5, 5, 2, "float", seed=3)
    print("channels into existing", IBA.channels(D, A, (1, 0)))
    showx("   ", D)

A = ramp(3, 2, 4, "float", seed=21)
bothx("channels none", IBA.channels, A, ())
bothx("channels names mismatch", IBA.channels, A, (0, 1), ("a",))
bothx("channels uninit", IBA.channels, ImageBuf(), (0, 1))

for ta in TYPES:
    for tb in TYPES:
        A = ramp(3, 2, 3, ta, x=1, y=0, seed=23)
        B = ramp(2, 3, 2, tb, x=0, y=1, seed=24)
        B.specmod().channelnames = ("A", "Z")
        B.specmod().alpha_channel = 0
        B.specmod().z_channel = 1
        bothx("channel_append %s %s" % (ta, tb), IBA.channel_append, A, B)
    A = ramp(3, 2, 3, ta, seed=23)
    B = ramp(3, 2, 3, ta, seed=24)
    B.specmod().attribute("oiio:subimagename", "layer")
    bothx("channel_append %s clash subimage" % ta, IBA.channel_append, A, B)
    B.specmod().erase_attribute("oiio:subimagename")
    bothx("channel_append %s clash" % ta, IBA.channel_append, A, B)
    bothx("channel_append %s roi" % ta, IBA.channel_append, A, B, ROI(1, 3, 0, 3))
    D = ramp(4, 4, 5, "float", seed=25)
    print("channel_append into", IBA.channel_append(D, A, B, ROI(0, 2, 0, 2)))
    showx("   ", D)
    D = ramp(4, 4, 4, ta, seed=25)
    print("channel_append into 4ch", IBA.channel_append(D, A, B))
    showx("   ", D)

for t, dt, vals in [("uint", np.uint32, [1, 123456789, 4294967295, 7]),
                    ("double", np.float64, [0.1, 1e-12, -3.5, 1.0 / 3.0])]:
    B = ImageBuf(oiio.ImageSpec(2, 1, 2, t))
    B.set_pixels(ROI(0, 2, 0, 1), np.array(vals).reshape(1, 2, 2).astype(dt))
    r = IBA.channels(B, (1, 0))
    print(t, "channels", r.spec().format, r.get_pixels(t).ravel().tolist())
    r = IBA.channels(B, (0, 1))
    print(t, "channels same", r.spec().format, r.get_pixels(t).ravel().tolist())
    r = IBA.channel_append(B, B)
    print(t, "append", r.spec().format, r.get_pixels(t).ravel().tolist())
