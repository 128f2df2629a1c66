//! Metadata blocks shared by several formats, decoded and encoded the way
//! OpenImageIO 3.2.2 does:
//!
//! * EXIF/GPS blobs (a TIFF header and IFDs, as found in JPEG APP1, PNG
//!   eXIf, TIFF's Exif IFD): [`decode_exif`] turns them into `Exif:...`,
//!   `GPS:...` and plain TIFF names (`Orientation`, `XResolution`, ...) with
//!   OIIO's types; [`encode_exif`] writes a spec's attributes back.
//! * ICC profile headers ([`decode_icc_profile`]: `ICCProfile:...` names).
//! * Colour-space hints writers need (`oiio:ColorSpace` → sRGB? gamma? CICP?).
//!
//! OIIO's quirks are kept on purpose (they decide what a round trip shows):
//! tags already present are not replaced, only the first IFD is read, a
//! MakerNote is only followed for Canon cameras, Exif tags numbered above
//! `ImageUniqueID` are written into IFD0, rationals come from OIIO's simple
//! decimal expansion.

use std::collections::BTreeSet;
use vfx_core::{Aggregate, BaseType, ImageSpec, Interp, ParamValue, TypeDesc, Value, VecSemantics};

// ---------------------------------------------------------------------------
// TIFF field types and tag tables

/// TIFF field type codes (plus Exif 3.0's UTF-8).
pub mod tifftype {
    pub const NOTYPE: u16 = 0;
    pub const BYTE: u16 = 1;
    pub const ASCII: u16 = 2;
    pub const SHORT: u16 = 3;
    pub const LONG: u16 = 4;
    pub const RATIONAL: u16 = 5;
    pub const SBYTE: u16 = 6;
    pub const UNDEFINED: u16 = 7;
    pub const SSHORT: u16 = 8;
    pub const SLONG: u16 = 9;
    pub const SRATIONAL: u16 = 10;
    pub const FLOAT: u16 = 11;
    pub const DOUBLE: u16 = 12;
    pub const IFD: u16 = 13;
    pub const UTF8: u16 = 129;
}
use tifftype as tt;

/// Bytes per value of a field type; `None` for codes OIIO does not know
/// (it then treats the entry as corrupt).
pub fn tiff_type_size(ty: u16) -> Option<usize> {
    const SIZES: [usize; 14] = [0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4];
    if ty == tt::UTF8 {
        return Some(1);
    }
    SIZES.get(ty as usize).copied()
}

/// The `TypeDesc` OIIO associates with a TIFF field of `count` values.
pub fn tiff_type_to_typedesc(ty: u16, count: usize) -> TypeDesc {
    let n = if count == 1 { 0 } else { count as i32 };
    let arr = |b: BaseType| TypeDesc::new(b, Aggregate::Scalar, VecSemantics::NoXform, n);
    match ty {
        tt::BYTE | tt::UNDEFINED => arr(BaseType::UInt8),
        tt::ASCII | tt::UTF8 => TypeDesc::STRING,
        tt::SHORT => arr(BaseType::UInt16),
        tt::LONG => arr(BaseType::UInt32),
        tt::RATIONAL | tt::SRATIONAL => TypeDesc::new(BaseType::Int32, Aggregate::Vec2, VecSemantics::Rational, n),
        tt::SBYTE => arr(BaseType::Int8),
        tt::SSHORT => arr(BaseType::Int16),
        tt::SLONG => arr(BaseType::Int32),
        tt::FLOAT => arr(BaseType::Float),
        tt::DOUBLE => arr(BaseType::Double),
        16 => arr(BaseType::UInt64),
        17 => arr(BaseType::Int64),
        _ => TypeDesc::UNKNOWN,
    }
}

/// Special decoding some tags need.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Special {
    None,
    /// Four bytes shown as a 4-character string ("0230").
    Version4Char,
    /// Four bytes shown as `int[4]`.
    Version4U8,
    /// Pointer to a maker-specific IFD.
    MakerNote,
}

/// One known tag: number, OIIO attribute name, the field type OIIO writes
/// (`NOTYPE`: known but ignored) and its value count (0: variable).
#[derive(Clone, Copy, Debug)]
pub struct TagInfo {
    pub tag: u32,
    pub name: &'static str,
    pub ty: u16,
    pub count: u32,
    pub special: Special,
}

const fn t(tag: u32, name: &'static str, ty: u16, count: u32) -> TagInfo {
    TagInfo {
        tag,
        name,
        ty,
        count,
        special: Special::None,
    }
}
const fn ts(tag: u32, name: &'static str, ty: u16, count: u32, special: Special) -> TagInfo {
    TagInfo {
        tag,
        name,
        ty,
        count,
        special,
    }
}

pub const TAG_EXIFIFD: u32 = 34665;
pub const TAG_GPSIFD: u32 = 34853;
pub const TAG_INTEROPIFD: u32 = 40965;
const EXIF_EXPOSURETIME: u32 = 33434;
const EXIF_IMAGEUNIQUEID: u32 = 42016;
const EXIF_EXIFVERSION: u32 = 36864;
const EXIF_FLASHPIXVERSION: u32 = 40960;
const EXIF_COMPONENTSCONFIGURATION: u32 = 37121;
const GPS_VERSIONID: u32 = 0;

/// TIFF tags OIIO maps to generic names (its "TIFF" table).
pub static TIFF_TAGS: &[TagInfo] = &[
    t(270, "ImageDescription", tt::ASCII, 0),
    t(274, "Orientation", tt::SHORT, 1),
    t(282, "XResolution", tt::RATIONAL, 1),
    t(283, "YResolution", tt::RATIONAL, 1),
    t(296, "ResolutionUnit", tt::SHORT, 1),
    t(271, "Make", tt::ASCII, 0),
    t(272, "Model", tt::ASCII, 0),
    t(305, "Software", tt::ASCII, 0),
    t(315, "Artist", tt::ASCII, 0),
    t(33432, "Copyright", tt::ASCII, 0),
    t(306, "DateTime", tt::ASCII, 0),
    t(269, "DocumentName", tt::ASCII, 0),
    t(285, "tiff:PageName", tt::ASCII, 0),
    t(297, "tiff:PageNumber", tt::SHORT, 1),
    t(316, "HostComputer", tt::ASCII, 0),
    t(33302, "textureformat", tt::ASCII, 0),
    t(33303, "wrapmodes", tt::ASCII, 0),
    t(33304, "fovcot", tt::FLOAT, 1),
    t(65537, "CompressionQuality", tt::LONG, 1),
    t(65557, "tiff:zipquality", tt::LONG, 1),
    t(700, "tiff:XMLPacket", tt::ASCII, 0),
];

/// Tags of IFD0 and the Exif IFD (OIIO's "EXIF" table, in its order).
pub static EXIF_TAGS: &[TagInfo] = &[
    t(256, "Exif:ImageWidth", tt::NOTYPE, 1),
    t(257, "Exif:ImageLength", tt::NOTYPE, 1),
    t(258, "Exif:BitsPerSample", tt::NOTYPE, 0),
    t(259, "Exif:Compression", tt::NOTYPE, 1),
    t(262, "Exif:Photometric", tt::NOTYPE, 1),
    t(277, "Exif:SamplesPerPixel", tt::NOTYPE, 1),
    t(284, "Exif:PlanarConfig", tt::NOTYPE, 1),
    t(530, "Exif:YCbCrSubsampling", tt::SHORT, 2),
    t(531, "Exif:YCbCrPositioning", tt::SHORT, 1),
    t(274, "Orientation", tt::SHORT, 1),
    t(282, "XResolution", tt::RATIONAL, 1),
    t(283, "YResolution", tt::RATIONAL, 1),
    t(296, "ResolutionUnit", tt::SHORT, 1),
    t(270, "ImageDescription", tt::ASCII, 0),
    t(271, "Make", tt::ASCII, 0),
    t(272, "Model", tt::ASCII, 0),
    t(305, "Software", tt::ASCII, 0),
    t(315, "Artist", tt::ASCII, 0),
    t(33432, "Copyright", tt::ASCII, 0),
    t(306, "DateTime", tt::ASCII, 0),
    t(TAG_EXIFIFD, "Exif:ExifIFD", tt::NOTYPE, 1),
    t(TAG_INTEROPIFD, "Exif:InteroperabilityIFD", tt::NOTYPE, 1),
    t(TAG_GPSIFD, "Exif:GPSIFD", tt::NOTYPE, 1),
    t(33434, "ExposureTime", tt::RATIONAL, 1),
    t(33437, "FNumber", tt::RATIONAL, 1),
    t(34850, "Exif:ExposureProgram", tt::SHORT, 1),
    t(34852, "Exif:SpectralSensitivity", tt::ASCII, 0),
    t(34855, "Exif:ISOSpeedRatings", tt::SHORT, 1),
    t(34856, "Exif:OECF", tt::NOTYPE, 1),
    ts(
        EXIF_EXIFVERSION,
        "Exif:ExifVersion",
        tt::UNDEFINED,
        1,
        Special::Version4Char,
    ),
    t(36867, "Exif:DateTimeOriginal", tt::ASCII, 0),
    t(36868, "Exif:DateTimeDigitized", tt::ASCII, 0),
    t(36880, "Exif:OffsetTime", tt::ASCII, 0),
    t(36881, "Exif:OffsetTimeOriginal", tt::ASCII, 0),
    t(36882, "Exif:OffsetTimeDigitized", tt::ASCII, 0),
    t(
        EXIF_COMPONENTSCONFIGURATION,
        "Exif:ComponentsConfiguration",
        tt::UNDEFINED,
        1,
    ),
    t(37122, "Exif:CompressedBitsPerPixel", tt::RATIONAL, 1),
    t(37377, "Exif:ShutterSpeedValue", tt::SRATIONAL, 1),
    t(37378, "Exif:ApertureValue", tt::RATIONAL, 1),
    t(37379, "Exif:BrightnessValue", tt::SRATIONAL, 1),
    t(37380, "Exif:ExposureBiasValue", tt::SRATIONAL, 1),
    t(37381, "Exif:MaxApertureValue", tt::RATIONAL, 1),
    t(37382, "Exif:SubjectDistance", tt::RATIONAL, 1),
    t(37383, "Exif:MeteringMode", tt::SHORT, 1),
    t(37384, "Exif:LightSource", tt::SHORT, 1),
    t(37385, "Exif:Flash", tt::SHORT, 1),
    t(37386, "Exif:FocalLength", tt::RATIONAL, 1),
    t(37394, "Exif:SecurityClassification", tt::ASCII, 1),
    t(37395, "Exif:ImageHistory", tt::ASCII, 1),
    t(37396, "Exif:SubjectArea", tt::NOTYPE, 1),
    ts(37500, "Exif:MakerNote", tt::BYTE, 0, Special::MakerNote),
    t(37510, "Exif:UserComment", tt::BYTE, 0),
    t(37520, "Exif:SubsecTime", tt::ASCII, 0),
    t(37521, "Exif:SubsecTimeOriginal", tt::ASCII, 0),
    t(37522, "Exif:SubsecTimeDigitized", tt::ASCII, 0),
    ts(
        EXIF_FLASHPIXVERSION,
        "Exif:FlashPixVersion",
        tt::UNDEFINED,
        1,
        Special::Version4Char,
    ),
    t(40961, "Exif:ColorSpace", tt::SHORT, 1),
    t(40962, "Exif:PixelXDimension", tt::LONG, 1),
    t(40963, "Exif:PixelYDimension", tt::LONG, 1),
    t(40964, "Exif:RelatedSoundFile", tt::ASCII, 0),
    t(41483, "Exif:FlashEnergy", tt::RATIONAL, 1),
    t(41484, "Exif:SpatialFrequencyResponse", tt::NOTYPE, 1),
    t(41486, "Exif:FocalPlaneXResolution", tt::RATIONAL, 1),
    t(41487, "Exif:FocalPlaneYResolution", tt::RATIONAL, 1),
    t(41488, "Exif:FocalPlaneResolutionUnit", tt::SHORT, 1),
    t(41492, "Exif:SubjectLocation", tt::SHORT, 2),
    t(41493, "Exif:ExposureIndex", tt::RATIONAL, 1),
    t(41495, "Exif:SensingMethod", tt::SHORT, 1),
    t(41728, "Exif:FileSource", tt::UNDEFINED, 1),
    t(41729, "Exif:SceneType", tt::UNDEFINED, 1),
    t(41730, "Exif:CFAPattern", tt::NOTYPE, 1),
    t(41985, "Exif:CustomRendered", tt::SHORT, 1),
    t(41986, "Exif:ExposureMode", tt::SHORT, 1),
    t(41987, "Exif:WhiteBalance", tt::SHORT, 1),
    t(41988, "Exif:DigitalZoomRatio", tt::RATIONAL, 1),
    t(41989, "Exif:FocalLengthIn35mmFilm", tt::SHORT, 1),
    t(41990, "Exif:SceneCaptureType", tt::SHORT, 1),
    t(41991, "Exif:GainControl", tt::RATIONAL, 1),
    t(41992, "Exif:Contrast", tt::SHORT, 1),
    t(41993, "Exif:Saturation", tt::SHORT, 1),
    t(41994, "Exif:Sharpness", tt::SHORT, 1),
    t(41995, "Exif:DeviceSettingDescription", tt::NOTYPE, 1),
    t(41996, "Exif:SubjectDistanceRange", tt::SHORT, 1),
    t(42016, "Exif:ImageUniqueID", tt::ASCII, 0),
    t(34855, "Exif:PhotographicSensitivity", tt::SHORT, 1),
    t(34864, "Exif:SensitivityType", tt::SHORT, 1),
    t(34865, "Exif:StandardOutputSensitivity", tt::LONG, 1),
    t(34866, "Exif:RecommendedExposureIndex", tt::LONG, 1),
    t(34867, "Exif:ISOSpeed", tt::LONG, 1),
    t(34868, "Exif:ISOSpeedLatitudeyyy", tt::LONG, 1),
    t(34869, "Exif:ISOSpeedLatitudezzz", tt::LONG, 1),
    t(37888, "Exif:Temperature", tt::SRATIONAL, 1),
    t(37889, "Exif:Humidity", tt::RATIONAL, 1),
    t(37890, "Exif:Pressure", tt::RATIONAL, 1),
    t(37891, "Exif:WaterDepth", tt::SRATIONAL, 1),
    t(37892, "Exif:Acceleration", tt::RATIONAL, 1),
    t(37893, "Exif:CameraElevationAngle", tt::SRATIONAL, 1),
    t(42032, "Exif:CameraOwnerName", tt::ASCII, 0),
    t(42033, "Exif:BodySerialNumber", tt::ASCII, 0),
    t(42034, "Exif:LensSpecification", tt::RATIONAL, 4),
    t(42035, "Exif:LensMake", tt::ASCII, 0),
    t(42036, "Exif:LensModel", tt::ASCII, 0),
    t(42037, "Exif:LensSerialNumber", tt::ASCII, 0),
    t(42240, "Exif:Gamma", tt::RATIONAL, 1),
    t(42038, "Exif:ImageTitle", tt::ASCII, 0),
    t(42039, "Exif:Photographer", tt::ASCII, 0),
    t(42040, "Exif:ImageEdtor", tt::ASCII, 0),
    t(42041, "Exif:CameraFirmware", tt::ASCII, 0),
    t(42042, "Exif:RAWDevelopingSoftware", tt::ASCII, 0),
    t(42043, "Exif:ImageEditingSoftware", tt::ASCII, 0),
    t(42044, "Exif:MetadataEditingSoftware", tt::ASCII, 0),
    t(42080, "Exif:CompositeImage", tt::SHORT, 1),
    t(42081, "Exif:SourceImageNumberOfCompositeImage", tt::SHORT, 2),
    t(42082, "Exif:SourceImageExposureTimesOfCompositeImage", tt::NOTYPE, 0),
];

/// Tags of the GPS IFD.
pub static GPS_TAGS: &[TagInfo] = &[
    ts(GPS_VERSIONID, "GPS:VersionID", tt::BYTE, 4, Special::Version4U8),
    t(1, "GPS:LatitudeRef", tt::ASCII, 2),
    t(2, "GPS:Latitude", tt::RATIONAL, 3),
    t(3, "GPS:LongitudeRef", tt::ASCII, 2),
    t(4, "GPS:Longitude", tt::RATIONAL, 3),
    t(5, "GPS:AltitudeRef", tt::BYTE, 1),
    t(6, "GPS:Altitude", tt::RATIONAL, 1),
    t(7, "GPS:TimeStamp", tt::RATIONAL, 3),
    t(8, "GPS:Satellites", tt::ASCII, 0),
    t(9, "GPS:Status", tt::ASCII, 2),
    t(10, "GPS:MeasureMode", tt::ASCII, 2),
    t(11, "GPS:DOP", tt::RATIONAL, 1),
    t(12, "GPS:SpeedRef", tt::ASCII, 2),
    t(13, "GPS:Speed", tt::RATIONAL, 1),
    t(14, "GPS:TrackRef", tt::ASCII, 2),
    t(15, "GPS:Track", tt::RATIONAL, 1),
    t(16, "GPS:ImgDirectionRef", tt::ASCII, 2),
    t(17, "GPS:ImgDirection", tt::RATIONAL, 1),
    t(18, "GPS:MapDatum", tt::ASCII, 0),
    t(19, "GPS:DestLatitudeRef", tt::ASCII, 2),
    t(20, "GPS:DestLatitude", tt::RATIONAL, 3),
    t(21, "GPS:DestLongitudeRef", tt::ASCII, 2),
    t(22, "GPS:DestLongitude", tt::RATIONAL, 3),
    t(23, "GPS:DestBearingRef", tt::ASCII, 2),
    t(24, "GPS:DestBearing", tt::RATIONAL, 1),
    t(25, "GPS:DestDistanceRef", tt::ASCII, 2),
    t(26, "GPS:DestDistance", tt::RATIONAL, 1),
    t(27, "GPS:ProcessingMethod", tt::UNDEFINED, 1),
    t(28, "GPS:AreaInformation", tt::UNDEFINED, 1),
    t(29, "GPS:DateStamp", tt::ASCII, 0),
    t(30, "GPS:Differential", tt::SHORT, 1),
    t(31, "GPS:HPositioningError", tt::RATIONAL, 1),
];

/// A table's entry for a tag number. Several names may share a number
/// (ISOSpeedRatings / PhotographicSensitivity): like OIIO's hash map, the
/// later entry wins.
pub fn find_tag(table: &'static [TagInfo], tag: u32) -> Option<&'static TagInfo> {
    table.iter().rev().find(|t| t.tag == tag)
}

/// A table's entry for a name (case-insensitive).
pub fn find_tag_by_name(table: &'static [TagInfo], name: &str) -> Option<&'static TagInfo> {
    table.iter().rev().find(|t| t.name.eq_ignore_ascii_case(name))
}

/// The format names of the reference OpenImageIO build (its
/// `format_list`): writers treat `name:` metadata prefixes as private to
/// these formats.
pub const OIIO_FORMAT_NAMES: &[&str] = &[
    "openexr",
    "tiff",
    "jpeg",
    "bmp",
    "cineon",
    "dds",
    "dpx",
    "fits",
    "gif",
    "hdr",
    "ico",
    "iff",
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
    "webp",
    "zfile",
];

// ---------------------------------------------------------------------------
// Small ParamValue builders

fn array_type(b: BaseType, n: usize) -> TypeDesc {
    TypeDesc::new(
        b,
        Aggregate::Scalar,
        VecSemantics::NoXform,
        if n == 1 { 0 } else { n as i32 },
    )
}

/// A typed attribute from decoded values (`ty` decides the storage).
pub fn param(name: &str, ty: TypeDesc, values: &[Value]) -> ParamValue {
    ParamValue::from_values(name, ty, 1, Interp::Constant, values).unwrap_or_else(|| ParamValue::from_int(name, 0))
}

/// A `uint8[n]` attribute holding `bytes`.
pub fn bytes_param(name: &str, bytes: &[u8]) -> ParamValue {
    let vals: Vec<Value> = bytes.iter().map(|&b| Value::UInt(u64::from(b))).collect();
    param(
        name,
        TypeDesc::new(
            BaseType::UInt8,
            Aggregate::Scalar,
            VecSemantics::NoXform,
            bytes.len() as i32,
        ),
        &vals,
    )
}

/// A `uint` attribute.
pub fn uint_param(name: &str, v: u32) -> ParamValue {
    param(name, TypeDesc::UINT, &[Value::UInt(u64::from(v))])
}

/// Bytes as text, invalid UTF-8 replaced (OIIO keeps raw bytes).
pub fn lossy_string(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Case-insensitive ASCII prefix test that is safe on any UTF-8 text.
pub fn istarts_with(s: &str, prefix: &str) -> bool {
    let (a, b) = (s.as_bytes(), prefix.as_bytes());
    a.len() >= b.len() && a[..b.len()].eq_ignore_ascii_case(b)
}

/// Bytes as OIIO's string attributes hold them: a C string (ending at the
/// first NUL), invalid UTF-8 replaced.
pub fn cstring(b: &[u8]) -> String {
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    lossy_string(&b[..end])
}

/// The raw bytes of a `uint8` array attribute (any array length).
pub fn param_bytes(p: &ParamValue) -> Option<Vec<u8>> {
    let ty = p.type_desc();
    if !matches!(ty.basetype, BaseType::UInt8 | BaseType::Int8) {
        return None;
    }
    Some((0..p.count()).map(|i| p.get(i).as_i64() as u8).collect())
}

// ---------------------------------------------------------------------------
// EXIF decoding

struct ExifReader<'a> {
    buf: &'a [u8],
    big: bool,
    seen: BTreeSet<usize>,
}

/// IFDs nest at most this deep (hostile blobs can chain them).
const MAX_IFD_DEPTH: i32 = 32;

impl ExifReader<'_> {
    fn u16_at(&self, off: usize) -> Option<u16> {
        let b = self.buf.get(off..off + 2)?;
        Some(if self.big {
            u16::from_be_bytes([b[0], b[1]])
        } else {
            u16::from_le_bytes([b[0], b[1]])
        })
    }
    fn u32_of(&self, b: &[u8]) -> u32 {
        let a = [b[0], b[1], b[2], b[3]];
        if self.big {
            u32::from_be_bytes(a)
        } else {
            u32::from_le_bytes(a)
        }
    }

    /// The data of an entry: inline (4 bytes or fewer) or at its offset;
    /// `None` when the type is unknown, there is no data, or it overruns.
    fn entry_data<'b>(&'b self, ty: u16, count: u32, field: &'b [u8]) -> Option<&'b [u8]> {
        let size = tiff_type_size(ty)?;
        let len = size as u64 * u64::from(count);
        if len == 0 {
            return None;
        }
        if len <= 4 {
            return Some(&field[..len as usize]);
        }
        let off = u64::from(self.u32_of(field));
        if off + len > self.buf.len() as u64 {
            return None;
        }
        Some(&self.buf[off as usize..(off + len) as usize])
    }

    /// Walk one IFD at `off` with `table`. False when the directory itself
    /// does not fit in the blob.
    fn decode_ifd(&mut self, off: usize, spec: &mut ImageSpec, table: &'static [TagInfo], depth: i32) -> bool {
        let Some(n) = self.u16_at(off) else { return false };
        if off as u64 + 2 + u64::from(n) * 12 > self.buf.len() as u64 {
            return false;
        }
        for d in 0..n as usize {
            self.read_tag(spec, off + 2 + d * 12, table, depth);
        }
        true
    }

    /// Follow an IFD pointer entry (Exif, GPS, Interoperability).
    fn follow(&mut self, spec: &mut ImageSpec, field: &[u8], table: &'static [TagInfo], gps: bool, depth: i32) {
        let off = self.u32_of(field) as usize;
        if off as u64 + 2 > self.buf.len() as u64 || !self.seen.insert(off) {
            return;
        }
        let n = self.u16_at(off).unwrap_or(0);
        if gps && n > 32 {
            // Some files have the GPS count in the wrong byte order.
            return;
        }
        for d in 0..n as usize {
            self.read_tag(spec, off + 2 + d * 12, table, depth + 1);
        }
    }

    fn read_tag(&mut self, spec: &mut ImageSpec, pos: usize, table: &'static [TagInfo], depth: i32) {
        if depth > MAX_IFD_DEPTH || pos + 12 > self.buf.len() {
            return;
        }
        let e = &self.buf[pos..pos + 12];
        let tag = u32::from(self.u16_at(pos).unwrap_or(0));
        let ty = self.u16_at(pos + 2).unwrap_or(0);
        let count = self.u32_of(&e[4..8]);
        let field: [u8; 4] = [e[8], e[9], e[10], e[11]];
        match tag {
            TAG_EXIFIFD => self.follow(spec, &field, EXIF_TAGS, false, depth),
            TAG_GPSIFD => self.follow(spec, &field, GPS_TAGS, true, depth),
            TAG_INTEROPIFD => self.follow(spec, &field, EXIF_TAGS, false, depth),
            _ => {
                let Some(info) = find_tag(table, tag) else { return };
                if spec.extra_attribs.contains(info.name, TypeDesc::UNKNOWN, true) {
                    return;
                }
                match info.special {
                    Special::MakerNote => self.maker_note(spec, ty, count, &field, depth + 1),
                    Special::Version4Char => {
                        if tiff_type_size(ty).map(|s| s as u64 * u64::from(count)) == Some(4) {
                            if let Some(d) = self.entry_data(ty, count, &field) {
                                spec.attribute_str(info.name, &lossy_string(d));
                            }
                        }
                    }
                    Special::Version4U8 => {
                        if tiff_type_size(ty).map(|s| s as u64 * u64::from(count)) == Some(4) {
                            if let Some(d) = self.entry_data(ty, count, &field) {
                                let v: Vec<Value> = d.iter().map(|&b| Value::Int(i64::from(b))).collect();
                                spec.attribute(param(info.name, array_type(BaseType::Int32, 4), &v));
                            }
                        }
                    }
                    Special::None if info.ty != tt::NOTYPE => self.add_item(spec, info.name, ty, count, &field),
                    Special::None => {}
                }
            }
        }
    }

    fn maker_note(&mut self, spec: &mut ImageSpec, ty: u16, count: u32, field: &[u8], _depth: i32) {
        let len = tiff_type_size(ty).map_or(u64::MAX, |s| s as u64 * u64::from(count));
        if len <= 4 {
            return;
        }
        // OIIO decodes Canon maker notes only; other makers' notes (and, in
        // this implementation, Canon's too) are skipped. The offset is
        // remembered so the caller can clean up as OIIO does.
        spec.attribute_int("oiio:MakerNoteOffset", self.u32_of(field) as i32);
    }

    /// Add one entry under `name`, typed by the field type the file used.
    fn add_item(&self, spec: &mut ImageSpec, name: &str, ty: u16, count: u32, field: &[u8]) {
        let n = count as usize;
        let Some(data) = self.entry_data(ty, count, field) else {
            return;
        };
        let big = self.big;
        let u16s = |d: &[u8]| -> Vec<Value> {
            d.chunks_exact(2)
                .map(|c| {
                    let v = if big {
                        u16::from_be_bytes([c[0], c[1]])
                    } else {
                        u16::from_le_bytes([c[0], c[1]])
                    };
                    Value::UInt(u64::from(v))
                })
                .collect()
        };
        match ty {
            tt::SHORT => spec.attribute(param(name, tiff_type_to_typedesc(ty, n), &u16s(data))),
            tt::LONG => {
                let v: Vec<Value> = data
                    .chunks_exact(4)
                    .map(|c| Value::UInt(u64::from(self.u32_of(c))))
                    .collect();
                spec.attribute(param(name, tiff_type_to_typedesc(ty, n), &v));
            }
            tt::RATIONAL | tt::SRATIONAL => {
                let f: Vec<Value> = data
                    .chunks_exact(8)
                    .map(|c| {
                        let (a, b) = (self.u32_of(&c[..4]), self.u32_of(&c[4..]));
                        let v = if ty == tt::RATIONAL {
                            f64::from(a) / f64::from(b)
                        } else {
                            f64::from(a as i32) / f64::from(b as i32)
                        };
                        Value::Float(f64::from(v as f32))
                    })
                    .collect();
                let ty = if n == 1 {
                    TypeDesc::FLOAT
                } else {
                    array_type(BaseType::Float, n)
                };
                spec.attribute(param(name, ty, &f));
            }
            tt::ASCII | tt::UTF8 => {
                let mut d = data;
                while let [rest @ .., 0] = d {
                    d = rest;
                }
                if let Some(z) = d.iter().position(|&c| c == 0) {
                    d = &d[..z];
                }
                spec.attribute_str(name, &lossy_string(d));
            }
            tt::BYTE if n == 1 => spec.attribute_int(name, i32::from(data[0])),
            _ => {}
        }
    }
}

/// Decode an EXIF blob (optionally starting with "Exif\0\0") into `spec`.
/// Returns false when the blob is not a valid TIFF structure (attributes
/// found before the problem are kept, as OIIO does).
pub fn decode_exif(blob: &[u8], spec: &mut ImageSpec) -> bool {
    let blob = blob.strip_prefix(b"Exif\0\0").unwrap_or(blob);
    if blob.len() < 8 {
        return false;
    }
    let big = match &blob[..2] {
        b"II" => false,
        b"MM" => true,
        _ => return false,
    };
    let mut r = ExifReader {
        buf: blob,
        big,
        seen: BTreeSet::new(),
    };
    let diroff = r.u32_of(&blob[4..8]) as usize;
    if !r.decode_ifd(diroff, spec, EXIF_TAGS, 0) {
        return false;
    }
    // Any Exif colour space but "uncalibrated" (0xffff) means sRGB.
    let cs = spec
        .find_attribute("Exif:ColorSpace", TypeDesc::UNKNOWN, false)
        .or_else(|| spec.find_attribute("ColorSpace", TypeDesc::UNKNOWN, false));
    if let Some(p) = cs {
        let ty = p.type_desc();
        let v = if [TypeDesc::UINT, TypeDesc::INT, TypeDesc::UINT16, TypeDesc::INT16].contains(&ty) {
            p.get(0).as_i64()
        } else {
            -1
        };
        if v != 0xffff {
            spec.set_colorspace("srgb_rec709_scene");
        }
    }
    if spec.get_int_attribute("oiio:MakerNoteOffset", 0) > 0 {
        spec.erase_attribute("oiio:MakerNoteOffset", TypeDesc::UNKNOWN, false);
    }
    true
}

// ---------------------------------------------------------------------------
// EXIF encoding

/// One directory entry being built: the value field is already in the
/// output byte order.
#[derive(Clone, Copy)]
struct Entry {
    tag: u32,
    ty: u16,
    count: u32,
    field: [u8; 4],
}

struct ExifWriter {
    big: bool,
    blob: Vec<u8>,
}

impl ExifWriter {
    fn u16b(&self, v: u16) -> [u8; 2] {
        if self.big {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
    }
    fn u32b(&self, v: u32) -> [u8; 4] {
        if self.big {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
    }

    /// Add (or replace, by tag) an entry whose data bytes are given in the
    /// output byte order; data longer than 4 bytes goes into the blob.
    fn append(&mut self, dirs: &mut Vec<Entry>, tag: u32, ty: u16, count: u32, data: &[u8]) {
        let mut field = [0u8; 4];
        if data.len() <= 4 {
            field[..data.len()].copy_from_slice(data);
        } else {
            field = self.u32b(self.blob.len() as u32);
            self.blob.extend_from_slice(data);
        }
        let e = Entry { tag, ty, count, field };
        match dirs.iter_mut().find(|d| d.tag == tag) {
            Some(d) => *d = e,
            None => dirs.push(e),
        }
    }

    /// One attribute as the table says its tag is stored; unsupported
    /// value types are skipped.
    fn encode_entry(&mut self, p: &ParamValue, info: &TagInfo, dirs: &mut Vec<Entry>) {
        let ty = p.type_desc();
        match info.ty {
            tt::ASCII if ty == TypeDesc::STRING => {
                let Value::Str(s) = p.get(0) else { return };
                if !s.is_empty() {
                    let mut d = s.into_bytes();
                    d.push(0);
                    self.append(dirs, info.tag, tt::ASCII, d.len() as u32, &d);
                }
            }
            tt::RATIONAL | tt::SRATIONAL if ty.elementtype() == TypeDesc::FLOAT => {
                let mut d = Vec::with_capacity(info.count as usize * 8);
                for i in 0..info.count as usize {
                    let f = if i < p.count() { p.get(i).as_f64() as f32 } else { 0.0 };
                    let (n, dd) = if info.ty == tt::RATIONAL {
                        float_to_rational(f)
                    } else {
                        let (n, dd) = float_to_srational(f);
                        (n as u32, dd as u32)
                    };
                    d.extend_from_slice(&self.u32b(n));
                    d.extend_from_slice(&self.u32b(dd));
                }
                self.append(dirs, info.tag, info.ty, info.count, &d);
            }
            tt::SHORT | tt::LONG | tt::BYTE => {
                let v: i64 = match ty.basetype {
                    BaseType::UInt32
                    | BaseType::Int32
                    | BaseType::UInt16
                    | BaseType::Int16
                    | BaseType::UInt8
                    | BaseType::Int8 => p.get(0).as_i64(),
                    BaseType::String => match p.get(0) {
                        Value::Str(s) if string_is_int(&s) => i64::from(p.get_int(0)),
                        _ => return,
                    },
                    _ => return,
                };
                let d: Vec<u8> = match info.ty {
                    tt::SHORT => self.u16b(v as u16).to_vec(),
                    tt::LONG => self.u32b(v as u32).to_vec(),
                    _ => vec![v as u8],
                };
                self.append(dirs, info.tag, info.ty, 1, &d);
            }
            _ => {}
        }
    }

    fn write_ifd(&mut self, dirs: &[Entry]) {
        let n = self.u16b(dirs.len() as u16);
        self.blob.extend_from_slice(&n);
        for e in dirs {
            let (a, b, c) = (self.u16b(e.tag as u16), self.u16b(e.ty), self.u32b(e.count));
            self.blob.extend_from_slice(&a);
            self.blob.extend_from_slice(&b);
            self.blob.extend_from_slice(&c);
            self.blob.extend_from_slice(&e.field);
        }
        self.blob.extend_from_slice(&[0, 0, 0, 0]);
    }
}

/// C's double → `unsigned int` conversion as x86-64 compilers do it
/// (through a 64-bit integer, keeping the low 32 bits).
fn c_to_u32(x: f64) -> u32 {
    (x as i64) as u32
}

/// OIIO 3.2.2's float → unsigned rational: exact inverses become 1/n,
/// anything else a decimal expansion (at most 6 digits).
pub fn float_to_rational(f: f32) -> (u32, u32) {
    if f <= 0.0 || f.is_nan() {
        return (0, 1);
    }
    let inv = 1.0f64 / f64::from(f);
    if f64::from(c_to_u32(inv)) == inv {
        return (1, c_to_u32(inv));
    }
    let mut f = f;
    let mut num = c_to_u32(f64::from(f));
    let mut den: u32 = 1;
    while (f - num as f32).abs() > 0.00001 && den < 1_000_000 {
        den *= 10;
        f *= 10.0;
        num = c_to_u32(f64::from(f));
    }
    (num, den)
}

/// Signed version: the magnitude's rational, each part limited to the
/// int range, with the sign on the numerator.
pub fn float_to_srational(f: f32) -> (i32, i32) {
    let (n, d) = float_to_rational(f.abs());
    let n = n.min(i32::MAX as u32) as i32;
    let d = d.min(i32::MAX as u32) as i32;
    (if f >= 0.0 { n } else { -n }, d)
}

/// Strutil::string_is_int: an integer (leading whitespace, optional sign)
/// followed by nothing but whitespace.
pub fn string_is_int(s: &str) -> bool {
    let t = s.trim_start();
    let b = t.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    i > start && t[i..].trim().is_empty()
}

/// Build an EXIF blob (TIFF header + IFD0 + Exif IFD + GPS IFD) from the
/// attributes of `spec`, big- or little-endian. Offsets are relative to the
/// blob start (callers add "Exif\0\0" in front for JPEG).
pub fn encode_exif(spec: &ImageSpec, big_endian: bool) -> Vec<u8> {
    let mut w = ExifWriter {
        big: big_endian,
        blob: Vec::with_capacity(1024),
    };
    w.blob.extend_from_slice(if big_endian { b"MM" } else { b"II" });
    let v = w.u16b(42);
    w.blob.extend_from_slice(&v);
    w.blob.extend_from_slice(&[0, 0, 0, 0]);
    let (mut tiffdirs, mut exifdirs, mut gpsdirs) = (Vec::new(), Vec::new(), Vec::new());
    for p in &spec.extra_attribs.items {
        if p.name().starts_with("GPS:") {
            if let Some(info) = find_tag_by_name(GPS_TAGS, p.name()) {
                w.encode_entry(p, info, &mut gpsdirs);
            }
        } else if let Some(info) = find_tag_by_name(EXIF_TAGS, p.name()) {
            if info.tag < EXIF_EXPOSURETIME || info.tag > EXIF_IMAGEUNIQUEID {
                w.encode_entry(p, info, &mut tiffdirs);
            } else {
                w.encode_entry(p, info, &mut exifdirs);
            }
        }
    }
    if !exifdirs.is_empty() {
        w.append(&mut exifdirs, EXIF_EXIFVERSION, tt::UNDEFINED, 4, b"0230");
        w.append(&mut exifdirs, EXIF_FLASHPIXVERSION, tt::UNDEFINED, 4, b"0100");
        w.append(
            &mut exifdirs,
            EXIF_COMPONENTSCONFIGURATION,
            tt::UNDEFINED,
            4,
            &[1, 2, 3, 0],
        );
    }
    if !gpsdirs.is_empty() {
        w.append(&mut gpsdirs, GPS_VERSIONID, tt::BYTE, 4, &[2, 2, 0, 0]);
    }
    let ifd_size = |n: usize| 2 + 12 * n + 4;
    let tiff_off = w.blob.len();
    let tiff_size = ifd_size(tiffdirs.len() + usize::from(!exifdirs.is_empty()) + usize::from(!gpsdirs.is_empty()));
    let exif_off = tiff_off + tiff_size;
    let exif_size = if exifdirs.is_empty() {
        0
    } else {
        ifd_size(exifdirs.len())
    };
    let gps_off = exif_off + exif_size;
    if !exifdirs.is_empty() {
        let d = w.u32b(exif_off as u32);
        w.append(&mut tiffdirs, TAG_EXIFIFD, tt::LONG, 1, &d);
    }
    if !gpsdirs.is_empty() {
        let d = w.u32b(gps_off as u32);
        w.append(&mut tiffdirs, TAG_GPSIFD, tt::LONG, 1, &d);
    }
    // OIIO sorts the Exif and GPS directories but not IFD0.
    exifdirs.sort_by_key(|e| e.tag);
    gpsdirs.sort_by_key(|e| e.tag);
    let start = w.blob.len() as u32;
    w.write_ifd(&tiffdirs);
    if !exifdirs.is_empty() {
        w.write_ifd(&exifdirs);
    }
    if !gpsdirs.is_empty() {
        w.write_ifd(&gpsdirs);
    }
    let d = w.u32b(start);
    w.blob[4..8].copy_from_slice(&d);
    w.blob
}

// ---------------------------------------------------------------------------
// ICC profiles

fn icc_device_class(s: &[u8]) -> &'static str {
    match s {
        b"scnr" => "Input device profile",
        b"mntr" => "Display device profile",
        b"prtr" => "Output device profile",
        b"link" => "DeviceLink profile",
        b"spac" => "ColorSpace profile",
        b"abst" => "Abstract profile",
        b"nmcl" => "NamedColor profile",
        _ => "",
    }
}

fn icc_color_space(s: &[u8]) -> &'static str {
    match s {
        b"XYZ " => "XYZ",
        b"Lab " => "CIELAB",
        b"Luv " => "CIELUV",
        b"YCbr" => "YCbCr",
        b"Yxy " => "CIEYxy",
        b"RGB " => "RGB",
        b"GRAY" => "Gray",
        b"HSV " => "HSV",
        b"HLS " => "HLS",
        b"CMYK" => "CMYK",
        b"CMY " => "CMY",
        b"2CLR" => "2 color",
        b"3CLR" => "3 color",
        b"4CLR" => "4 color",
        b"5CLR" => "5 color",
        b"6CLR" => "6 color",
        b"7CLR" => "7 color",
        b"8CLR" => "8 color",
        b"9CLR" => "9 color",
        b"ACLR" => "10 color",
        b"BCLR" => "11 color",
        b"CCLR" => "13 color",
        b"DCLR" => "14 color",
        b"ECLR" => "15 color",
        b"FCLR" => "16 color",
        _ => "",
    }
}

fn icc_platform(s: &[u8]) -> &'static str {
    match s {
        b"APPL" => "Apple Computer, Inc.",
        b"MSFT" => "Microsoft Corporation",
        b"SGI " => "Silicon Graphics, Inc.",
        b"SUNW" => "Sun Microsystems, Inc.",
        _ => "",
    }
}

fn icc_tag_name(sig: &[u8]) -> String {
    match sig {
        b"targ" => "characterization_target".into(),
        b"cprt" => "copyright".into(),
        b"desc" => "profile_description".into(),
        b"dmdd" => "device_model_description".into(),
        b"dmnd" => "device_manufacturer_description".into(),
        b"vued" => "viewing_conditions_description".into(),
        _ => lossy_string(sig),
    }
}

fn be32(d: &[u8], off: usize) -> Option<u32> {
    d.get(off..off + 4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}
fn be16(d: &[u8], off: usize) -> Option<u16> {
    d.get(off..off + 2).map(|b| u16::from_be_bytes([b[0], b[1]]))
}

/// Describe an ICC profile's header and text tags as `ICCProfile:...`
/// attributes. On a malformed profile, returns OIIO's message (attributes
/// decoded before the problem stay).
pub fn decode_icc_profile(icc: &[u8], spec: &mut ImageSpec) -> Result<(), String> {
    let too_small = || "ICC profile too small".to_string();
    if icc.len() < 128 {
        return Err(too_small());
    }
    if be32(icc, 36) != Some(0x6163_7370) {
        return Err("ICC profile has bad magic number".into());
    }
    let size = be32(icc, 0).unwrap_or(0);
    if size as usize != icc.len() {
        return Err("ICC profile size mismatch".into());
    }
    spec.attribute(uint_param("ICCProfile:profile_size", size));
    spec.attribute(uint_param("ICCProfile:cmm_type", be32(icc, 4).unwrap_or(0)));
    spec.attribute_str(
        "ICCProfile:profile_version",
        &format!("{}.{}.{}", icc[8], icc[9] >> 4, icc[9] & 0xf),
    );
    spec.attribute_str("ICCProfile:device_class", icc_device_class(&icc[12..16]));
    spec.attribute_str("ICCProfile:color_space", icc_color_space(&icc[16..20]));
    spec.attribute_str("ICCProfile:profile_connection_space", icc_color_space(&icc[20..24]));
    spec.attribute_str("ICCProfile:platform_signature", icc_platform(&icc[40..44]));
    let dt: Vec<u16> = (0..6).map(|i| be16(icc, 24 + 2 * i).unwrap_or(0)).collect();
    spec.attribute_str(
        "ICCProfile:creation_date",
        &format!(
            "{:02}:{:02}:{:02} {:02}:{:02}:{:02}",
            dt[0], dt[1], dt[2], dt[3], dt[4], dt[5]
        ),
    );
    let flags = be32(icc, 44).unwrap_or(0);
    spec.attribute_str(
        "ICCProfile:flags",
        &format!(
            "{}, {}",
            if flags & 1 != 0 { "Embedded " } else { "Not Embedded" },
            if flags & 2 != 0 { "Dependent" } else { "Independent" }
        ),
    );
    spec.attribute_str("ICCProfile:manufacturer", &format!("{:x}", be32(icc, 48).unwrap_or(0)));
    spec.attribute_str("ICCProfile:model", &format!("{:x}", be32(icc, 52).unwrap_or(0)));
    let a = be32(icc, 60).unwrap_or(0);
    spec.attribute_str(
        "ICCProfile:attributes",
        &format!(
            "{}, {}, {}, {}",
            if a & 1 != 0 { "Transparency " } else { "Reflective" },
            if a & 2 != 0 { "Matte" } else { "Glossy" },
            if a & 4 != 0 { "Negative" } else { "Positive" },
            if a & 8 != 0 { "Black & White" } else { "Color" }
        ),
    );
    let intents = [
        "Perceptual",
        "Media-relative colorimetric",
        "Saturation",
        "ICC-absolute colorimetric",
    ];
    let intent = be32(icc, 64).unwrap_or(0) as usize;
    spec.attribute_str(
        "ICCProfile:rendering_intent",
        intents.get(intent).copied().unwrap_or("Unknown"),
    );
    spec.attribute_str(
        "ICCProfile:creator_signature",
        &format!("{:x}", be32(icc, 80).unwrap_or(0)),
    );

    let ntags = be32(icc, 128).ok_or_else(too_small)?;
    for i in 0..ntags as usize {
        let at = 132 + 12 * i;
        let (Some(sig), Some(off), Some(len)) = (icc.get(at..at + 4), be32(icc, at + 4), be32(icc, at + 8)) else {
            return Err(too_small());
        };
        let corrupt = || {
            format!(
                "ICC profile tag {} appears to contain corrupted/invalid data",
                lossy_string(sig)
            )
        };
        let (off, len) = (off as usize, len as usize);
        if off.saturating_add(len.max(4)) > icc.len() {
            return Err(corrupt());
        }
        let typesig = &icc[off..off + 4];
        let name = format!("ICCProfile:{}", icc_tag_name(sig));
        match typesig {
            b"text" => {
                if len < 8 {
                    return Err(corrupt());
                }
                spec.attribute_str(&name, &cstring(&icc[off + 8..off + len]));
            }
            b"desc" => {
                if len < 12 {
                    return Err(corrupt());
                }
                spec.attribute_str(&name, &cstring(&icc[off + 12..off + len]));
            }
            b"mluc" => {
                let (Some(nrec), Some(recsize)) = (be32(icc, off + 8), be32(icc, off + 12)) else {
                    return Err(too_small());
                };
                if recsize != 12 {
                    return Err(String::new());
                }
                for r in 0..nrec as usize {
                    let ra = off + 16 + 12 * r;
                    let (Some(lang), Some(slen), Some(soff)) = (be16(icc, ra), be32(icc, ra + 4), be32(icc, ra + 8))
                    else {
                        return Err(too_small());
                    };
                    if lang == (u16::from(b'e') << 8) + u16::from(b'n') {
                        let start = off.saturating_add(soff as usize);
                        let end = start.saturating_add(slen as usize);
                        if end > icc.len() {
                            return Err(corrupt());
                        }
                        let units: Vec<u16> = icc[start..start + (slen as usize / 2) * 2]
                            .chunks_exact(2)
                            .map(|c| u16::from_be_bytes([c[0], c[1]]))
                            .collect();
                        let text = String::from_utf16_lossy(&units);
                        spec.attribute_str(&name, text.split('\0').next().unwrap_or(""));
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Colour-space hints

/// OIIO's colour interop IDs with their legacy aliases and CICP codes.
static INTEROP: &[(&str, &str, Option<[i32; 4]>)] = &[
    ("lin_ap1_scene", "lin_ap1", None),
    ("lin_ap0_scene", "lin_ap0", None),
    ("lin_rec709_scene", "lin_rec709", Some([1, 8, 1, 1])),
    ("lin_p3d65_scene", "lin_p3d65", Some([12, 8, 1, 1])),
    ("lin_rec2020_scene", "lin_rec2020", Some([9, 8, 10, 1])),
    ("lin_adobergb_scene", "lin_adobergb", None),
    ("lin_ciexyzd65_scene", "cie_xyz_d65", Some([10, 8, 2, 1])),
    ("srgb_rec709_scene", "srgb_texture", Some([1, 13, 1, 1])),
    ("g24_rec709_scene", "g24_rec709", None),
    ("g22_rec709_scene", "g22_rec709", Some([1, 4, 1, 1])),
    ("g18_rec709_scene", "g18_rec709", None),
    ("srgb_ap1_scene", "srgb_ap1", None),
    ("g22_ap1_scene", "g22_ap1", None),
    ("srgb_p3d65_scene", "srgb_p3d65", Some([12, 13, 1, 1])),
    ("g22_adobergb_scene", "", None),
    ("data", "", None),
    ("unknown", "", None),
    ("srgb_rec709_display", "srgb_display", Some([1, 13, 1, 1])),
    ("g24_rec709_display", "rec1886_rec709_display", Some([1, 1, 1, 1])),
    ("srgb_p3d65_display", "displayp3_display", Some([12, 13, 1, 1])),
    ("srgbe_p3d65_display", "displayp3_hdr_display", Some([12, 13, 1, 1])),
    ("pq_p3d65_display", "st2084_p3d65_display", Some([12, 16, 9, 1])),
    ("pq_rec2020_display", "rec2100_pq_display", Some([9, 16, 9, 1])),
    ("hlg_rec2020_display", "rec2100_hlg_display", Some([9, 18, 9, 1])),
    ("g22_rec709_display", "", None),
    ("g22_adobergb_display", "", None),
    ("g26_p3d65_display", "p3d65_display", Some([12, 17, 1, 1])),
    ("g26_xyzd65_display", "", Some([10, 17, 2, 1])),
    ("pq_xyzd65_display", "", Some([10, 16, 2, 1])),
    ("ocio:lin_ciexyzd65_display", "cie_xyz_d65", Some([10, 8, 2, 1])),
];

/// Names of the default colour configuration that carry an interop ID.
static CONFIG_NAMES: &[(&str, &str)] = &[
    ("sRGB - Texture", "srgb_rec709_scene"),
    ("sRGB", "srgb_rec709_scene"),
    ("srgb_tx", "srgb_rec709_scene"),
    ("Utility - sRGB - Texture", "srgb_rec709_scene"),
    ("sRGB Encoded Rec.709 (sRGB)", "srgb_rec709_display"),
    ("sRGB - Display", "srgb_rec709_display"),
    ("Linear Rec.709 (sRGB)", "lin_rec709_scene"),
    ("lin_srgb", "lin_rec709_scene"),
    ("Utility - Linear - sRGB", "lin_rec709_scene"),
    ("ACEScg", "lin_ap1_scene"),
    ("ACES2065-1", "lin_ap0_scene"),
    ("Linear P3-D65", "lin_p3d65_scene"),
    ("Linear Rec.2020", "lin_rec2020_scene"),
    ("Gamma 1.8 Rec.709 - Texture", "g18_rec709_scene"),
    ("Gamma 2.2 Rec.709 - Texture", "g22_rec709_scene"),
    ("Gamma 2.4 Rec.709 - Texture", "g24_rec709_scene"),
    ("Raw", "data"),
];

/// The interop ID a colour-space name stands for ("" if none).
pub fn color_interop_id(name: &str) -> &'static str {
    if name.is_empty() {
        return "";
    }
    for (id, alias, _) in INTEROP {
        if name.eq_ignore_ascii_case(id) || (!alias.is_empty() && name.eq_ignore_ascii_case(alias)) {
            return id;
        }
    }
    CONFIG_NAMES
        .iter()
        .find(|(n, _)| name.eq_ignore_ascii_case(n))
        .map_or("", |(_, id)| id)
}

/// The interop ID for CICP primaries/transfer codes ("" if none).
pub fn interop_id_from_cicp(cicp: &[i32; 4]) -> &'static str {
    INTEROP
        .iter()
        .find(|(_, _, c)| c.is_some_and(|c| c[0] == cicp[0] && c[1] == cicp[1]))
        .map_or("", |(id, _, _)| id)
}

/// CICP codes for a colour space: an explicit `CICP` int[4] attribute, or
/// (when `from_colorspace`) the codes of `oiio:ColorSpace`'s interop ID.
pub fn colorspace_cicp(spec: &ImageSpec, from_colorspace: bool) -> Option<[i32; 4]> {
    let int4 = TypeDesc::new(BaseType::Int32, Aggregate::Scalar, VecSemantics::NoXform, 4);
    if let Some(p) = spec.extra_attribs.get("CICP", int4, false) {
        return Some(std::array::from_fn(|i| p.get(i).as_i64() as i32));
    }
    if !from_colorspace {
        return None;
    }
    let id = color_interop_id(&spec.get_string_attribute("oiio:ColorSpace", ""));
    INTEROP
        .iter()
        .find(|(i, _, _)| !id.is_empty() && *i == id)
        .and_then(|(_, _, c)| *c)
}

/// OIIO's `is_colorspace_srgb`: `oiio:ColorSpace` is an sRGB space (or
/// absent, when `default_to_srgb`).
pub fn is_colorspace_srgb(spec: &ImageSpec, default_to_srgb: bool) -> bool {
    let cs = spec.get_string_attribute("oiio:ColorSpace", "");
    if default_to_srgb && cs.is_empty() {
        return true;
    }
    matches!(color_interop_id(&cs), "srgb_rec709_scene" | "srgb_rec709_display")
}

/// Gamma of a "g<NN>_rec709_(scene|display)" name, 0 if it is not one.
fn rec709_name_gamma(name: &str) -> f32 {
    let Some(rest) = name.strip_prefix('g') else { return 0.0 };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let Ok(g10) = rest[..digits].parse::<i32>() else {
        return 0.0;
    };
    if g10 <= 0 || !matches!(&rest[digits..], "_rec709_scene" | "_rec709_display") {
        return 0.0;
    }
    g10 as f32 / 10.0
}

/// OIIO's `get_colorspace_rec709_gamma`: the gamma a writer should record
/// for `oiio:ColorSpace` (1 for linear, 0 when it is not a plain gamma).
pub fn colorspace_rec709_gamma(spec: &ImageSpec) -> f32 {
    let cs = spec.get_string_attribute("oiio:ColorSpace", "");
    let id = color_interop_id(&cs);
    let g = rec709_name_gamma(if id.is_empty() { &cs } else { id });
    if ["linear", "scene_linear"].iter().any(|n| cs.eq_ignore_ascii_case(n)) || id == "lin_rec709_scene" {
        return 1.0;
    }
    if g != 0.0 {
        return g;
    }
    if istarts_with(&cs, "gamma") {
        let rest = cs[5..].trim_start();
        if let Ok(g) = rest.parse::<f32>() {
            if (0.01..=10.0).contains(&g) {
                return g;
            }
        }
    }
    spec.get_float_attribute("oiio:Gamma", 0.0)
}

/// OIIO's `set_colorspace_rec709_gamma`: name the colour space after a
/// file's gamma (rounded to hundredths) and keep `oiio:Gamma`.
pub fn set_colorspace_rec709_gamma(spec: &mut ImageSpec, gamma: f32) {
    let g = (gamma * 100.0).round() / 100.0;
    if (g - 1.0).abs() <= 0.01 {
        spec.set_colorspace("lin_rec709_scene");
    } else if (g - 1.8).abs() <= 0.01 {
        spec.set_colorspace("g18_rec709_scene");
        spec.attribute_float("oiio:Gamma", 1.8);
    } else if (g - 2.2).abs() <= 0.01 {
        spec.set_colorspace("g22_rec709_scene");
        spec.attribute_float("oiio:Gamma", 2.2);
    } else if (g - 2.4).abs() <= 0.01 {
        spec.set_colorspace("g24_rec709_scene");
        spec.attribute_float("oiio:Gamma", 2.4);
    } else {
        spec.set_colorspace(&format!("g{}_rec709_scene", (g * 10.0).round() as i64));
        spec.attribute_float("oiio:Gamma", gamma);
    }
}

/// Strutil::stoi on a prefix: (value, bytes used); 0 when not a number.
pub fn parse_int_prefix(text: &str) -> (i32, usize) {
    let mut s = text.as_bytes();
    match parse_int(&mut s) {
        Some(v) => (v, text.len() - s.len()),
        None => (0, 0),
    }
}

/// Strutil::parse_int: optional whitespace, sign and digits.
fn parse_int(s: &mut &[u8]) -> Option<i32> {
    let mut i = s.iter().take_while(|c| c.is_ascii_whitespace()).count();
    let st = i;
    if matches!(s.get(i), Some(b'+' | b'-')) {
        i += 1;
    }
    let d0 = i;
    while s.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    if i == d0 {
        return None;
    }
    let v = std::str::from_utf8(&s[st..i]).ok()?.trim().parse::<i64>().ok()?;
    *s = &s[i..];
    Some(v.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32)
}

fn parse_char(s: &mut &[u8], c: &[u8]) -> bool {
    match s.first() {
        Some(x) if c.contains(x) => {
            *s = &s[1..];
            true
        }
        _ => false,
    }
}

/// Strutil::scan_datetime: "YYYY:MM:DD HH:MM:SS" ('-' or '/' also separate
/// the date), with OIIO's range checks.
pub fn scan_datetime(text: &str) -> Option<[i32; 6]> {
    let mut s = text.as_bytes();
    let year = parse_int(&mut s)?;
    parse_char(&mut s, b":-/").then_some(())?;
    let month = parse_int(&mut s)?;
    parse_char(&mut s, b":-/").then_some(())?;
    let day = parse_int(&mut s)?;
    let hour = parse_int(&mut s)?;
    parse_char(&mut s, b":").then_some(())?;
    let min = parse_int(&mut s)?;
    parse_char(&mut s, b":").then_some(())?;
    let sec = parse_int(&mut s)?;
    let ok = (1..=12).contains(&month)
        && (1..=31).contains(&day)
        && (0..=23).contains(&hour)
        && (0..=59).contains(&min)
        && (0..=59).contains(&sec);
    ok.then_some([year, month, day, hour, min, sec])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exif_round_trip_both_orders() {
        let mut s = ImageSpec::new(4, 4, 3, TypeDesc::UINT8);
        s.attribute_str("Make", "Acme");
        s.attribute_int("Orientation", 6);
        s.attribute_float("XResolution", 300.0);
        s.attribute_float("ExposureTime", 0.004);
        s.attribute_float("Exif:FocalLength", 50.5);
        s.attribute_float("GPS:Altitude", 3.5);
        s.attribute_str("GPS:LatitudeRef", "N");
        for big in [false, true] {
            let blob = encode_exif(&s, big);
            let mut r = ImageSpec::default();
            assert!(decode_exif(&blob, &mut r));
            assert_eq!(r.get_string_attribute("Make", ""), "Acme");
            assert_eq!(r.get_int_attribute("Orientation", 0), 6);
            assert_eq!(r.get_float_attribute("XResolution", 0.0), 300.0);
            assert_eq!(r.get_float_attribute("Exif:FocalLength", 0.0), 50.5);
            assert_eq!(r.get_float_attribute("GPS:Altitude", 0.0), 3.5);
            assert_eq!(r.get_string_attribute("GPS:LatitudeRef", ""), "N");
            assert_eq!(r.get_string_attribute("Exif:ExifVersion", ""), "0230");
            let v = r.find_attribute("GPS:VersionID", TypeDesc::UNKNOWN, false).unwrap();
            assert_eq!(v.values(), [Value::Int(2), Value::Int(2), Value::Int(0), Value::Int(0)]);
            let o = r.find_attribute("Orientation", TypeDesc::UNKNOWN, false).unwrap();
            assert_eq!(o.type_desc(), TypeDesc::UINT16);
        }
    }

    #[test]
    fn rationals_like_oiio() {
        assert_eq!(float_to_rational(300.0), (300, 1));
        assert_eq!(float_to_rational(50.5), (505, 10));
        assert_eq!(float_to_rational(0.5), (1, 2));
        assert_eq!(float_to_rational(4.656613e-10), (1, 2147483648));
        assert_eq!(float_to_srational(-4.656613e-10), (-1, 2147483647));
        assert_eq!(float_to_rational(0.333333), (333332, 1000000));
        assert_eq!(float_to_rational(3e9), (3000000000, 1));
        assert_eq!(float_to_srational(-3e9), (-2147483647, 1));
        assert_eq!(float_to_rational(-2.0), (0, 1));
        assert_eq!(float_to_srational(-2.5), (-25, 10));
    }

    #[test]
    fn hostile_exif_blobs_do_not_panic() {
        let mut s = ImageSpec::default();
        assert!(!decode_exif(b"", &mut s));
        assert!(!decode_exif(b"MM\0*\xff\xff\xff\xff", &mut s));
        // An IFD pointing at itself through the Exif pointer.
        let mut b = b"II*\0\x08\0\0\0\x01\0".to_vec();
        b.extend_from_slice(&34665u16.to_le_bytes());
        b.extend_from_slice(&4u16.to_le_bytes());
        b.extend_from_slice(&1u32.to_le_bytes());
        b.extend_from_slice(&8u32.to_le_bytes());
        b.extend_from_slice(&[0; 4]);
        assert!(decode_exif(&b, &mut s));
        // Random bytes after a valid header.
        let mut x: u32 = 12345;
        for len in [16usize, 100, 1000] {
            let mut b = b"MM\0*\0\0\0\x08".to_vec();
            for _ in 0..len {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                b.push((x >> 16) as u8);
            }
            let _ = decode_exif(&b, &mut ImageSpec::default());
        }
    }

    #[test]
    fn gamma_names() {
        let mut s = ImageSpec::default();
        set_colorspace_rec709_gamma(&mut s, 2.2);
        assert_eq!(s.get_string_attribute("oiio:ColorSpace", ""), "g22_rec709_scene");
        assert_eq!(colorspace_rec709_gamma(&s), 2.2);
        set_colorspace_rec709_gamma(&mut s, 2.6);
        assert_eq!(s.get_string_attribute("oiio:ColorSpace", ""), "g26_rec709_scene");
        set_colorspace_rec709_gamma(&mut s, 1.0);
        assert_eq!(colorspace_rec709_gamma(&s), 1.0);
        assert!(is_colorspace_srgb(&ImageSpec::default(), true));
        assert!(!is_colorspace_srgb(&ImageSpec::default(), false));
        assert_eq!(scan_datetime("2020:01:02 03:04:05"), Some([2020, 1, 2, 3, 4, 5]));
        assert_eq!(scan_datetime("2020:13:02 03:04:05"), None);
        assert!(string_is_int(" 42 ") && !string_is_int("inch") && !string_is_int(""));
    }
}
