"""CDLTransform.CreateFromFile / CreateGroupFromFile on every ASC CDL file
(.cc, .ccc, .cdl) in ../shared/ocio-data: each correction by id, by index
and the first one, with its values and metadata; the collection's own
metadata; lookups that fail. Skips when ../shared is absent."""

import glob
import os
import sys

import PyOpenColorIO as OCIO

shared = os.environ.get("VFX_SHARED")
if not shared or not os.path.isdir(os.path.join(shared, "ocio-data")):
    print("SKIP: ../shared/ocio-data absent")
    sys.exit(0)
DATA = os.path.join(shared, "ocio-data")

OCIO.SetLoggingLevel(OCIO.LOGGING_LEVEL_NONE)
files = sorted(f for ext in ("cc", "ccc", "cdl") for f in glob.glob(os.path.join(DATA, "*." + ext)))
for path in files:
    name = os.path.basename(path)
    try:
        group = OCIO.CDLTransform.CreateGroupFromFile(path)
    except Exception as e:
        print(name, "group ->", type(e).__name__)
        continue
    print(name, len(group), group.getFormatMetadata())
    ids = [t.getID() for t in group] + ["", "0", str(len(group) - 1), str(len(group)), "-1", "nope"]
    for cdl_id in ids:
        try:
            t = OCIO.CDLTransform.CreateFromFile(path, cdl_id)
            print("   ", repr(cdl_id), repr(t), t.getFirstSOPDescription(), t.getFormatMetadata())
        except Exception as e:
            print("   ", repr(cdl_id), type(e).__name__, e)
try:
    OCIO.CDLTransform.CreateFromFile(os.path.join(DATA, "no_such_file.cc"), "x")
except Exception as e:
    print("missing file", type(e).__name__)
