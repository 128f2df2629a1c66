//! Human-readable explanations of well-known metadata values (Exif, GPS,
//! TIFF orientation...), as `serialize(..., "detailedhuman")` prints them.

use crate::paramvalue::{ParamValue, Value};
use crate::strutil::fmt_g;
use crate::typedesc::{BaseType, TypeDesc};

type Labels = &'static [(i32, &'static str)];

enum Explainer {
    Labels(Labels),
    Unit(&'static str),
    ShutterApex,
    ApertureApex,
    Flash,
}

const RESUNIT: Labels = &[(1, "none"), (2, "inches"), (3, "cm"), (4, "mm"), (5, "um")];
const ORIENTATION: Labels = &[
    (1, "normal"),
    (2, "flipped horizontally"),
    (3, "rotated 180 deg"),
    (4, "flipped vertically"),
    (5, "transposed top<->left"),
    (6, "rotated 90 deg CW"),
    (7, "transverse top<->right"),
    (8, "rotated 90 deg CCW"),
];
const EXPOSURE_PROGRAM: Labels = &[
    (0, ""),
    (1, "manual"),
    (2, "normal program"),
    (3, "aperture priority"),
    (4, "shutter priority"),
    (5, "Creative program, biased toward DOF"),
    (6, "Action program, biased toward fast shutter"),
    (7, "Portrait mode, foreground in focus"),
    (8, "Landscape mode, background in focus"),
    (9, "bulb"),
];
const LIGHT_SOURCE: Labels = &[
    (0, "unknown"),
    (1, "daylight"),
    (2, "tungsten/incandescent"),
    (4, "flash"),
    (9, "fine weather"),
    (10, "cloudy"),
    (11, "shade"),
    (12, "daylight fluorescent D 5700-7100K"),
    (13, "day white fluorescent N 4600-5400K"),
    (14, "cool white fluorescent W 3900-4500K"),
    (15, "white fluorescent WW 3200-3700K"),
    (17, "standard light A"),
    (18, "standard light B"),
    (19, "standard light C"),
    (20, "D55"),
    (21, "D65"),
    (22, "D75"),
    (23, "D50"),
    (24, "ISO studio tungsten"),
    (255, "other"),
];
const METERING: Labels = &[
    (0, ""),
    (1, "average"),
    (2, "center-weighted average"),
    (3, "spot"),
    (4, "multi-spot"),
    (5, "pattern"),
    (6, "partial"),
];
const SUBJECT_RANGE: Labels = &[(0, "unknown"), (1, "macro"), (2, "close"), (3, "distant")];
const SCENE_CAPTURE: Labels = &[(0, "standard"), (1, "landscape"), (2, "portrait"), (3, "night scene")];
const SENSING: Labels = &[
    (1, "undefined"),
    (2, "1-chip color area"),
    (3, "2-chip color area"),
    (4, "3-chip color area"),
    (5, "color sequential area"),
    (7, "trilinear"),
    (8, "color trilinear"),
];
const FILE_SOURCE: Labels = &[
    (1, "film scanner"),
    (2, "reflection print scanner"),
    (3, "digital camera"),
];
const SCENE_TYPE: Labels = &[(1, "directly photographed")];
const EXPOSURE_MODE: Labels = &[(0, "auto"), (1, "manual"), (2, "auto-bracket")];
const WHITE_BALANCE: Labels = &[(0, "auto"), (1, "manual")];
const GAIN: Labels = &[
    (0, "none"),
    (1, "low gain up"),
    (2, "high gain up"),
    (3, "low gain down"),
    (4, "high gain down"),
];
const SENSITIVITY: Labels = &[
    (0, "unknown"),
    (1, "standard output sensitivity"),
    (2, "recommended exposure index"),
    (3, "ISO speed"),
    (4, "standard output sensitivity and recommended exposure index"),
    (5, "standard output sensitivity and ISO speed"),
    (6, "recommended exposure index and ISO speed"),
    (
        7,
        "standard output sensitivity and recommended exposure index and ISO speed",
    ),
];
const YESNO: Labels = &[(0, "no"), (1, "yes")];
const SOFTHARD: Labels = &[(0, "normal"), (1, "soft"), (2, "hard")];
const LOWHI: Labels = &[(0, "normal"), (1, "low"), (2, "high")];
const ALTITUDE_REF: Labels = &[(0, "above sea level"), (1, "below sea level")];
const GPS_STATUS: Labels = &[('A' as i32, "measurement active"), ('V' as i32, "measurement void")];
const GPS_MEASURE: Labels = &[('2' as i32, "2-D"), ('3' as i32, "3-D")];
const GPS_SPEED: Labels = &[
    ('K' as i32, "km/hour"),
    ('M' as i32, "miles/hour"),
    ('N' as i32, "knots"),
];
const GPS_DIST: Labels = &[
    ('K' as i32, "km"),
    ('M' as i32, "miles"),
    ('N' as i32, "nautical miles"),
];
const MAGNETIC: Labels = &[('T' as i32, "true north"), ('M' as i32, "magnetic north")];

const TABLE: &[(&str, Explainer)] = &[
    ("ResolutionUnit", Explainer::Labels(RESUNIT)),
    ("Orientation", Explainer::Labels(ORIENTATION)),
    ("Exif:ExposureProgram", Explainer::Labels(EXPOSURE_PROGRAM)),
    ("Exif:ShutterSpeedValue", Explainer::ShutterApex),
    ("Exif:ApertureValue", Explainer::ApertureApex),
    ("Exif:MaxApertureValue", Explainer::ApertureApex),
    ("Exif:SubjectDistance", Explainer::Unit("m")),
    ("Exif:MeteringMode", Explainer::Labels(METERING)),
    ("Exif:LightSource", Explainer::Labels(LIGHT_SOURCE)),
    ("Exif:Flash", Explainer::Flash),
    ("Exif:FocalLength", Explainer::Unit("mm")),
    ("Exif:FlashEnergy", Explainer::Unit("BCPS")),
    ("Exif:FocalPlaneResolutionUnit", Explainer::Labels(RESUNIT)),
    ("Exif:SensingMethod", Explainer::Labels(SENSING)),
    ("Exif:FileSource", Explainer::Labels(FILE_SOURCE)),
    ("Exif:SceneType", Explainer::Labels(SCENE_TYPE)),
    ("Exif:CustomRendered", Explainer::Labels(YESNO)),
    ("Exif:ExposureMode", Explainer::Labels(EXPOSURE_MODE)),
    ("Exif:WhiteBalance", Explainer::Labels(WHITE_BALANCE)),
    ("Exif:SceneCaptureType", Explainer::Labels(SCENE_CAPTURE)),
    ("Exif:GainControl", Explainer::Labels(GAIN)),
    ("Exif:Contrast", Explainer::Labels(SOFTHARD)),
    ("Exif:Saturation", Explainer::Labels(LOWHI)),
    ("Exif:Sharpness", Explainer::Labels(SOFTHARD)),
    ("Exif:SubjectDistanceRange", Explainer::Labels(SUBJECT_RANGE)),
    ("Exif:SensitivityType", Explainer::Labels(SENSITIVITY)),
    ("GPS:AltitudeRef", Explainer::Labels(ALTITUDE_REF)),
    ("GPS:Altitude", Explainer::Unit("m")),
    ("GPS:Status", Explainer::Labels(GPS_STATUS)),
    ("GPS:MeasureMode", Explainer::Labels(GPS_MEASURE)),
    ("GPS:SpeedRef", Explainer::Labels(GPS_SPEED)),
    ("GPS:TrackRef", Explainer::Labels(MAGNETIC)),
    ("GPS:ImgDirectionRef", Explainer::Labels(MAGNETIC)),
    ("GPS:DestBearingRef", Explainer::Labels(MAGNETIC)),
    ("GPS:DestDistanceRef", Explainer::Labels(GPS_DIST)),
    ("GPS:Differential", Explainer::Labels(YESNO)),
];

fn first_float(p: &ParamValue) -> Option<f32> {
    if p.type_desc() != TypeDesc::FLOAT {
        return None;
    }
    match p.get(0) {
        Value::Float(f) => Some(f as f32),
        _ => None,
    }
}

/// The explanation OIIO would print for this metadata, if it has one.
/// The name is matched case-insensitively; the last matching entry wins.
pub fn explain(p: &ParamValue) -> Option<String> {
    let (_, how) = TABLE.iter().rev().find(|(n, _)| n.eq_ignore_ascii_case(p.name()))?;
    let s = match how {
        Explainer::Labels(labels) => {
            let b = p.type_desc().basetype;
            let val = if matches!(
                b,
                BaseType::Int32 | BaseType::UInt32 | BaseType::Int16 | BaseType::UInt16
            ) {
                p.get_int(0)
            } else if p.type_desc() == TypeDesc::STRING {
                match p.get(0) {
                    Value::Str(s) => s.bytes().next().map_or(0, |c| c as i8 as i32),
                    _ => 0,
                }
            } else {
                return Some(String::new());
            };
            labels
                .iter()
                .find(|(v, _)| *v == val)
                .map_or(String::new(), |(_, l)| l.to_string())
        }
        Explainer::Unit(unit) => format!("{} {}", p.get_string(64), unit),
        Explainer::ShutterApex => match first_float(p) {
            Some(f) => {
                let val = 2f64.powf(-(f as f64));
                if val > 1.0 {
                    format!("{} s", fmt_g(val))
                } else {
                    format!("1/{} s", fmt_g((1.0 / val).floor()))
                }
            }
            None => String::new(),
        },
        Explainer::ApertureApex => match first_float(p) {
            Some(f) => format!("f/{:.1}", 2f32.powf(f / 2.0)),
            None => String::new(),
        },
        Explainer::Flash => {
            let v = p.get_int(0);
            let mut s = String::from(if v & 1 != 0 { "flash fired" } else { "no flash" });
            for (cond, text) in [
                (v & 6 == 4, ", no strobe return"),
                (v & 6 == 6, ", strobe return"),
                (v & 24 == 8, ", compulsory flash"),
                (v & 24 == 16, ", flash suppression"),
                (v & 24 == 24, ", auto flash"),
                (v & 32 != 0, ", no flash available"),
                (v & 64 != 0, ", red-eye reduction"),
            ] {
                if cond {
                    s += text;
                }
            }
            s
        }
    };
    Some(s)
}
