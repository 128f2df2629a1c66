"""The names of the reference's ``PyOpenColorIO.PyOpenColorIO`` extension
module, re-exported from the shared native module (classes report this
module as their ``__module__``, as the reference's do)."""

from vfx_rs._vfx_rs import ocio as _native

globals().update({k: v for k, v in vars(_native).items() if not k.startswith("__")})
# The package metadata the reference's extension module carries.
for _k in ("__author__", "__email__", "__license__", "__copyright__", "__version__", "__status__", "__doc__"):
    globals()[_k] = getattr(_native, _k)
del _k
