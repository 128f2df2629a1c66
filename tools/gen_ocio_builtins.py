"""Dump the reference PyOpenColorIO 2.6.0's builtin configs as data.

Writes impl/vfx-ocio/data/builtin-configs/<name>.ocio (the config text the
reference's BuiltinConfigRegistry holds, byte for byte) and index.tsv (name,
UI name, recommended, default) in the registry's order; and
impl/vfx-ocio/data/builtin-transforms.tsv (BuiltinTransformRegistry's styles
and descriptions). The configs are the
OpenColorIO project's (BSD-3-Clause, see NOTICE there).

Run: PYTHONPATH=.ref/site python tools/gen_ocio_builtins.py
"""

from pathlib import Path

import PyOpenColorIO as O

assert O.__version__ == "2.6.0", O.__version__

OUT = Path(__file__).resolve().parent.parent / "impl" / "vfx-ocio" / "data" / "builtin-configs"
OUT.mkdir(parents=True, exist_ok=True)
rows = []
reg = O.BuiltinConfigRegistry()
for name, ui, recommended, default in reg.getBuiltinConfigs():
    (OUT / f"{name}.ocio").write_bytes(reg[name].encode("utf-8"))
    rows.append(f"{name}\t{ui}\t{int(recommended)}\t{int(default)}\n")
(OUT / "index.tsv").write_text("".join(rows))
print(f"wrote {len(rows)} configs to {OUT}")

# The builtin transforms' styles and descriptions, in registry order.
styles = [f"{style}\t{desc}\n" for style, desc in O.BuiltinTransformRegistry().getBuiltins()]
assert not any("\t" in s.split("\t", 1)[1].rstrip("\n") or "\n" in s[:-1] for s in styles)
(OUT.parent / "builtin-transforms.tsv").write_text("".join(styles))
print(f"wrote {len(styles)} builtin transform styles")
