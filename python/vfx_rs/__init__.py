"""vfx-rs: OpenImageIO and OpenColorIO re-implemented in Rust.

This package holds the native extension (``vfx_rs._vfx_rs``) that the
``OpenImageIO`` and ``PyOpenColorIO`` compatibility packages also load, so
objects pass between the three APIs without copies. The Pythonic API grows
here as the engine does.
"""

from ._vfx_rs import __version__  # noqa: F401

__all__ = ["__version__"]
