"""OpenImageIO 3.2.2-compatible API, served by the vfx-rs engine.

This package takes the import name of the official ``OpenImageIO`` wheel:
do not install both in one environment.
"""

from .OpenImageIO import *  # noqa: F401,F403

__version__ = VERSION_STRING  # noqa: F405
