# Bad input to the module-level functions. Binding-level errors print the
# exception type only.
import OpenImageIO as oiio


def probe(label, fn):
    try:
        r = fn()
        print(label, "->", repr(r))
    except Exception as e:
        print(label, "->", type(e).__name__)


probe("attribute('threads', [])", lambda: oiio.attribute("threads", []))
try:
    oiio.attribute("threads", [])
except TypeError as e:
    print("  message:", e)
probe("attribute('threads', None)", lambda: oiio.attribute("threads", None))
probe("attribute('threads', (1, 2))", lambda: oiio.attribute("threads", (1, 2)))
probe("attribute('threads', 2**40)", lambda: oiio.attribute("threads", 2**40))
probe("attribute(5, 1)", lambda: oiio.attribute(5, 1))
probe("attribute('x')", lambda: oiio.attribute("x"))
probe("attribute('x', 'floaty', 1)", lambda: oiio.attribute("x", "floaty", 1))
probe("getattribute(5)", lambda: oiio.getattribute(5))
probe("getattribute('x', 5.5)", lambda: oiio.getattribute("x", 5.5))
probe("get_int_attribute('x', 'y')", lambda: oiio.get_int_attribute("x", "y"))
probe("get_float_attribute('x', 'y')", lambda: oiio.get_float_attribute("x", "y"))
probe("get_string_attribute('x', 5)", lambda: oiio.get_string_attribute("x", 5))
probe("get_bytes_attribute('x', 5)", lambda: oiio.get_bytes_attribute("x", 5))
probe("get_int_attribute(None)", lambda: oiio.get_int_attribute(None))
probe("get_roi(5)", lambda: oiio.get_roi(5))
probe("get_roi_full(None)", lambda: oiio.get_roi_full(None))
probe("set_roi(spec)", lambda: oiio.set_roi(oiio.ImageSpec()))
probe("set_roi_full(spec, (0, 1, 0, 1))", lambda: oiio.set_roi_full(oiio.ImageSpec(), (0, 1, 0, 1)))
probe("union(ROI(), None)", lambda: oiio.union(oiio.ROI(), None))
probe("intersection()", lambda: oiio.intersection())
probe("is_imageio_format_name(None)", lambda: oiio.is_imageio_format_name(None))
probe("geterror(clear='x')", lambda: oiio.geterror(clear="x"))
probe("oiio.no_such_function", lambda: oiio.no_such_function)
print("threads still an int:", isinstance(oiio.get_int_attribute("threads"), int))
