//! Typed Rust views of OCIO's enumerations. Values and texts come from the
//! generated `tables` module, so a typed enum, its Python class and its
//! `<Enum>ToString` / `<Enum>FromString` always agree.

use crate::error::{OcioError, Result};
use crate::tables::{self, EnumTable};

/// A Rust enum mirroring one OCIO enumeration.
pub trait OcioEnum: Copy + Sized + 'static {
    /// The generated table with its enumerators and texts.
    const TABLE: &'static EnumTable;
    /// The enumerator's integer value (the C++ value).
    fn value(self) -> i64;
    /// The enumerator with this value.
    fn from_value(v: i64) -> Option<Self>;

    /// OCIO's `<Enum>ToString`.
    fn as_str(self) -> &'static str {
        text_of(Self::TABLE, self.value())
    }

    /// OCIO's `<Enum>FromString`: case-insensitive; unknown text is an
    /// error or the enumeration's default, as the reference does.
    fn parse(s: &str) -> Result<Self> {
        let v = value_from_str(Self::TABLE, s)?;
        Self::from_value(v).ok_or_else(|| OcioError::msg(format!("invalid {} value {v}", Self::TABLE.name)))
    }
}

/// The `<Enum>ToString` text of a value ("" if it has none).
pub fn text_of(table: &EnumTable, v: i64) -> &'static str {
    table.members.iter().find(|m| m.1 == v).map(|m| m.2).unwrap_or("")
}

/// `<Enum>FromString` on the raw table.
pub fn value_from_str(table: &EnumTable, s: &str) -> Result<i64> {
    if let Some(m) = table
        .members
        .iter()
        .find(|m| !m.2.is_empty() && m.2.eq_ignore_ascii_case(s))
    {
        return Ok(m.1);
    }
    if table.from_string_error.is_empty() {
        Ok(table.from_string_default)
    } else {
        Err(OcioError::msg(table.from_string_error.replace("{}", s)))
    }
}

/// Defines a Rust enum whose discriminants are an OCIO table's values.
macro_rules! ocio_enum {
    ($(#[$m:meta])* $name:ident = $table:path { $($var:ident = $val:expr),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($var = $val),* }

        impl $crate::enums::OcioEnum for $name {
            const TABLE: &'static $crate::tables::EnumTable = &$table;
            fn value(self) -> i64 {
                self as i64
            }
            fn from_value(v: i64) -> Option<Self> {
                match v {
                    $(x if x == $val => Some(Self::$var),)*
                    _ => None,
                }
            }
        }
    };
}
pub(crate) use ocio_enum;

ocio_enum!(
    /// Direction a transform is applied in.
    TransformDirection = tables::TRANSFORM_DIRECTION { Forward = 0, Inverse = 1 }
);

#[allow(clippy::derivable_impls)] // the enum is made by `ocio_enum!`
impl Default for TransformDirection {
    fn default() -> Self {
        TransformDirection::Forward
    }
}

impl TransformDirection {
    /// OCIO's `GetInverseTransformDirection`.
    pub fn inverse(self) -> Self {
        match self {
            Self::Forward => Self::Inverse,
            Self::Inverse => Self::Forward,
        }
    }

    /// OCIO's `CombineTransformDirections`.
    pub fn combine(self, other: Self) -> Self {
        if self == other {
            Self::Forward
        } else {
            Self::Inverse
        }
    }
}

ocio_enum!(
    /// Bit depth of file data (CLF/CTF in/out depths, LUT file depths).
    BitDepth = tables::BIT_DEPTH {
        Unknown = 0, Uint8 = 1, Uint10 = 2, Uint12 = 3, Uint14 = 4, Uint16 = 5, Uint32 = 6, F16 = 7, F32 = 8,
    }
);

impl BitDepth {
    /// OCIO's `BitDepthIsFloat`.
    pub fn is_float(self) -> bool {
        matches!(self, Self::F16 | Self::F32)
    }

    /// OCIO's `BitDepthToInt` (0 for float and unknown depths).
    pub fn to_int(self) -> i64 {
        match self {
            Self::Uint8 => 8,
            Self::Uint10 => 10,
            Self::Uint12 => 12,
            Self::Uint14 => 14,
            Self::Uint16 => 16,
            Self::Uint32 => 32,
            _ => 0,
        }
    }
}

ocio_enum!(
    /// The kind of a transform (`Transform.getTransformType()`).
    TransformType = tables::TRANSFORM_TYPE {
        Allocation = 0, Builtin = 1, Cdl = 2, ColorSpace = 3, DisplayView = 4, Exponent = 5,
        ExponentWithLinear = 6, ExposureContrast = 7, File = 8, FixedFunction = 9, GradingHueCurve = 10,
        GradingPrimary = 11, GradingRgbCurve = 12, GradingTone = 13, Group = 14, LogAffine = 15,
        LogCamera = 16, Log = 17, Look = 18, Lut1D = 19, Lut3D = 20, Matrix = 21, Range = 22,
    }
);

ocio_enum!(
    /// How power functions treat negative values.
    NegativeStyle = tables::NEGATIVE_STYLE { Clamp = 0, Mirror = 1, PassThru = 2, Linear = 3 }
);

ocio_enum!(
    /// ExposureContrastTransform's formula.
    ExposureContrastStyle = tables::EXPOSURE_CONTRAST_STYLE { Linear = 0, Video = 1, Logarithmic = 2 }
);

ocio_enum!(
    /// Whether a RangeTransform clamps.
    RangeStyle = tables::RANGE_STYLE { NoClamp = 0, Clamp = 1 }
);

ocio_enum!(
    /// AllocationTransform's mapping.
    Allocation = tables::ALLOCATION { Unknown = 0, Uniform = 1, Lg2 = 2 }
);

ocio_enum!(
    /// CDL clamping style (`CDL_TRANSFORM_DEFAULT` is `NoClamp`).
    CdlStyle = tables::CDL_STYLE { Asc = 0, NoClamp = 1 }
);

ocio_enum!(
    /// LUT interpolation.
    Interpolation = tables::INTERPOLATION {
        Unknown = 0, Nearest = 1, Linear = 2, Tetrahedral = 3, Cubic = 4, Default = 254, Best = 255,
    }
);

ocio_enum!(
    /// FixedFunctionTransform's function.
    FixedFunctionStyle = tables::FIXED_FUNCTION_STYLE {
        AcesRedMod03 = 0, AcesRedMod10 = 1, AcesGlow03 = 2, AcesGlow10 = 3, AcesDarkToDim10 = 4,
        Rec2100Surround = 5, RgbToHsv = 6, XyzToXyy = 7, XyzToUvy = 8, XyzToLuv = 9, AcesGamutMap02 = 10,
        AcesGamutMap07 = 11, AcesGamutComp13 = 12, LinToPq = 13, LinToGammaLog = 14, LinToDoubleLog = 15,
        AcesOutputTransform20 = 16, AcesRgbToJmh20 = 17, AcesTonescaleCompress20 = 18,
        AcesGamutCompress20 = 19, AcesRgbToHmj20 = 20, RgbToHsyLin = 21, RgbToHsyLog = 22, RgbToHsyVid = 23,
    }
);

ocio_enum!(
    /// Whether a colour space is scene- or display-referred.
    ReferenceSpaceType = tables::REFERENCE_SPACE_TYPE { Scene = 0, Display = 1 }
);

ocio_enum!(
    /// Which of a colour space's two transforms.
    ColorSpaceDirection = tables::COLOR_SPACE_DIRECTION { ToReference = 0, FromReference = 1 }
);

ocio_enum!(
    /// Which of a view transform's two transforms.
    ViewTransformDirection = tables::VIEW_TRANSFORM_DIRECTION { ToReference = 0, FromReference = 1 }
);

ocio_enum!(
    /// Which reference space colour-space queries look at.
    SearchReferenceSpaceType = tables::SEARCH_REFERENCE_SPACE_TYPE { Scene = 0, Display = 1, All = 2 }
);

ocio_enum!(
    /// Active, inactive or all colour spaces.
    ColorSpaceVisibility = tables::COLOR_SPACE_VISIBILITY { Active = 0, Inactive = 1, All = 2 }
);

ocio_enum!(
    /// Active, inactive or all named transforms.
    NamedTransformVisibility = tables::NAMED_TRANSFORM_VISIBILITY { Active = 0, Inactive = 1, All = 2 }
);

ocio_enum!(
    /// Shared views or a display's own views.
    ViewType = tables::VIEW_TYPE { Shared = 0, DisplayDefined = 1 }
);

ocio_enum!(
    /// Hue restoration after a 1D LUT.
    Lut1DHueAdjust = tables::LUT1D_HUE_ADJUST { None = 0, Dw3 = 1, Wypn = 2 }
);

ocio_enum!(
    /// The space a grading operates in.
    GradingStyle = tables::GRADING_STYLE { Log = 0, Lin = 1, Video = 2 }
);

ocio_enum!(
    /// The kind of a grading B-spline curve.
    BSplineType = tables::B_SPLINE_TYPE {
        BSpline = 0, Diagonal = 1, HueHue = 2, Periodic1 = 3, Periodic0 = 4, Horizontal1 = 5,
    }
);

ocio_enum!(
    /// The eight curves of a GradingHueCurve.
    HueCurveType = tables::HUE_CURVE_TYPE {
        HueHue = 0, HueSat = 1, HueLum = 2, LumSat = 3, SatSat = 4, LumLum = 5, SatLum = 6, HueFx = 7,
    }
);

ocio_enum!(
    /// Which RGB-to-HSY conversion a hue curve grade uses.
    HsyTransformStyle = tables::HSY_TRANSFORM_STYLE { None = 0, Hsy1 = 1 }
);

ocio_enum!(
    /// The four curves of an RGB curve grade.
    RgbCurveType = tables::RGB_CURVE_TYPE { Red = 0, Green = 1, Blue = 2, Master = 3, NumCurves = 4 }
);

ocio_enum!(
    /// Which environment variables a context takes in.
    EnvironmentMode = tables::ENVIRONMENT_MODE { Unknown = 0, LoadPredefined = 1, LoadAll = 2 }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_enums_match_tables() {
        for (name, v, _) in tables::TRANSFORM_TYPE.members {
            assert!(TransformType::from_value(*v).is_some(), "{name}");
        }
        for (name, v, _) in tables::BIT_DEPTH.members {
            assert!(BitDepth::from_value(*v).is_some(), "{name}");
        }
        assert_eq!(
            TransformDirection::parse("INVERSE").unwrap(),
            TransformDirection::Inverse
        );
        assert!(TransformDirection::parse("sideways").is_err());
        assert_eq!(BitDepth::parse("nonsense").unwrap(), BitDepth::Unknown);
        assert_eq!(BitDepth::F16.as_str(), "16f");
    }
}
