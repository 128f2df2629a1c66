# The README's main job (examples/plate_report.py), run as a differential case:
# its printout and the spec sidecar it writes must match the reference's.
import os
import runpy
import sys

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.argv = ["plate_report.py", "."]
try:
    runpy.run_path(os.path.join(root, "examples", "plate_report.py"), run_name="__main__")
except SystemExit as e:
    sys.exit(e.code)
