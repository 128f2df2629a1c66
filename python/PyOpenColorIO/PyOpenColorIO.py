"""The names of the reference's ``PyOpenColorIO.PyOpenColorIO`` extension
module, re-exported from the shared native module (classes report this
module as their ``__module__``, as the reference's do)."""

from vfx_rs._vfx_rs import ocio as _native

globals().update({k: v for k, v in vars(_native).items() if not k.startswith("__")})
