"""PyOpenColorIO 2.6.0-compatible API, served by the vfx-rs engine.

This package takes the import name of the official ``opencolorio`` wheel:
do not install both in one environment. The config model and processors
are not implemented yet; only the shared native module is loaded here.
"""

from vfx_rs import _vfx_rs as _native  # noqa: F401

__version__ = "2.6.0"
