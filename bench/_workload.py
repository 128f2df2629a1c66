"""Helpers shared by the bench workloads: repeat count and median timing."""

import statistics
import sys
import time


def repeat_count(default: int = 3) -> int:
    """The --repeat N argument compare.py passes."""
    return int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else default


def timed(fn, repeat: int) -> float:
    """Median wall time of `repeat` calls of fn."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def random_image(seed: int, width: int = 3840, height: int = 2160, nchannels: int = 4):
    """A float ImageBuf of uniform random values (deterministic per seed)."""
    import numpy as np
    import OpenImageIO as oiio

    rng = np.random.default_rng(seed)
    return oiio.ImageBuf(rng.random((height, width, nchannels), dtype=np.float32))
