"""Shared helpers for the python-paramlist cases (not a case itself)."""


def show(p, label=None):
    """Print name, type, value (repr and Python type) and nvalues of a
    ParamValue. Note: ParamValue.__len__ is a property, not a method."""
    v = p.value
    print(label or "", repr(p.name), str(p.type), repr(v), type(v).__name__,
          "nvalues=%r" % (p.__len__,))


def show_list(pl):
    for p in pl:
        if type(p.value) == float:
            print("  item {} {} {:.6}".format(p.name, p.type, p.value))
        else:
            print("  item {} {} {}".format(p.name, p.type, p.value))


def probe(label, fn):
    try:
        r = fn()
        print(label, "->", repr(r))
    except Exception as e:
        print(label, "->", type(e).__name__)
