//! `TypeDesc`: OIIO's description of a data type (base type, aggregate,
//! vector semantics, array length), with OIIO's naming and parsing rules.

use std::fmt;

/// The scalar type underlying a `TypeDesc`; values match OIIO's enum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[repr(u8)]
pub enum BaseType {
    #[default]
    Unknown = 0,
    /// OIIO's `NONE` ("void").
    Void = 1,
    UInt8 = 2,
    Int8 = 3,
    UInt16 = 4,
    Int16 = 5,
    UInt32 = 6,
    Int32 = 7,
    UInt64 = 8,
    Int64 = 9,
    Half = 10,
    Float = 11,
    Double = 12,
    String = 13,
    Ptr = 14,
    UStringHash = 15,
    /// One past the last real base type (OIIO's `LASTBASE`).
    LastBase = 16,
}

impl BaseType {
    pub const ALL: [BaseType; 17] = [
        BaseType::Unknown,
        BaseType::Void,
        BaseType::UInt8,
        BaseType::Int8,
        BaseType::UInt16,
        BaseType::Int16,
        BaseType::UInt32,
        BaseType::Int32,
        BaseType::UInt64,
        BaseType::Int64,
        BaseType::Half,
        BaseType::Float,
        BaseType::Double,
        BaseType::String,
        BaseType::Ptr,
        BaseType::UStringHash,
        BaseType::LastBase,
    ];

    pub fn from_u8(v: u8) -> Option<BaseType> {
        Self::ALL.get(v as usize).copied()
    }

    /// Size in bytes of one value (0 for unknown/void).
    pub fn size(self) -> usize {
        use BaseType::*;
        match self {
            Unknown | Void | LastBase => 0,
            UInt8 | Int8 => 1,
            UInt16 | Int16 | Half => 2,
            UInt32 | Int32 | Float => 4,
            UInt64 | Int64 | Double | String | Ptr | UStringHash => 8,
        }
    }

    /// OIIO's long name, e.g. "uint8", "float".
    pub fn name(self) -> &'static str {
        use BaseType::*;
        match self {
            Unknown | LastBase => "unknown",
            Void => "void",
            UInt8 => "uint8",
            Int8 => "int8",
            UInt16 => "uint16",
            Int16 => "int16",
            UInt32 => "uint",
            Int32 => "int",
            UInt64 => "uint64",
            Int64 => "int64",
            Half => "half",
            Float => "float",
            Double => "double",
            String => "string",
            Ptr => "pointer",
            UStringHash => "ustringhash",
        }
    }

    /// OIIO's short suffix code used in aggregate names, e.g. "uc", "i".
    fn code(self) -> &'static str {
        use BaseType::*;
        match self {
            Unknown | LastBase => "unknown",
            Void => "void",
            UInt8 => "uc",
            Int8 => "c",
            UInt16 => "us",
            Int16 => "s",
            UInt32 => "ui",
            Int32 => "i",
            UInt64 => "ull",
            Int64 => "ll",
            Half => "h",
            Float => "f",
            Double => "d",
            String => "str",
            Ptr => "ptr",
            UStringHash => "uh",
        }
    }

    pub fn is_floating_point(self) -> bool {
        matches!(self, BaseType::Half | BaseType::Float | BaseType::Double)
    }

    pub fn is_signed(self) -> bool {
        use BaseType::*;
        matches!(self, Int8 | Int16 | Int32 | Int64 | Half | Float | Double)
    }
}

/// How many base values make up one element; values match OIIO's enum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[repr(u8)]
pub enum Aggregate {
    #[default]
    Scalar = 1,
    Vec2 = 2,
    Vec3 = 3,
    Vec4 = 4,
    Matrix33 = 9,
    Matrix44 = 16,
}

impl Aggregate {
    pub const ALL: [Aggregate; 6] = [
        Aggregate::Scalar,
        Aggregate::Vec2,
        Aggregate::Vec3,
        Aggregate::Vec4,
        Aggregate::Matrix33,
        Aggregate::Matrix44,
    ];
    pub fn from_u8(v: u8) -> Option<Aggregate> {
        Self::ALL.iter().copied().find(|a| *a as u8 == v)
    }
    pub fn count(self) -> usize {
        self as usize
    }
}

/// What an aggregate means (colour, point, timecode...); values match OIIO.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[repr(u8)]
pub enum VecSemantics {
    #[default]
    NoXform = 0,
    Color = 1,
    Point = 2,
    Vector = 3,
    Normal = 4,
    Timecode = 5,
    Keycode = 6,
    Rational = 7,
    Box = 8,
}

impl VecSemantics {
    pub const ALL: [VecSemantics; 9] = [
        VecSemantics::NoXform,
        VecSemantics::Color,
        VecSemantics::Point,
        VecSemantics::Vector,
        VecSemantics::Normal,
        VecSemantics::Timecode,
        VecSemantics::Keycode,
        VecSemantics::Rational,
        VecSemantics::Box,
    ];
    pub fn from_u8(v: u8) -> Option<VecSemantics> {
        Self::ALL.get(v as usize).copied()
    }
}

/// A data type description, equal to OIIO's `TypeDesc`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct TypeDesc {
    pub basetype: BaseType,
    pub aggregate: Aggregate,
    pub vecsemantics: VecSemantics,
    /// 0: not an array; >0: array length; -1: array of unspecified length.
    pub arraylen: i32,
}

macro_rules! td {
    ($b:ident) => {
        TypeDesc::new(BaseType::$b, Aggregate::Scalar, VecSemantics::NoXform, 0)
    };
    ($b:ident, $a:ident) => {
        TypeDesc::new(BaseType::$b, Aggregate::$a, VecSemantics::NoXform, 0)
    };
    ($b:ident, $a:ident, $v:ident) => {
        TypeDesc::new(BaseType::$b, Aggregate::$a, VecSemantics::$v, 0)
    };
    ($b:ident, $a:ident, $v:ident, $n:expr) => {
        TypeDesc::new(BaseType::$b, Aggregate::$a, VecSemantics::$v, $n)
    };
}

impl TypeDesc {
    pub const UNKNOWN: TypeDesc = td!(Unknown);
    pub const FLOAT: TypeDesc = td!(Float);
    pub const HALF: TypeDesc = td!(Half);
    pub const DOUBLE: TypeDesc = td!(Double);
    pub const INT: TypeDesc = td!(Int32);
    pub const UINT: TypeDesc = td!(UInt32);
    pub const INT16: TypeDesc = td!(Int16);
    pub const UINT16: TypeDesc = td!(UInt16);
    pub const INT8: TypeDesc = td!(Int8);
    pub const UINT8: TypeDesc = td!(UInt8);
    pub const INT64: TypeDesc = td!(Int64);
    pub const UINT64: TypeDesc = td!(UInt64);
    pub const STRING: TypeDesc = td!(String);
    pub const POINTER: TypeDesc = td!(Ptr);
    pub const USTRINGHASH: TypeDesc = td!(UStringHash);
    pub const COLOR: TypeDesc = td!(Float, Vec3, Color);
    pub const POINT: TypeDesc = td!(Float, Vec3, Point);
    pub const VECTOR: TypeDesc = td!(Float, Vec3, Vector);
    pub const NORMAL: TypeDesc = td!(Float, Vec3, Normal);
    pub const MATRIX33: TypeDesc = td!(Float, Matrix33);
    pub const MATRIX44: TypeDesc = td!(Float, Matrix44);
    pub const FLOAT2: TypeDesc = td!(Float, Vec2);
    pub const VECTOR2: TypeDesc = td!(Float, Vec2, Vector);
    pub const FLOAT4: TypeDesc = td!(Float, Vec4);
    pub const VECTOR2I: TypeDesc = td!(Int32, Vec2);
    pub const VECTOR3I: TypeDesc = td!(Int32, Vec3);
    pub const BOX2: TypeDesc = td!(Float, Vec2, Box, 2);
    pub const BOX3: TypeDesc = td!(Float, Vec3, Box, 2);
    pub const BOX2I: TypeDesc = td!(Int32, Vec2, Box, 2);
    pub const BOX3I: TypeDesc = td!(Int32, Vec3, Box, 2);
    pub const TIMECODE: TypeDesc = td!(UInt32, Scalar, Timecode, 2);
    pub const KEYCODE: TypeDesc = td!(Int32, Scalar, Keycode, 7);
    pub const RATIONAL: TypeDesc = td!(Int32, Vec2, Rational);
    pub const URATIONAL: TypeDesc = td!(UInt32, Vec2, Rational);

    pub const fn new(basetype: BaseType, aggregate: Aggregate, vecsemantics: VecSemantics, arraylen: i32) -> TypeDesc {
        TypeDesc {
            basetype,
            aggregate,
            vecsemantics,
            arraylen,
        }
    }

    pub const fn scalar(basetype: BaseType) -> TypeDesc {
        TypeDesc::new(basetype, Aggregate::Scalar, VecSemantics::NoXform, 0)
    }

    /// Parse an OIIO type name ("float", "color", "int[4]", "uint8[]").
    /// Returns `None` for names OIIO does not recognise.
    pub fn from_name(s: &str) -> Option<TypeDesc> {
        let (t, used) = Self::parse_prefix(s);
        if used == 0 {
            None
        } else {
            Some(t)
        }
    }

    /// OIIO's `fromstring`: parse a leading type name, returning the type and
    /// the number of bytes consumed (0 and UNKNOWN when nothing parses).
    pub fn parse_prefix(s: &str) -> (TypeDesc, usize) {
        let trimmed = s.trim_start();
        let ident_len = trimmed
            .char_indices()
            .take_while(|(i, c)| c.is_ascii_alphabetic() || *c == '_' || (*i > 0 && c.is_ascii_digit()))
            .count();
        if ident_len == 0 {
            return (TypeDesc::UNKNOWN, 0);
        }
        let word = &trimmed[..ident_len];
        let base = BaseType::ALL[..16].iter().copied().find(|b| b.name() == word);
        let mut t = match base {
            Some(b) if b != BaseType::Unknown => TypeDesc::scalar(b),
            _ => match word {
                "color" => Self::COLOR,
                "point" => Self::POINT,
                "vector" => Self::VECTOR,
                "normal" => Self::NORMAL,
                "matrix33" => Self::MATRIX33,
                "matrix" | "matrix44" => Self::MATRIX44,
                "vector2" => Self::VECTOR2,
                "vector4" | "float4" => Self::FLOAT4,
                "float2" => Self::FLOAT2,
                "timecode" => Self::TIMECODE,
                "keycode" => Self::KEYCODE,
                "rational" => Self::RATIONAL,
                "urational" => Self::URATIONAL,
                "box2i" => Self::BOX2I,
                "box3i" => Self::BOX3I,
                "box2" | "box2f" => Self::BOX2,
                "box3" | "box3f" => Self::BOX3,
                "pointer" => Self::POINTER,
                "ustringhash" => Self::USTRINGHASH,
                _ => return (TypeDesc::UNKNOWN, 0),
            },
        };
        let mut rest = &trimmed[ident_len..];
        let after_ws = rest.trim_start();
        if let Some(inner) = after_ws.strip_prefix('[') {
            // Optional integer, then a mandatory ']'.
            let inner_t = inner.trim_start();
            let digits = inner_t
                .char_indices()
                .take_while(|(i, c)| c.is_ascii_digit() || (*i == 0 && (*c == '-' || *c == '+')))
                .count();
            let mut len = -1;
            let mut after = inner;
            if digits > 0 {
                if let Ok(v) = inner_t[..digits].parse::<i32>() {
                    len = v;
                    after = &inner_t[digits..];
                }
            }
            match after.trim_start().strip_prefix(']') {
                Some(r) => rest = r,
                None => return (TypeDesc::UNKNOWN, 0),
            }
            t.arraylen = len;
        }
        (t, s.len() - rest.len())
    }

    /// OIIO's printable name, e.g. "float", "color", "int[5]", "matrix".
    pub fn name(&self) -> String {
        use Aggregate::*;
        use VecSemantics as V;
        let b = self.basetype;
        let is_int = matches!(b, BaseType::Int32 | BaseType::UInt32);
        if self.vecsemantics == V::Timecode && is_int && self.basevalues() == 2 {
            return "timecode".into();
        }
        if self.vecsemantics == V::Keycode && is_int && self.basevalues() == 7 {
            return "keycode".into();
        }
        if self.vecsemantics == V::Rational && self.aggregate == Vec2 && self.arraylen == 0 {
            match b {
                BaseType::Int32 => return "rational".into(),
                BaseType::UInt32 => return "urational".into(),
                _ => {}
            }
        }
        let mut alen = self.arraylen;
        let suffix = if b == BaseType::Float { "" } else { b.code() };
        let mut result = if self.aggregate == Scalar {
            b.name().to_string()
        } else if self.vecsemantics == V::NoXform && b == BaseType::Float {
            match self.aggregate {
                Vec2 => "float2",
                Vec3 => "float3",
                Vec4 => "float4",
                Matrix33 => "matrix33",
                Matrix44 => "matrix",
                Scalar => "",
            }
            .to_string()
        } else if self.vecsemantics == V::NoXform {
            match self.aggregate {
                Vec2 | Vec3 | Vec4 => format!("vector{}{}", self.aggregate as u8, b.code()),
                Matrix33 => format!("matrix33{}", b.code()),
                Matrix44 => format!("matrix{}", b.code()),
                Scalar => String::new(),
            }
        } else {
            let vec = match self.vecsemantics {
                V::Color => "color",
                V::Point => "point",
                V::Vector => "vector",
                V::Normal => "normal",
                V::Rational => "rational",
                _ => "",
            };
            let agg = match self.aggregate {
                Vec2 => "2",
                Vec4 => "4",
                Matrix33 => "matrix33",
                Matrix44 => "matrix44",
                _ => "",
            };
            format!("{vec}{agg}{suffix}")
        };
        if self.vecsemantics == V::Box {
            result = format!("box{}{}", self.aggregate as u8, suffix);
            alen = if self.arraylen > 2 {
                self.arraylen / 2
            } else if self.arraylen < 0 {
                -1
            } else {
                0
            };
        }
        if alen > 0 {
            result += &format!("[{alen}]");
        } else if alen < 0 {
            result += "[]";
        }
        result
    }

    pub fn numelements(&self) -> usize {
        if self.arraylen >= 1 {
            self.arraylen as usize
        } else {
            1
        }
    }
    pub fn basevalues(&self) -> usize {
        self.numelements() * self.aggregate.count()
    }
    pub fn basesize(&self) -> usize {
        self.basetype.size()
    }
    pub fn elementsize(&self) -> usize {
        self.aggregate.count() * self.basesize()
    }
    pub fn size(&self) -> usize {
        self.numelements() * self.elementsize()
    }
    pub fn elementtype(&self) -> TypeDesc {
        TypeDesc { arraylen: 0, ..*self }
    }
    pub fn scalartype(&self) -> TypeDesc {
        TypeDesc::scalar(self.basetype)
    }
    pub fn is_array(&self) -> bool {
        self.arraylen != 0
    }
    pub fn is_unknown(&self) -> bool {
        self.basetype == BaseType::Unknown
    }
    pub fn is_floating_point(&self) -> bool {
        self.basetype.is_floating_point()
    }
    /// OIIO's `t == BASETYPE`: same base type, scalar, not an array.
    pub fn is_basetype(&self, b: BaseType) -> bool {
        self.basetype == b && self.aggregate == Aggregate::Scalar && !self.is_array()
    }
    /// Equal except possibly in vector semantics (and sized vs unsized arrays).
    pub fn equivalent(&self, b: &TypeDesc) -> bool {
        self.basetype == b.basetype
            && self.aggregate == b.aggregate
            && (self.arraylen == b.arraylen
                || (self.arraylen < 0 && b.arraylen > 0)
                || (self.arraylen > 0 && b.arraylen < 0))
    }
    fn is_vec(&self, agg: Aggregate, b: BaseType) -> bool {
        self.aggregate == agg && self.basetype == b && !self.is_array()
    }
    pub fn is_vec2(&self, b: BaseType) -> bool {
        self.is_vec(Aggregate::Vec2, b)
    }
    pub fn is_vec3(&self, b: BaseType) -> bool {
        self.is_vec(Aggregate::Vec3, b)
    }
    pub fn is_vec4(&self, b: BaseType) -> bool {
        self.is_vec(Aggregate::Vec4, b)
    }
    fn is_box(&self, agg: Aggregate, b: BaseType) -> bool {
        self.aggregate == agg && self.basetype == b && self.arraylen == 2 && self.vecsemantics == VecSemantics::Box
    }
    pub fn is_box2(&self, b: BaseType) -> bool {
        self.is_box(Aggregate::Vec2, b)
    }
    pub fn is_box3(&self, b: BaseType) -> bool {
        self.is_box(Aggregate::Vec3, b)
    }
    pub fn unarray(&mut self) {
        self.arraylen = 0;
    }
}

impl fmt::Display for TypeDesc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

impl From<BaseType> for TypeDesc {
    fn from(b: BaseType) -> Self {
        TypeDesc::scalar(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for name in [
            "float", "uint8", "int16", "half", "color", "point", "vector", "normal", "matrix", "matrix33", "float2",
            "float4", "timecode", "keycode", "rational", "box2", "box3i", "int[5]", "float[]", "string", "pointer",
            "uint64", "double",
        ] {
            let t = TypeDesc::from_name(name).unwrap_or_else(|| panic!("{name}"));
            let again = TypeDesc::from_name(&t.name()).unwrap();
            assert_eq!(t, again, "{name} -> {}", t.name());
        }
        assert_eq!(TypeDesc::from_name("floaty"), None);
        assert_eq!(TypeDesc::from_name("float[3").map(|t| t.name()), None);
        assert_eq!(TypeDesc::COLOR.name(), "color");
        assert_eq!(
            TypeDesc::new(BaseType::Float, Aggregate::Vec3, VecSemantics::Color, 2).name(),
            "color[2]"
        );
        assert_eq!(TypeDesc::VECTOR2I.name(), "vector2i");
        assert_eq!(TypeDesc::BOX2I.name(), "box2i");
        assert_eq!(TypeDesc::RATIONAL.name(), "rational");
        assert_eq!(TypeDesc::URATIONAL.name(), "urational");
    }

    #[test]
    fn sizes() {
        assert_eq!(TypeDesc::MATRIX44.size(), 64);
        assert_eq!(TypeDesc::TIMECODE.size(), 8);
        assert_eq!(TypeDesc::from_name("half[3]").unwrap().size(), 6);
        assert!(TypeDesc::from_name("float[]")
            .unwrap()
            .equivalent(&TypeDesc::from_name("float[4]").unwrap()));
    }
}
