# from_xml() with partial, hand-written or malformed documents.
import OpenImageIO as oiio
from _common import dump

base = oiio.ImageSpec(4, 4, 3, "float")
base.attribute("keep", "yes")

for label, doc in [
    ("garbage", "garbage"),
    ("empty string", ""),
    ("width only", "<ImageSpec><width>7</width></ImageSpec>"),
    ("versioned with attribs",
     '<ImageSpec version="27"><width>7</width><nchannels>2</nchannels>'
     '<format>uint16</format>'
     '<attrib name="q" type="float[2]">1.5, 2</attrib>'
     '<attrib name="r" type="rational">3/4</attrib>'
     '<attrib name="i" type="int">-12</attrib>'
     '<attrib name="s" type="string">hi &amp; bye</attrib>'
     '</ImageSpec>'),
    ("channel names",
     '<ImageSpec><nchannels>2</nchannels><channelnames>'
     '<channelname>L</channelname><channelname>Q</channelname>'
     '</channelnames></ImageSpec>'),
]:
    s = oiio.ImageSpec(base)
    r = s.from_xml(doc)
    dump(s, "%s (returned %r)" % (label, r))
