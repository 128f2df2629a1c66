//! Text metadata packets shared by several formats, handled the way
//! OpenImageIO 3.2.2 does:
//!
//! * XMP ([`decode_xmp`], [`encode_xmp`]): OIIO's tag table maps XMP names
//!   to its attribute names and types; unknown names become attributes
//!   named as in the XML, typed by what their text looks like. The XML is
//!   read with a small tolerant parser that behaves like pugixml's default
//!   mode (malformed packets keep whatever parsed before the error).
//! * IPTC IIM records ([`decode_iptc_iim`], [`encode_iptc_iim`]), as found in
//!   JPEG APP13 "Photoshop 3.0" blocks and TIFF.

use vfx_core::{Aggregate, BaseType, ImageSpec, Interp, ParamValue, TypeDesc, Value, VecSemantics};

// ---------------------------------------------------------------------------
// A tolerant XML reader (pugixml's default parse mode, fragments allowed)

#[derive(Debug, Default)]
struct XmlNode {
    /// Element name as written (with prefix); empty for text nodes.
    name: String,
    /// Text of a PCDATA/CDATA node.
    value: String,
    attrs: Vec<(String, String)>,
    first_child: Option<usize>,
    next: Option<usize>,
}

struct XmlDoc {
    nodes: Vec<XmlNode>,
    /// Top-level nodes' first.
    root_first: Option<usize>,
}

struct XmlParser<'a> {
    s: &'a [u8],
    i: usize,
    nodes: Vec<XmlNode>,
}

fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b':' | b'_' | b'-' | b'.') || c >= 0x80
}

/// Decode entities and normalise line ends (and, in attributes, whitespace).
fn unescape(raw: &[u8], attr: bool) -> String {
    let mut out: Vec<u8> = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let c = raw[i];
        if c == b'&' {
            let end = raw[i..].iter().take(12).position(|&b| b == b';');
            if let Some(e) = end {
                let ent = &raw[i + 1..i + e];
                let rep: Option<Vec<u8>> = match ent {
                    b"lt" => Some(b"<".to_vec()),
                    b"gt" => Some(b">".to_vec()),
                    b"amp" => Some(b"&".to_vec()),
                    b"apos" => Some(b"'".to_vec()),
                    b"quot" => Some(b"\"".to_vec()),
                    _ if ent.first() == Some(&b'#') => {
                        let num = if ent.get(1) == Some(&b'x') {
                            std::str::from_utf8(&ent[2..])
                                .ok()
                                .and_then(|t| u32::from_str_radix(t, 16).ok())
                        } else {
                            std::str::from_utf8(&ent[1..]).ok().and_then(|t| t.parse::<u32>().ok())
                        };
                        num.and_then(char::from_u32).map(|ch| ch.to_string().into_bytes())
                    }
                    _ => None,
                };
                if let Some(r) = rep {
                    out.extend_from_slice(&r);
                    i += e + 1;
                    continue;
                }
            }
            out.push(c);
            i += 1;
        } else if c == b'\r' {
            out.push(if attr { b' ' } else { b'\n' });
            i += if raw.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
        } else if attr && (c == b'\n' || c == b'\t') {
            out.push(b' ');
            i += 1;
        } else {
            out.push(c);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl XmlParser<'_> {
    fn starts(&self, p: &[u8]) -> bool {
        self.s[self.i..].starts_with(p)
    }
    fn skip_to(&mut self, p: &[u8]) -> bool {
        match self.s[self.i..].windows(p.len()).position(|w| w == p) {
            Some(k) => {
                self.i += k + p.len();
                true
            }
            None => {
                self.i = self.s.len();
                false
            }
        }
    }
    fn skip_ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }
    fn name(&mut self) -> Option<String> {
        let st = self.i;
        while self.i < self.s.len() && is_name_char(self.s[self.i]) {
            self.i += 1;
        }
        (self.i > st).then(|| String::from_utf8_lossy(&self.s[st..self.i]).into_owned())
    }
    fn push(&mut self, n: XmlNode, parent: Option<usize>, last: &mut [Option<usize>], root_first: &mut Option<usize>) {
        let id = self.nodes.len();
        self.nodes.push(n);
        let depth = last.len() - 1;
        match last[depth] {
            Some(prev) => self.nodes[prev].next = Some(id),
            None => match parent {
                Some(p) => self.nodes[p].first_child = Some(id),
                None => *root_first = Some(id),
            },
        }
        last[depth] = Some(id);
    }

    /// Parse everything; on a syntax error, stop and keep what was built.
    fn parse(mut self) -> XmlDoc {
        let mut root_first = None;
        // Stack of open elements and, per level, the last child added.
        let mut stack: Vec<usize> = Vec::new();
        let mut last: Vec<Option<usize>> = vec![None];
        const MAX_NODES: usize = 1 << 20;
        while self.i < self.s.len() && self.nodes.len() < MAX_NODES {
            if self.s[self.i] != b'<' {
                let st = self.i;
                while self.i < self.s.len() && self.s[self.i] != b'<' {
                    self.i += 1;
                }
                let raw = &self.s[st..self.i];
                if raw.iter().any(|c| !c.is_ascii_whitespace()) {
                    let n = XmlNode {
                        value: unescape(raw, false),
                        ..Default::default()
                    };
                    let parent = stack.last().copied();
                    self.push(n, parent, &mut last, &mut root_first);
                }
                continue;
            }
            if self.starts(b"<!--") {
                self.i += 4;
                if !self.skip_to(b"-->") {
                    break;
                }
            } else if self.starts(b"<![CDATA[") {
                self.i += 9;
                let st = self.i;
                let ok = self.skip_to(b"]]>");
                let end = if ok { self.i - 3 } else { self.s.len() };
                let n = XmlNode {
                    value: String::from_utf8_lossy(&self.s[st..end])
                        .replace("\r\n", "\n")
                        .replace('\r', "\n"),
                    ..Default::default()
                };
                let parent = stack.last().copied();
                self.push(n, parent, &mut last, &mut root_first);
                if !ok {
                    break;
                }
            } else if self.starts(b"<?") {
                self.i += 2;
                if !self.skip_to(b"?>") {
                    break;
                }
            } else if self.starts(b"<!") {
                // DOCTYPE and friends: skip, allowing one level of [...].
                let mut depth = 0;
                while self.i < self.s.len() {
                    match self.s[self.i] {
                        b'[' => depth += 1,
                        b']' => depth -= 1,
                        b'>' if depth <= 0 => break,
                        _ => {}
                    }
                    self.i += 1;
                }
                self.i += 1;
            } else if self.starts(b"</") {
                self.i += 2;
                let Some(name) = self.name() else { break };
                self.skip_ws();
                if self.s.get(self.i) != Some(&b'>') {
                    break;
                }
                self.i += 1;
                match stack.last() {
                    Some(&top) if self.nodes[top].name == name => {
                        stack.pop();
                        last.pop();
                    }
                    _ => break,
                }
            } else {
                self.i += 1;
                let Some(name) = self.name() else { break };
                let mut node = XmlNode {
                    name,
                    ..Default::default()
                };
                let mut closed = false;
                let mut ok = true;
                loop {
                    self.skip_ws();
                    match self.s.get(self.i) {
                        Some(b'/') if self.s.get(self.i + 1) == Some(&b'>') => {
                            self.i += 2;
                            closed = true;
                            break;
                        }
                        Some(b'>') => {
                            self.i += 1;
                            break;
                        }
                        Some(_) => {
                            let Some(an) = self.name() else {
                                ok = false;
                                break;
                            };
                            self.skip_ws();
                            if self.s.get(self.i) != Some(&b'=') {
                                ok = false;
                                break;
                            }
                            self.i += 1;
                            self.skip_ws();
                            let q = match self.s.get(self.i) {
                                Some(&q @ (b'"' | b'\'')) => q,
                                _ => {
                                    ok = false;
                                    break;
                                }
                            };
                            self.i += 1;
                            let st = self.i;
                            while self.i < self.s.len() && self.s[self.i] != q {
                                self.i += 1;
                            }
                            if self.i >= self.s.len() {
                                ok = false;
                                break;
                            }
                            node.attrs.push((an, unescape(&self.s[st..self.i], true)));
                            self.i += 1;
                        }
                        None => {
                            ok = false;
                            break;
                        }
                    }
                }
                let parent = stack.last().copied();
                let id = self.nodes.len();
                self.push(node, parent, &mut last, &mut root_first);
                if !ok {
                    break;
                }
                if !closed {
                    stack.push(id);
                    last.push(None);
                }
            }
        }
        XmlDoc {
            nodes: self.nodes,
            root_first,
        }
    }
}

fn parse_xml(s: &[u8]) -> XmlDoc {
    XmlParser {
        s,
        i: 0,
        nodes: Vec::new(),
    }
    .parse()
}

// ---------------------------------------------------------------------------
// OIIO's XMP tag table

const RATIONAL: u32 = 1;
const DATE_CONVERSION: u32 = 2;
const TIFF_REDUNDANT: u32 = 4;
const EXIF_REDUNDANT: u32 = 8;
const SUPPRESS: u32 = 16;
const IS_LIST: u32 = 32;
const IS_SEQ: u32 = 64;
const IS_BOOL: u32 = 128;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum XType {
    Unknown,
    Str,
    Int,
    Float,
}

struct XmpTag {
    xmp: &'static str,
    oiio: &'static str,
    ty: XType,
    special: u32,
}

const fn x(xmp: &'static str, oiio: &'static str, ty: XType, special: u32) -> XmpTag {
    XmpTag { xmp, oiio, ty, special }
}

use XType::{Float as F, Int as I, Str as S};

static XMP_TAGS: &[XmpTag] = &[
    x("photoshop:AuthorsPosition", "IPTC:AuthorsPosition", S, 0),
    x("photoshop:CaptionWriter", "IPTC:CaptionWriter", S, 0),
    x("photoshop:Category", "IPTC:Category", S, 0),
    x("photoshop:City", "IPTC:City", S, 0),
    x("photoshop:Country", "IPTC:Country", S, 0),
    x("photoshop:Credit", "IPTC:Provider", S, 0),
    x("photoshop:DateCreated", "DateTime", S, DATE_CONVERSION | TIFF_REDUNDANT),
    x("photoshop:Headline", "IPTC:Headline", S, 0),
    x("photoshop:History", "ImageHistory", S, 0),
    x("photoshop:Instructions", "IPTC:Instructions", S, 0),
    x("photoshop:Source", "IPTC:Source", S, 0),
    x("photoshop:State", "IPTC:State", S, 0),
    x(
        "photoshop:SupplementalCategories",
        "IPTC:SupplementalCategories",
        S,
        IS_LIST | SUPPRESS,
    ),
    x("photoshop:TransmissionReference", "IPTC:TransmissionReference", S, 0),
    x("photoshop:Urgency", "photoshop:Urgency", I, 0),
    x("tiff:Compression", "tiff:Compression", I, TIFF_REDUNDANT),
    x(
        "tiff:PlanarConfiguration",
        "tiff:PlanarConfiguration",
        I,
        TIFF_REDUNDANT,
    ),
    x(
        "tiff:PhotometricInterpretation",
        "tiff:PhotometricInterpretation",
        I,
        TIFF_REDUNDANT,
    ),
    x("tiff:subfiletype", "tiff:subfiletype", I, TIFF_REDUNDANT),
    x("tiff:Orientation", "Orientation", I, TIFF_REDUNDANT),
    x("tiff:XResolution", "XResolution", F, RATIONAL | TIFF_REDUNDANT),
    x("tiff:YResolution", "YResolution", F, RATIONAL | TIFF_REDUNDANT),
    x("tiff:ResolutionUnit", "ResolutionUnit", I, TIFF_REDUNDANT),
    x("tiff:Artist", "Artist", S, 0),
    x("tiff:Copyright", "Copyright", S, 0),
    x("tiff:DateTime", "DateTime", S, DATE_CONVERSION),
    x("tiff:ImageDescription", "ImageDescription", S, 0),
    x("tiff:Make", "Make", S, 0),
    x("tiff:Model", "Model", S, 0),
    x("tiff:Software", "Software", S, TIFF_REDUNDANT),
    x("exif:ColorSpace", "Exif:ColorSpace", I, EXIF_REDUNDANT),
    x(
        "exif:PixelXDimension",
        "Exif:PixelXDimension",
        I,
        EXIF_REDUNDANT | TIFF_REDUNDANT,
    ),
    x(
        "exif:PixelYDimension",
        "Exif:PixelYDimension",
        I,
        EXIF_REDUNDANT | TIFF_REDUNDANT,
    ),
    x(
        "exifEX:PhotographicSensitivity",
        "Exif:ISOSpeedRatings",
        I,
        EXIF_REDUNDANT,
    ),
    x("xmp:CreateDate", "DateTime", S, DATE_CONVERSION | TIFF_REDUNDANT),
    x("xmp:CreatorTool", "Software", S, TIFF_REDUNDANT),
    x("xmp:Label", "IPTC:Label", S, 0),
    x("xmp:MetadataDate", "IPTC:MetadataDate", S, DATE_CONVERSION),
    x("xmp:ModifyDate", "IPTC:ModifyDate", S, DATE_CONVERSION),
    x("xmp:Rating", "IPTC:Rating", I, 0),
    x("xmpMM:DocumentID", "IPTC:DocumentID", S, 0),
    x("xmpMM:History", "ImageHistory", S, IS_SEQ | SUPPRESS),
    x("xmpMM:InstanceID", "IPTC:InstanceID", S, 0),
    x("xmpMM:OriginalDocumentID", "IPTC:OriginalDocumentID", S, 0),
    x("xmpRights:Marked", "IPTC:CopyrightStatus", I, IS_BOOL),
    x("xmpRights:WebStatement", "IPTC:CopyrightInfoURL", S, 0),
    x("xmpRights:UsageTerms", "IPTC:RightsUsageTerms", S, 0),
    x("dc:format", "", S, TIFF_REDUNDANT | SUPPRESS),
    x("dc:Description", "ImageDescription", S, TIFF_REDUNDANT),
    x("dc:Creator", "Artist", S, TIFF_REDUNDANT),
    x("dc:Rights", "Copyright", S, TIFF_REDUNDANT),
    x("dc:title", "IPTC:ObjectName", S, 0),
    x("dc:subject", "Keywords", S, IS_LIST),
    x("dc:keywords", "Keywords", S, IS_LIST),
    x("Iptc4xmpCore:IntellectualGenre", "IPTC:IntellectualGenre", S, 0),
    x("Iptc4xmpCore:CountryCode", "IPTC:CountryCode", S, 0),
    x("Iptc4xmpCore:CreatorContactInfo", "IPTC:CreatorContactInfo", S, 0),
    x("Iptc4xmpCore:ContactInfoDetails", "IPTC:Contact", S, 0),
    x("Iptc4xmpCore:CiAdrExtadr", "IPTC:ContactInfoAddress", S, 0),
    x("Iptc4xmpCore:CiAdrCity", "IPTC:ContactInfoCity", S, 0),
    x("Iptc4xmpCore:CiAdrRegion", "IPTC:ContactInfoState", S, 0),
    x("Iptc4xmpCore:CiAdrPcode", "IPTC:ContactInfoPostalCode", S, 0),
    x("Iptc4xmpCore:CiAdrCtry", "IPTC:ContactInfoCountry", S, 0),
    x("Iptc4xmpCore:CiEmailWork", "IPTC:ContactInfoEmail", S, 0),
    x("Iptc4xmpCore:CiTelWork", "IPTC:ContactInfoPhone", S, 0),
    x("Iptc4xmpCore:CiUrlWork", "IPTC:ContactInfoURL", S, 0),
    x("Iptc4xmpCore:Location", "IPTC:Sublocation", S, 0),
    x("Iptc4xmpCore:SubjectCode", "IPTC:SubjectCode", S, IS_LIST),
    x("Iptc4xmpCore:Scene", "IPTC:SceneCode", S, IS_LIST),
    x("Iptc4xmpExt:PersonInImage", "IPTC:PersonInImage", S, IS_LIST),
    x("aux:Firmware", "aux:Firmware", S, 0),
    x("crs:AutoBrightness", "crs:AutoBrightness", I, IS_BOOL),
    x("crs:AutoContrast", "crs:AutoContrast", I, IS_BOOL),
    x("crs:AutoExposure", "crs:AutoExposure", I, IS_BOOL),
    x("crs:AutoShadows", "crs:AutoShadows", I, IS_BOOL),
    x("crs:BlueHue", "crs:BlueHue", I, 0),
    x("crs:BlueSaturation", "crs:BlueSaturation", I, 0),
    x("crs:Brightness", "crs:Brightness", I, 0),
    x("crs:CameraProfile", "crs:CameraProfile", S, 0),
    x("crs:ChromaticAberrationB", "crs:ChromaticAberrationB", I, 0),
    x("crs:ChromaticAberrationR", "crs:ChromaticAberrationR", I, 0),
    x("crs:ColorNoiseReduction", "crs:ColorNoiseReduction", I, 0),
    x("crs:Contrast", "crs:Contrast", I, 0),
    x("crs:CropTop", "crs:CropTop", F, 0),
    x("crs:CropLeft", "crs:CropLeft", F, 0),
    x("crs:CropBottom", "crs:CropBottom", F, 0),
    x("crs:CropRight", "crs:CropRight", F, 0),
    x("crs:CropAngle", "crs:CropAngle", F, 0),
    x("crs:CropWidth", "crs:CropWidth", F, 0),
    x("crs:CropHeight", "crs:CropHeight", F, 0),
    x("crs:CropUnits", "crs:CropUnits", I, 0),
    x("crs:Exposure", "crs:Exposure", F, 0),
    x("crs:GreenHue", "crs:GreenHue", I, 0),
    x("crs:GreenSaturation", "crs:GreenSaturation", I, 0),
    x("crs:HasCrop", "crs:HasCrop", I, IS_BOOL),
    x("crs:HasSettings", "crs:HasSettings", I, IS_BOOL),
    x("crs:LuminanceSmoothing", "crs:LuminanceSmoothing", I, 0),
    x("crs:RawFileName", "crs:RawFileName", S, 0),
    x("crs:RedHue", "crs:RedHue", I, 0),
    x("crs:RedSaturation", "crs:RedSaturation", I, 0),
    x("crs:Saturation", "crs:Saturation", I, 0),
    x("crs:Shadows", "crs:Shadows", I, 0),
    x("crs:ShadowTint", "crs:ShadowTint", I, 0),
    x("crs:Sharpness", "crs:Sharpness", I, 0),
    x("crs:Temperature", "crs:Temperature", I, 0),
    x("crs:Tint", "crs:Tint", I, 0),
    x("crs:ToneCurve", "crs:ToneCurve", S, 0),
    x("crs:ToneCurveName", "crs:ToneCurveName", S, 0),
    x("crs:Version", "crs:Version", S, 0),
    x("crs:VignetteAmount", "crs:VignetteAmount", I, 0),
    x("crs:VignetteMidpoint", "crs:VignetteMidpoint", I, 0),
    x("crs:WhiteBalance", "crs:WhiteBalance", S, 0),
    x("GPano:UsePanoramaViewer", "GPano:UsePanoramaViewer", I, IS_BOOL),
    x("GPano:CaptureSoftware", "GPano:CaptureSoftware", S, 0),
    x("GPano:StitchingSoftware", "GPano:StitchingSoftware", S, 0),
    x("GPano:ProjectionType", "GPano:ProjectionType", S, 0),
    x("GPano:PoseHeadingDegrees", "GPano:PoseHeadingDegrees", F, 0),
    x("GPano:PosePitchDegrees", "GPano:PosePitchDegrees", F, 0),
    x("GPano:PoseRollDegrees", "GPano:PoseRollDegrees", F, 0),
    x(
        "GPano:InitialViewHeadingDegrees",
        "GPano:InitialViewHeadingDegrees",
        I,
        0,
    ),
    x("GPano:InitialViewPitchDegrees", "GPano:InitialViewPitchDegrees", I, 0),
    x("GPano:InitialViewRollDegrees", "GPano:InitialViewRollDegrees", I, 0),
    x(
        "GPano:InitialHorizontalFOVDegrees",
        "GPano:InitialHorizontalFOVDegrees",
        F,
        0,
    ),
    x("GPano:FirstPhotoDate", "GPano:FirstPhotoDate", S, DATE_CONVERSION),
    x("GPano:LastPhotoDate", "GPano:LastPhotoDate", S, DATE_CONVERSION),
    x("GPano:SourcePhotosCount", "GPano:SourcePhotosCount", I, 0),
    x("GPano:ExposureLockUsed", "GPano:ExposureLockUsed", I, IS_BOOL),
    x(
        "GPano:CroppedAreaImageWidthPixels",
        "GPano:CroppedAreaImageWidthPixels",
        I,
        0,
    ),
    x(
        "GPano:CroppedAreaImageHeightPixels",
        "GPano:CroppedAreaImageHeightPixels",
        I,
        0,
    ),
    x("GPano:FullPanoWidthPixels", "GPano:FullPanoWidthPixels", I, 0),
    x("GPano:FullPanoHeightPixels", "GPano:FullPanoHeightPixels", I, 0),
    x("GPano:CroppedAreaLeftPixels", "GPano:CroppedAreaLeftPixels", I, 0),
    x("GPano:CroppedAreaTopPixels", "GPano:CroppedAreaTopPixels", I, 0),
    x("GPano:InitialCameraDolly", "GPano:InitialCameraDolly", F, 0),
    x(
        "GPano:LargestValidInteriorRectWidth",
        "GPano:LargestValidInteriorRectWidth",
        I,
        0,
    ),
    x(
        "GPano:LargestValidInteriorRectHeight",
        "GPano:LargestValidInteriorRectHeight",
        I,
        0,
    ),
    x(
        "GPano:LargestValidInteriorRectTop",
        "GPano:LargestValidInteriorRectTop",
        I,
        0,
    ),
    x(
        "GPano:LargestValidInteriorRectLeft",
        "GPano:LargestValidInteriorRectLeft",
        I,
        0,
    ),
    x("rdf:li", "", XType::Unknown, 0),
];

/// OIIO's lookup map: keys are XMP names and OIIO names (case-insensitive);
/// a key seen twice maps to the later table entry.
fn find_xmp_tag(name: &str) -> Option<&'static XmpTag> {
    XMP_TAGS
        .iter()
        .rev()
        .find(|t| t.xmp.eq_ignore_ascii_case(name) || (!t.oiio.is_empty() && t.oiio.eq_ignore_ascii_case(name)))
}

// ---------------------------------------------------------------------------
// OIIO's number parsing

/// Strutil::stoi: leading whitespace, sign, digits; clamps on overflow.
/// Returns the value and how many bytes were used (0: no number).
fn stoi_pos(s: &str) -> (i32, usize) {
    let b = s.as_bytes();
    let mut i = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    let neg = b.get(i) == Some(&b'-');
    if matches!(b.get(i), Some(b'+' | b'-')) {
        i += 1;
    }
    let st = i;
    let mut acc: i64 = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        acc = (acc * 10 + i64::from(b[i] - b'0')).min(1 << 40);
        i += 1;
    }
    if i == st {
        return (0, 0);
    }
    let v = if neg { -acc } else { acc };
    (v.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32, i)
}

/// Strutil::stof: C `strtof` on the leading float text.
fn stof_pos(s: &str) -> (f32, usize) {
    let b = s.as_bytes();
    let mut i = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    let st = i;
    if matches!(b.get(i), Some(b'+' | b'-')) {
        i += 1;
    }
    let rest = &s[i..];
    let lower = rest.to_ascii_lowercase();
    for (word, v) in [("infinity", f32::INFINITY), ("inf", f32::INFINITY), ("nan", f32::NAN)] {
        if lower.starts_with(word) {
            let neg = b.get(st) == Some(&b'-');
            return (if neg { -v } else { v }, i + word.len());
        }
    }
    let d0 = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let mut digits = i - d0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let f0 = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        digits += i - f0;
    }
    if digits == 0 {
        return (0.0, 0);
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let mut k = i + 1;
        if matches!(b.get(k), Some(b'+' | b'-')) {
            k += 1;
        }
        let e0 = k;
        while k < b.len() && b[k].is_ascii_digit() {
            k += 1;
        }
        if k > e0 {
            i = k;
        }
    }
    let mut text = s[st..i].to_string();
    if text.ends_with('.') {
        text.push('0');
    }
    let text = text.replace(".e", ".0e").replace(".E", ".0E");
    let text = if text.starts_with('.') || text.starts_with("-.") || text.starts_with("+.") {
        text.replacen('.', "0.", 1)
    } else {
        text
    };
    (text.parse::<f32>().unwrap_or(0.0), i)
}

fn string_is_int(s: &str) -> bool {
    let (_, n) = stoi_pos(s);
    n > 0 && s[n..].trim_start().is_empty()
}

fn string_is_float(s: &str) -> bool {
    let (_, n) = stof_pos(s);
    n > 0 && s[n..].trim_start().is_empty()
}

fn int_array(name: &str, vals: &[i32]) -> ParamValue {
    let ty = TypeDesc::new(
        BaseType::Int32,
        Aggregate::Scalar,
        VecSemantics::NoXform,
        if vals.len() > 1 { vals.len() as i32 } else { 0 },
    );
    let v: Vec<Value> = vals.iter().map(|&i| Value::Int(i64::from(i))).collect();
    ParamValue::from_values(name, ty, 1, Interp::Constant, &v).unwrap_or_else(|| ParamValue::from_int(name, 0))
}

fn float_array(name: &str, vals: &[f32]) -> ParamValue {
    let ty = TypeDesc::new(
        BaseType::Float,
        Aggregate::Scalar,
        VecSemantics::NoXform,
        if vals.len() > 1 { vals.len() as i32 } else { 0 },
    );
    let v: Vec<Value> = vals.iter().map(|&f| Value::Float(f64::from(f))).collect();
    ParamValue::from_values(name, ty, 1, Interp::Constant, &v).unwrap_or_else(|| ParamValue::from_float(name, 0.0))
}

/// The Exif table's type for an "Exif:" XMP name, as OIIO maps it.
enum ExifHint {
    None,
    Skip,
    Type(XType, bool),
}

fn exif_hint(name: &str) -> ExifHint {
    use super::meta_exif::{find_tag_by_name, tifftype as tt, EXIF_TAGS};
    if !super::meta_exif::istarts_with(name, "Exif:") {
        return ExifHint::None;
    }
    let Some(t) = find_tag_by_name(EXIF_TAGS, name).or_else(|| find_tag_by_name(EXIF_TAGS, &name[5..])) else {
        return ExifHint::None;
    };
    match (t.ty, t.count) {
        (tt::SHORT | tt::LONG, 1) => ExifHint::Type(XType::Unknown, true),
        (tt::RATIONAL | tt::SRATIONAL, 1) => ExifHint::Type(XType::Float, false),
        (tt::ASCII | tt::UTF8, _) => ExifHint::Type(XType::Str, false),
        (tt::BYTE, 1) => ExifHint::Type(XType::Int, false),
        (tt::NOTYPE, _) => ExifHint::Skip,
        _ => ExifHint::None,
    }
}

/// OIIO's add_attrib: store one XMP item; returns the size it "costs".
fn add_attrib(spec: &mut ImageSpec, xmlname: &str, xmlvalue: &str, is_seq: bool) -> usize {
    let mut oiioname = xmlname.to_string();
    let mut ty = XType::Unknown;
    let mut special = 0u32;
    let mut as_uint = false;
    let tag = find_xmp_tag(xmlname);
    if let Some(t) = tag {
        if t.oiio.is_empty() {
            return 0;
        }
        oiioname = t.oiio.to_string();
        ty = t.ty;
        special = t.special;
    }
    match exif_hint(xmlname) {
        ExifHint::Skip => return 0,
        ExifHint::Type(t, uint) => {
            if uint {
                as_uint = true;
            } else {
                ty = t;
                if t == XType::Float {
                    special = RATIONAL;
                }
            }
        }
        ExifHint::None => {}
    }
    if super::meta_exif::istarts_with(xmlname, "tiff:") {
        let Some(_) = tag else { return 0 };
        if special & TIFF_REDUNDANT != 0 || spec.find_attribute(&oiioname, TypeDesc::UNKNOWN, false).is_some() {
            return 0;
        }
    }
    if special & SUPPRESS != 0 {
        return 0;
    }
    if as_uint {
        let (v, _) = stoi_pos(xmlvalue);
        let p = ParamValue::from_values(
            &oiioname,
            TypeDesc::UINT,
            1,
            Interp::Constant,
            &[Value::UInt(v as u32 as u64)],
        )
        .unwrap_or_else(|| ParamValue::from_int(&oiioname, v));
        spec.attribute(p);
        return 4;
    }
    if ty == XType::Unknown {
        ty = if string_is_int(xmlvalue) {
            XType::Int
        } else if string_is_float(xmlvalue) {
            XType::Float
        } else {
            XType::Str
        };
        if is_seq {
            special |= IS_SEQ;
        }
    }
    let listy = special & (IS_LIST | IS_SEQ) != 0;
    match ty {
        XType::Str => {
            let val = if listy {
                let old = spec
                    .find_attribute(&oiioname, TypeDesc::STRING, false)
                    .map(|p| p.get_string(0));
                let mut items: Vec<String> = Vec::new();
                let mut dup = false;
                if let Some(old) = &old {
                    let old = match spec
                        .find_attribute(&oiioname, TypeDesc::STRING, false)
                        .map(|p| p.get(0))
                    {
                        Some(Value::Str(s)) => s,
                        _ => old.clone(),
                    };
                    if !old.is_empty() {
                        for it in old.split(';') {
                            let it = it.trim().to_string();
                            dup |= it == xmlvalue;
                            items.push(it);
                        }
                    }
                    dup |= old == xmlvalue;
                }
                if !dup {
                    items.push(xmlvalue.to_string());
                }
                items.join("; ")
            } else {
                xmlvalue.to_string()
            };
            spec.attribute_str(&oiioname, &val);
            val.len()
        }
        XType::Int => {
            let mut vals: Vec<i32> = Vec::new();
            if listy {
                if let Some(p) = spec.extra_attribs.get(xmlname, TypeDesc::UNKNOWN, true) {
                    vals = (0..p.count()).map(|i| p.get(i).as_i64() as i32).collect();
                }
            }
            if special & IS_BOOL != 0 {
                vals.push(i32::from(xmlvalue.eq_ignore_ascii_case("true")));
            } else {
                vals.push(stoi_pos(xmlvalue).0);
            }
            spec.attribute(int_array(&oiioname, &vals));
            vals.len() * 4
        }
        XType::Float => {
            let mut vals: Vec<f32> = Vec::new();
            if listy {
                if let Some(p) = spec.extra_attribs.get(xmlname, TypeDesc::UNKNOWN, true) {
                    vals = (0..p.count()).map(|i| p.get(i).as_f64() as f32).collect();
                }
            }
            vals.push(stof_pos(xmlvalue).0);
            spec.attribute(float_array(&oiioname, &vals));
            vals.len() * 4
        }
        XType::Unknown => {
            spec.attribute_str(xmlname, xmlvalue);
            xmlvalue.len()
        }
    }
}

const MAX_XMP_DEPTH: i32 = 64;
const MAX_XMP_ATTRIBS: usize = 4096;
const MAX_XMP_BYTES: usize = 1024 * 1024;

struct Budget {
    bytes: usize,
    attribs: usize,
}

impl Budget {
    fn exhausted(&self) -> bool {
        self.bytes > MAX_XMP_BYTES || self.attribs > MAX_XMP_ATTRIBS
    }
    fn spend(&mut self, n: usize) -> bool {
        self.bytes += n;
        self.attribs += 1;
        !self.exhausted()
    }
}

fn decode_node(
    doc: &XmlDoc,
    mut node: Option<usize>,
    spec: &mut ImageSpec,
    budget: &mut Budget,
    level: i32,
    parent: Option<&str>,
    is_list: bool,
) -> usize {
    if level > MAX_XMP_DEPTH {
        return 0;
    }
    let mut mylist = String::new();
    let mut total: usize = 0;
    while let Some(id) = node {
        let n = &doc.nodes[id];
        for (an, av) in &n.attrs {
            let lan = an.to_ascii_lowercase();
            if lan.starts_with("xml:") || lan.starts_with("xmlns:") {
                continue;
            }
            if !an.is_empty() && !av.is_empty() {
                let sz = add_attrib(spec, an, av, is_list);
                total += sz;
                if !budget.spend(sz) || sz > 64 * 1024 {
                    break;
                }
            }
        }
        if budget.exhausted() {
            break;
        }
        if n.name.eq_ignore_ascii_case("xmpMM::History") || n.name.eq_ignore_ascii_case("photoshop:DocumentAncestors") {
            node = n.next;
            continue;
        }
        let listnode = ["rdf:Bag", "rdf:Seq", "rdf:Alt", "rdf:li"]
            .iter()
            .any(|l| n.name.eq_ignore_ascii_case(l));
        if listnode {
            total += decode_node(doc, n.first_child, spec, budget, level + 1, parent, true);
        } else {
            total += decode_node(doc, n.first_child, spec, budget, level + 1, Some(&n.name), is_list);
        }
        if parent.is_some() && n.name.is_empty() && !n.value.is_empty() {
            total = total.saturating_sub(mylist.len());
            if !mylist.is_empty() {
                mylist.push(';');
            }
            mylist.push_str(&n.value);
            total += mylist.len();
            if mylist.len() > MAX_XMP_BYTES {
                break;
            }
        }
        if (is_list && total > 64 * 1024) || budget.exhausted() {
            break;
        }
        node = n.next;
    }
    if let Some(p) = parent {
        if !mylist.is_empty() {
            let sz = add_attrib(spec, p, &mylist, true);
            total += sz;
            budget.spend(sz);
        }
    }
    total
}

/// Decode an XMP packet (text before the first '<', such as JPEG's
/// namespace prefix, is skipped) into attributes of `spec`.
pub fn decode_xmp(xml: &[u8], spec: &mut ImageSpec) {
    let Some(start) = xml.iter().position(|&c| c == b'<') else {
        return;
    };
    let doc = parse_xml(&xml[start..]);
    let Some(first) = doc.nodes.iter().position(|n| n.name == "rdf:Description") else {
        return;
    };
    // Nodes are stored in document order, so the first match is the first
    // rdf:Description a depth-first search finds.
    let _ = doc.root_first;
    let mut budget = Budget {
        bytes: 0,
        attribs: spec.extra_attribs.len(),
    };
    decode_node(&doc, Some(first), spec, &mut budget, 1, None, false);
}

// ---------------------------------------------------------------------------
// XMP encoding

fn xml_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            _ => o.push(c),
        }
    }
    o
}

/// One attribute as XMP text ("" when OIIO would not write it).
fn stringize(p: &ParamValue, tag: &XmpTag) -> String {
    let ty = p.type_desc();
    if ty == TypeDesc::STRING {
        return match p.get(0) {
            Value::Str(s) => s,
            _ => String::new(),
        };
    }
    if ty == TypeDesc::INT {
        if tag.special & IS_BOOL != 0 {
            return if p.get(0).as_i64() != 0 { "True" } else { "False" }.into();
        }
        return p.get_string(0);
    }
    if ty == TypeDesc::FLOAT {
        if tag.special & RATIONAL != 0 {
            let (n, d) = super::meta_exif::float_to_rational(p.get(0).as_f64() as f32);
            return format!("{n}/{d}");
        }
        return p.get_string(0);
    }
    String::new()
}

#[derive(Clone, Copy, PartialEq)]
enum Control {
    Nodes,
    Attribs,
    BagList,
    AltList,
}

#[allow(clippy::too_many_arguments)]
fn encode_category(
    list: &mut Vec<(&'static XmpTag, String)>,
    ns: &str,
    pattern: &str,
    exclude: Option<&str>,
    nodename: Option<&str>,
    url: &str,
    minimal: bool,
    control: Control,
) -> String {
    let starts = super::meta_exif::istarts_with;
    let mut xmp = String::new();
    let mut xmp_min = String::new();
    let mut li = 0;
    while li < list.len() {
        let (tag, val) = (list[li].0, list[li].1.clone());
        if control == Control::Attribs && tag.special & (IS_LIST | IS_SEQ) != 0 {
            li += 1;
            continue;
        }
        if exclude.is_some_and(|e| !e.is_empty() && starts(tag.xmp, e)) {
            li += 1;
            continue;
        }
        if !starts(tag.xmp, pattern) {
            li += 1;
            continue;
        }
        let x = match control {
            Control::Attribs => format!("{}=\"{}\"", tag.xmp, xml_escape(&val)),
            Control::AltList | Control::BagList => val
                .split(';')
                .map(|v| format!("<rdf:li>{}</rdf:li>", xml_escape(v.trim())))
                .collect(),
            Control::Nodes => format!("<{}>{}</{}>", tag.xmp, xml_escape(&val), tag.xmp),
        };
        if !x.is_empty() {
            let target = if minimal && tag.special & (TIFF_REDUNDANT | EXIF_REDUNDANT) != 0 {
                &mut xmp_min
            } else {
                &mut xmp
            };
            if !target.is_empty() {
                target.push(' ');
            }
            target.push_str(&x);
        }
        list.remove(li);
    }
    if !xmp.is_empty() && !xmp_min.is_empty() {
        xmp.push(' ');
        xmp.push_str(&xmp_min);
    }
    if xmp.is_empty() {
        return String::new();
    }
    let nn = nodename.unwrap_or(ns);
    match control {
        Control::BagList => xmp = format!("<{nn}><rdf:Bag> {xmp} </rdf:Bag></{nn}>"),
        Control::AltList => xmp = format!("<{nn}><rdf:Alt> {xmp} </rdf:Alt></{nn}>"),
        _ => {}
    }
    let mut r = format!(
        "<rdf:Description rdf:about=\"\" xmlns:{ns}=\"{url}\"{}",
        if control == Control::Attribs { " " } else { ">" }
    );
    r.push_str(&xmp);
    r.push_str(if control == Control::Attribs {
        "/> "
    } else {
        " </rdf:Description>"
    });
    r
}

/// Build an XMP packet from the spec's attributes that OIIO's table knows
/// ("" when there is nothing to write). `minimal` moves TIFF/Exif-redundant
/// items after the others, as OIIO does.
pub fn encode_xmp(spec: &ImageSpec, minimal: bool) -> String {
    let mut list: Vec<(&'static XmpTag, String)> = Vec::new();
    for p in &spec.extra_attribs.items {
        let Some(tag) = find_xmp_tag(p.name()) else { continue };
        if !p.name().eq_ignore_ascii_case(tag.oiio) && !p.name().eq_ignore_ascii_case(tag.xmp) {
            continue;
        }
        if tag.special & SUPPRESS != 0 {
            break;
        }
        let s = stringize(p, tag);
        if !s.is_empty() {
            list.push((tag, s));
        }
    }
    let mut xmp = String::new();
    let ps = "http://ns.adobe.com/photoshop/1.0/";
    let xa = "http://ns.adobe.com/xap/1.0/";
    let rights = "http://ns.adobe.com/xap/1.0/rights/";
    let iptc = "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/";
    use Control::*;
    let l = &mut list;
    xmp += &encode_category(l, "photoshop", "photoshop:", None, None, ps, minimal, Attribs);
    xmp += &encode_category(l, "xmp", "xmp:Rating", None, None, xa, minimal, Attribs);
    xmp += &encode_category(l, "xmp", "xmp:CreateDate", None, None, xa, false, Attribs);
    xmp += &encode_category(l, "xmp", "xmp:ModifyDate", None, None, xa, false, Attribs);
    xmp += &encode_category(l, "xmp", "xmp:MetadataDate", None, None, xa, false, Attribs);
    xmp += &encode_category(
        l,
        "xmpRights",
        "xmpRights:UsageTerms",
        None,
        Some("xmpRights:UsageTerms"),
        rights,
        minimal,
        AltList,
    );
    xmp += &encode_category(l, "xmpRights", "xmpRights:", None, None, rights, minimal, Attribs);
    xmp += &encode_category(
        l,
        "dc",
        "dc:subject",
        None,
        Some("dc:subject"),
        "http://purl.org/dc/elements/1.1/",
        minimal,
        BagList,
    );
    xmp += &encode_category(
        l,
        "Iptc4xmpCore",
        "Iptc4xmpCore:SubjectCode",
        None,
        Some("Iptc4xmpCore:SubjectCode"),
        iptc,
        false,
        BagList,
    );
    xmp += &encode_category(
        l,
        "Iptc4xmpCore",
        "Iptc4xmpCore:",
        Some("Iptc4xmpCore:Ci"),
        None,
        iptc,
        minimal,
        Attribs,
    );
    xmp += &encode_category(
        l,
        "Iptc4xmpCore",
        "Iptc4xmpCore:Ci",
        None,
        Some("Iptc4xmpCore:CreatorContactInfo"),
        iptc,
        minimal,
        Attribs,
    );
    xmp += &encode_category(
        l,
        "Iptc4xmpCore",
        "Iptc4xmpCore:Scene",
        None,
        Some("Iptc4xmpCore:Scene"),
        iptc,
        minimal,
        BagList,
    );
    xmp += &encode_category(
        l,
        "xmpMM",
        "xmpMM:",
        None,
        None,
        "http://ns.adobe.com/xap/1.0/mm/",
        minimal,
        Attribs,
    );
    xmp += &encode_category(
        l,
        "GPano",
        "GPano:",
        None,
        None,
        "http://ns.google.com/photos/1.0/panorama/",
        minimal,
        Attribs,
    );
    xmp += &encode_category(
        l,
        "crs",
        "crs:",
        None,
        None,
        "http://ns.adobe.com/camera-raw-settings/1.0/",
        minimal,
        Attribs,
    );
    xmp += &encode_category(l, "xmp", "xmp:", None, None, xa, minimal, Nodes);
    xmp += &encode_category(
        l,
        "tiff",
        "tiff:",
        None,
        None,
        "http://ns.adobe.com/tiff/1.0/",
        minimal,
        Attribs,
    );
    if xmp.is_empty() {
        return xmp;
    }
    format!(
        "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?> <x:xmpmeta xmlns:x=\"adobe:ns:meta/\" x:xmptk=\"Adobe XMP Core 5.5-c002 1.148022, 2012/07/15-18:06:45        \"> <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"> {xmp} </rdf:RDF> </x:xmpmeta> <?xpacket end=\"w\"?>"
    )
}

// ---------------------------------------------------------------------------
// IPTC IIM

/// (record-2 dataset number, OIIO name, repeatable, maximum length)
static IIM_TAGS: &[(u8, &str, bool, usize)] = &[
    (3, "IPTC:ObjectTypeReference", false, 67),
    (4, "IPTC:ObjectAttributeReference", true, 68),
    (5, "IPTC:ObjectName", false, 64),
    (7, "IPTC:EditStatus", false, 64),
    (10, "IPTC:Urgency", false, 1),
    (12, "IPTC:SubjectReference", true, 236),
    (15, "IPTC:Category", false, 3),
    (20, "IPTC:SupplementalCategories", true, 32),
    (22, "IPTC:FixtureIdentifier", false, 32),
    (25, "IPTC:Keywords", true, 64),
    (26, "IPTC:ContentLocationCode", true, 3),
    (27, "IPTC:ContentLocationName", true, 64),
    (30, "IPTC:ReleaseDate", false, 8),
    (35, "IPTC:ReleaseTime", false, 11),
    (37, "IPTC:ExpirationDate", false, 8),
    (38, "IPTC:ExpirationTime", false, 11),
    (40, "IPTC:Instructions", false, 256),
    (45, "IPTC:ReferenceService", true, 10),
    (47, "IPTC:ReferenceDate", false, 8),
    (50, "IPTC:ReferenceNumber", true, 8),
    (55, "IPTC:DateCreated", false, 8),
    (60, "IPTC:TimeCreated", false, 11),
    (62, "IPTC:DigitalCreationDate", false, 8),
    (63, "IPTC:DigitalCreationTime", false, 11),
    (65, "IPTC:OriginatingProgram", false, 32),
    (70, "IPTC:ProgramVersion", false, 10),
    (80, "IPTC:Creator", true, 32),
    (85, "IPTC:AuthorsPosition", true, 32),
    (90, "IPTC:City", false, 32),
    (92, "IPTC:Sublocation", false, 32),
    (95, "IPTC:State", false, 32),
    (100, "IPTC:CountryCode", false, 3),
    (101, "IPTC:Country", false, 64),
    (103, "IPTC:TransmissionReference", false, 32),
    (105, "IPTC:Headline", false, 256),
    (110, "IPTC:Provider", false, 32),
    (115, "IPTC:Source", false, 32),
    (116, "IPTC:CopyrightNotice", false, 128),
    (118, "IPTC:Contact", false, 128),
    (120, "IPTC:Caption", false, 2000),
    (121, "IPTC:LocalCaption", false, 256),
    (122, "IPTC:CaptionWriter", false, 32),
    (184, "IPTC:JobID", false, 64),
    (185, "IPTC:MasterDocumentID", false, 256),
    (186, "IPTC:ShortDocumentID", false, 64),
    (187, "IPTC:UniqueDocumentID", false, 128),
    (188, "IPTC:OwnerID", false, 128),
    (221, "IPTC:Prefs", false, 64),
    (225, "IPTC:ClassifyState", false, 64),
    (228, "IPTC:SimilarityIndex", false, 32),
    (230, "IPTC:DocumentNotes", false, 1024),
    (231, "IPTC:DocumentHistory", false, 256),
];

/// Decode IIM datasets (0x1C, record, dataset, 16-bit length, data).
pub fn decode_iptc_iim(mut iptc: &[u8], spec: &mut ImageSpec) -> bool {
    while iptc.len() >= 5 && iptc[0] == 0x1c && (iptc[1] == 2 || iptc[1] == 1) {
        let record = iptc[1];
        let tag = iptc[2];
        let size = (usize::from(iptc[3]) << 8) | usize::from(iptc[4]);
        iptc = &iptc[5..];
        let size = size.min(iptc.len());
        if record == 2 {
            let s = super::meta_exif::cstring(&iptc[..size]);
            if let Some(&(_, name, repeatable, _)) = IIM_TAGS.iter().find(|t| t.0 == tag) {
                if repeatable {
                    let mut old = spec.get_string_attribute(name, "");
                    if !old.is_empty() {
                        old.push_str("; ");
                    }
                    old.push_str(s.trim());
                    spec.attribute_str(name, &old);
                } else {
                    spec.attribute_str(name, &s);
                }
            }
        }
        iptc = &iptc[size..];
    }
    true
}

/// Encode the spec's IPTC attributes as IIM datasets (empty if none).
pub fn encode_iptc_iim(spec: &ImageSpec) -> Vec<u8> {
    let mut out = Vec::new();
    let mut one = |tag: u8, data: &[u8]| {
        if data.is_empty() {
            return;
        }
        let d = &data[..data.len().min(0xffff)];
        out.extend_from_slice(&[0x1c, 2, tag, (d.len() >> 8) as u8, d.len() as u8]);
        out.extend_from_slice(d);
    };
    for &(tag, name, repeatable, maxlen) in IIM_TAGS {
        let Some(p) = spec.find_attribute(name, TypeDesc::UNKNOWN, false) else {
            continue;
        };
        let all = p.get_string(0);
        let all = match p.get(0) {
            Value::Str(s) if p.type_desc() == TypeDesc::STRING => s,
            _ => all,
        };
        let clip = |t: &str| -> Vec<u8> {
            let b = t.as_bytes();
            b[..b.len().min(maxlen)].to_vec()
        };
        if repeatable {
            for tok in all.split(';') {
                let tok = tok.trim();
                if !tok.is_empty() {
                    one(tag, &clip(tok));
                }
            }
        } else {
            one(tag, &clip(&all));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const GIMP_XMP: &str = r#"<?xpacket begin="x" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
   xmpMM:DocumentID="gimp:docid:1"
   GIMP:API="2.0"
   GIMP:TimeStamp="1656390965680749"
   tiff:Orientation="1"
   xmp:CreatorTool="GIMP 2.10">
   <dc:subject><rdf:Bag><rdf:li>one</rdf:li><rdf:li>two</rdf:li><rdf:li>one</rdf:li></rdf:Bag></dc:subject>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">A &amp; B</rdf:li></rdf:Alt></dc:title>
   <xmpMM:History><rdf:Seq><rdf:li stEvt:action="saved" stEvt:when="2022"/></rdf:Seq></xmpMM:History>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>"#;

    #[test]
    fn decodes_like_oiio() {
        let mut s = ImageSpec::default();
        decode_xmp(GIMP_XMP.as_bytes(), &mut s);
        assert_eq!(s.get_string_attribute("IPTC:DocumentID", ""), "gimp:docid:1");
        assert_eq!(s.get_float_attribute("GIMP:API", 0.0), 2.0);
        assert_eq!(s.get_int_attribute("GIMP:TimeStamp", 0), i32::MAX);
        assert_eq!(s.get_string_attribute("Software", ""), "GIMP 2.10");
        assert_eq!(s.get_string_attribute("Keywords", ""), "one; two");
        assert_eq!(s.get_string_attribute("IPTC:ObjectName", ""), "A & B");
        assert_eq!(s.get_string_attribute("stEvt:action", ""), "saved");
        assert!(s.find_attribute("Orientation", TypeDesc::UNKNOWN, false).is_none());
    }

    #[test]
    fn malformed_xml_is_tolerated() {
        for bad in [
            &b"<rdf:Description a=\"1\" b="[..],
            b"<rdf:Description a='1'><x>unclosed",
            b"no xml here",
            b"<<<<>>>>",
            b"<rdf:Description\0\xff\xfe a=\"\xff\"/>",
        ] {
            decode_xmp(bad, &mut ImageSpec::default());
        }
        let mut s = ImageSpec::default();
        decode_xmp(b"<rdf:Description foo:bar=\"7\"><oops></rdf:Description>", &mut s);
        assert_eq!(s.get_int_attribute("foo:bar", 0), 7);
        // Deep nesting is bounded.
        let deep = "<a>".repeat(10_000) + "<rdf:Description x:y=\"1\"/>";
        decode_xmp(deep.as_bytes(), &mut ImageSpec::default());
    }

    #[test]
    fn encode_round_trip() {
        let mut s = ImageSpec::default();
        s.attribute_str("IPTC:City", "Paris");
        s.attribute_str("Keywords", "a; b");
        s.attribute_int("IPTC:Rating", 4);
        let x = encode_xmp(&s, true);
        assert!(x.contains("photoshop:City=\"Paris\""), "{x}");
        // OIIO maps "Keywords" to dc:keywords, which no category writes.
        assert!(!x.contains("rdf:li"), "{x}");
        let mut r = ImageSpec::default();
        decode_xmp(x.as_bytes(), &mut r);
        assert_eq!(r.get_string_attribute("IPTC:City", ""), "Paris");
        assert_eq!(r.get_int_attribute("IPTC:Rating", 0), 4);
        assert_eq!(encode_xmp(&ImageSpec::default(), true), "");
    }

    #[test]
    fn iptc_round_trip() {
        let mut s = ImageSpec::default();
        s.attribute_str("IPTC:Keywords", "x; y");
        s.attribute_str("IPTC:City", "Rome");
        let b = encode_iptc_iim(&s);
        let mut r = ImageSpec::default();
        assert!(decode_iptc_iim(&b, &mut r));
        assert_eq!(r.get_string_attribute("IPTC:Keywords", ""), "x; y");
        assert_eq!(r.get_string_attribute("IPTC:City", ""), "Rome");
        decode_iptc_iim(b"\x1c\x02\x05\xff\xffab", &mut r);
        assert_eq!(r.get_string_attribute("IPTC:ObjectName", ""), "ab");
    }
}
