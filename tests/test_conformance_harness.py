"""Tests of the conformance runner (tests-oiio-suite/run.py) and compare.py.

None of them need our own build: the unit tests are pure, and the end-to-end
tests run throwaway cases against the reference wheels, using as "ours" a fake
package dir given with --ours-path (either a tiny stand-in module, or links
to the reference plus a marker module that makes cases behave differently).
"""

import math
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SUITE = ROOT / "tests-oiio-suite"
sys.path.insert(0, str(SUITE))

import run  # noqa: E402

try:
    import numpy as np
except ImportError:  # like the runner, fall back to the numpy of the reference site
    try:
        run.ensure_reference()
    except Exception:
        pass
    run.compare_module()
    np = pytest.importorskip("numpy")

import compare  # noqa: E402


# --- compare.py -----------------------------------------------------------------

def image(h=100, w=100, c=3, value=0.5):
    return np.full((h, w, c), value, dtype=np.float32)


def test_identical_images_pass():
    assert compare.compare_pixels(image(), image()).passed


def test_one_channel_over_hardfail_fails():
    b = image()
    b[3, 4, 2] += 0.013
    result = compare.compare_pixels(image(), b)
    assert not result.passed
    assert result.max_diff == pytest.approx(0.013, abs=1e-6)


def test_diffs_at_or_below_fail_threshold_are_ignored():
    b = image() + 0.0039
    assert compare.compare_pixels(image(), b).passed


def test_failpercent_is_a_percentage_of_pixels():
    # 100x100 = 10000 pixels; 0.02 % of them is 2 pixels.
    two, three = image(), image()
    two[0, :2, 0] += 0.008
    three[0, :3, 1] += 0.008
    ok = compare.compare_pixels(image(), two)
    assert ok.passed and ok.pixels_over_fail == 2 and ok.percent_over_fail == pytest.approx(0.02)
    bad = compare.compare_pixels(image(), three)
    assert not bad.passed and bad.pixels_over_fail == 3
    # Several channels of one pixel count once.
    one_pixel = image()
    one_pixel[5, 5, :] += 0.008
    assert compare.compare_pixels(image(), one_pixel).pixels_over_fail == 1


def test_thresholds_are_arguments():
    b = image()
    b[0, 0, 0] += 0.5
    assert not compare.compare_pixels(image(), b).passed
    assert compare.compare_pixels(image(), b, hardfail=1.0, failpercent=0.01).passed
    assert not compare.compare_pixels(image(), image() + 0.001, fail=0.0005, hardfail=1.0).passed


def test_nan_equals_nan_and_inf_equals_inf():
    a, b = image(), image()
    a[1, 1, 0] = b[1, 1, 0] = math.nan
    a[2, 2, 1] = b[2, 2, 1] = math.inf
    assert compare.compare_pixels(a, b).passed
    b[1, 1, 0] = 0.5
    assert not compare.compare_pixels(a, b).passed
    b[1, 1, 0] = math.nan
    b[2, 2, 1] = -math.inf
    assert not compare.compare_pixels(a, b).passed


def test_size_and_channel_mismatch_fail():
    size = compare.compare_pixels(image(10, 10), image(10, 11))
    assert not size.passed and "size" in size.reason
    chans = compare.compare_pixels(image(c=3), image(c=4))
    assert not chans.passed and "channel" in chans.reason


def test_compare_npy_files(tmp_path):
    np.save(tmp_path / "a.npy", image())
    np.save(tmp_path / "b.npy", image() + 0.1)
    assert not compare.compare_npy_files(str(tmp_path / "a.npy"), str(tmp_path / "b.npy")).passed
    assert compare.compare_npy_files(str(tmp_path / "a.npy"), str(tmp_path / "a.npy")).passed


# --- run.py helpers ---------------------------------------------------------------

def test_normalise_stdout_hides_addresses_and_temp_dir(tmp_path):
    text = f"<Foo object at 0x7f3a12bc> wrote {tmp_path}/out.exr\nat 0x12 stays\n"
    assert run.normalise_stdout(text, tmp_path) == "<Foo object at 0x?> wrote <TMP>/out.exr\nat 0x12 stays\n"


def test_exception_type_parsing():
    tb = "Traceback (most recent call last):\n  File \"x.py\", line 1, in <module>\n    f()\n"
    assert run.exception_type(tb + "ValueError: bad\n") == "ValueError"
    assert run.exception_type(tb + "OpenImageIO.Error: bad\nsecond line\n") == "OpenImageIO.Error"
    assert run.exception_type(tb + "KeyboardInterrupt\n") == "KeyboardInterrupt"
    assert run.exception_type(tb + "KeyError: 'a'\nwarning printed later\n") == "KeyError"
    chained = (tb + "KeyError: 'a'\n\nDuring handling of the above exception, another exception occurred:\n\n"
               + tb + "RuntimeError: b\n")
    assert run.exception_type(chained) == "RuntimeError"
    assert run.exception_type("just a warning\n") is None


def write_case(cases_dir, case_id, body):
    path = cases_dir / (case_id + ".py")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(body).lstrip("\n"))
    return path


def test_discover_cases_skips_helpers_and_filters(tmp_path):
    write_case(tmp_path, "oiio/python-typedesc/constructors", "print(1)")
    write_case(tmp_path, "oiio/python-typedesc/_common", "X = 1")
    write_case(tmp_path, "ocio/python-config/basics", "print(2)")
    assert list(run.discover_cases(tmp_path)) == ["ocio/python-config/basics",
                                                  "oiio/python-typedesc/constructors"]
    assert list(run.discover_cases(tmp_path, ["typedesc"])) == ["oiio/python-typedesc/constructors"]
    assert list(run.discover_cases(tmp_path, ["nothing"])) == []
    assert run.discover_cases(tmp_path / "missing") == {}


def test_expects_error_reads_first_line_only(tmp_path):
    assert run.expects_error(write_case(tmp_path, "a", "# expect-error\nraise ValueError\n"))
    assert not run.expects_error(write_case(tmp_path, "b", "import os\n# expect-error\n"))


def test_case_env_orders_pythonpath_and_drops_ref(tmp_path, monkeypatch):
    script = write_case(tmp_path, "x/y/z", "print(1)")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(run.REF_SITE), "/elsewhere/.ref/site", "/keep"]))
    ref = run.case_env(script, "ref", run.Options())["PYTHONPATH"].split(os.pathsep)
    assert ref == [str(run.REF_SITE), str(script.parent), "/keep"]
    ours = run.case_env(script, "ours", run.Options())["PYTHONPATH"].split(os.pathsep)
    assert ours == [str(script.parent), "/keep"]
    fake = run.case_env(script, "ours", run.Options(ours_path="/fake"))
    assert fake["PYTHONPATH"].split(os.pathsep) == ["/fake", str(script.parent), "/keep"]
    assert fake["PYTHONHASHSEED"] == "0"
    assert fake.get("VFX_SHARED") == (str(run.SHARED_DIR.resolve()) if run.SHARED_DIR.is_dir() else None)


def test_reference_version_check(tmp_path):
    reqs = tmp_path / "reqs.txt"
    reqs.write_text("openimageio==3.2.2.0\nopencolorio==2.6.0\n")
    site = tmp_path / "site"
    assert not run.reference_is_current(site, reqs)
    (site / "OpenImageIO").mkdir(parents=True)
    (site / "openimageio-3.2.2.0.dist-info").mkdir()
    (site / "opencolorio-2.5.1.dist-info").mkdir()
    assert not run.reference_is_current(site, reqs)
    (site / "opencolorio-2.5.1.dist-info").rename(site / "opencolorio-2.6.0.dist-info")
    assert run.reference_is_current(site, reqs)


def test_reference_pins_and_gitignore():
    pins = run.pinned_versions(SUITE / "reference-requirements.txt")
    assert pins["openimageio"] == "3.2.2.0" and pins["opencolorio"] == "2.6.0"
    # numpy is pinned to the same version as our venv, so printed arrays agree.
    dev = (ROOT / "requirements-dev.txt").read_text()
    assert f"numpy=={pins['numpy']}" in dev
    ignored = subprocess.run(["git", "check-ignore", "-q", ".ref/site/OpenImageIO"], cwd=ROOT)
    assert ignored.returncode == 0, ".ref/ must be git-ignored"


# --- end to end against the reference ------------------------------------------------

@pytest.fixture(scope="session")
def reference():
    try:
        run.ensure_reference()
    except Exception as exc:  # no network and no install: nothing to run against
        pytest.skip(f"reference wheels unavailable: {exc}")
    return run.REF_SITE


def run_runner(*args, timeout=600):
    proc = subprocess.run([sys.executable, str(SUITE / "run.py"), *map(str, args)],
                          capture_output=True, text=True, timeout=timeout)
    verdicts = {}
    for line in proc.stdout.splitlines():
        parts = line.split("  ", 2)
        if parts[0] in ("PASS", "FAIL", "BROKEN", "SKIP") and len(parts) >= 2:
            verdicts[parts[1]] = (parts[0], parts[2] if len(parts) > 2 else "")
        if line.startswith("---"):
            break
    return proc, verdicts


@pytest.fixture
def linked_ours(tmp_path, reference):
    """A fake 'ours': the reference packages linked in, plus a marker module."""
    ours = tmp_path / "ours"
    ours.mkdir()
    for entry in reference.iterdir():
        (ours / entry.name).symlink_to(entry)
    (ours / "vfx_fake_marker.py").write_text("OFFSET = 0.1\nSMALL = 0.001\n")
    return ours


MARKER = """
try:
    import vfx_fake_marker as marker
except ImportError:
    marker = None
"""


def test_ref_only_flags_broken_cases(tmp_path, reference):
    cases = tmp_path / "cases"
    write_case(cases, "demo/a/good", "import OpenImageIO as oiio\nprint(oiio.TypeDesc('float'))\n")
    write_case(cases, "demo/a/_common", "def helper():\n    return 'helped'\n")
    write_case(cases, "demo/a/uses_helper", "from _common import helper\nprint(helper())\n")
    write_case(cases, "demo/a/raises", "import OpenImageIO as oiio\nraise KeyError('x')\n")
    write_case(cases, "demo/a/expected", "# expect-error\nimport OpenImageIO as oiio\nraise KeyError('x')\n")
    write_case(cases, "demo/a/not_raising", "# expect-error\nprint('fine')\n")
    write_case(cases, "demo/a/skipped", "print('SKIP: no data')\nprint('more')\n")
    write_case(cases, "demo/a/clock", "import time\nprint(time.time())\n")
    proc, verdicts = run_runner("--cases-dir", cases, "--ref-only", "-j", "3")
    assert {k: v[0] for k, v in verdicts.items()} == {
        "demo/a/good": "PASS", "demo/a/uses_helper": "PASS", "demo/a/raises": "BROKEN",
        "demo/a/expected": "PASS", "demo/a/not_raising": "BROKEN", "demo/a/skipped": "SKIP",
        "demo/a/clock": "BROKEN"}, proc.stdout
    assert "KeyError" in verdicts["demo/a/raises"][1]
    assert verdicts["demo/a/skipped"][1] == "no data"
    assert proc.stdout.splitlines()[-1] == "3 passed, 3 failed, 1 skipped"
    assert proc.returncode == 1
    assert not list(cases.rglob("__pycache__"))


def test_list_and_filters(tmp_path):
    cases = tmp_path / "cases"
    write_case(cases, "s/t/one", "print(1)")
    write_case(cases, "s/u/two", "print(2)")
    proc = subprocess.run([sys.executable, str(SUITE / "run.py"), "--cases-dir", str(cases), "--list", "u/"],
                          capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.split() == ["s/u/two"]


def test_differences_against_fake_ours_are_caught(tmp_path, linked_ours):
    cases = tmp_path / "cases"
    write_case(cases, "d/same/text", "import OpenImageIO as oiio, os\nprint(object(), os.getcwd())\n"
                                     "print(oiio.TypeDesc('half'))\n")
    write_case(cases, "d/diff/text", MARKER + "print('ours' if marker else 'reference')\n")
    write_case(cases, "d/diff/exception", "# expect-error\n" + MARKER +
               "raise (TypeError if marker else ValueError)('boom')\n")
    write_case(cases, "d/same/exception", "# expect-error\n" + MARKER +
               "raise ValueError('message ' + str(marker))\n")
    write_case(cases, "d/diff/exit", MARKER + "raise SystemExit(3 if marker else 0)\n")
    image_case = MARKER + """
import OpenImageIO as oiio
delta = getattr(marker, "{attr}", 0.0)
buf = oiio.ImageBuf(oiio.ImageSpec(32, 16, 3, oiio.FLOAT))
oiio.ImageBufAlgo.fill(buf, (0.25, 0.5, 0.75))
oiio.ImageBufAlgo.fill(buf, (0.25 + delta, 0.5, 0.75), roi=oiio.ROI(0, 4, 0, 1))
buf.write("{name}")
"""
    write_case(cases, "d/diff/image", image_case.format(attr="OFFSET", name="out.exr"))
    write_case(cases, "d/same/image_small_diff", image_case.format(attr="SMALL", name="out.tif"))
    write_case(cases, "d/diff/image_missing", MARKER + image_case.format(attr="NONE", name="a.png")
               + "if marker:\n    import os; os.remove('a.png')\n")
    write_case(cases, "d/diff/bytes", MARKER + "open('notes.txt', 'w').write(str(bool(marker)))\n")
    write_case(cases, "d/same/bytes", "import os\nos.mkdir('sub')\nopen('sub/notes.txt', 'w').write('x')\n")
    write_case(cases, "d/diff/timeout", MARKER + "import time\nif marker:\n    time.sleep(60)\n")
    proc, verdicts = run_runner("--cases-dir", cases, "--ours-path", linked_ours, "--timeout", "10", "-j", "3")
    status = {k: v[0] for k, v in verdicts.items()}
    assert status == {k: ("PASS" if "/same/" in k else "FAIL") for k in status}, proc.stdout
    assert len(status) == 11
    assert "stdout differs" in verdicts["d/diff/text"][1]
    assert "-reference" in proc.stdout and "+ours" in proc.stdout  # the unified diff is shown
    assert "ValueError" in verdicts["d/diff/exception"][1] and "TypeError" in verdicts["d/diff/exception"][1]
    assert "exit 3" in verdicts["d/diff/exit"][1]
    assert "out.exr: max diff 0.1" in verdicts["d/diff/image"][1]
    assert "a.png" in verdicts["d/diff/image_missing"][1]
    assert "notes.txt" in verdicts["d/diff/bytes"][1]
    assert "timed out" in verdicts["d/diff/timeout"][1]
    assert proc.stdout.splitlines()[-1] == "4 passed, 7 failed"
    assert proc.returncode == 1


def test_all_passing_exits_zero_and_stub_module_is_used(tmp_path, reference):
    cases = tmp_path / "cases"
    write_case(cases, "e/v/version", "import OpenImageIO\nprint(OpenImageIO.__version__)\n")
    stub = tmp_path / "stub"
    (stub / "OpenImageIO").mkdir(parents=True)
    (stub / "OpenImageIO" / "__init__.py").write_text("__version__ = '3.2.2.0'\n")
    proc, verdicts = run_runner("--cases-dir", cases, "--ours-path", stub)
    assert verdicts == {"e/v/version": ("PASS", "")}, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[-1] == "1 passed, 0 failed" and proc.returncode == 0

    (stub / "OpenImageIO" / "__init__.py").write_text("__version__ = '0.0.0'\n")
    proc, verdicts = run_runner("--cases-dir", cases, "--ours-path", stub)
    assert verdicts["e/v/version"][0] == "FAIL" and proc.returncode == 1
    assert "-3.2.2.0" in proc.stdout and "+0.0.0" in proc.stdout


def test_show_output_prints_both_runs(tmp_path, linked_ours):
    cases = tmp_path / "cases"
    write_case(cases, "f/g/hello", MARKER + "print('hello from', 'ours' if marker else 'reference')\n")
    proc, _ = run_runner("--cases-dir", cases, "--ours-path", linked_ours, "--show-output", "f/g/hello")
    assert "hello from reference" in proc.stdout and "hello from ours" in proc.stdout
    assert proc.stdout.splitlines()[-1] == "0 passed, 1 failed"
