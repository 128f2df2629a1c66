"""Config.serialize() of every builtin config, of the raw and the empty
config, and of configs read back from their own serialization: the text must
be identical to the reference's, byte for byte."""

import PyOpenColorIO as OCIO

configs = [("Config()", OCIO.Config()), ("CreateRaw", OCIO.Config.CreateRaw())]
for name in OCIO.BuiltinConfigRegistry():
    configs.append((name, OCIO.Config.CreateFromBuiltinConfig(name)))

for label, cfg in configs:
    text = cfg.serialize()
    again = OCIO.Config.CreateFromStream(text).serialize()
    print(f"== {label}: {len(text)} bytes, stable={again == text}")
    print(text)
