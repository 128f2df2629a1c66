# Bad input to ROI. Binding-level errors print the exception type only.
import copy
import pickle
import OpenImageIO as oiio


def probe(label, fn):
    try:
        r = fn()
        print(label, "-> ok:", r)
    except Exception as e:
        print(label, "->", type(e).__name__)


r = oiio.ROI(0, 4, 0, 4)
probe("ROI(0,1,2)", lambda: oiio.ROI(0, 1, 2))
probe("ROI(0,1,2,3,4)", lambda: oiio.ROI(0, 1, 2, 3, 4))
probe("ROI(0.5,1,2,3)", lambda: oiio.ROI(0.5, 1, 2, 3))
probe("ROI(2**40,1,2,3)", lambda: oiio.ROI(2**40, 1, 2, 3))
probe("ROI('a')", lambda: oiio.ROI("a"))
probe("ROI(None)", lambda: oiio.ROI(None))
probe("xbegin='x'", lambda: setattr(r, "xbegin", "x"))
probe("xbegin=1.5", lambda: setattr(r, "xbegin", 1.5))
probe("width=3 (read-only)", lambda: setattr(r, "width", 3))
probe("defined=True (read-only)", lambda: setattr(r, "defined", True))
probe("npixels=1 (read-only)", lambda: setattr(r, "npixels", 1))
probe("contains()", lambda: r.contains())
probe("contains(1)", lambda: r.contains(1))
probe("contains('a','b')", lambda: r.contains("a", "b"))
probe("union(r)", lambda: oiio.union(r))
probe("union(r, 5)", lambda: oiio.union(r, 5))
probe("intersection(r, None)", lambda: oiio.intersection(r, None))
probe("get_roi(r)", lambda: oiio.get_roi(r))
probe("set_roi(spec, 5)", lambda: oiio.set_roi(oiio.ImageSpec(), 5))
probe("copy.copy", lambda: copy.copy(r))
probe("copy.deepcopy", lambda: copy.deepcopy(r))
probe("pickle", lambda: pickle.dumps(r))
probe("r < r", lambda: r < r)
probe("len(r)", lambda: len(r))
probe("iter(r)", lambda: list(r))
print("r unchanged:", r)
