#!/usr/bin/env python3
"""Differential conformance runner for vfx-rs.

Every case under cases/ is a standalone script using the public OpenImageIO /
PyOpenColorIO API. It runs twice in fresh temp dirs: once against the official
wheels (the oracle, installed in .ref/site) and once against ours. The runs
must agree on stdout (after the normalisations listed in
KNOWN_DIFFERENCES.md), on exit status and exception type, and on every file
written: images within idiff's tolerance (both read by the reference
OpenImageIO), other files byte for byte.

Case conventions:
  * a first line ``# expect-error`` means the case is meant to raise; without
    it, a case that fails against the reference is BROKEN;
  * a reference run whose first stdout line is ``SKIP: <reason>`` is skipped;
  * files starting with ``_`` are helpers, importable from cases beside them;
  * env ``VFX_SHARED`` points at ../shared when that folder exists.

Usage: run.py [FILTER ...] [-j N] [--list] [--ref-only] [--show-output CASE]
              [--python EXE] [--ours-path DIR] [--timeout S] [--cases-dir DIR]
Last output line: "N passed, M failed[, K skipped]"; exit 0 only if M == 0.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

# --- paths and names, all in one place --------------------------------------
SUITE_DIR = Path(__file__).resolve().parent
ROOT = SUITE_DIR.parent
CASES_DIR = SUITE_DIR / "cases"
REF_DIR = ROOT / ".ref"
REF_SITE = REF_DIR / "site"
REQUIREMENTS = SUITE_DIR / "reference-requirements.txt"
SHARED_DIR = ROOT.parent / "shared"
SHARED_ENV = "VFX_SHARED"                 # env var telling cases where shared data is
PYTHONPATH_ENV = "PYTHONPATH"
FIXED_ENV = {                              # same for both runs, see KNOWN_DIFFERENCES.md
    "PYTHONHASHSEED": "0",
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYTHONIOENCODING": "utf-8",
}
IMAGE_EXTS = {"exr", "tif", "tiff", "png", "jpg", "jpeg", "dpx", "cin", "hdr", "tga", "bmp",
              "pnm", "ppm", "pgm", "pfm", "sgi", "rgb", "ico", "gif", "webp", "tx"}
EXPECT_ERROR_MARK = "# expect-error"
SKIP_PREFIX = "SKIP: "
PENDING_FILE = SUITE_DIR / "pending.txt"  # cases waiting on a later issue
DEFAULT_TIMEOUT = 120.0
DEFAULT_JOBS = 2
DIFF_LINES = 40
# -----------------------------------------------------------------------------

# Reads image files with the reference OpenImageIO (run in a subprocess with
# the reference on PYTHONPATH); stdin: [[image, npy_out], ...]; writes JSON
# {image: error message or ""} to the file named by argv[1] (not stdout, where
# OpenImageIO itself may print).
ORACLE_READER = r"""
import json, sys
import numpy as np
import OpenImageIO as oiio
result = {}
for src, dst in json.load(sys.stdin):
    try:
        buf = oiio.ImageBuf(src)
        if not buf.read(0, 0, True, oiio.FLOAT):
            result[src] = buf.geterror() or "could not read"
            continue
        np.save(dst, np.asarray(buf.get_pixels(oiio.FLOAT), dtype=np.float32))
        result[src] = ""
    except Exception as exc:
        result[src] = "%s: %s" % (type(exc).__name__, exc)
with open(sys.argv[1], "w") as f:
    json.dump(result, f)
"""


@dataclass
class Run:
    """What one execution of a case produced."""

    rc: int | None
    stdout: str
    stderr: str
    tmpdir: Path
    timed_out: bool = False

    @property
    def exception(self) -> str | None:
        return exception_type(self.stderr)


@dataclass
class Outcome:
    """Verdict for one case: PASS, FAIL, BROKEN or SKIP, with details for failures."""

    case_id: str
    status: str
    reason: str = ""
    details: list[str] = field(default_factory=list)
    ref: Run | None = None
    other: Run | None = None


@dataclass
class Options:
    python: str = sys.executable
    ours_path: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    ref_only: bool = False
    ref_site: Path = REF_SITE


# --- reference install --------------------------------------------------------

def pinned_versions(requirements: Path = REQUIREMENTS) -> dict[str, str]:
    """{normalised name: version} from the 'name==version' lines of the pins file."""
    pins = {}
    for line in requirements.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[normalise_dist_name(name)] = version.strip()
    return pins


def normalise_dist_name(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name.strip()).lower()


def installed_versions(site: Path) -> dict[str, str]:
    """{normalised name: version} read from the *.dist-info folder names in site."""
    found = {}
    if site.is_dir():
        for entry in site.glob("*.dist-info"):
            name, _, version = entry.name[: -len(".dist-info")].partition("-")
            found[normalise_dist_name(name)] = version
    return found


def reference_is_current(site: Path = REF_SITE, requirements: Path = REQUIREMENTS) -> bool:
    """True when site holds OpenImageIO and exactly the pinned versions."""
    if not (site / "OpenImageIO").is_dir():
        return False
    have = installed_versions(site)
    return all(have.get(name) == version for name, version in pinned_versions(requirements).items())


def ensure_reference(python: str = sys.executable, site: Path = REF_SITE,
                     requirements: Path = REQUIREMENTS) -> None:
    """Install the pinned official wheels into site unless they are already there.

    A stale install is wiped first because pip --target does not replace
    existing packages. Raises RuntimeError when pip fails.
    """
    if reference_is_current(site, requirements):
        return
    if site.exists():
        shutil.rmtree(site)
    site.parent.mkdir(parents=True, exist_ok=True)
    print(f"installing reference wheels into {site} ...", file=sys.stderr)
    if subprocess.run([python, "-m", "pip", "--version"], capture_output=True).returncode != 0:
        python = sys.executable  # e.g. a venv made without pip: use the runner's own pip
    cmd = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
           "--target", str(site), "-r", str(requirements)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0 or not reference_is_current(site, requirements):
        raise RuntimeError(f"reference install failed: {' '.join(cmd)}\n{proc.stdout}{proc.stderr}")


# --- cases ----------------------------------------------------------------------

def load_pending(path: Path = PENDING_FILE) -> dict[str, str]:
    """Case id -> reason, from lines `case-id  # issue N: why`."""
    pending = {}
    if path.exists():
        for line in path.read_text().splitlines():
            case_id, _, why = line.partition("#")
            if case_id.strip():
                pending[case_id.strip()] = why.strip()
    return pending


def apply_pending(outcome: "Outcome", pending: dict[str, str]) -> "Outcome":
    """A listed case that fails is PENDING (not a failure); one that passes
    FAILs until it is taken off the list, so the list cannot go stale."""
    why = pending.get(outcome.case_id)
    if why is None or outcome.status not in ("PASS", "FAIL"):
        return outcome
    if outcome.status == "PASS":
        return Outcome(outcome.case_id, "FAIL", f"passes now: remove it from {PENDING_FILE.name}", [],
                       outcome.ref, outcome.other)
    return Outcome(outcome.case_id, "PENDING", f"{why} ({outcome.reason})", [], outcome.ref, outcome.other)


def discover_cases(cases_dir: Path = CASES_DIR, filters: list[str] | None = None) -> dict[str, Path]:
    """{case id: script} for every *.py under cases_dir not starting with '_'.

    The id is the path below cases_dir without '.py'; filters keep the ids
    containing any of the given substrings.
    """
    cases = {}
    if cases_dir.is_dir():
        for script in sorted(cases_dir.rglob("*.py")):
            if script.name.startswith("_") or "__pycache__" in script.parts:
                continue
            case_id = script.relative_to(cases_dir).with_suffix("").as_posix()
            if not filters or any(f in case_id for f in filters):
                cases[case_id] = script
    return cases


def expects_error(script: Path) -> bool:
    """A case declares an expected exception with '# expect-error' as its first line."""
    with open(script, encoding="utf-8", errors="replace") as f:
        return f.readline().strip().startswith(EXPECT_ERROR_MARK)


def is_ref_path(entry: str, ref_dir: Path = REF_DIR) -> bool:
    """True for PYTHONPATH entries that point into a reference install (.ref)."""
    path = Path(entry).resolve()
    return ".ref" in Path(entry).parts or path == ref_dir.resolve() or ref_dir.resolve() in path.parents


def case_env(script: Path, side: str, opts: Options) -> dict[str, str]:
    """Environment for one run: side is 'ref' or 'ours'.

    Both sides get the case folder on PYTHONPATH (for _common.py helpers) and
    lose any .ref entry inherited from the caller; 'ref' puts the reference
    site first, 'ours' puts --ours-path first when given.
    """
    env = dict(os.environ)
    inherited = [p for p in env.get(PYTHONPATH_ENV, "").split(os.pathsep) if p and not is_ref_path(p)]
    if side == "ref":
        front = [str(opts.ref_site)]
    else:
        front = [opts.ours_path] if opts.ours_path else []
    env[PYTHONPATH_ENV] = os.pathsep.join(front + [str(script.parent)] + inherited)
    env.update(FIXED_ENV)
    env.pop(SHARED_ENV, None)
    if SHARED_DIR.is_dir():
        env[SHARED_ENV] = str(SHARED_DIR.resolve())
    return env


def run_case_once(script: Path, side: str, opts: Options) -> Run:
    """Run the case script in a fresh temp dir and capture what it printed."""
    tmpdir = Path(tempfile.mkdtemp(prefix=f"vfxconf-{side}-"))
    try:
        proc = subprocess.run([opts.python, str(script)], cwd=tmpdir, env=case_env(script, side, opts),
                              stdin=subprocess.DEVNULL, capture_output=True, timeout=opts.timeout)
        return Run(proc.returncode, decode(proc.stdout), decode(proc.stderr), tmpdir)
    except subprocess.TimeoutExpired as exc:
        return Run(None, decode(exc.stdout), decode(exc.stderr), tmpdir, timed_out=True)


def decode(data: bytes | None) -> str:
    return (data or b"").decode("utf-8", errors="replace")


# --- comparison -------------------------------------------------------------------

def normalise_stdout(text: str, tmpdir: Path) -> str:
    """Apply the documented normalisations: object addresses and the run's temp dir."""
    for path in sorted({str(tmpdir), os.path.realpath(tmpdir)}, key=len, reverse=True):
        text = text.replace(path, "<TMP>")
    return re.sub(r" at 0x[0-9a-fA-F]+", " at 0x?", text)


def exception_type(stderr: str) -> str | None:
    """Name of the uncaught exception in stderr ('ValueError', 'mod.MyError'), or None.

    Takes the last traceback and its first unindented line after the header,
    so multi-line messages and output printed after the traceback don't matter.
    """
    lines = stderr.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("Traceback (most recent call last)")]
    if not starts:
        return None
    for line in lines[starts[-1] + 1:]:
        if line and not line[0].isspace():
            match = re.match(r"([A-Za-z_][\w.]*)(:|$)", line)
            return match.group(1) if match else line.strip()
    return None


def describe_exit(run: Run) -> str:
    if run.timed_out:
        return "timed out"
    if run.rc == 0:
        return "exit 0"
    return f"exit {run.rc}" + (f" ({run.exception})" if run.exception else "")


def written_files(tmpdir: Path) -> dict[str, Path]:
    """{relative posix path: path} of every file a run left in its temp dir."""
    return {p.relative_to(tmpdir).as_posix(): p for p in sorted(tmpdir.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts}


def is_image(name: str) -> bool:
    return name.rsplit(".", 1)[-1].lower() in IMAGE_EXTS if "." in name else False


def read_with_oracle(images: list[Path], opts: Options, workdir: Path) -> dict[Path, object]:
    """Pixels of each image as read by the reference OpenImageIO: array, or error string."""
    if not images:
        return {}
    jobs = [[str(img), str(workdir / f"{i}.npy")] for i, img in enumerate(images)]
    env = dict(os.environ, **FIXED_ENV)
    env[PYTHONPATH_ENV] = str(opts.ref_site)
    report_file = workdir / "report.json"
    try:
        proc = subprocess.run([opts.python, "-c", ORACLE_READER, str(report_file)], cwd=workdir, env=env,
                              input=json.dumps(jobs).encode(), capture_output=True, timeout=opts.timeout)
    except subprocess.TimeoutExpired:
        return {img: "reference reader timed out" for img in images}
    try:
        report = json.loads(report_file.read_text())
    except (OSError, ValueError):
        return {img: "reference reader failed: " + tail(decode(proc.stderr), 3) for img in images}
    compare_module()  # makes numpy importable
    import numpy as np
    return {img: (np.load(dst) if report.get(src) == "" else report.get(src, "not read"))
            for img, (src, dst) in zip(images, jobs)}


_compare = None


def compare_module():
    """Import compare.py lazily; if numpy is missing here, borrow the reference site's."""
    global _compare
    if _compare is None:
        try:
            import numpy  # noqa: F401
        except ImportError:
            sys.path.append(str(REF_SITE))
        sys.path.insert(0, str(SUITE_DIR))
        import compare
        _compare = compare
    return _compare


def compare_files(ref: Run, other: Run, opts: Options) -> tuple[list[str], list[str]]:
    """Problems (short) and details (long) from comparing the files both runs wrote."""
    problems, details = [], []
    ref_files, other_files = written_files(ref.tmpdir), written_files(other.tmpdir)
    missing = sorted(set(ref_files) - set(other_files))
    extra = sorted(set(other_files) - set(ref_files))
    if missing:
        problems.append("files not written: " + ", ".join(missing))
    if extra:
        problems.append("unexpected files written: " + ", ".join(extra))
    common = sorted(set(ref_files) & set(other_files))
    images = [name for name in common if is_image(name)]
    for name in common:
        if not is_image(name) and ref_files[name].read_bytes() != other_files[name].read_bytes():
            problems.append(f"{name}: content differs")
    if images:
        with tempfile.TemporaryDirectory(prefix="vfxconf-px-") as work:
            paths = [ref_files[n] for n in images] + [other_files[n] for n in images]
            pixels = read_with_oracle(paths, opts, Path(work))
            for name in images:
                a, b = pixels[ref_files[name]], pixels[other_files[name]]
                problem = compare_image(name, a, b, ref_files[name], other_files[name])
                if problem:
                    problems.append(problem)
    return problems, details


def compare_image(name: str, a, b, path_a: Path, path_b: Path) -> str | None:
    """Problem text for one image pair, or None when they match within tolerance."""
    if isinstance(a, str) and isinstance(b, str):
        # Neither is readable by the reference: fall back to identical bytes.
        return None if path_a.read_bytes() == path_b.read_bytes() else f"{name}: unreadable and bytes differ"
    if isinstance(a, str):
        return f"{name}: reference output unreadable by reference ({a.splitlines()[0]})"
    if isinstance(b, str):
        return f"{name}: unreadable by reference OpenImageIO ({b.splitlines()[0]})"
    result = compare_module().compare_pixels(a, b)
    return None if result.passed else f"{name}: {result.stats()}"


def compare_runs(ref: Run, other: Run, opts: Options) -> tuple[list[str], list[str]]:
    """Everything that differs between the reference run and the other run."""
    if other.timed_out:
        return [f"timed out after {opts.timeout:g}s"], [tail(other.stderr)]
    problems, details = [], []
    other_name = "reference again" if opts.ref_only else "ours"
    if ref.rc != other.rc or (ref.rc != 0 and ref.exception != other.exception):
        problems.append(f"reference {describe_exit(ref)}, {other_name} {describe_exit(other)}")
        if other.rc != 0:
            details.append(f"{other_name} stderr:\n" + tail(other.stderr))
    ref_out = normalise_stdout(ref.stdout, ref.tmpdir).splitlines()
    other_out = normalise_stdout(other.stdout, other.tmpdir).splitlines()
    if ref_out != other_out:
        problems.append("stdout differs")
        diff = list(difflib.unified_diff(ref_out, other_out, "reference", other_name, lineterm="", n=2))
        if len(diff) > DIFF_LINES:
            diff = diff[:DIFF_LINES] + [f"... ({len(diff) - DIFF_LINES} more diff lines)"]
        details.append("\n".join(diff))
    file_problems, file_details = compare_files(ref, other, opts)
    return problems + file_problems, details + file_details


def tail(text: str, lines: int = 15) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])


def run_case(case_id: str, script: Path, opts: Options) -> Outcome:
    """Run one case against the reference, then ours (or the reference again with --ref-only)."""
    ref = run_case_once(script, "ref", opts)
    other = None
    try:
        if ref.timed_out:
            return Outcome(case_id, "BROKEN", f"reference timed out after {opts.timeout:g}s",
                           [tail(ref.stderr)], ref)
        first_line = ref.stdout.splitlines()[0] if ref.stdout else ""
        if ref.rc == 0 and first_line.startswith(SKIP_PREFIX):
            return Outcome(case_id, "SKIP", first_line[len(SKIP_PREFIX):].strip(), [], ref)
        expect_error = expects_error(script)
        if ref.rc != 0 and not expect_error:
            return Outcome(case_id, "BROKEN", f"reference {describe_exit(ref)}",
                           ["reference stderr:\n" + tail(ref.stderr)], ref)
        if ref.rc == 0 and expect_error:
            return Outcome(case_id, "BROKEN", "marked expect-error but reference succeeded", [], ref)
        other = run_case_once(script, "ref" if opts.ref_only else "ours", opts)
        problems, details = compare_runs(ref, other, opts)
        if not problems:
            return Outcome(case_id, "PASS", "", [], ref, other)
        status = "BROKEN" if opts.ref_only else "FAIL"
        reason = ("not deterministic: " if opts.ref_only else "") + problems[0]
        if len(problems) > 1:
            reason += f" (+{len(problems) - 1} more)"
        return Outcome(case_id, status, reason, problems[1:] + details, ref, other)
    finally:
        for run in (ref, other):
            if run is not None:
                shutil.rmtree(run.tmpdir, ignore_errors=True)


# --- command line -----------------------------------------------------------------

def numpy_version(side: str, opts: Options) -> str:
    """numpy version one side's environment imports (stdout of a tiny probe)."""
    env = case_env(SUITE_DIR / "run.py", side, opts)
    proc = subprocess.run([opts.python, "-c", "import numpy; print(numpy.__version__)"],
                          env=env, capture_output=True, text=True, cwd=tempfile.gettempdir())
    return proc.stdout.strip() if proc.returncode == 0 else "missing"


def warn_numpy_mismatch(opts: Options) -> None:
    """Numpy prints differently across versions, so both sides should share one."""
    ref_np, ours_np = numpy_version("ref", opts), numpy_version("ours", opts)
    if ref_np != ours_np:
        print(f"warning: numpy differs between reference ({ref_np}) and ours ({ours_np}); "
              "array printing may differ", file=sys.stderr)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Run vfx-rs conformance cases against the official wheels.")
    parser.add_argument("filters", nargs="*", help="keep case ids containing any of these substrings")
    parser.add_argument("-j", "--jobs", type=int, default=DEFAULT_JOBS, help="parallel cases")
    parser.add_argument("--list", action="store_true", help="list the selected case ids and exit")
    parser.add_argument("--ref-only", action="store_true",
                        help="validate cases: run each twice against the reference only")
    parser.add_argument("--show-output", metavar="CASE", help="print both stdouts of the matching cases")
    parser.add_argument("--python", default=sys.executable, help="interpreter running the cases")
    parser.add_argument("--ours-path", metavar="DIR", help="prepend DIR to PYTHONPATH for our runs")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per run")
    parser.add_argument("--cases-dir", type=Path, default=CASES_DIR, help="folder of cases (default: tests-oiio-suite/cases)")
    return parser.parse_args(argv)


def show_output(outcome: Outcome) -> None:
    for label, run in (("reference", outcome.ref), ("ours", outcome.other)):
        if run is None:
            continue
        print(f"===== {outcome.case_id} [{label}] {describe_exit(run)}")
        print(run.stdout, end="" if run.stdout.endswith("\n") or not run.stdout else "\n")
        if run.stderr:
            print(f"----- stderr [{label}]")
            print(run.stderr, end="" if run.stderr.endswith("\n") else "\n")
    print(f"{outcome.status}  {outcome.case_id}  {outcome.reason}".rstrip())


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    filters = [args.show_output] if args.show_output else args.filters
    cases = discover_cases(args.cases_dir, filters)
    if args.list:
        print("\n".join(cases))
        return 0
    opts = Options(python=args.python, ours_path=str(Path(args.ours_path).resolve()) if args.ours_path else None,
                   timeout=args.timeout, ref_only=args.ref_only)
    try:
        ensure_reference(opts.python)
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return 2
    if not cases:
        print("warning: no cases matched", file=sys.stderr)
    elif not opts.ref_only:
        warn_numpy_mismatch(opts)

    outcomes = []
    pending = load_pending()
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for outcome in pool.map(lambda item: run_case(item[0], item[1], opts), cases.items()):
            if not opts.ref_only:
                outcome = apply_pending(outcome, pending)
            outcomes.append(outcome)
            if args.show_output:
                show_output(outcome)
            else:
                print(f"{outcome.status}  {outcome.case_id}  {outcome.reason}".rstrip(), flush=True)

    bad = [o for o in outcomes if o.status in ("FAIL", "BROKEN")]
    detailed = [(o, [d for d in o.details if d.strip()]) for o in bad]
    detailed = [(o, details) for o, details in detailed if details]
    for outcome, details in detailed:
        print(f"\n--- {outcome.status} {outcome.case_id}: {outcome.reason}")
        print("\n".join(details))
    passed = sum(o.status == "PASS" for o in outcomes)
    skipped = sum(o.status in ("SKIP", "PENDING") for o in outcomes)
    summary = f"{passed} passed, {len(bad)} failed"
    if skipped:
        summary += f", {skipped} skipped"
    print(("\n" if detailed else "") + summary)
    return 0 if not bad else 1


if __name__ == "__main__":
    sys.exit(main())
