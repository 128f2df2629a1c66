//! TIFF directories and the metadata OIIO derives from them: the raw IFD
//! model, OIIO's TIFF / Exif / GPS tag tables read the way libtiff hands the
//! values to OIIO's reader (libtiff's own field definitions decide the
//! types and counts), IPTC IIM, XMP and ICC profile decoding, and the
//! encoders the writer needs.

use vfx_core::{Aggregate, BaseType, ImageSpec, Interp, ParamValue, TypeDesc, Value, VecSemantics};

// TIFF field data types.
pub const T_BYTE: u16 = 1;
pub const T_ASCII: u16 = 2;
pub const T_SHORT: u16 = 3;
pub const T_LONG: u16 = 4;
pub const T_RATIONAL: u16 = 5;
pub const T_SBYTE: u16 = 6;
pub const T_UNDEFINED: u16 = 7;
pub const T_SSHORT: u16 = 8;
pub const T_SLONG: u16 = 9;
pub const T_SRATIONAL: u16 = 10;
pub const T_FLOAT: u16 = 11;
pub const T_DOUBLE: u16 = 12;
pub const T_IFD: u16 = 13;
pub const T_LONG8: u16 = 16;
pub const T_SLONG8: u16 = 17;
pub const T_IFD8: u16 = 18;
/// OIIO's marker for "skip this table entry".
const T_NOTYPE: u16 = 0;

/// Bytes per value of a TIFF data type (0 for unknown types).
pub fn type_size(t: u16) -> usize {
    match t {
        T_BYTE | T_ASCII | T_SBYTE | T_UNDEFINED => 1,
        T_SHORT | T_SSHORT => 2,
        T_LONG | T_SLONG | T_FLOAT | T_IFD => 4,
        T_RATIONAL | T_SRATIONAL | T_DOUBLE | T_LONG8 | T_SLONG8 | T_IFD8 => 8,
        _ => 0,
    }
}

/// One directory entry with its value bytes (file byte order).
#[derive(Clone, Debug)]
pub struct Entry {
    pub tag: u16,
    pub typ: u16,
    pub count: u64,
    pub data: Vec<u8>,
}

/// One image file directory.
#[derive(Clone, Debug, Default)]
pub struct Ifd {
    /// Little-endian file.
    pub le: bool,
    pub entries: Vec<Entry>,
}

impl Entry {
    fn u16_at(&self, le: bool, i: usize) -> u16 {
        let b = [self.data[i], self.data[i + 1]];
        if le {
            u16::from_le_bytes(b)
        } else {
            u16::from_be_bytes(b)
        }
    }
    fn u32_at(&self, le: bool, i: usize) -> u32 {
        let b: [u8; 4] = self.data[i..i + 4].try_into().unwrap();
        if le {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        }
    }
    fn u64_at(&self, le: bool, i: usize) -> u64 {
        let b: [u8; 8] = self.data[i..i + 8].try_into().unwrap();
        if le {
            u64::from_le_bytes(b)
        } else {
            u64::from_be_bytes(b)
        }
    }
    /// Number of values actually present.
    pub fn len(&self) -> usize {
        self.data.len().checked_div(type_size(self.typ)).unwrap_or(0)
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Value `i` as an integer (rationals give the numerator over the
    /// denominator, truncated; floats truncate).
    pub fn int(&self, le: bool, i: usize) -> i64 {
        let s = type_size(self.typ);
        let o = i * s;
        match self.typ {
            T_BYTE | T_UNDEFINED | T_ASCII => self.data[o] as i64,
            T_SBYTE => self.data[o] as i8 as i64,
            T_SHORT => self.u16_at(le, o) as i64,
            T_SSHORT => self.u16_at(le, o) as i16 as i64,
            T_LONG | T_IFD => self.u32_at(le, o) as i64,
            T_SLONG => self.u32_at(le, o) as i32 as i64,
            T_LONG8 | T_IFD8 => self.u64_at(le, o) as i64,
            T_SLONG8 => self.u64_at(le, o) as i64,
            _ => self.float(le, i) as i64,
        }
    }
    /// Value `i` as a double (rationals as numerator / denominator, 0 when
    /// the denominator is 0, as libtiff does).
    pub fn float(&self, le: bool, i: usize) -> f64 {
        let o = i * type_size(self.typ);
        match self.typ {
            T_RATIONAL => {
                let (n, d) = (self.u32_at(le, o), self.u32_at(le, o + 4));
                if n == 0 || d == 0 {
                    0.0
                } else {
                    n as f64 / d as f64
                }
            }
            T_SRATIONAL => {
                let (n, d) = (self.u32_at(le, o) as i32, self.u32_at(le, o + 4) as i32);
                if n == 0 || d == 0 {
                    0.0
                } else {
                    n as f64 / d as f64
                }
            }
            T_FLOAT => f32::from_bits(self.u32_at(le, o)) as f64,
            T_DOUBLE => f64::from_bits(self.u64_at(le, o)),
            _ => self.int(le, i) as f64,
        }
    }
    pub fn ints(&self, le: bool) -> Vec<i64> {
        (0..self.len()).map(|i| self.int(le, i)).collect()
    }
    pub fn floats(&self, le: bool) -> Vec<f64> {
        (0..self.len()).map(|i| self.float(le, i)).collect()
    }
    /// The bytes up to the first NUL, as (lossy) UTF-8.
    pub fn ascii(&self) -> String {
        let end = self.data.iter().position(|&c| c == 0).unwrap_or(self.data.len());
        bytes_to_string(&self.data[..end])
    }
}

/// Text from file bytes: UTF-8 when valid, else Latin-1.
pub fn bytes_to_string(b: &[u8]) -> String {
    match std::str::from_utf8(b) {
        Ok(s) => s.to_string(),
        Err(_) => b.iter().map(|&c| c as char).collect(),
    }
}

impl Ifd {
    pub fn get(&self, tag: u16) -> Option<&Entry> {
        self.entries.iter().find(|e| e.tag == tag)
    }
    pub fn int(&self, tag: u16) -> Option<i64> {
        self.get(tag).filter(|e| !e.is_empty()).map(|e| e.int(self.le, 0))
    }
    pub fn float(&self, tag: u16) -> Option<f64> {
        self.get(tag).filter(|e| !e.is_empty()).map(|e| e.float(self.le, 0))
    }
    pub fn ints(&self, tag: u16) -> Option<Vec<i64>> {
        self.get(tag).map(|e| e.ints(self.le))
    }
    pub fn ascii(&self, tag: u16) -> Option<String> {
        self.get(tag).map(|e| e.ascii())
    }
}

// ---------------------------------------------------------------------------
// OIIO's tag tables: (tag, attribute name, TIFF type, count).

pub const TIFF_TABLE: &[(u16, &str, u16, i32)] = &[
    (270, "ImageDescription", T_ASCII, 0),
    (274, "Orientation", T_SHORT, 1),
    (282, "XResolution", T_RATIONAL, 1),
    (283, "YResolution", T_RATIONAL, 1),
    (296, "ResolutionUnit", T_SHORT, 1),
    (271, "Make", T_ASCII, 0),
    (272, "Model", T_ASCII, 0),
    (305, "Software", T_ASCII, 0),
    (315, "Artist", T_ASCII, 0),
    (33432, "Copyright", T_ASCII, 0),
    (306, "DateTime", T_ASCII, 0),
    (269, "DocumentName", T_ASCII, 0),
    (285, "tiff:PageName", T_ASCII, 0),
    (297, "tiff:PageNumber", T_SHORT, 1),
    (316, "HostComputer", T_ASCII, 0),
    (33302, "textureformat", T_ASCII, 0),
    (33303, "wrapmodes", T_ASCII, 0),
    (33304, "fovcot", T_FLOAT, 1),
    // CompressionQuality / tiff:zipquality are libtiff pseudo-tags (never
    // found in a file); tiff:XMLPacket never matches libtiff's BYTE type.
    (700, "tiff:XMLPacket", T_ASCII, 0),
];

pub const EXIF_TABLE: &[(u16, &str, u16, i32)] = &[
    (256, "Exif:ImageWidth", T_NOTYPE, 1),
    (257, "Exif:ImageLength", T_NOTYPE, 1),
    (258, "Exif:BitsPerSample", T_NOTYPE, 0),
    (259, "Exif:Compression", T_NOTYPE, 1),
    (262, "Exif:Photometric", T_NOTYPE, 1),
    (277, "Exif:SamplesPerPixel", T_NOTYPE, 1),
    (284, "Exif:PlanarConfig", T_NOTYPE, 1),
    (530, "Exif:YCbCrSubsampling", T_SHORT, 2),
    (531, "Exif:YCbCrPositioning", T_SHORT, 1),
    (274, "Orientation", T_SHORT, 1),
    (282, "XResolution", T_RATIONAL, 1),
    (283, "YResolution", T_RATIONAL, 1),
    (296, "ResolutionUnit", T_SHORT, 1),
    (270, "ImageDescription", T_ASCII, 0),
    (271, "Make", T_ASCII, 0),
    (272, "Model", T_ASCII, 0),
    (305, "Software", T_ASCII, 0),
    (315, "Artist", T_ASCII, 0),
    (33432, "Copyright", T_ASCII, 0),
    (306, "DateTime", T_ASCII, 0),
    (34665, "Exif:ExifIFD", T_NOTYPE, 1),
    (40965, "Exif:InteroperabilityIFD", T_NOTYPE, 1),
    (34853, "Exif:GPSIFD", T_NOTYPE, 1),
    (33434, "ExposureTime", T_RATIONAL, 1),
    (33437, "FNumber", T_RATIONAL, 1),
    (34850, "Exif:ExposureProgram", T_SHORT, 1),
    (34852, "Exif:SpectralSensitivity", T_ASCII, 0),
    (34855, "Exif:ISOSpeedRatings", T_SHORT, 1),
    (34856, "Exif:OECF", T_NOTYPE, 1),
    (36864, "Exif:ExifVersion", T_UNDEFINED, 1),
    (36867, "Exif:DateTimeOriginal", T_ASCII, 0),
    (36868, "Exif:DateTimeDigitized", T_ASCII, 0),
    (36880, "Exif:OffsetTime", T_ASCII, 0),
    (36881, "Exif:OffsetTimeOriginal", T_ASCII, 0),
    (36882, "Exif:OffsetTimeDigitized", T_ASCII, 0),
    (37121, "Exif:ComponentsConfiguration", T_UNDEFINED, 1),
    (37122, "Exif:CompressedBitsPerPixel", T_RATIONAL, 1),
    (37377, "Exif:ShutterSpeedValue", T_SRATIONAL, 1),
    (37378, "Exif:ApertureValue", T_RATIONAL, 1),
    (37379, "Exif:BrightnessValue", T_SRATIONAL, 1),
    (37380, "Exif:ExposureBiasValue", T_SRATIONAL, 1),
    (37381, "Exif:MaxApertureValue", T_RATIONAL, 1),
    (37382, "Exif:SubjectDistance", T_RATIONAL, 1),
    (37383, "Exif:MeteringMode", T_SHORT, 1),
    (37384, "Exif:LightSource", T_SHORT, 1),
    (37385, "Exif:Flash", T_SHORT, 1),
    (37386, "Exif:FocalLength", T_RATIONAL, 1),
    (37394, "Exif:SecurityClassification", T_ASCII, 1),
    (37395, "Exif:ImageHistory", T_ASCII, 1),
    (37396, "Exif:SubjectArea", T_NOTYPE, 1),
    (37500, "Exif:MakerNote", T_BYTE, 0),
    (37510, "Exif:UserComment", T_BYTE, 0),
    (37520, "Exif:SubsecTime", T_ASCII, 0),
    (37521, "Exif:SubsecTimeOriginal", T_ASCII, 0),
    (37522, "Exif:SubsecTimeDigitized", T_ASCII, 0),
    (40960, "Exif:FlashPixVersion", T_UNDEFINED, 1),
    (40961, "Exif:ColorSpace", T_SHORT, 1),
    (40962, "Exif:PixelXDimension", T_LONG, 1),
    (40963, "Exif:PixelYDimension", T_LONG, 1),
    (40964, "Exif:RelatedSoundFile", T_ASCII, 0),
    (41483, "Exif:FlashEnergy", T_RATIONAL, 1),
    (41484, "Exif:SpatialFrequencyResponse", T_NOTYPE, 1),
    (41486, "Exif:FocalPlaneXResolution", T_RATIONAL, 1),
    (41487, "Exif:FocalPlaneYResolution", T_RATIONAL, 1),
    (41488, "Exif:FocalPlaneResolutionUnit", T_SHORT, 1),
    (41492, "Exif:SubjectLocation", T_SHORT, 2),
    (41493, "Exif:ExposureIndex", T_RATIONAL, 1),
    (41495, "Exif:SensingMethod", T_SHORT, 1),
    (41728, "Exif:FileSource", T_UNDEFINED, 1),
    (41729, "Exif:SceneType", T_UNDEFINED, 1),
    (41730, "Exif:CFAPattern", T_NOTYPE, 1),
    (41985, "Exif:CustomRendered", T_SHORT, 1),
    (41986, "Exif:ExposureMode", T_SHORT, 1),
    (41987, "Exif:WhiteBalance", T_SHORT, 1),
    (41988, "Exif:DigitalZoomRatio", T_RATIONAL, 1),
    (41989, "Exif:FocalLengthIn35mmFilm", T_SHORT, 1),
    (41990, "Exif:SceneCaptureType", T_SHORT, 1),
    (41991, "Exif:GainControl", T_RATIONAL, 1),
    (41992, "Exif:Contrast", T_SHORT, 1),
    (41993, "Exif:Saturation", T_SHORT, 1),
    (41994, "Exif:Sharpness", T_SHORT, 1),
    (41995, "Exif:DeviceSettingDescription", T_NOTYPE, 1),
    (41996, "Exif:SubjectDistanceRange", T_SHORT, 1),
    (42016, "Exif:ImageUniqueID", T_ASCII, 0),
    (34855, "Exif:PhotographicSensitivity", T_SHORT, 1),
    (34864, "Exif:SensitivityType", T_SHORT, 1),
    (34865, "Exif:StandardOutputSensitivity", T_LONG, 1),
    (34866, "Exif:RecommendedExposureIndex", T_LONG, 1),
    (34867, "Exif:ISOSpeed", T_LONG, 1),
    (34868, "Exif:ISOSpeedLatitudeyyy", T_LONG, 1),
    (34869, "Exif:ISOSpeedLatitudezzz", T_LONG, 1),
    (37888, "Exif:Temperature", T_SRATIONAL, 1),
    (37889, "Exif:Humidity", T_RATIONAL, 1),
    (37890, "Exif:Pressure", T_RATIONAL, 1),
    (37891, "Exif:WaterDepth", T_SRATIONAL, 1),
    (37892, "Exif:Acceleration", T_RATIONAL, 1),
    (37893, "Exif:CameraElevationAngle", T_SRATIONAL, 1),
    (42032, "Exif:CameraOwnerName", T_ASCII, 0),
    (42033, "Exif:BodySerialNumber", T_ASCII, 0),
    (42034, "Exif:LensSpecification", T_RATIONAL, 4),
    (42035, "Exif:LensMake", T_ASCII, 0),
    (42036, "Exif:LensModel", T_ASCII, 0),
    (42037, "Exif:LensSerialNumber", T_ASCII, 0),
    (42240, "Exif:Gamma", T_RATIONAL, 1),
    (42038, "Exif:ImageTitle", T_ASCII, 0),
    (42039, "Exif:Photographer", T_ASCII, 0),
    (42040, "Exif:ImageEdtor", T_ASCII, 0),
    (42041, "Exif:CameraFirmware", T_ASCII, 0),
    (42042, "Exif:RAWDevelopingSoftware", T_ASCII, 0),
    (42043, "Exif:ImageEditingSoftware", T_ASCII, 0),
    (42044, "Exif:MetadataEditingSoftware", T_ASCII, 0),
    (42080, "Exif:CompositeImage", T_SHORT, 1),
    (42081, "Exif:SourceImageNumberOfCompositeImage", T_SHORT, 2),
    (42082, "Exif:SourceImageExposureTimesOfCompositeImage", T_NOTYPE, 0),
];

pub const GPS_TABLE: &[(u16, &str, u16, i32)] = &[
    (0, "GPS:VersionID", T_BYTE, 4),
    (1, "GPS:LatitudeRef", T_ASCII, 2),
    (2, "GPS:Latitude", T_RATIONAL, 3),
    (3, "GPS:LongitudeRef", T_ASCII, 2),
    (4, "GPS:Longitude", T_RATIONAL, 3),
    (5, "GPS:AltitudeRef", T_BYTE, 1),
    (6, "GPS:Altitude", T_RATIONAL, 1),
    (7, "GPS:TimeStamp", T_RATIONAL, 3),
    (8, "GPS:Satellites", T_ASCII, 0),
    (9, "GPS:Status", T_ASCII, 2),
    (10, "GPS:MeasureMode", T_ASCII, 2),
    (11, "GPS:DOP", T_RATIONAL, 1),
    (12, "GPS:SpeedRef", T_ASCII, 2),
    (13, "GPS:Speed", T_RATIONAL, 1),
    (14, "GPS:TrackRef", T_ASCII, 2),
    (15, "GPS:Track", T_RATIONAL, 1),
    (16, "GPS:ImgDirectionRef", T_ASCII, 2),
    (17, "GPS:ImgDirection", T_RATIONAL, 1),
    (18, "GPS:MapDatum", T_ASCII, 0),
    (19, "GPS:DestLatitudeRef", T_ASCII, 2),
    (20, "GPS:DestLatitude", T_RATIONAL, 3),
    (21, "GPS:DestLongitudeRef", T_ASCII, 2),
    (22, "GPS:DestLongitude", T_RATIONAL, 3),
    (23, "GPS:DestBearingRef", T_ASCII, 2),
    (24, "GPS:DestBearing", T_RATIONAL, 1),
    (25, "GPS:DestDistanceRef", T_ASCII, 2),
    (26, "GPS:DestDistance", T_RATIONAL, 1),
    (27, "GPS:ProcessingMethod", T_UNDEFINED, 1),
    (28, "GPS:AreaInformation", T_UNDEFINED, 1),
    (29, "GPS:DateStamp", T_ASCII, 0),
    (30, "GPS:Differential", T_SHORT, 1),
    (31, "GPS:HPositioningError", T_RATIONAL, 1),
];

/// Look an Exif attribute name up in OIIO's Exif table (case-insensitive).
pub fn exif_lookup(name: &str) -> Option<(u16, u16, i32)> {
    EXIF_TABLE
        .iter()
        .rev()
        .find(|e| e.1.eq_ignore_ascii_case(name))
        .map(|e| (e.0, e.2, e.3))
}

/// Look a GPS attribute name up in OIIO's GPS table.
pub fn gps_lookup(name: &str) -> Option<(u16, u16, i32)> {
    GPS_TABLE
        .iter()
        .find(|e| e.1.eq_ignore_ascii_case(name))
        .map(|e| (e.0, e.2, e.3))
}

// ---------------------------------------------------------------------------
// libtiff's view of a tag: its declared type, how many values it reads
// (>0 fixed, -1 variable with a 16-bit count, -3 variable with a 32-bit
// count) and whether the count is passed back.

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Field {
    pub typ: u16,
    pub readcount: i32,
    pub passcount: bool,
}

const fn fld(typ: u16, readcount: i32, passcount: bool) -> Field {
    Field {
        typ,
        readcount,
        passcount,
    }
}

/// Which field table libtiff has active for a directory.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Ctx {
    /// An image directory (libtiff's core fields).
    Main,
    /// An Exif directory; OIIO also reads the GPS directory this way.
    Exif,
}

/// libtiff's core field definitions for the tags OIIO asks about.
fn main_field(tag: u16) -> Option<Field> {
    Some(match tag {
        254 => fld(T_LONG, 1, false),
        269 | 270 | 271 | 272 | 285 | 305 | 315 | 316 | 33432 | 33302 | 33303 => fld(T_ASCII, -1, false),
        306 => fld(T_ASCII, 20, false),
        274 | 296 | 531 => fld(T_SHORT, 1, false),
        282 | 283 | 286 | 287 => fld(T_RATIONAL, 1, false),
        297 | 530 => fld(T_SHORT, 2, false),
        33304 => fld(T_FLOAT, 1, false),
        33305 | 33306 => fld(T_FLOAT, 16, false),
        700 => fld(T_BYTE, -3, true),
        33723 => fld(T_UNDEFINED, -3, true),
        34675 => fld(T_UNDEFINED, -3, true),
        34665 | 34853 => fld(T_LONG8, 1, false),
        40965 => fld(T_IFD8, 1, false),
        256 | 257 | 278 | 322 | 323 | 32997 | 32998 | 33300 | 33301 => fld(T_LONG, 1, false),
        258 | 259 | 262 | 266 | 277 | 284 | 317 | 332 | 334 => fld(T_SHORT, 1, false),
        _ => return None,
    })
}

/// libtiff's Exif field definitions.
fn exif_field(tag: u16) -> Option<Field> {
    const R: u16 = T_RATIONAL;
    const SR: u16 = T_SRATIONAL;
    Some(match tag {
        33434 | 33437 | 37122 | 37378 | 37381 | 37382 | 37386 | 37889 | 37890 | 37892 | 41483 | 41486 | 41487
        | 41493 | 41988 | 41991 | 42240 => fld(R, 1, false),
        37377 | 37379 | 37380 | 37888 | 37891 | 37893 => fld(SR, 1, false),
        34850 | 34864 | 37383 | 37384 | 37385 | 40961 | 41488 | 41495 | 41985 | 41986 | 41987 | 41989 | 41990
        | 41992 | 41993 | 41994 | 41996 | 42080 => fld(T_SHORT, 1, false),
        34865 | 34866 | 34867 | 34868 | 34869 | 40962 | 40963 => fld(T_LONG, 1, false),
        34852 | 37520 | 37521 | 37522 | 42032 | 42033 | 42035 | 42036 | 42037 => fld(T_ASCII, -1, false),
        36867 | 36868 => fld(T_ASCII, 20, false),
        36880..=36882 => fld(T_ASCII, 7, false),
        40964 => fld(T_ASCII, 13, false),
        42016 => fld(T_ASCII, 33, false),
        34855 | 37396 => fld(T_SHORT, -1, true),
        34856 | 37500 | 37510 | 41484 | 41730 | 41995 | 42082 => fld(T_UNDEFINED, -1, true),
        36864 | 37121 | 40960 => fld(T_UNDEFINED, 4, false),
        41728 | 41729 => fld(T_UNDEFINED, 1, false),
        41492 | 42081 => fld(T_SHORT, 2, false),
        42034 => fld(R, 4, false),
        _ => return None,
    })
}

/// True for tags libtiff knows in an Exif directory (the ones OIIO's writer
/// can store there).
pub fn libtiff_knows_exif(tag: u16) -> bool {
    exif_field(tag).is_some()
}

/// The field libtiff would use for `tag` in `ifd`, with the entry, if the
/// tag is present: a known definition, or an "anonymous" one built from the
/// file's own type. In Exif/GPS directories libtiff drops a known tag whose
/// stored type differs from its definition.
fn lookup(ctx: Ctx, ifd: &Ifd, tag: u32) -> Option<(Field, &Entry)> {
    if tag > 0xffff {
        return None;
    }
    let tag = tag as u16;
    let e = ifd.get(tag)?;
    let known = match ctx {
        Ctx::Main => main_field(tag),
        Ctx::Exif => exif_field(tag),
    };
    match known {
        Some(f) => {
            if ctx == Ctx::Exif && f.typ != e.typ {
                return None;
            }
            Some((f, e))
        }
        None => Some((fld(e.typ, -3, true), e)),
    }
}

/// OIIO's `tiff_datatype_to_typedesc`.
pub fn tiff_type_to_typedesc(t: u16, count: usize) -> TypeDesc {
    let n = if count == 1 { 0 } else { count as i32 };
    let s = |b: BaseType| TypeDesc::new(b, Aggregate::Scalar, VecSemantics::NoXform, n);
    match t {
        T_BYTE | T_UNDEFINED => s(BaseType::UInt8),
        T_ASCII => TypeDesc::STRING,
        T_SHORT => s(BaseType::UInt16),
        T_LONG => s(BaseType::UInt32),
        T_RATIONAL | T_SRATIONAL => TypeDesc::new(BaseType::Int32, Aggregate::Vec2, VecSemantics::Rational, n),
        T_SBYTE => s(BaseType::Int8),
        T_SSHORT => s(BaseType::Int16),
        T_SLONG => s(BaseType::Int32),
        T_FLOAT => s(BaseType::Float),
        T_DOUBLE => s(BaseType::Double),
        T_LONG8 => s(BaseType::UInt64),
        T_SLONG8 => s(BaseType::Int64),
        _ => TypeDesc::UNKNOWN,
    }
}

/// The C type OIIO asks libtiff for.
#[derive(Clone, Copy, PartialEq)]
enum CType {
    U16,
    Int,
    Float,
}

fn set_values(spec: &mut ImageSpec, name: &str, ty: TypeDesc, vals: Vec<Value>) {
    let n = ty.basevalues().max(1);
    if vals.len() != n {
        return;
    }
    if let Some(p) = ParamValue::from_values(name, ty, 1, Interp::Constant, &vals) {
        spec.attribute(p);
    }
}

/// Values of an entry for a C type, `n` of them (libtiff's conversions).
fn entry_values(e: &Entry, le: bool, ct: CType, tag: u16, ctx: Ctx, n: usize) -> Option<Vec<Value>> {
    if e.len() < n {
        return None;
    }
    Some(
        (0..n)
            .map(|i| match ct {
                CType::U16 => Value::Int(e.int(le, i) as u16 as i64),
                CType::Int => Value::Int(e.int(le, i) as i32 as i64),
                CType::Float => {
                    // libtiff marks an infinite subject distance with -1.
                    if ctx == Ctx::Exif && tag == 37382 && e.typ == T_RATIONAL && e.int(le, 0) == 0xffff_ffff {
                        Value::Float(-1.0)
                    } else {
                        Value::Float(e.float(le, i) as f32 as f64)
                    }
                }
            })
            .collect(),
    )
}

/// OIIO's `get_attribute_from_tag<T>` for a tag whose field is known.
fn attribute_from_tag(
    spec: &mut ImageSpec,
    name: &str,
    ctx: Ctx,
    ifd: &Ifd,
    tag: u16,
    ct: CType,
    expected: Option<TypeDesc>,
) {
    let Some((f, e)) = lookup(ctx, ifd, tag as u32) else {
        return;
    };
    let mut ty = tiff_type_to_typedesc(f.typ, f.readcount.max(1) as usize);
    if ty.is_unknown() {
        return;
    }
    ty.basetype = match ct {
        CType::U16 => BaseType::UInt16,
        CType::Int => BaseType::Int32,
        CType::Float => BaseType::Float,
    };
    if let Some(exp) = expected {
        if ty.basetype != exp.basetype || ty.basevalues() != exp.basevalues() {
            return;
        }
        ty = exp;
    } else {
        ty.aggregate = Aggregate::Scalar;
        ty.vecsemantics = VecSemantics::NoXform;
    }
    let le = ifd.le;
    if f.readcount > 0 && !f.passcount {
        if ct == CType::U16 && f.typ == T_SHORT && f.readcount == 1 {
            if let Some(v) = entry_values(e, le, ct, tag, ctx, 1) {
                set_values(spec, name, TypeDesc::INT, v);
            }
            return;
        }
        if ct == CType::U16 && f.typ == T_SHORT && f.readcount == 2 && matches!(tag, 297 | 321 | 336 | 530) {
            if let Some(v) = entry_values(e, le, ct, tag, ctx, 2) {
                let t = TypeDesc::new(BaseType::UInt16, Aggregate::Scalar, VecSemantics::NoXform, 2);
                set_values(spec, name, t, v);
            }
            return;
        }
        if let Some(v) = entry_values(e, le, ct, tag, ctx, f.readcount as usize) {
            set_values(spec, name, ty, v);
        }
    } else if f.readcount == -1 || f.readcount == -3 {
        let count = e.len();
        if f.readcount == -1 && count > 0xffff {
            return;
        }
        if count == 0 {
            return;
        }
        ty.arraylen = 0;
        if f.readcount == -1 || count > 1 {
            ty.arraylen = count as i32;
        }
        if let Some(v) = entry_values(e, le, ct, tag, ctx, count) {
            set_values(spec, name, ty, v);
        }
    }
}

/// OIIO's `get_string_attribute` through libtiff: the text up to the first
/// NUL (and at most a fixed field length); an empty string removes it.
fn string_attribute(spec: &mut ImageSpec, name: &str, f: &Field, e: &Entry) {
    let mut s = e.ascii();
    if f.readcount > 0 && s.len() > f.readcount as usize {
        let mut cut = f.readcount as usize;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
    }
    if s.is_empty() {
        spec.erase_attribute(name, TypeDesc::UNKNOWN, false);
    } else {
        spec.attribute_str(name, &s);
    }
}

/// OIIO's `find_tag`: add one table entry's value the way libtiff gives it.
fn find_tag(spec: &mut ImageSpec, ctx: Ctx, ifd: &Ifd, tag: u16, typ: u16, name: &str) {
    if typ == T_NOTYPE {
        return;
    }
    let Some((f, e)) = lookup(ctx, ifd, tag as u32) else {
        return;
    };
    if f.typ != typ {
        return;
    }
    match f.typ {
        T_ASCII => string_attribute(spec, name, &f, e),
        T_SHORT => attribute_from_tag(spec, name, ctx, ifd, tag, CType::U16, None),
        T_LONG => attribute_from_tag(spec, name, ctx, ifd, tag, CType::Int, None),
        T_RATIONAL | T_SRATIONAL | T_FLOAT | T_DOUBLE => {
            attribute_from_tag(spec, name, ctx, ifd, tag, CType::Float, None)
        }
        T_UNDEFINED if (tag == 36864 || tag == 40960) && f.readcount == 4 && e.data.len() >= 4 && e.data[0] != 0 => {
            spec.attribute_str(name, &bytes_to_string(&e.data[..4]));
        }
        _ => {}
    }
}

/// Apply a whole OIIO tag table to a directory.
pub fn read_table(spec: &mut ImageSpec, ctx: Ctx, ifd: &Ifd, table: &[(u16, &str, u16, i32)]) {
    for &(tag, name, typ, _) in table {
        find_tag(spec, ctx, ifd, tag, typ, name);
    }
}

/// The Pixar matrices and subfile type OIIO reads by hand.
pub fn read_extras(spec: &mut ImageSpec, ifd: &Ifd) {
    attribute_from_tag(
        spec,
        "worldtocamera",
        Ctx::Main,
        ifd,
        33306,
        CType::Float,
        Some(TypeDesc::MATRIX44),
    );
    attribute_from_tag(
        spec,
        "worldtoscreen",
        Ctx::Main,
        ifd,
        33305,
        CType::Float,
        Some(TypeDesc::MATRIX44),
    );
    attribute_from_tag(spec, "tiff:subfiletype", Ctx::Main, ifd, 254, CType::Int, None);
}

// ---------------------------------------------------------------------------
// IPTC IIM

/// (IIM dataset, attribute name, repeatable, max length).
const IIM_TAGS: &[(u8, &str, bool, usize)] = &[
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

/// Strip leading/trailing whitespace as OIIO's `Strutil::strip` does.
fn strip(s: &str) -> &str {
    s.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c'))
}

/// Decode IPTC IIM records (1C 02 tag len16 data ...) into attributes.
pub fn decode_iptc(mut iptc: &[u8], spec: &mut ImageSpec) {
    while iptc.len() >= 5 && iptc[0] == 0x1c && (iptc[1] == 2 || iptc[1] == 1) {
        let second = iptc[1];
        let tagtype = iptc[2];
        let size = ((iptc[3] as usize) << 8) | iptc[4] as usize;
        iptc = &iptc[5..];
        let size = size.min(iptc.len());
        if second == 2 {
            if let Some(&(_, name, rep, _)) = IIM_TAGS.iter().find(|t| t.0 == tagtype) {
                let s = bytes_to_string(&iptc[..size]);
                // Values are C strings once they reach the attribute.
                let s = s.split('\0').next().unwrap_or("").to_string();
                if rep {
                    let mut old = spec.get_string_attribute(name, "");
                    if !old.is_empty() {
                        old += "; ";
                    }
                    old += strip(&s);
                    spec.attribute_str(name, &old);
                } else {
                    spec.attribute_str(name, &s);
                }
            }
        }
        iptc = &iptc[size..];
    }
}

/// Encode the IPTC attributes of `spec` as IIM records.
pub fn encode_iptc(spec: &ImageSpec) -> Vec<u8> {
    let mut out = Vec::new();
    let mut one = |tag: u8, data: &str| {
        let b = data.as_bytes();
        if b.is_empty() {
            return;
        }
        let b = &b[..b.len().min(0xffff)];
        out.extend_from_slice(&[0x1c, 2, tag, (b.len() >> 8) as u8, b.len() as u8]);
        out.extend_from_slice(b);
    };
    for &(tag, name, rep, maxlen) in IIM_TAGS {
        let Some(p) = spec.find_attribute(name, TypeDesc::UNKNOWN, false) else {
            continue;
        };
        let all = p.get_ustring(0);
        let cut = |s: &str| -> String {
            if maxlen > 0 && s.len() > maxlen {
                let mut c = maxlen;
                while !s.is_char_boundary(c) {
                    c -= 1;
                }
                s[..c].to_string()
            } else {
                s.to_string()
            }
        };
        if rep {
            for tok in all.split(';') {
                let tok = strip(tok);
                if !tok.is_empty() {
                    one(tag, &cut(tok));
                }
            }
        } else {
            one(tag, &cut(&all));
        }
    }
    out
}

// ---------------------------------------------------------------------------
// ICC profiles

fn be32(b: &[u8], o: usize) -> Option<u32> {
    b.get(o..o + 4).map(|s| u32::from_be_bytes(s.try_into().unwrap()))
}
fn be16(b: &[u8], o: usize) -> Option<u16> {
    b.get(o..o + 2).map(|s| u16::from_be_bytes(s.try_into().unwrap()))
}

fn icc_color_space(sig: &[u8]) -> Option<&'static str> {
    Some(match sig {
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
        _ => return None,
    })
}

/// A C string from bytes (stops at the first NUL).
fn cstr(b: &[u8]) -> String {
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    bytes_to_string(&b[..end])
}

/// Decode an ICC profile header and its text tags into "ICCProfile:*"
/// attributes, as OIIO's `decode_icc_profile` does. Returns an error text
/// for a malformed profile (attributes decoded so far are kept).
pub fn decode_icc(icc: &[u8], spec: &mut ImageSpec) -> Result<(), String> {
    if icc.len() < 128 {
        return Err("ICC profile too small".into());
    }
    if be32(icc, 36) != Some(0x6163_7370) {
        return Err("ICC profile has bad magic number".into());
    }
    let size = be32(icc, 0).unwrap();
    if size as usize != icc.len() {
        return Err("ICC profile size mismatch".into());
    }
    let set_u32 = |spec: &mut ImageSpec, n: &str, v: u32| {
        if let Some(p) = ParamValue::from_values(n, TypeDesc::UINT, 1, Interp::Constant, &[Value::UInt(v as u64)]) {
            spec.attribute(p);
        }
    };
    let set_opt = |spec: &mut ImageSpec, n: &str, v: Option<&str>| {
        // OIIO stores a null name as an empty string.
        spec.attribute_str(n, v.unwrap_or(""));
    };
    set_u32(spec, "ICCProfile:profile_size", size);
    set_u32(spec, "ICCProfile:cmm_type", be32(icc, 4).unwrap());
    spec.attribute_str(
        "ICCProfile:profile_version",
        &format!("{}.{}.{}", icc[8], icc[9] >> 4, icc[9] & 0xf),
    );
    let class = match &icc[12..16] {
        b"scnr" => Some("Input device profile"),
        b"mntr" => Some("Display device profile"),
        b"prtr" => Some("Output device profile"),
        b"link" => Some("DeviceLink profile"),
        b"spac" => Some("ColorSpace profile"),
        b"abst" => Some("Abstract profile"),
        b"nmcl" => Some("NamedColor profile"),
        _ => None,
    };
    set_opt(spec, "ICCProfile:device_class", class);
    set_opt(spec, "ICCProfile:color_space", icc_color_space(&icc[16..20]));
    set_opt(
        spec,
        "ICCProfile:profile_connection_space",
        icc_color_space(&icc[20..24]),
    );
    let platform = match &icc[40..44] {
        b"APPL" => Some("Apple Computer, Inc."),
        b"MSFT" => Some("Microsoft Corporation"),
        b"SGI " => Some("Silicon Graphics, Inc."),
        b"SUNW" => Some("Sun Microsystems, Inc."),
        _ => None,
    };
    set_opt(spec, "ICCProfile:platform_signature", platform);
    let d = |i: usize| be16(icc, 24 + 2 * i).unwrap();
    spec.attribute_str(
        "ICCProfile:creation_date",
        &format!(
            "{:02}:{:02}:{:02} {:02}:{:02}:{:02}",
            d(0),
            d(1),
            d(2),
            d(3),
            d(4),
            d(5)
        ),
    );
    let flags = be32(icc, 44).unwrap();
    spec.attribute_str(
        "ICCProfile:flags",
        &format!(
            "{}, {}",
            if flags & 1 != 0 { "Embedded " } else { "Not Embedded" },
            if flags & 2 != 0 { "Dependent" } else { "Independent" }
        ),
    );
    spec.attribute_str("ICCProfile:manufacturer", &format!("{:x}", be32(icc, 48).unwrap()));
    spec.attribute_str("ICCProfile:model", &format!("{:x}", be32(icc, 52).unwrap()));
    let attrs = be32(icc, 60).unwrap();
    spec.attribute_str(
        "ICCProfile:attributes",
        &format!(
            "{}, {}, {}, {}",
            if attrs & 1 != 0 { "Transparency " } else { "Reflective" },
            if attrs & 2 != 0 { "Matte" } else { "Glossy" },
            if attrs & 4 != 0 { "Negative" } else { "Positive" },
            if attrs & 8 != 0 { "Black & White" } else { "Color" }
        ),
    );
    let intent = be32(icc, 64).unwrap();
    let intents = [
        "Perceptual",
        "Media-relative colorimetric",
        "Saturation",
        "ICC-absolute colorimetric",
    ];
    spec.attribute_str(
        "ICCProfile:rendering_intent",
        intents.get(intent as usize).copied().unwrap_or("Unknown"),
    );
    spec.attribute_str("ICCProfile:creator_signature", &format!("{:x}", be32(icc, 80).unwrap()));

    let too_small = || "ICC profile too small".to_string();
    let ntags = be32(icc, 128).ok_or_else(too_small)?;
    let mut off = 132usize;
    for _ in 0..ntags {
        let sig = icc.get(off..off + 4).ok_or_else(too_small)?;
        let toff = be32(icc, off + 4).ok_or_else(too_small)? as usize;
        let tsize = be32(icc, off + 8).ok_or_else(too_small)? as usize;
        off += 12;
        let sigs = bytes_to_string(sig);
        let corrupt = || format!("ICC profile tag {sigs} appears to contain corrupted/invalid data");
        if toff.checked_add(tsize.max(4)).is_none_or(|e| e > icc.len()) {
            return Err(corrupt());
        }
        let tagname = match sig {
            b"targ" => "characterization_target".to_string(),
            b"cprt" => "copyright".to_string(),
            b"desc" => "profile_description".to_string(),
            b"dmdd" => "device_model_description".to_string(),
            b"dmnd" => "device_manufacturer_description".to_string(),
            b"vued" => "viewing_conditions_description".to_string(),
            _ => sigs.clone(),
        };
        let attr = format!("ICCProfile:{tagname}");
        let typesig = &icc[toff..toff + 4];
        match typesig {
            b"text" => {
                if tsize < 8 {
                    return Err(corrupt());
                }
                spec.attribute_str(&attr, &cstr(&icc[toff + 8..toff + tsize]));
            }
            b"desc" => {
                if tsize < 12 {
                    return Err(corrupt());
                }
                spec.attribute_str(&attr, &cstr(&icc[toff + 12..toff + tsize]));
            }
            b"mluc" => {
                let mut w = toff + 8;
                let n = be32(icc, w).ok_or_else(too_small)?;
                let recsize = be32(icc, w + 4).ok_or_else(too_small)?;
                w += 8;
                if recsize != 12 {
                    return Err(String::new());
                }
                for _ in 0..n {
                    let lang = be16(icc, w).ok_or_else(too_small)?;
                    let len = be32(icc, w + 4).ok_or_else(too_small)? as usize;
                    let so = be32(icc, w + 8).ok_or_else(too_small)? as usize;
                    w += 12;
                    if lang == ((b'e' as u16) << 8) + b'n' as u16 {
                        let start = toff + so;
                        if start.checked_add(len).is_none_or(|e| e > icc.len()) {
                            return Err(corrupt());
                        }
                        let units: Vec<u16> = icc[start..start + len / 2 * 2]
                            .chunks_exact(2)
                            .map(|c| u16::from_be_bytes([c[0], c[1]]))
                            .collect();
                        let s = String::from_utf16_lossy(&units);
                        let s = s.split('\0').next().unwrap_or("").to_string();
                        spec.attribute_str(&attr, &s);
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
// XMP

const NOTHING: u32 = 0;
const RATIONAL: u32 = 1;
const DATE_CONV: u32 = 2;
const TIFF_RED: u32 = 4;
const EXIF_RED: u32 = 8;
const SUPPRESS: u32 = 16;
const IS_LIST: u32 = 32;
const IS_SEQ: u32 = 64;
const IS_BOOL: u32 = 128;

#[derive(Clone, Copy, PartialEq)]
enum XT {
    Unknown,
    Str,
    Int,
    Float,
}

/// OIIO's XMP table: (XMP name, attribute name, type, special flags).
const XMP_TAGS: &[(&str, &str, XT, u32)] = &[
    ("photoshop:AuthorsPosition", "IPTC:AuthorsPosition", XT::Str, 0),
    ("photoshop:CaptionWriter", "IPTC:CaptionWriter", XT::Str, 0),
    ("photoshop:Category", "IPTC:Category", XT::Str, 0),
    ("photoshop:City", "IPTC:City", XT::Str, 0),
    ("photoshop:Country", "IPTC:Country", XT::Str, 0),
    ("photoshop:Credit", "IPTC:Provider", XT::Str, 0),
    ("photoshop:DateCreated", "DateTime", XT::Str, DATE_CONV | TIFF_RED),
    ("photoshop:Headline", "IPTC:Headline", XT::Str, 0),
    ("photoshop:History", "ImageHistory", XT::Str, 0),
    ("photoshop:Instructions", "IPTC:Instructions", XT::Str, 0),
    ("photoshop:Source", "IPTC:Source", XT::Str, 0),
    ("photoshop:State", "IPTC:State", XT::Str, 0),
    (
        "photoshop:SupplementalCategories",
        "IPTC:SupplementalCategories",
        XT::Str,
        IS_LIST | SUPPRESS,
    ),
    (
        "photoshop:TransmissionReference",
        "IPTC:TransmissionReference",
        XT::Str,
        0,
    ),
    ("photoshop:Urgency", "photoshop:Urgency", XT::Int, 0),
    ("tiff:Compression", "tiff:Compression", XT::Int, TIFF_RED),
    (
        "tiff:PlanarConfiguration",
        "tiff:PlanarConfiguration",
        XT::Int,
        TIFF_RED,
    ),
    (
        "tiff:PhotometricInterpretation",
        "tiff:PhotometricInterpretation",
        XT::Int,
        TIFF_RED,
    ),
    ("tiff:subfiletype", "tiff:subfiletype", XT::Int, TIFF_RED),
    ("tiff:Orientation", "Orientation", XT::Int, TIFF_RED),
    ("tiff:XResolution", "XResolution", XT::Float, RATIONAL | TIFF_RED),
    ("tiff:YResolution", "YResolution", XT::Float, RATIONAL | TIFF_RED),
    ("tiff:ResolutionUnit", "ResolutionUnit", XT::Int, TIFF_RED),
    ("tiff:Artist", "Artist", XT::Str, 0),
    ("tiff:Copyright", "Copyright", XT::Str, 0),
    ("tiff:DateTime", "DateTime", XT::Str, DATE_CONV),
    ("tiff:ImageDescription", "ImageDescription", XT::Str, 0),
    ("tiff:Make", "Make", XT::Str, 0),
    ("tiff:Model", "Model", XT::Str, 0),
    ("tiff:Software", "Software", XT::Str, TIFF_RED),
    ("exif:ColorSpace", "Exif:ColorSpace", XT::Int, EXIF_RED),
    (
        "exif:PixelXDimension",
        "Exif:PixelXDimension",
        XT::Int,
        EXIF_RED | TIFF_RED,
    ),
    (
        "exif:PixelYDimension",
        "Exif:PixelYDimension",
        XT::Int,
        EXIF_RED | TIFF_RED,
    ),
    (
        "exifEX:PhotographicSensitivity",
        "Exif:ISOSpeedRatings",
        XT::Int,
        EXIF_RED,
    ),
    ("xmp:CreateDate", "DateTime", XT::Str, DATE_CONV | TIFF_RED),
    ("xmp:CreatorTool", "Software", XT::Str, TIFF_RED),
    ("xmp:Label", "IPTC:Label", XT::Str, 0),
    ("xmp:MetadataDate", "IPTC:MetadataDate", XT::Str, DATE_CONV),
    ("xmp:ModifyDate", "IPTC:ModifyDate", XT::Str, DATE_CONV),
    ("xmp:Rating", "IPTC:Rating", XT::Int, 0),
    ("xmpMM:DocumentID", "IPTC:DocumentID", XT::Str, 0),
    ("xmpMM:History", "ImageHistory", XT::Str, IS_SEQ | SUPPRESS),
    ("xmpMM:InstanceID", "IPTC:InstanceID", XT::Str, 0),
    ("xmpMM:OriginalDocumentID", "IPTC:OriginalDocumentID", XT::Str, 0),
    ("xmpRights:Marked", "IPTC:CopyrightStatus", XT::Int, IS_BOOL),
    ("xmpRights:WebStatement", "IPTC:CopyrightInfoURL", XT::Str, 0),
    ("xmpRights:UsageTerms", "IPTC:RightsUsageTerms", XT::Str, 0),
    ("dc:format", "", XT::Str, TIFF_RED | SUPPRESS),
    ("dc:Description", "ImageDescription", XT::Str, TIFF_RED),
    ("dc:Creator", "Artist", XT::Str, TIFF_RED),
    ("dc:Rights", "Copyright", XT::Str, TIFF_RED),
    ("dc:title", "IPTC:ObjectName", XT::Str, 0),
    ("dc:subject", "Keywords", XT::Str, IS_LIST),
    ("dc:keywords", "Keywords", XT::Str, IS_LIST),
    ("Iptc4xmpCore:IntellectualGenre", "IPTC:IntellectualGenre", XT::Str, 0),
    ("Iptc4xmpCore:CountryCode", "IPTC:CountryCode", XT::Str, 0),
    ("Iptc4xmpCore:CreatorContactInfo", "IPTC:CreatorContactInfo", XT::Str, 0),
    ("Iptc4xmpCore:ContactInfoDetails", "IPTC:Contact", XT::Str, 0),
    ("Iptc4xmpCore:CiAdrExtadr", "IPTC:ContactInfoAddress", XT::Str, 0),
    ("Iptc4xmpCore:CiAdrCity", "IPTC:ContactInfoCity", XT::Str, 0),
    ("Iptc4xmpCore:CiAdrRegion", "IPTC:ContactInfoState", XT::Str, 0),
    ("Iptc4xmpCore:CiAdrPcode", "IPTC:ContactInfoPostalCode", XT::Str, 0),
    ("Iptc4xmpCore:CiAdrCtry", "IPTC:ContactInfoCountry", XT::Str, 0),
    ("Iptc4xmpCore:CiEmailWork", "IPTC:ContactInfoEmail", XT::Str, 0),
    ("Iptc4xmpCore:CiTelWork", "IPTC:ContactInfoPhone", XT::Str, 0),
    ("Iptc4xmpCore:CiUrlWork", "IPTC:ContactInfoURL", XT::Str, 0),
    ("Iptc4xmpCore:Location", "IPTC:Sublocation", XT::Str, 0),
    ("Iptc4xmpCore:SubjectCode", "IPTC:SubjectCode", XT::Str, IS_LIST),
    ("Iptc4xmpCore:Scene", "IPTC:SceneCode", XT::Str, IS_LIST),
    ("Iptc4xmpExt:PersonInImage", "IPTC:PersonInImage", XT::Str, IS_LIST),
    ("aux:Firmware", "aux:Firmware", XT::Str, 0),
    ("crs:AutoBrightness", "crs:AutoBrightness", XT::Int, IS_BOOL),
    ("crs:AutoContrast", "crs:AutoContrast", XT::Int, IS_BOOL),
    ("crs:AutoExposure", "crs:AutoExposure", XT::Int, IS_BOOL),
    ("crs:AutoShadows", "crs:AutoShadows", XT::Int, IS_BOOL),
    ("crs:BlueHue", "crs:BlueHue", XT::Int, 0),
    ("crs:BlueSaturation", "crs:BlueSaturation", XT::Int, 0),
    ("crs:Brightness", "crs:Brightness", XT::Int, 0),
    ("crs:CameraProfile", "crs:CameraProfile", XT::Str, 0),
    ("crs:ChromaticAberrationB", "crs:ChromaticAberrationB", XT::Int, 0),
    ("crs:ChromaticAberrationR", "crs:ChromaticAberrationR", XT::Int, 0),
    ("crs:ColorNoiseReduction", "crs:ColorNoiseReduction", XT::Int, 0),
    ("crs:Contrast", "crs:Contrast", XT::Int, 0),
    ("crs:CropTop", "crs:CropTop", XT::Float, 0),
    ("crs:CropLeft", "crs:CropLeft", XT::Float, 0),
    ("crs:CropBottom", "crs:CropBottom", XT::Float, 0),
    ("crs:CropRight", "crs:CropRight", XT::Float, 0),
    ("crs:CropAngle", "crs:CropAngle", XT::Float, 0),
    ("crs:CropWidth", "crs:CropWidth", XT::Float, 0),
    ("crs:CropHeight", "crs:CropHeight", XT::Float, 0),
    ("crs:CropUnits", "crs:CropUnits", XT::Int, 0),
    ("crs:Exposure", "crs:Exposure", XT::Float, 0),
    ("crs:GreenHue", "crs:GreenHue", XT::Int, 0),
    ("crs:GreenSaturation", "crs:GreenSaturation", XT::Int, 0),
    ("crs:HasCrop", "crs:HasCrop", XT::Int, IS_BOOL),
    ("crs:HasSettings", "crs:HasSettings", XT::Int, IS_BOOL),
    ("crs:LuminanceSmoothing", "crs:LuminanceSmoothing", XT::Int, 0),
    ("crs:RawFileName", "crs:RawFileName", XT::Str, 0),
    ("crs:RedHue", "crs:RedHue", XT::Int, 0),
    ("crs:RedSaturation", "crs:RedSaturation", XT::Int, 0),
    ("crs:Saturation", "crs:Saturation", XT::Int, 0),
    ("crs:Shadows", "crs:Shadows", XT::Int, 0),
    ("crs:ShadowTint", "crs:ShadowTint", XT::Int, 0),
    ("crs:Sharpness", "crs:Sharpness", XT::Int, 0),
    ("crs:Temperature", "crs:Temperature", XT::Int, 0),
    ("crs:Tint", "crs:Tint", XT::Int, 0),
    ("crs:ToneCurve", "crs:ToneCurve", XT::Str, 0),
    ("crs:ToneCurveName", "crs:ToneCurveName", XT::Str, 0),
    ("crs:Version", "crs:Version", XT::Str, 0),
    ("crs:VignetteAmount", "crs:VignetteAmount", XT::Int, 0),
    ("crs:VignetteMidpoint", "crs:VignetteMidpoint", XT::Int, 0),
    ("crs:WhiteBalance", "crs:WhiteBalance", XT::Str, 0),
    ("GPano:UsePanoramaViewer", "GPano:UsePanoramaViewer", XT::Int, IS_BOOL),
    ("GPano:CaptureSoftware", "GPano:CaptureSoftware", XT::Str, 0),
    ("GPano:StitchingSoftware", "GPano:StitchingSoftware", XT::Str, 0),
    ("GPano:ProjectionType", "GPano:ProjectionType", XT::Str, 0),
    ("GPano:PoseHeadingDegrees", "GPano:PoseHeadingDegrees", XT::Float, 0),
    ("GPano:PosePitchDegrees", "GPano:PosePitchDegrees", XT::Float, 0),
    ("GPano:PoseRollDegrees", "GPano:PoseRollDegrees", XT::Float, 0),
    (
        "GPano:InitialViewHeadingDegrees",
        "GPano:InitialViewHeadingDegrees",
        XT::Int,
        0,
    ),
    (
        "GPano:InitialViewPitchDegrees",
        "GPano:InitialViewPitchDegrees",
        XT::Int,
        0,
    ),
    (
        "GPano:InitialViewRollDegrees",
        "GPano:InitialViewRollDegrees",
        XT::Int,
        0,
    ),
    (
        "GPano:InitialHorizontalFOVDegrees",
        "GPano:InitialHorizontalFOVDegrees",
        XT::Float,
        0,
    ),
    ("GPano:FirstPhotoDate", "GPano:FirstPhotoDate", XT::Str, DATE_CONV),
    ("GPano:LastPhotoDate", "GPano:LastPhotoDate", XT::Str, DATE_CONV),
    ("GPano:SourcePhotosCount", "GPano:SourcePhotosCount", XT::Int, 0),
    ("GPano:ExposureLockUsed", "GPano:ExposureLockUsed", XT::Int, IS_BOOL),
    (
        "GPano:CroppedAreaImageWidthPixels",
        "GPano:CroppedAreaImageWidthPixels",
        XT::Int,
        0,
    ),
    (
        "GPano:CroppedAreaImageHeightPixels",
        "GPano:CroppedAreaImageHeightPixels",
        XT::Int,
        0,
    ),
    ("GPano:FullPanoWidthPixels", "GPano:FullPanoWidthPixels", XT::Int, 0),
    ("GPano:FullPanoHeightPixels", "GPano:FullPanoHeightPixels", XT::Int, 0),
    ("GPano:CroppedAreaLeftPixels", "GPano:CroppedAreaLeftPixels", XT::Int, 0),
    ("GPano:CroppedAreaTopPixels", "GPano:CroppedAreaTopPixels", XT::Int, 0),
    ("GPano:InitialCameraDolly", "GPano:InitialCameraDolly", XT::Float, 0),
    (
        "GPano:LargestValidInteriorRectWidth",
        "GPano:LargestValidInteriorRectWidth",
        XT::Int,
        0,
    ),
    (
        "GPano:LargestValidInteriorRectHeight",
        "GPano:LargestValidInteriorRectHeight",
        XT::Int,
        0,
    ),
    (
        "GPano:LargestValidInteriorRectTop",
        "GPano:LargestValidInteriorRectTop",
        XT::Int,
        0,
    ),
    (
        "GPano:LargestValidInteriorRectLeft",
        "GPano:LargestValidInteriorRectLeft",
        XT::Int,
        0,
    ),
    ("rdf:li", "", XT::Unknown, NOTHING),
];

type XmpTag = (&'static str, &'static str, XT, u32);

/// OIIO's name map: both XMP and attribute names, lower-cased, later table
/// entries winning for a shared name.
fn xmp_find(name: &str) -> Option<&'static XmpTag> {
    let mut found = None;
    for t in XMP_TAGS {
        if t.0.eq_ignore_ascii_case(name) || (!t.1.is_empty() && t.1.eq_ignore_ascii_case(name)) {
            found = Some(t);
        }
    }
    // A later entry registering the same key overrides; the loop above
    // already keeps the last match.
    found
}

fn is_int_text(s: &str) -> bool {
    let t = s.trim();
    let t = t.strip_prefix(['-', '+']).unwrap_or(t);
    !t.is_empty() && t.bytes().all(|c| c.is_ascii_digit())
}

fn is_float_text(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty() && t.parse::<f64>().is_ok() && !t.eq_ignore_ascii_case("inf") && !t.eq_ignore_ascii_case("nan")
}

struct Budget {
    bytes: usize,
    attribs: usize,
}

impl Budget {
    fn exhausted(&self) -> bool {
        self.bytes > 1 << 20 || self.attribs > 4096
    }
    fn spend(&mut self, n: usize) -> bool {
        self.bytes += n;
        self.attribs += 1;
        !self.exhausted()
    }
}

fn set_int_vals(spec: &mut ImageSpec, name: &str, vals: &[i64]) {
    let mut t = TypeDesc::INT;
    if vals.len() > 1 {
        t.arraylen = vals.len() as i32;
    }
    let v: Vec<Value> = vals.iter().map(|&x| Value::Int(x)).collect();
    if let Some(p) = ParamValue::from_values(name, t, 1, Interp::Constant, &v) {
        spec.attribute(p);
    }
}

/// OIIO's `add_attrib` for one XMP name/value.
fn xmp_add(spec: &mut ImageSpec, xmlname: &str, value: &str, is_seq: bool) -> usize {
    let mut oiioname = xmlname.to_string();
    let mut ty = XT::Unknown;
    let mut uint = false;
    let mut special = 0;
    let tag = xmp_find(xmlname);
    if let Some(t) = tag {
        if t.1.is_empty() {
            return 0;
        }
        oiioname = t.1.to_string();
        ty = t.2;
        special = t.3;
    }
    if xmlname.len() >= 5 && xmlname[..5].eq_ignore_ascii_case("Exif:") {
        if let Some((_, tt, count)) = exif_lookup(xmlname).or_else(|| exif_lookup(&xmlname[5..])) {
            if (tt == T_SHORT || tt == T_LONG) && count == 1 {
                uint = true;
            } else if (tt == T_RATIONAL || tt == T_SRATIONAL) && count == 1 {
                ty = XT::Float;
                special = RATIONAL;
            } else if tt == T_ASCII {
                ty = XT::Str;
            } else if tt == T_BYTE && count == 1 {
                ty = XT::Int;
            } else if tt == T_NOTYPE {
                return 0;
            }
        }
    }
    if xmlname.len() >= 5 && xmlname[..5].eq_ignore_ascii_case("tiff:") {
        let Some(_) = tag else { return 0 };
        if special & TIFF_RED != 0 {
            return 0;
        }
        if spec.find_attribute(&oiioname, TypeDesc::UNKNOWN, false).is_some() {
            return 0;
        }
    }
    if special & SUPPRESS != 0 {
        return 0;
    }
    if uint {
        let v = vfx_core::strutil::stou(value) as u32;
        if let Some(p) =
            ParamValue::from_values(&oiioname, TypeDesc::UINT, 1, Interp::Constant, &[Value::UInt(v as u64)])
        {
            spec.attribute(p);
        }
        return 4;
    }
    if ty == XT::Unknown {
        ty = if is_int_text(value) {
            XT::Int
        } else if is_float_text(value) {
            XT::Float
        } else {
            XT::Str
        };
        if is_seq {
            special |= IS_SEQ;
        }
    }
    match ty {
        XT::Str | XT::Unknown => {
            let val = if special & (IS_LIST | IS_SEQ) != 0 {
                let mut items: Vec<String> = Vec::new();
                let mut dup = false;
                if let Some(p) = spec.find_attribute(&oiioname, TypeDesc::STRING, false) {
                    let old = p.get_ustring(0);
                    for it in old.split(';') {
                        let it = strip(it).to_string();
                        dup |= it == value;
                        items.push(it);
                    }
                    dup |= value == old;
                }
                if !dup {
                    items.push(value.to_string());
                }
                items.join("; ")
            } else {
                value.to_string()
            };
            spec.attribute_str(&oiioname, &val);
            val.len()
        }
        XT::Int => {
            let mut vals: Vec<i64> = Vec::new();
            if special & (IS_LIST | IS_SEQ) != 0 {
                if let Some(p) = spec.extra_attribs.get(xmlname, TypeDesc::UNKNOWN, false) {
                    vals = p.values().iter().map(|v| v.as_i64() as i32 as i64).collect();
                }
            }
            if special & IS_BOOL != 0 {
                vals.push(i64::from(value.eq_ignore_ascii_case("true")));
            } else {
                vals.push(vfx_core::strutil::stoi(value) as i32 as i64);
            }
            set_int_vals(spec, &oiioname, &vals);
            vals.len() * 4
        }
        XT::Float => {
            let mut vals: Vec<f64> = Vec::new();
            if special & (IS_LIST | IS_SEQ) != 0 {
                if let Some(p) = spec.extra_attribs.get(xmlname, TypeDesc::UNKNOWN, false) {
                    vals = p.values().iter().map(|v| v.as_f64()).collect();
                }
            }
            vals.push(vfx_core::strutil::stof(value) as f32 as f64);
            let mut t = TypeDesc::FLOAT;
            if vals.len() > 1 {
                t.arraylen = vals.len() as i32;
            }
            let v: Vec<Value> = vals.iter().map(|&x| Value::Float(x)).collect();
            if let Some(p) = ParamValue::from_values(&oiioname, t, 1, Interp::Constant, &v) {
                spec.attribute(p);
            }
            vals.len() * 4
        }
    }
}

/// The "prefix:local" name pugixml would report.
fn qname(node: roxmltree::Node) -> String {
    if !node.is_element() {
        return String::new();
    }
    let tn = node.tag_name();
    match tn.namespace().and_then(|ns| node.lookup_prefix(ns)) {
        Some(p) if !p.is_empty() => format!("{p}:{}", tn.name()),
        _ => tn.name().to_string(),
    }
}

/// Children as pugixml (default parse) sees them: elements and text that is
/// not only whitespace.
fn visible(node: roxmltree::Node) -> bool {
    node.is_element() || (node.is_text() && node.text().is_some_and(|t| !t.trim().is_empty()))
}

fn xmp_node(
    first: Option<roxmltree::Node>,
    spec: &mut ImageSpec,
    budget: &mut Budget,
    level: i32,
    parent: Option<&str>,
    is_list: bool,
) -> usize {
    if level > 64 {
        return 0;
    }
    let mut mylist = String::new();
    let mut total = 0usize;
    let mut cur = first;
    while let Some(node) = cur {
        cur = node.next_sibling();
        if !visible(node) {
            continue;
        }
        let name = qname(node);
        if node.is_element() {
            for a in node.attributes() {
                let an = match a.namespace().and_then(|ns| node.lookup_prefix(ns)) {
                    Some(p) if !p.is_empty() => format!("{p}:{}", a.name()),
                    _ => a.name().to_string(),
                };
                let lower = an.to_ascii_lowercase();
                if lower.starts_with("xml:") || lower.starts_with("xmlns:") {
                    continue;
                }
                if !an.is_empty() && !a.value().is_empty() {
                    let sz = xmp_add(spec, &an, a.value(), is_list);
                    total += sz;
                    if !budget.spend(sz) || sz > 64 * 1024 {
                        break;
                    }
                }
            }
        }
        if budget.exhausted() {
            break;
        }
        if name.eq_ignore_ascii_case("photoshop:DocumentAncestors") {
            continue;
        }
        let first_child = node.first_child();
        let is_rdf_list = ["rdf:Bag", "rdf:Seq", "rdf:Alt", "rdf:li"]
            .iter()
            .any(|l| name.eq_ignore_ascii_case(l));
        if is_rdf_list {
            total += xmp_node(first_child, spec, budget, level + 1, parent, true);
        } else {
            total += xmp_node(first_child, spec, budget, level + 1, Some(&name), is_list);
        }
        if parent.is_some() && name.is_empty() {
            if let Some(t) = node.text().filter(|t| !t.is_empty()) {
                total = total.saturating_sub(mylist.len());
                if !mylist.is_empty() {
                    mylist.push(';');
                }
                mylist += t;
                total += mylist.len();
                if mylist.len() > 1 << 20 {
                    break;
                }
            }
        }
        if is_list && total > 64 * 1024 {
            break;
        }
        if budget.exhausted() {
            break;
        }
    }
    if let Some(p) = parent {
        if !mylist.is_empty() {
            let sz = xmp_add(spec, p, &mylist, true);
            total += sz;
            budget.spend(sz);
        }
    }
    total
}

/// Decode an XMP packet into attributes as OIIO's `decode_xmp` does.
pub fn decode_xmp(xml: &[u8], spec: &mut ImageSpec) {
    let text = bytes_to_string(xml);
    let Some(start) = text.find('<') else { return };
    let text = &text[start..];
    // Drop trailing NULs and other padding after the packet.
    let text = text.trim_end_matches(['\0', ' ', '\n', '\r', '\t']);
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let Ok(doc) = roxmltree::Document::parse_with_options(text, opts) else {
        return;
    };
    let Some(first) = doc
        .descendants()
        .find(|n| n.is_element() && qname(*n) == "rdf:Description")
    else {
        return;
    };
    let mut budget = Budget {
        bytes: 0,
        attribs: spec.extra_attribs.len(),
    };
    xmp_node(Some(first), spec, &mut budget, 1, None, false);
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out += "&amp;",
            '<' => out += "&lt;",
            '>' => out += "&gt;",
            '"' => out += "&quot;",
            _ => out.push(c),
        }
    }
    out
}

/// OIIO's `float_to_rational`.
fn float_to_rational(f: f32) -> (u32, u32) {
    if f <= 0.0 {
        return (0, 1);
    }
    let inv = 1.0 / f as f64;
    if (inv as i64) as f64 == inv {
        return (1, inv as u32);
    }
    let mut f = f;
    let mut num = f as u32;
    let mut den = 1u32;
    while (f - num as f32).abs() > 0.00001 && den < 1_000_000 {
        den *= 10;
        f *= 10.0;
        num = f as u32;
    }
    (num, den)
}

fn xmp_stringize(p: &ParamValue, t: &XmpTag) -> String {
    let ty = p.type_desc();
    if ty == TypeDesc::STRING {
        p.get_ustring(0)
    } else if ty == TypeDesc::INT {
        if t.3 & IS_BOOL != 0 {
            if p.get_int(0) != 0 { "True" } else { "False" }.to_string()
        } else {
            p.get_string(0)
        }
    } else if ty == TypeDesc::FLOAT {
        if t.3 & RATIONAL != 0 {
            let (n, d) = float_to_rational(p.get_float(0.0));
            format!("{n}/{d}")
        } else {
            p.get_string(0)
        }
    } else {
        String::new()
    }
}

#[derive(Clone, Copy, PartialEq)]
enum XmpCtl {
    Nodes,
    Attribs,
    BagList,
    AltList,
}

#[allow(clippy::too_many_arguments)]
fn xmp_category(
    list: &mut Vec<(&'static XmpTag, String)>,
    ns: &str,
    pattern: &str,
    exclude: Option<&str>,
    nodename: Option<&str>,
    url: &str,
    minimal: bool,
    ctl: XmpCtl,
) -> String {
    let starts = |s: &str, p: &str| s.len() >= p.len() && s[..p.len()].eq_ignore_ascii_case(p);
    let mut xmp = String::new();
    let mut xmp_min = String::new();
    let mut i = 0;
    while i < list.len() {
        let (tag, val) = (list[i].0, list[i].1.clone());
        let xmpname = tag.0;
        if ctl == XmpCtl::Attribs && tag.3 & (IS_LIST | IS_SEQ) != 0 {
            i += 1;
            continue;
        }
        if exclude.is_some_and(|e| !e.is_empty() && starts(xmpname, e)) {
            i += 1;
            continue;
        }
        if starts(xmpname, pattern) {
            let x = match ctl {
                XmpCtl::Attribs => format!("{xmpname}=\"{}\"", xml_escape(&val)),
                XmpCtl::AltList | XmpCtl::BagList => val
                    .split(';')
                    .map(|v| format!("<rdf:li>{}</rdf:li>", xml_escape(strip(v))))
                    .collect(),
                XmpCtl::Nodes => format!("<{xmpname}>{}</{xmpname}>", xml_escape(&val)),
            };
            if !x.is_empty() {
                let dest = if minimal && tag.3 & (TIFF_RED | EXIF_RED) != 0 {
                    &mut xmp_min
                } else {
                    &mut xmp
                };
                if !dest.is_empty() {
                    dest.push(' ');
                }
                *dest += &x;
            }
            list.remove(i);
            continue;
        }
        i += 1;
    }
    if !xmp.is_empty() && !xmp_min.is_empty() {
        xmp = format!("{xmp} {xmp_min}");
    }
    if xmp.is_empty() {
        return String::new();
    }
    let node = nodename.unwrap_or(ns);
    match ctl {
        XmpCtl::BagList => xmp = format!("<{node}><rdf:Bag> {xmp} </rdf:Bag></{node}>"),
        XmpCtl::AltList => xmp = format!("<{node}><rdf:Alt> {xmp} </rdf:Alt></{node}>"),
        _ => {}
    }
    let mut r = format!(
        "<rdf:Description rdf:about=\"\" xmlns:{ns}=\"{url}\"{}",
        if ctl == XmpCtl::Attribs { " " } else { ">" }
    );
    r += &xmp;
    if ctl == XmpCtl::Attribs {
        r += "/> ";
    } else {
        r += " </rdf:Description>";
    }
    r
}

/// OIIO's `encode_xmp(spec, minimal)`: the XMP packet a writer stores, or
/// an empty string when there is nothing to say.
pub fn encode_xmp(spec: &ImageSpec, minimal: bool) -> String {
    let mut list: Vec<(&'static XmpTag, String)> = Vec::new();
    for p in &spec.extra_attribs.items {
        let Some(tag) = xmp_find(p.name()) else { continue };
        if !p.name().eq_ignore_ascii_case(tag.1) && !p.name().eq_ignore_ascii_case(tag.0) {
            continue;
        }
        if tag.3 & SUPPRESS != 0 {
            break;
        }
        let s = xmp_stringize(p, tag);
        if !s.is_empty() {
            list.push((tag, s));
        }
    }
    use XmpCtl::*;
    let ps = "http://ns.adobe.com/photoshop/1.0/";
    let xa = "http://ns.adobe.com/xap/1.0/";
    let rights = "http://ns.adobe.com/xap/1.0/rights/";
    let dc = "http://purl.org/dc/elements/1.1/";
    let iptc = "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/";
    let l = &mut list;
    let mut xmp = String::new();
    xmp += &xmp_category(l, "photoshop", "photoshop:", None, None, ps, minimal, Attribs);
    xmp += &xmp_category(l, "xmp", "xmp:Rating", None, None, xa, minimal, Attribs);
    xmp += &xmp_category(l, "xmp", "xmp:CreateDate", None, None, xa, false, Attribs);
    xmp += &xmp_category(l, "xmp", "xmp:ModifyDate", None, None, xa, false, Attribs);
    xmp += &xmp_category(l, "xmp", "xmp:MetadataDate", None, None, xa, false, Attribs);
    xmp += &xmp_category(
        l,
        "xmpRights",
        "xmpRights:UsageTerms",
        None,
        Some("xmpRights:UsageTerms"),
        rights,
        minimal,
        AltList,
    );
    xmp += &xmp_category(l, "xmpRights", "xmpRights:", None, None, rights, minimal, Attribs);
    xmp += &xmp_category(l, "dc", "dc:subject", None, Some("dc:subject"), dc, minimal, BagList);
    xmp += &xmp_category(
        l,
        "Iptc4xmpCore",
        "Iptc4xmpCore:SubjectCode",
        None,
        Some("Iptc4xmpCore:SubjectCode"),
        iptc,
        false,
        BagList,
    );
    xmp += &xmp_category(
        l,
        "Iptc4xmpCore",
        "Iptc4xmpCore:",
        Some("Iptc4xmpCore:Ci"),
        None,
        iptc,
        minimal,
        Attribs,
    );
    xmp += &xmp_category(
        l,
        "Iptc4xmpCore",
        "Iptc4xmpCore:Ci",
        None,
        Some("Iptc4xmpCore:CreatorContactInfo"),
        iptc,
        minimal,
        Attribs,
    );
    xmp += &xmp_category(
        l,
        "Iptc4xmpCore",
        "Iptc4xmpCore:Scene",
        None,
        Some("Iptc4xmpCore:Scene"),
        iptc,
        minimal,
        BagList,
    );
    xmp += &xmp_category(
        l,
        "xmpMM",
        "xmpMM:",
        None,
        None,
        "http://ns.adobe.com/xap/1.0/mm/",
        minimal,
        Attribs,
    );
    xmp += &xmp_category(
        l,
        "GPano",
        "GPano:",
        None,
        None,
        "http://ns.google.com/photos/1.0/panorama/",
        minimal,
        Attribs,
    );
    xmp += &xmp_category(
        l,
        "crs",
        "crs:",
        None,
        None,
        "http://ns.adobe.com/camera-raw-settings/1.0/",
        minimal,
        Attribs,
    );
    xmp += &xmp_category(l, "xmp", "xmp:", None, None, xa, minimal, Nodes);
    xmp += &xmp_category(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iptc_round_trip() {
        let mut s = ImageSpec::default();
        s.attribute_str("IPTC:City", "Paris");
        s.attribute_str("IPTC:Keywords", "a; b");
        let enc = encode_iptc(&s);
        let mut t = ImageSpec::default();
        decode_iptc(&enc, &mut t);
        assert_eq!(t.get_string_attribute("IPTC:City", ""), "Paris");
        assert_eq!(t.get_string_attribute("IPTC:Keywords", ""), "a; b");
    }

    #[test]
    fn xmp_round_trip() {
        let mut s = ImageSpec::default();
        s.attribute_str("DateTime", "2020:01:02 03:04:05");
        s.attribute_str("IPTC:City", "Paris");
        s.attribute_str("Keywords", "one; two");
        let x = encode_xmp(&s, true);
        assert!(x.contains("xmp:CreateDate"));
        let mut t = ImageSpec::default();
        decode_xmp(x.as_bytes(), &mut t);
        assert_eq!(t.get_string_attribute("IPTC:City", ""), "Paris");
        // OIIO's table maps "Keywords" to dc:keywords, which no category
        // emits: keywords never reach the packet.
        assert_eq!(t.get_string_attribute("Keywords", ""), "");
        assert_eq!(t.get_string_attribute("DateTime", ""), "2020:01:02 03:04:05");
        // Garbage is ignored, never a panic.
        decode_xmp(b"<x:xmpmeta><rdf:Description", &mut t);
    }

    #[test]
    fn icc_rejects_garbage() {
        let mut s = ImageSpec::default();
        assert!(decode_icc(&[0u8; 10], &mut s).is_err());
        let mut b = vec![0u8; 132];
        b[0..4].copy_from_slice(&132u32.to_be_bytes());
        b[36..40].copy_from_slice(b"acsp");
        b[128..132].copy_from_slice(&5u32.to_be_bytes());
        assert!(decode_icc(&b, &mut s).is_err());
        assert_eq!(s.get_int_attribute("ICCProfile:profile_size", 0), 132);
    }
}
