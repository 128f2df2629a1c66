"""PyOpenColorIO 2.6.0-compatible API, served by the vfx-rs engine.

This package takes the import name of the official ``opencolorio`` wheel:
do not install both in one environment. What is not implemented yet is
listed in KNOWN_DIFFERENCES.md.
"""

from .PyOpenColorIO import (  # noqa: F401
    __author__, __copyright__, __doc__, __email__, __license__, __status__, __version__,
)
from .PyOpenColorIO import *  # noqa: F401,F403
