//! OpenEXR header attributes: their values, their binary encoding, and the
//! way OpenImageIO 3.2.2 maps them to and from `ImageSpec` metadata.
//!
//! Reading follows OIIO's OpenEXR-core reader: every attribute is visited in
//! file order and renamed or retyped (`capDate` becomes `DateTime`, any
//! `lineOrder` becomes the string `openexr:lineOrder`, `timeCode` becomes
//! `smpte:TimeCode`, unknown attribute types become byte arrays...).
//! Writing follows OIIO's `put_parameter`: standard names are translated
//! back, metadata meant for other formats or OIIO itself is dropped, and each
//! `ParamValue` type picks an attribute type.

use vfx_core::paramvalue::{Interp, Value as PValue};
use vfx_core::{Aggregate, BaseType, ImageSpec, ParamValue, TypeDesc, VecSemantics};

/// Channel sample types as stored in the file.
pub(crate) const PIXEL_UINT: i32 = 0;
pub(crate) const PIXEL_HALF: i32 = 1;
pub(crate) const PIXEL_FLOAT: i32 = 2;

/// One entry of a `chlist` attribute.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Channel {
    pub name: Vec<u8>,
    /// 0 uint, 1 half, 2 float.
    pub pixel_type: i32,
    pub p_linear: u8,
    pub x_sampling: i32,
    pub y_sampling: i32,
}

impl Channel {
    /// Bytes per sample.
    pub fn size(&self) -> usize {
        if self.pixel_type == PIXEL_HALF {
            2
        } else {
            4
        }
    }
}

/// A decoded attribute value, one variant per OpenEXR attribute type.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    Box2i([i32; 4]),
    Box2f([f32; 4]),
    Bytes {
        hint: Vec<u8>,
        data: Vec<u8>,
    },
    Chlist(Vec<Channel>),
    Chromaticities([f32; 8]),
    Compression(u8),
    Double(f64),
    Envmap(u8),
    Float(f32),
    FloatVector(Vec<f32>),
    Int(i32),
    KeyCode([i32; 7]),
    LineOrder(u8),
    M33f([f32; 9]),
    M33d([f64; 9]),
    M44f([f32; 16]),
    M44d([f64; 16]),
    Preview {
        width: u32,
        height: u32,
        rgba: Vec<u8>,
    },
    Rational(i32, u32),
    String(Vec<u8>),
    StringVector(Vec<Vec<u8>>),
    TileDesc {
        x: u32,
        y: u32,
        mode: u8,
    },
    TimeCode([u32; 2]),
    V2i([i32; 2]),
    V2f([f32; 2]),
    V2d([f64; 2]),
    V3i([i32; 3]),
    V3f([f32; 3]),
    V3d([f64; 3]),
    DeepImageState(u8),
    /// Any type this library does not know, kept as raw bytes.
    Opaque {
        type_name: Vec<u8>,
        data: Vec<u8>,
    },
}

/// A named attribute as it sits in a part header.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Attr {
    pub name: Vec<u8>,
    pub value: Value,
}

/// The kinds of value the type names in a file stand for; anything not
/// listed is opaque.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Box2i,
    Box2f,
    Bytes,
    Chlist,
    Chromaticities,
    Compression,
    Double,
    Envmap,
    Float,
    FloatVector,
    Int,
    KeyCode,
    LineOrder,
    M33f,
    M33d,
    M44f,
    M44d,
    Preview,
    Rational,
    String,
    StringVector,
    TileDesc,
    TimeCode,
    V2i,
    V2f,
    V2d,
    V3i,
    V3f,
    V3d,
    DeepImageState,
    Opaque,
}

const KINDS: &[(&[u8], Kind)] = &[
    (b"box2i", Kind::Box2i),
    (b"box2f", Kind::Box2f),
    (b"bytes", Kind::Bytes),
    (b"chlist", Kind::Chlist),
    (b"chromaticities", Kind::Chromaticities),
    (b"compression", Kind::Compression),
    (b"double", Kind::Double),
    (b"envmap", Kind::Envmap),
    (b"float", Kind::Float),
    (b"floatvector", Kind::FloatVector),
    (b"int", Kind::Int),
    (b"keycode", Kind::KeyCode),
    (b"lineOrder", Kind::LineOrder),
    (b"m33f", Kind::M33f),
    (b"m33d", Kind::M33d),
    (b"m44f", Kind::M44f),
    (b"m44d", Kind::M44d),
    (b"preview", Kind::Preview),
    (b"rational", Kind::Rational),
    (b"string", Kind::String),
    (b"stringvector", Kind::StringVector),
    (b"tiledesc", Kind::TileDesc),
    (b"timecode", Kind::TimeCode),
    (b"v2i", Kind::V2i),
    (b"v2f", Kind::V2f),
    (b"v2d", Kind::V2d),
    (b"v3i", Kind::V3i),
    (b"v3f", Kind::V3f),
    (b"v3d", Kind::V3d),
    (b"deepImageState", Kind::DeepImageState),
];

/// The kind a type name in a file denotes.
pub(crate) fn kind_of(type_name: &[u8]) -> Kind {
    KINDS
        .iter()
        .find(|(n, _)| *n == type_name)
        .map_or(Kind::Opaque, |(_, k)| *k)
}

impl Value {
    /// The type name written in the file for this value.
    pub fn type_name(&self) -> &[u8] {
        let kind = match self {
            Value::Opaque { type_name, .. } => return type_name,
            Value::Box2i(_) => Kind::Box2i,
            Value::Box2f(_) => Kind::Box2f,
            Value::Bytes { .. } => Kind::Bytes,
            Value::Chlist(_) => Kind::Chlist,
            Value::Chromaticities(_) => Kind::Chromaticities,
            Value::Compression(_) => Kind::Compression,
            Value::Double(_) => Kind::Double,
            Value::Envmap(_) => Kind::Envmap,
            Value::Float(_) => Kind::Float,
            Value::FloatVector(_) => Kind::FloatVector,
            Value::Int(_) => Kind::Int,
            Value::KeyCode(_) => Kind::KeyCode,
            Value::LineOrder(_) => Kind::LineOrder,
            Value::M33f(_) => Kind::M33f,
            Value::M33d(_) => Kind::M33d,
            Value::M44f(_) => Kind::M44f,
            Value::M44d(_) => Kind::M44d,
            Value::Preview { .. } => Kind::Preview,
            Value::Rational(..) => Kind::Rational,
            Value::String(_) => Kind::String,
            Value::StringVector(_) => Kind::StringVector,
            Value::TileDesc { .. } => Kind::TileDesc,
            Value::TimeCode(_) => Kind::TimeCode,
            Value::V2i(_) => Kind::V2i,
            Value::V2f(_) => Kind::V2f,
            Value::V2d(_) => Kind::V2d,
            Value::V3i(_) => Kind::V3i,
            Value::V3f(_) => Kind::V3f,
            Value::V3d(_) => Kind::V3d,
            Value::DeepImageState(_) => Kind::DeepImageState,
        };
        KINDS.iter().find(|(_, k)| *k == kind).map_or(b"", |(n, _)| n)
    }

    /// The little-endian bytes of this value as stored in a header.
    pub fn encode(&self) -> Vec<u8> {
        fn i32s(v: &[i32]) -> Vec<u8> {
            v.iter().flat_map(|x| x.to_le_bytes()).collect()
        }
        fn f32s(v: &[f32]) -> Vec<u8> {
            v.iter().flat_map(|x| x.to_le_bytes()).collect()
        }
        fn f64s(v: &[f64]) -> Vec<u8> {
            v.iter().flat_map(|x| x.to_le_bytes()).collect()
        }
        match self {
            Value::Box2i(v) => i32s(v),
            Value::Box2f(v) => f32s(v),
            Value::Bytes { hint, data } => {
                let mut out = (hint.len() as u32).to_le_bytes().to_vec();
                out.extend_from_slice(hint);
                out.extend_from_slice(data);
                out
            }
            Value::Chlist(chans) => {
                let mut out = Vec::new();
                for c in chans {
                    out.extend_from_slice(&c.name);
                    out.push(0);
                    out.extend_from_slice(&c.pixel_type.to_le_bytes());
                    out.extend_from_slice(&[c.p_linear, 0, 0, 0]);
                    out.extend_from_slice(&c.x_sampling.to_le_bytes());
                    out.extend_from_slice(&c.y_sampling.to_le_bytes());
                }
                out.push(0);
                out
            }
            Value::Chromaticities(v) => f32s(v),
            Value::Compression(v) | Value::Envmap(v) | Value::LineOrder(v) | Value::DeepImageState(v) => vec![*v],
            Value::Double(v) => v.to_le_bytes().to_vec(),
            Value::Float(v) => v.to_le_bytes().to_vec(),
            Value::FloatVector(v) => f32s(v),
            Value::Int(v) => v.to_le_bytes().to_vec(),
            Value::KeyCode(v) => i32s(v),
            Value::M33f(v) => f32s(v),
            Value::M33d(v) => f64s(v),
            Value::M44f(v) => f32s(v),
            Value::M44d(v) => f64s(v),
            Value::Preview { width, height, rgba } => {
                let mut out = width.to_le_bytes().to_vec();
                out.extend_from_slice(&height.to_le_bytes());
                out.extend_from_slice(rgba);
                out
            }
            Value::Rational(n, d) => {
                let mut out = n.to_le_bytes().to_vec();
                out.extend_from_slice(&d.to_le_bytes());
                out
            }
            Value::String(s) => s.clone(),
            Value::StringVector(v) => {
                let mut out = Vec::new();
                for s in v {
                    out.extend_from_slice(&(s.len() as i32).to_le_bytes());
                    out.extend_from_slice(s);
                }
                out
            }
            Value::TileDesc { x, y, mode } => {
                let mut out = x.to_le_bytes().to_vec();
                out.extend_from_slice(&y.to_le_bytes());
                out.push(*mode);
                out
            }
            Value::TimeCode(v) => v.iter().flat_map(|x| x.to_le_bytes()).collect(),
            Value::V2i(v) => i32s(v),
            Value::V2f(v) => f32s(v),
            Value::V2d(v) => f64s(v),
            Value::V3i(v) => i32s(v),
            Value::V3f(v) => f32s(v),
            Value::V3d(v) => f64s(v),
            Value::Opaque { data, .. } => data.clone(),
        }
    }
}

/// Little-endian i32s from bytes (the caller checked the length).
pub(crate) fn le_i32s<const N: usize>(b: &[u8]) -> [i32; N] {
    std::array::from_fn(|i| i32::from_le_bytes([b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3]]))
}

/// Little-endian f32s from bytes.
pub(crate) fn le_f32s<const N: usize>(b: &[u8]) -> [f32; N] {
    le_i32s::<N>(b).map(|v| f32::from_bits(v as u32))
}

/// Little-endian f64s from bytes.
pub(crate) fn le_f64s<const N: usize>(b: &[u8]) -> [f64; N] {
    std::array::from_fn(|i| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&b[8 * i..8 * i + 8]);
        f64::from_le_bytes(w)
    })
}

/// Decode a fixed-size value of `kind` from exactly its bytes.
pub(crate) fn decode_fixed(kind: Kind, b: &[u8]) -> Value {
    match kind {
        Kind::Box2i => Value::Box2i(le_i32s(b)),
        Kind::Box2f => Value::Box2f(le_f32s(b)),
        Kind::Chromaticities => Value::Chromaticities(le_f32s(b)),
        Kind::Double => Value::Double(le_f64s::<1>(b)[0]),
        Kind::Float => Value::Float(le_f32s::<1>(b)[0]),
        Kind::Int => Value::Int(le_i32s::<1>(b)[0]),
        Kind::KeyCode => Value::KeyCode(le_i32s(b)),
        Kind::M33f => Value::M33f(le_f32s(b)),
        Kind::M33d => Value::M33d(le_f64s(b)),
        Kind::M44f => Value::M44f(le_f32s(b)),
        Kind::M44d => Value::M44d(le_f64s(b)),
        Kind::Rational => {
            let v = le_i32s::<2>(b);
            Value::Rational(v[0], v[1] as u32)
        }
        Kind::TimeCode => Value::TimeCode(le_i32s::<2>(b).map(|v| v as u32)),
        Kind::V2i => Value::V2i(le_i32s(b)),
        Kind::V2f => Value::V2f(le_f32s(b)),
        Kind::V2d => Value::V2d(le_f64s(b)),
        Kind::V3i => Value::V3i(le_i32s(b)),
        Kind::V3f => Value::V3f(le_f32s(b)),
        Kind::V3d => Value::V3d(le_f64s(b)),
        _ => unreachable!("not a fixed-size kind"),
    }
}

/// For fixed-size kinds: (bytes per value, number of values).
pub(crate) fn fixed_layout(kind: Kind) -> Option<(usize, usize)> {
    Some(match kind {
        Kind::Box2i | Kind::Box2f => (4, 4),
        Kind::Chromaticities => (4, 8),
        Kind::Double => (8, 1),
        Kind::Float | Kind::Int => (4, 1),
        Kind::KeyCode => (4, 7),
        Kind::M33f => (4, 9),
        Kind::M33d => (8, 9),
        Kind::M44f => (4, 16),
        Kind::M44d => (8, 16),
        Kind::Rational | Kind::TimeCode | Kind::V2i | Kind::V2f => (4, 2),
        Kind::V2d => (8, 2),
        Kind::V3i | Kind::V3f => (4, 3),
        Kind::V3d => (8, 3),
        _ => return None,
    })
}

// ---------------------------------------------------------------------------
// Reading: file attributes to OIIO metadata

/// OIIO's renames of file attribute names; an empty name drops the
/// attribute (the reader handles those itself).
const READ_NAMES: &[(&[u8], &str)] = &[
    (b"cameraTransform", "worldtocamera"),
    (b"capDate", "DateTime"),
    (b"comments", "ImageDescription"),
    (b"owner", "Copyright"),
    (b"pixelAspectRatio", "PixelAspectRatio"),
    (b"xDensity", "XResolution"),
    (b"expTime", "ExposureTime"),
    (b"wrapmodes", "wrapmodes"),
    (b"aperture", "FNumber"),
    (b"chunkCount", "openexr:chunkCount"),
    (b"maxSamplesPerPixel", "openexr:maxSamplesPerPixel"),
    (b"dwaCompressionLevel", "openexr:dwaCompressionLevel"),
    (b"idManifest", "openexr:compressedIDManifest"),
    (b"channels", ""),
    (b"compression", ""),
    (b"dataWindow", ""),
    (b"displayWindow", ""),
    (b"envmap", ""),
    (b"tiledesc", ""),
    (b"tiles", ""),
    (b"type", ""),
    (b"preview", ""),
];

/// Text of a C string stored in the file: up to the first NUL, invalid
/// UTF-8 replaced.
pub(crate) fn c_text(bytes: &[u8]) -> String {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    String::from_utf8_lossy(&bytes[..end]).into_owned()
}

fn param(name: &str, ty: TypeDesc, values: Vec<PValue>) -> Option<ParamValue> {
    ParamValue::from_values(name, ty, 1, Interp::Constant, &values)
}

fn ints(v: &[i32]) -> Vec<PValue> {
    v.iter().map(|x| PValue::Int(i64::from(*x))).collect()
}

fn floats(v: &[f32]) -> Vec<PValue> {
    v.iter().map(|x| PValue::Float(f64::from(*x))).collect()
}

fn doubles(v: &[f64]) -> Vec<PValue> {
    v.iter().map(|x| PValue::Float(*x)).collect()
}

fn td(b: BaseType, a: Aggregate, s: VecSemantics, n: i32) -> TypeDesc {
    TypeDesc::new(b, a, s, n)
}

fn bytes_param(name: &str, data: &[u8]) -> Option<ParamValue> {
    if data.is_empty() {
        // OIIO declares `uint8[0]`, which is a single (zero) byte.
        return param(name, TypeDesc::UINT8, vec![PValue::UInt(0)]);
    }
    let ty = td(
        BaseType::UInt8,
        Aggregate::Scalar,
        VecSemantics::NoXform,
        data.len() as i32,
    );
    param(name, ty, data.iter().map(|b| PValue::UInt(u64::from(*b))).collect())
}

/// The metadata OIIO makes of one file attribute, or `None` if it skips it.
pub(crate) fn to_param(attr: &Attr) -> Option<ParamValue> {
    let mapped = READ_NAMES.iter().find(|(n, _)| *n == attr.name.as_slice());
    let owned;
    let mut oname: &str = match mapped {
        Some((_, "")) => return None,
        Some((_, o)) => o,
        None => {
            owned = c_text(&attr.name);
            &owned
        }
    };
    use Aggregate as A;
    use BaseType as B;
    use VecSemantics as S;
    match &attr.value {
        Value::Box2i(v) => param(oname, td(B::Int32, A::Vec2, S::NoXform, 2), ints(v)),
        Value::Box2f(v) => param(oname, td(B::Float, A::Vec2, S::NoXform, 2), floats(v)),
        Value::Chromaticities(v) => param(oname, td(B::Float, A::Scalar, S::NoXform, 8), floats(v)),
        Value::Double(v) => param(oname, TypeDesc::DOUBLE, doubles(&[*v])),
        Value::Float(v) => param(oname, TypeDesc::FLOAT, floats(&[*v])),
        Value::FloatVector(v) => {
            if v.is_empty() {
                return None;
            }
            param(oname, td(B::Float, A::Scalar, S::NoXform, v.len() as i32), floats(v))
        }
        Value::Int(v) => param(oname, TypeDesc::INT, ints(&[*v])),
        Value::KeyCode(v) => {
            if oname == "keyCode" {
                oname = "smpte:KeyCode";
            }
            param(oname, TypeDesc::KEYCODE, ints(v))
        }
        Value::M33f(v) => param(oname, TypeDesc::MATRIX33, floats(v)),
        Value::M33d(v) => param(oname, td(B::Double, A::Matrix33, S::NoXform, 0), doubles(v)),
        Value::M44f(v) => param(oname, TypeDesc::MATRIX44, floats(v)),
        Value::M44d(v) => param(oname, td(B::Double, A::Matrix44, S::NoXform, 0), doubles(v)),
        Value::Rational(n, d) => {
            let (n, d) = (i64::from(*n), i64::from(*d));
            let (n, d) = if d < (1 << 31) {
                (n, d)
            } else {
                let f = gcd(n, d);
                if f <= 1 {
                    return None;
                }
                (n / f, d / f)
            };
            param(oname, TypeDesc::RATIONAL, vec![PValue::Int(n), PValue::Int(d)])
        }
        Value::String(s) => {
            let text = c_text(s);
            if text.is_empty() {
                return None;
            }
            param(oname, TypeDesc::STRING, vec![PValue::Str(text)])
        }
        Value::StringVector(v) => {
            if v.is_empty() {
                return None;
            }
            let ty = td(B::String, A::Scalar, S::NoXform, v.len() as i32);
            param(oname, ty, v.iter().map(|s| PValue::Str(c_text(s))).collect())
        }
        Value::TimeCode(v) => {
            if oname == "timeCode" {
                oname = "smpte:TimeCode";
            }
            param(
                oname,
                TypeDesc::TIMECODE,
                v.iter().map(|x| PValue::UInt(u64::from(*x))).collect(),
            )
        }
        Value::V2i(v) => param(oname, TypeDesc::VECTOR2I, ints(v)),
        Value::V2f(v) => param(oname, TypeDesc::FLOAT2, floats(v)),
        Value::V2d(v) => param(oname, td(B::Double, A::Vec2, S::NoXform, 0), doubles(v)),
        Value::V3i(v) => param(oname, td(B::Int32, A::Vec3, S::Vector, 0), ints(v)),
        Value::V3f(v) => param(oname, TypeDesc::VECTOR, floats(v)),
        Value::V3d(v) => param(oname, td(B::Double, A::Vec3, S::Vector, 0), doubles(v)),
        Value::LineOrder(v) => {
            let s = match v {
                1 => "decreasingY",
                2 => "randomY",
                _ => "increasingY",
            };
            param("openexr:lineOrder", TypeDesc::STRING, vec![PValue::Str(s.into())])
        }
        Value::DeepImageState(v) => {
            let s = match v {
                1 => "sorted",
                2 => "non_overlapping",
                3 => "tidy",
                _ => "messy",
            };
            param("openexr:deepImageState", TypeDesc::STRING, vec![PValue::Str(s.into())])
        }
        Value::Bytes { data, .. } => bytes_param(oname, data),
        Value::Opaque { data, .. } => bytes_param(oname, data),
        Value::Preview { .. }
        | Value::Envmap(_)
        | Value::Compression(_)
        | Value::Chlist(_)
        | Value::TileDesc { .. } => None,
    }
}

fn gcd(a: i64, b: i64) -> i64 {
    let (mut a, mut b) = (a.abs(), b.abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// The interop ID OIIO's default colour configuration gives a colour-space
/// name ("" if none): the IDs themselves, their short aliases, and the
/// configuration's display names.
pub(crate) fn color_interop_id(name: &str) -> &'static str {
    const IDS: &[(&str, &[&str])] = &[
        ("lin_ap1_scene", &["lin_ap1", "ACEScg", "scene_linear"]),
        ("lin_ap0_scene", &["lin_ap0", "ACES2065-1"]),
        (
            "lin_rec709_scene",
            &[
                "lin_rec709",
                "linear",
                "lin_srgb",
                "Linear Rec.709 (sRGB)",
                "Utility - Linear - sRGB",
            ],
        ),
        ("lin_p3d65_scene", &["lin_p3d65", "Linear P3-D65"]),
        ("lin_rec2020_scene", &["lin_rec2020", "Linear Rec.2020"]),
        ("lin_adobergb_scene", &["lin_adobergb"]),
        ("lin_ciexyzd65_scene", &["cie_xyz_d65"]),
        (
            "srgb_rec709_scene",
            &[
                "srgb_texture",
                "sRGB",
                "srgb",
                "srgb_tx",
                "sRGB - Texture",
                "Utility - sRGB - Texture",
            ],
        ),
        ("g24_rec709_scene", &["Gamma 2.4 Rec.709 - Texture"]),
        ("g22_rec709_scene", &["g22_rec709", "Gamma 2.2 Rec.709 - Texture"]),
        ("g18_rec709_scene", &["g18_rec709", "Gamma 1.8 Rec.709 - Texture"]),
        ("srgb_ap1_scene", &["srgb_ap1"]),
        ("g22_ap1_scene", &["g22_ap1"]),
        ("srgb_p3d65_scene", &["srgb_p3d65"]),
        ("g22_adobergb_scene", &[]),
        ("data", &["Raw", "raw"]),
        ("unknown", &[]),
        (
            "srgb_rec709_display",
            &["srgb_display", "sRGB Encoded Rec.709 (sRGB)", "sRGB - Display"],
        ),
        ("g24_rec709_display", &["rec1886_rec709_display"]),
        ("srgb_p3d65_display", &["displayp3_display"]),
        ("srgbe_p3d65_display", &["displayp3_hdr_display"]),
        ("pq_p3d65_display", &["st2084_p3d65_display"]),
        ("pq_rec2020_display", &["rec2100_pq_display"]),
        ("hlg_rec2020_display", &["rec2100_hlg_display"]),
        ("g22_rec709_display", &[]),
        ("g22_adobergb_display", &[]),
        ("g26_p3d65_display", &["p3d65_display"]),
        ("g26_xyzd65_display", &[]),
        ("pq_xyzd65_display", &[]),
    ];
    if name.is_empty() {
        return "";
    }
    IDS.iter()
        .find(|(id, aliases)| id.eq_ignore_ascii_case(name) || aliases.iter().any(|a| a.eq_ignore_ascii_case(name)))
        .map_or("", |(id, _)| id)
}

// ---------------------------------------------------------------------------
// Writing: OIIO metadata to file attributes

/// OIIO's translations of metadata names to file attribute names, with the
/// attribute type required (UNKNOWN: any). An empty file name drops it.
fn write_translation(name: &str) -> Option<(&'static str, TypeDesc)> {
    const T: &[(&str, &str, Option<TypeDesc>)] = &[
        ("worldtocamera", "worldToCamera", Some(TypeDesc::MATRIX44)),
        ("worldtoNDC", "worldToNDC", Some(TypeDesc::MATRIX44)),
        ("worldtoscreen", "worldToScreen", Some(TypeDesc::MATRIX44)),
        ("DateTime", "capDate", Some(TypeDesc::STRING)),
        ("ImageDescription", "comments", Some(TypeDesc::STRING)),
        ("description", "comments", Some(TypeDesc::STRING)),
        ("Copyright", "owner", Some(TypeDesc::STRING)),
        ("PixelAspectRatio", "pixelAspectRatio", Some(TypeDesc::FLOAT)),
        ("XResolution", "xDensity", Some(TypeDesc::FLOAT)),
        ("ExposureTime", "expTime", Some(TypeDesc::FLOAT)),
        ("FNumber", "aperture", Some(TypeDesc::FLOAT)),
        ("oiio:subimagename", "name", Some(TypeDesc::STRING)),
        (
            "openexr:dwaCompressionLevel",
            "dwaCompressionLevel",
            Some(TypeDesc::FLOAT),
        ),
        ("smpte:TimeCode", "timeCode", Some(TypeDesc::TIMECODE)),
        ("smpte:KeyCode", "keyCode", Some(TypeDesc::KEYCODE)),
        ("YResolution", "", None),
        ("planarconfig", "", None),
        ("type", "", None),
        ("tiles", "", None),
        ("chunkCount", "", None),
        ("maxSamplesPerPixel", "", None),
        ("openexr:roundingmode", "", None),
    ];
    T.iter()
        .find(|(o, e, _)| *o == name || (!e.is_empty() && *e == name))
        .map(|(_, e, t)| (*e, t.unwrap_or(TypeDesc::UNKNOWN)))
}

/// Format names the reference build knows: metadata prefixed with another
/// format's name ("tiff:...") is not stored.
const OTHER_FORMATS: &[&str] = &[
    "bmp",
    "cineon",
    "dds",
    "dpx",
    "fits",
    "gif",
    "hdr",
    "ico",
    "iff",
    "jpeg",
    "jpeg2000",
    "jpegxl",
    "null",
    "png",
    "pnm",
    "psd",
    "rla",
    "sgi",
    "softimage",
    "targa",
    "term",
    "tiff",
    "webp",
    "zfile",
];

/// Attribute names that describe the file's structure; the writer sets them
/// itself and never copies them from metadata.
const STRUCTURAL: &[&str] = &[
    "channels",
    "compression",
    "dataWindow",
    "displayWindow",
    "lineOrder",
    "tiles",
    "chunkCount",
    "type",
    "version",
    "maxSamplesPerPixel",
    "envmap",
];

/// What `put_parameter` does with one metadata item.
pub(crate) enum Put {
    /// Store this attribute (replacing one of the same name and type).
    Attr(Vec<u8>, Value),
    /// Set the part's compression (file code) — from "compression".
    Compression(u8),
    /// Set the part's line order — from "openexr:lineOrder".
    LineOrder(u8),
    Skip,
}

/// The compression code OIIO picks for a compression name (zip by default).
pub(crate) fn compression_code(name: &str) -> u8 {
    const NAMES: &[(&str, u8)] = &[
        ("none", 0),
        ("rle", 1),
        ("zips", 2),
        ("zip", 3),
        ("deflate", 3),
        ("piz", 4),
        ("pxr24", 5),
        ("b44", 6),
        ("b44a", 7),
        ("dwaa", 8),
        ("dwab", 9),
        ("htj2k256", 10),
        ("htj2k32", 11),
    ];
    NAMES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map_or(3, |(_, c)| *c)
}

fn f32s_of(p: &ParamValue) -> Vec<f32> {
    (0..p.count()).map(|i| p.get(i).as_f64() as f32).collect()
}

fn f64s_of(p: &ParamValue) -> Vec<f64> {
    (0..p.count()).map(|i| p.get(i).as_f64()).collect()
}

fn i32s_of(p: &ParamValue) -> Vec<i32> {
    (0..p.count()).map(|i| p.get(i).as_i64() as i32).collect()
}

fn strs_of(p: &ParamValue) -> Vec<Vec<u8>> {
    (0..p.count())
        .map(|i| match p.get(i) {
            PValue::Str(s) => s.into_bytes(),
            _ => Vec::new(),
        })
        .collect()
}

/// OIIO's `put_parameter` for one metadata item: what (if anything) goes
/// into the part header. `tiled` says whether the part is tiled (random line
/// order is only kept for tiles).
pub(crate) fn put_parameter(p: &ParamValue, tiled: bool) -> Put {
    let name = p.name();
    let mut ty = p.type_desc();
    if name.is_empty() || p.count() == 0 && !ty.is_basetype(BaseType::String) {
        return Put::Skip;
    }
    let (xname, exrtype): (String, TypeDesc) = match write_translation(name) {
        Some((e, t)) => (e.to_string(), t),
        None => (name.to_string(), TypeDesc::UNKNOWN),
    };
    let first_str = || match p.get(0) {
        PValue::Str(s) => s,
        _ => String::new(),
    };
    if xname.eq_ignore_ascii_case("Compression") && ty == TypeDesc::STRING {
        return Put::Compression(compression_code(&first_str()));
    }
    if xname.eq_ignore_ascii_case("openexr:lineOrder") && ty == TypeDesc::STRING {
        let s = first_str();
        let code = if s.eq_ignore_ascii_case("randomY") && tiled {
            2
        } else if s.eq_ignore_ascii_case("decreasingY") {
            1
        } else {
            0
        };
        return Put::LineOrder(code);
    }
    if xname.eq_ignore_ascii_case("openexr:deepImageState") && ty == TypeDesc::STRING {
        let v = match first_str().as_str() {
            "sorted" => 1,
            "non_overlapping" => 2,
            "tidy" => 3,
            _ => 0,
        };
        return Put::Attr(xname.into_bytes(), Value::DeepImageState(v));
    }
    if xname.len() >= 5 && xname[..5].eq_ignore_ascii_case("oiio:") {
        let keep = ["oiio:ConstantColor", "oiio:AverageColor", "oiio:SHA-1"]
            .iter()
            .any(|k| k.eq_ignore_ascii_case(&xname));
        if !keep {
            return Put::Skip;
        }
    }
    if let Some(colon) = xname.find(':') {
        let prefix = xname[..colon].to_ascii_lowercase();
        if prefix != "openexr" && OTHER_FORMATS.contains(&prefix.as_str()) {
            return Put::Skip;
        }
    }
    if xname.len() >= 11 && xname[..11].eq_ignore_ascii_case("ICCProfile:") {
        return Put::Skip;
    }
    if xname.is_empty() || STRUCTURAL.contains(&xname.as_str()) {
        return Put::Skip;
    }
    // Retype values OIIO knows how to coerce.
    let mut strval: Option<String> = None;
    let mut fval: Option<f32> = None;
    if exrtype == TypeDesc::FLOAT && ty == TypeDesc::INT {
        fval = Some(p.get(0).as_f64() as f32);
        ty = TypeDesc::FLOAT;
    } else if exrtype == TypeDesc::MATRIX44
        && ty == TypeDesc::new(BaseType::Float, Aggregate::Scalar, VecSemantics::NoXform, 16)
    {
        ty = TypeDesc::MATRIX44;
    } else if exrtype == TypeDesc::STRING && ty == TypeDesc::FLOAT {
        strval = Some(format!("{}", p.get(0).as_f64() as f32));
        ty = TypeDesc::STRING;
    } else if exrtype == TypeDesc::STRING && ty == TypeDesc::INT {
        strval = Some(format!("{}", p.get(0).as_i64() as i32));
        ty = TypeDesc::STRING;
    }
    if !exrtype.is_unknown() && !exrtype.equivalent(&ty) {
        return Put::Skip;
    }
    let out = |v: Value| Put::Attr(xname.clone().into_bytes(), v);
    use Aggregate as A;
    use BaseType as B;
    let b = ty.basetype;
    if ty.arraylen == 0 {
        if ty.aggregate == A::Scalar {
            match b {
                B::Int32 | B::UInt32 | B::Int16 | B::UInt16 => return out(Value::Int(p.get(0).as_i64() as i32)),
                B::Float | B::Half => return out(Value::Float(fval.unwrap_or(p.get(0).as_f64() as f32))),
                B::String => {
                    let s = strval.unwrap_or_else(first_str);
                    if !s.is_empty() {
                        return out(Value::String(s.into_bytes()));
                    }
                }
                B::Double => return out(Value::Double(p.get(0).as_f64())),
                _ => {}
            }
        }
        if ty.aggregate == A::Vec2 {
            match b {
                B::Int32 | B::UInt32 => {
                    let v = i32s_of(p);
                    if ty.vecsemantics == VecSemantics::Rational {
                        return out(Value::Rational(v[0], v[1] as u32));
                    }
                    return out(Value::V2i([v[0], v[1]]));
                }
                B::Float => {
                    let v = f32s_of(p);
                    return out(Value::V2f([v[0], v[1]]));
                }
                B::Double => {
                    let v = f64s_of(p);
                    return out(Value::V2d([v[0], v[1]]));
                }
                B::String => return out(Value::StringVector(strs_of(p))),
                _ => {}
            }
        }
        if ty.aggregate == A::Vec3 {
            match b {
                B::Int32 | B::UInt32 => {
                    let v = i32s_of(p);
                    return out(Value::V3i([v[0], v[1], v[2]]));
                }
                B::Float => {
                    let v = f32s_of(p);
                    return out(Value::V3f([v[0], v[1], v[2]]));
                }
                B::Double => {
                    let v = f64s_of(p);
                    return out(Value::V3d([v[0], v[1], v[2]]));
                }
                B::String => return out(Value::StringVector(strs_of(p))),
                _ => {}
            }
        }
        if ty.aggregate == A::Matrix33 {
            match b {
                B::Float => return out(Value::M33f(f32s_of(p).try_into().unwrap_or([0.0; 9]))),
                B::Double => return out(Value::M33d(f64s_of(p).try_into().unwrap_or([0.0; 9]))),
                _ => {}
            }
        }
        if ty.aggregate == A::Matrix44 {
            match b {
                B::Float => return out(Value::M44f(f32s_of(p).try_into().unwrap_or([0.0; 16]))),
                B::Double => return out(Value::M44d(f64s_of(p).try_into().unwrap_or([0.0; 16]))),
                _ => {}
            }
        }
        return Put::Skip;
    }
    if ty.arraylen < 0 {
        return Put::Skip;
    }
    if ty == TypeDesc::TIMECODE {
        let v: Vec<u32> = (0..2).map(|i| p.get(i).as_i64() as u32).collect();
        return out(Value::TimeCode([v[0], v[1]]));
    }
    if ty == TypeDesc::KEYCODE {
        return out(Value::KeyCode(i32s_of(p).try_into().unwrap_or([0; 7])));
    }
    let n = ty.arraylen;
    if n == 2 && ty.aggregate == A::Vec2 {
        match b {
            B::Int32 | B::UInt32 => return out(Value::Box2i(i32s_of(p).try_into().unwrap_or([0; 4]))),
            B::Float => return out(Value::Box2f(f32s_of(p).try_into().unwrap_or([0.0; 4]))),
            _ => {}
        }
    }
    if ty.aggregate == A::Scalar {
        match (n, b) {
            (2, B::Int32 | B::UInt32) => {
                let v = i32s_of(p);
                return out(Value::V2i([v[0], v[1]]));
            }
            (2, B::Float) => {
                let v = f32s_of(p);
                return out(Value::V2f([v[0], v[1]]));
            }
            (2, B::Double) => {
                let v = f64s_of(p);
                return out(Value::V2d([v[0], v[1]]));
            }
            (3, B::Int32 | B::UInt32) => {
                let v = i32s_of(p);
                return out(Value::V3i([v[0], v[1], v[2]]));
            }
            (3, B::Float) => {
                let v = f32s_of(p);
                return out(Value::V3f([v[0], v[1], v[2]]));
            }
            (3, B::Double) => {
                let v = f64s_of(p);
                return out(Value::V3d([v[0], v[1], v[2]]));
            }
            (9, B::Float) => return out(Value::M33f(f32s_of(p).try_into().unwrap_or([0.0; 9]))),
            (9, B::Double) => return out(Value::M33d(f64s_of(p).try_into().unwrap_or([0.0; 9]))),
            (16, B::Float) => return out(Value::M44f(f32s_of(p).try_into().unwrap_or([0.0; 16]))),
            (16, B::Double) => return out(Value::M44d(f64s_of(p).try_into().unwrap_or([0.0; 16]))),
            _ => {}
        }
    }
    if b == B::Float && ty.aggregate as i32 * n == 8 && xname.eq_ignore_ascii_case("chromaticities") {
        return Put::Attr(
            b"chromaticities".to_vec(),
            Value::Chromaticities(f32s_of(p).try_into().unwrap_or([0.0; 8])),
        );
    }
    if b == B::String {
        return out(Value::StringVector(strs_of(p)));
    }
    if b == B::Float {
        return out(Value::FloatVector(f32s_of(p)));
    }
    Put::Skip
}

// ---------------------------------------------------------------------------
// ACES container rules (OIIO writes AP0 metadata when asked to)

const ACES_AP0_CHROMATICITIES: [f32; 8] = [0.7347, 0.2653, 0.0, 1.0, 0.0001, -0.077, 0.32168, 0.33767];

fn aces_compliant(spec: &ImageSpec) -> Result<(), String> {
    let mut names: Vec<&str> = spec.channelnames.iter().map(String::as_str).collect();
    names.sort_unstable();
    names.dedup();
    let allowed: [&[&str]; 4] = [
        &["B", "G", "R"],
        &["A", "B", "G", "R"],
        &["B", "G", "R", "left.B", "left.G", "left.R"],
        &["A", "B", "G", "R", "left.A", "left.B", "left.G", "left.R"],
    ];
    if !allowed.contains(&names.as_slice()) {
        return Err("Spec channel names do not match those required for an ACES Container.".into());
    }
    if spec.format != TypeDesc::HALF {
        return Err("EXR data type is not 'HALF' as required for an ACES Container.".into());
    }
    if spec.get_string_attribute("compression", "zip") != "none" {
        return Err("Compression is not 'none' as required for an ACES Container.".into());
    }
    const NON_EMPTY: &[&str] = &[
        "cameraFirmwareVersion",
        "cameraIdentifier",
        "cameraLabel",
        "cameraMake",
        "cameraModel",
        "cameraSerialNumber",
        "comments",
        "creator",
        "lensAttributes",
        "lensFirmwareVersion",
        "lensMake",
        "lensModel",
        "lensSerialNumber",
        "owner",
        "recorderFirmwareVersion",
        "recorderMake",
        "recorderModel",
        "recorderSerialNumber",
        "reelName",
        "storageMediaSerialNumber",
    ];
    for label in NON_EMPTY {
        if let Some(p) = spec.find_attribute(label, TypeDesc::STRING, false) {
            if matches!(p.get(0), PValue::Str(ref s) if s.is_empty()) {
                return Err(format!(
                    "Spec contains an empty string attribute ({label}) that is required to be non-empty in an ACES Container."
                ));
            }
        }
    }
    if spec.get_string_attribute("oiio:ColorSpace", "lin_ap0_scene") != "lin_ap0_scene"
        || spec.get_string_attribute("colorInteropID", "lin_ap0_scene") != "lin_ap0_scene"
    {
        return Err("Color space is not lin_ap0_scene as required for an ACES Container.".into());
    }
    if spec.get_int_attribute("acesImageContainerFlag", 1) != 1 {
        return Err("acesImageContainerFlag is not set to '1' as required for an ACES Container.".into());
    }
    let chroma_ty = TypeDesc::new(BaseType::Float, Aggregate::Scalar, VecSemantics::NoXform, 8);
    if let Some(p) = spec.find_attribute("chromaticities", chroma_ty, false) {
        if f32s_of(&p) != ACES_AP0_CHROMATICITIES {
            return Err("Chromaticities are not set to AP0 chromaticities as required for an ACES Container.".into());
        }
    }
    Ok(())
}

/// OIIO's ACES container handling for a spec being written: with the flag
/// set or a non-"none" policy, check compliance (failing in strict mode)
/// and add the AP0 metadata.
pub(crate) fn process_aces_container(spec: &mut ImageSpec) -> Result<(), String> {
    let flag = spec.get_int_attribute("acesImageContainerFlag", 0);
    let policy = spec.get_string_attribute("openexr:ACESContainerPolicy", "none");
    if policy == "none" && flag != 1 {
        return Ok(());
    }
    let strict = policy == "strict" || flag == 1;
    let compliant = aces_compliant(spec);
    if let Err(reason) = &compliant {
        if strict {
            return Err(format!(
                "Cannot output non-compliant ACES Container in 'strict' mode. REASON: {reason}"
            ));
        }
    }
    let chroma_ty = TypeDesc::new(BaseType::Float, Aggregate::Scalar, VecSemantics::NoXform, 8);
    if let Some(p) = ParamValue::from_values(
        "chromaticities",
        chroma_ty,
        1,
        Interp::Constant,
        &floats(&ACES_AP0_CHROMATICITIES),
    ) {
        spec.attribute(p);
    }
    spec.attribute_str("colorInteropID", "lin_ap0_scene");
    spec.attribute_int("acesImageContainerFlag", 1);
    if policy == "relaxed" && compliant.is_err() {
        spec.erase_attribute("acesImageContainerFlag", TypeDesc::UNKNOWN, false);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attr(name: &str, value: Value) -> Attr {
        Attr {
            name: name.as_bytes().to_vec(),
            value,
        }
    }

    #[test]
    fn read_mapping_renames_and_retypes() {
        let p = to_param(&attr("capDate", Value::String(b"2020:01:02 03:04:05".to_vec()))).unwrap();
        assert_eq!((p.name(), p.type_desc()), ("DateTime", TypeDesc::STRING));
        let p = to_param(&attr("foo", Value::LineOrder(1))).unwrap();
        assert_eq!(p.name(), "openexr:lineOrder");
        assert_eq!(p.get_string(0), "decreasingY");
        let p = to_param(&attr("timeCode", Value::TimeCode([1, 2]))).unwrap();
        assert_eq!((p.name(), p.type_desc()), ("smpte:TimeCode", TypeDesc::TIMECODE));
        let p = to_param(&attr("fps", Value::Rational(24000, 1001))).unwrap();
        assert_eq!(p.type_desc(), TypeDesc::RATIONAL);
        assert_eq!(p.get(1).as_i64(), 1001);
        // Denominators past i32 are reduced, or dropped when they cannot be.
        let p = to_param(&attr("r", Value::Rational(4, 1 << 31))).unwrap();
        assert_eq!((p.get(0).as_i64(), p.get(1).as_i64()), (1, 1 << 29));
        assert!(to_param(&attr("r", Value::Rational(5, (1 << 31) + 1))).is_none());
        assert!(to_param(&attr("s", Value::String(Vec::new()))).is_none());
        assert!(to_param(&attr("channels", Value::Int(3))).is_none());
        let p = to_param(&attr(
            "blob",
            Value::Opaque {
                type_name: b"x".to_vec(),
                data: vec![1, 2, 3],
            },
        ))
        .unwrap();
        assert_eq!(p.type_desc().arraylen, 3);
        let p = to_param(&attr("sv", Value::StringVector(vec![b"a".to_vec(), b"b\0c".to_vec()]))).unwrap();
        assert_eq!(p.get(1), PValue::Str("b".into()));
    }

    #[test]
    fn values_round_trip_through_encoding() {
        let vals = [
            Value::Box2i([1, -2, 3, 4]),
            Value::M44d([0.5; 16]),
            Value::Rational(-5, 7),
            Value::TimeCode([9, 10]),
            Value::V3i([1, 2, 3]),
        ];
        for v in vals {
            let kind = kind_of(v.type_name());
            let bytes = v.encode();
            let (sz, n) = fixed_layout(kind).unwrap();
            assert_eq!(bytes.len(), sz * n);
            assert_eq!(decode_fixed(kind, &bytes), v);
        }
        assert_eq!(kind_of(b"whatever"), Kind::Opaque);
    }

    #[test]
    fn write_mapping() {
        let put = |p: ParamValue| match put_parameter(&p, false) {
            Put::Attr(n, v) => Some((String::from_utf8(n).unwrap(), v)),
            _ => None,
        };
        assert_eq!(
            put(ParamValue::from_str("Copyright", "me")),
            Some(("owner".into(), Value::String(b"me".to_vec())))
        );
        assert_eq!(put(ParamValue::from_int("oiio:subimages", 3)), None);
        assert_eq!(put(ParamValue::from_str("tiff:Compression", "x")), None);
        assert_eq!(
            put(ParamValue::from_int("openexr:chunkCount", 3)),
            Some(("openexr:chunkCount".into(), Value::Int(3)))
        );
        assert_eq!(
            put(ParamValue::from_int("PixelAspectRatio", 2)),
            Some(("pixelAspectRatio".into(), Value::Float(2.0)))
        );
        assert_eq!(put(ParamValue::from_int("YResolution", 2)), None);
        assert!(matches!(
            put_parameter(&ParamValue::from_str("compression", "piz"), false),
            Put::Compression(4)
        ));
        assert!(matches!(
            put_parameter(&ParamValue::from_str("openexr:lineOrder", "randomY"), false),
            Put::LineOrder(0)
        ));
        assert!(matches!(
            put_parameter(&ParamValue::from_str("openexr:lineOrder", "randomY"), true),
            Put::LineOrder(2)
        ));
        assert_eq!(color_interop_id("ACEScg"), "lin_ap1_scene");
        assert_eq!(color_interop_id("Rec709"), "");
    }
}
