"""Pixel comparison used by the conformance runner, following idiff's pass rule.

Two pixel arrays (as returned by ``ImageBuf.get_pixels``: the last axis holds
the channels) are compared channel by channel with the absolute difference:

* sizes or channel counts differ            -> FAIL
* any single channel differs by > hardfail  -> FAIL
* more than ``failpercent`` percent of the pixels have a channel that
  differs by > fail                         -> FAIL
* otherwise                                 -> PASS

``failpercent`` is a percentage, as for ``idiff -failpercent`` (0.02 means
0.02 % of the pixels, i.e. a fraction of 0.0002). NaN compares equal to NaN
and an infinity equals the same infinity; NaN or infinity against anything
else counts as an infinite difference.

Usable as a script too: ``python compare.py a.npy b.npy``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import numpy as np

DEFAULT_FAIL = 0.004
DEFAULT_FAILPERCENT = 0.02
DEFAULT_HARDFAIL = 0.012


@dataclass
class ImageComparison:
    """Outcome of one comparison plus the numbers worth showing on failure."""

    passed: bool
    reason: str = ""
    max_diff: float = 0.0
    pixels: int = 0
    pixels_over_fail: int = 0

    @property
    def percent_over_fail(self) -> float:
        return 100.0 * self.pixels_over_fail / self.pixels if self.pixels else 0.0

    def stats(self) -> str:
        """One line such as 'max diff 0.0312, 4 of 16 pixels (25%) over 0.004'."""
        if self.reason:
            return self.reason
        return (f"max diff {self.max_diff:.6g}, {self.pixels_over_fail} of {self.pixels} "
                f"pixels ({self.percent_over_fail:.4g}%) over fail threshold")


def channel_differences(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Absolute per-channel differences; equal values (NaN with NaN too) give 0."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.abs(a - b)
    same = (a == b) | (np.isnan(a) & np.isnan(b))
    diff[same] = 0.0
    diff[np.isnan(diff)] = np.inf  # NaN against a number, or inf - inf of opposite sign
    return diff


def compare_pixels(a, b, fail: float = DEFAULT_FAIL, failpercent: float = DEFAULT_FAILPERCENT,
                   hardfail: float = DEFAULT_HARDFAIL) -> ImageComparison:
    """Compare two pixel arrays with idiff's fail / failpercent / hardfail rule."""
    a = np.asarray(a)
    b = np.asarray(b)
    if a.shape != b.shape:
        if a.ndim and b.ndim and a.shape[:-1] == b.shape[:-1]:
            return ImageComparison(False, f"channel count differs: {a.shape[-1]} vs {b.shape[-1]}")
        return ImageComparison(False, f"size differs: {a.shape} vs {b.shape}")
    if a.size == 0:
        return ImageComparison(True)
    diff = channel_differences(a, b)
    # One row per pixel: every axis but the last (channels) indexes pixels.
    per_pixel = diff.reshape(-1, diff.shape[-1]).max(axis=1) if diff.ndim >= 2 else diff.ravel()
    result = ImageComparison(True, max_diff=float(per_pixel.max()), pixels=per_pixel.size,
                             pixels_over_fail=int(np.count_nonzero(per_pixel > fail)))
    if result.max_diff > hardfail:
        result.passed = False
    elif result.percent_over_fail > failpercent:
        result.passed = False
    return result


def compare_npy_files(path_a: str, path_b: str, **thresholds) -> ImageComparison:
    """Load two .npy pixel dumps and compare them."""
    return compare_pixels(np.load(path_a), np.load(path_b), **thresholds)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: compare.py A.npy B.npy")
    outcome = compare_npy_files(sys.argv[1], sys.argv[2])
    print(("PASS  " if outcome.passed else "FAIL  ") + outcome.stats())
    sys.exit(0 if outcome.passed else 1)
