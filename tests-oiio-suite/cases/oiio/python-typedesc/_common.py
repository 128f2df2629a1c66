"""Shared helpers for the python-typedesc cases (not a case itself)."""


def describe(label, t, full=True):
    """Print every observable property of a TypeDesc."""
    print("--", label)
    print("   c_str:", t.c_str())
    print("   str:", str(t), "repr:", repr(t))
    if not full:
        return
    print("   basetype:", t.basetype)
    print("   aggregate:", t.aggregate)
    print("   vecsemantics:", t.vecsemantics)
    print("   arraylen:", t.arraylen)
    print("   size:", t.size(), "basesize:", t.basesize(),
          "elementsize:", t.elementsize())
    print("   elementtype:", t.elementtype(), "numelements:", t.numelements(),
          "basevalues:", t.basevalues())
