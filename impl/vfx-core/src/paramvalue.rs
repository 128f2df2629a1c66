//! `ParamValue` (a named, typed array of values) and `ParamValueList`, with
//! OIIO's conversion and printing rules.

use crate::strutil::{escape_chars, fmt_g, iless};
use crate::typedesc::{Aggregate, BaseType, TypeDesc, VecSemantics};
use half::f16;

/// Largest metadata value built from untrusted text (256 MiB).
pub const MAX_PARAM_BYTES: usize = 1 << 28;

/// Interpolation hint carried by a ParamValue (OIIO's `Interp`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[repr(u8)]
pub enum Interp {
    #[default]
    Constant = 0,
    PerPiece = 1,
    Linear = 2,
    Vertex = 3,
}

impl Interp {
    pub const ALL: [Interp; 4] = [Interp::Constant, Interp::PerPiece, Interp::Linear, Interp::Vertex];
    pub fn from_u8(v: u8) -> Option<Interp> {
        Self::ALL.get(v as usize).copied()
    }
}

/// One base value, decoded from or to be encoded into a ParamValue.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(String),
}

impl Value {
    /// As a number (strings read as 0), the way C casts between them.
    pub fn as_f64(&self) -> f64 {
        match self {
            Value::Int(x) => *x as f64,
            Value::UInt(x) => *x as f64,
            Value::Float(x) => *x,
            Value::Str(_) => 0.0,
        }
    }
    /// As an integer (floats truncate, strings read as 0).
    pub fn as_i64(&self) -> i64 {
        match self {
            Value::Int(x) => *x,
            Value::UInt(x) => *x as i64,
            Value::Float(x) => *x as i64,
            Value::Str(_) => 0,
        }
    }
}

/// Storage: numeric data as native-endian bytes, strings as owned strings.
#[derive(Clone, Debug, PartialEq)]
pub enum ParamData {
    Bytes(Vec<u8>),
    Strings(Vec<String>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct ParamValue {
    name: String,
    ty: TypeDesc,
    nvalues: i32,
    interp: Interp,
    data: ParamData,
}

fn is_string_type(b: BaseType) -> bool {
    matches!(b, BaseType::String | BaseType::UStringHash)
}

impl ParamValue {
    /// A zero-filled (or empty-string) value of `nvalues` elements of `ty`.
    pub fn zeroed(name: &str, ty: TypeDesc, nvalues: i32, interp: Interp) -> ParamValue {
        let count = ty.basevalues() * nvalues.max(0) as usize;
        let data = if is_string_type(ty.basetype) {
            ParamData::Strings(vec![String::new(); count])
        } else {
            ParamData::Bytes(vec![0; ty.size() * nvalues.max(0) as usize])
        };
        ParamValue {
            name: name.to_string(),
            ty,
            nvalues,
            interp,
            data,
        }
    }

    /// Build from decoded values, converting each to the type's base type
    /// (as a C cast would). `values` must hold exactly `basevalues * nvalues`.
    pub fn from_values(name: &str, ty: TypeDesc, nvalues: i32, interp: Interp, values: &[Value]) -> Option<ParamValue> {
        let mut p = ParamValue::zeroed(name, ty, nvalues, interp);
        if values.len() != p.count() {
            return None;
        }
        for (i, v) in values.iter().enumerate() {
            p.set(i, v);
        }
        Some(p)
    }

    pub fn from_int(name: &str, v: i32) -> ParamValue {
        Self::from_values(name, TypeDesc::INT, 1, Interp::Constant, &[Value::Int(v as i64)]).unwrap()
    }
    pub fn from_float(name: &str, v: f32) -> ParamValue {
        Self::from_values(name, TypeDesc::FLOAT, 1, Interp::Constant, &[Value::Float(v as f64)]).unwrap()
    }
    pub fn from_str(name: &str, v: &str) -> ParamValue {
        Self::from_values(
            name,
            TypeDesc::STRING,
            1,
            Interp::Constant,
            &[Value::Str(v.to_string())],
        )
        .unwrap()
    }

    /// OIIO's "parse from text" constructor (used by `from_xml`): numbers are
    /// separated by spaces/commas; strings take the whole text. `None` when
    /// the declared type is larger than [`MAX_PARAM_BYTES`] (untrusted text
    /// must not make us allocate gigabytes).
    pub fn parse(name: &str, ty: TypeDesc, text: &str) -> Option<ParamValue> {
        if ty.size() > MAX_PARAM_BYTES || ty.arraylen < 0 && ty.basevalues() > MAX_PARAM_BYTES {
            return None;
        }
        let mut p = ParamValue::zeroed(name, ty, 1, Interp::Constant);
        use BaseType::*;
        match ty.basetype {
            String | UStringHash if ty.is_basetype(ty.basetype) => p.set(0, &Value::Str(text.to_string())),
            Int32 | UInt32 | Float | Double | Int64 | UInt64 | Int16 | UInt16 => {
                // Rationals print as "num/den", so '/' separates values too.
                let seps: &[char] = if ty.vecsemantics == crate::typedesc::VecSemantics::Rational {
                    &[' ', ',', '\t', '/']
                } else {
                    &[' ', ',', '\t']
                };
                let mut rest = text;
                for i in 0..p.count() {
                    rest = rest.trim_start();
                    let v = if ty.basetype.is_floating_point() {
                        Value::Float(crate::strutil::stof(rest))
                    } else if ty.basetype == UInt64 {
                        Value::UInt(crate::strutil::stou(rest))
                    } else {
                        Value::Int(crate::strutil::stoi(rest))
                    };
                    p.set(i, &v);
                    let cut = rest.find(seps).unwrap_or(rest.len());
                    rest = &rest[cut..];
                    rest = rest.strip_prefix([',', '/']).unwrap_or(rest);
                    if rest.is_empty() {
                        break;
                    }
                }
            }
            _ => {}
        }
        Some(p)
    }

    pub fn name(&self) -> &str {
        &self.name
    }
    pub fn set_name(&mut self, name: &str) {
        self.name = name.to_string();
    }
    pub fn type_desc(&self) -> TypeDesc {
        self.ty
    }
    pub fn nvalues(&self) -> i32 {
        self.nvalues
    }
    pub fn interp(&self) -> Interp {
        self.interp
    }
    pub fn data(&self) -> &ParamData {
        &self.data
    }
    /// Total number of base values stored.
    pub fn count(&self) -> usize {
        self.ty.basevalues() * self.nvalues.max(0) as usize
    }

    fn bytes_at(&self, i: usize, n: usize) -> Option<&[u8]> {
        match &self.data {
            ParamData::Bytes(b) if n > 0 => b.get(i * n..(i + 1) * n),
            _ => None,
        }
    }

    /// Decode base value `i`.
    pub fn get(&self, i: usize) -> Value {
        use BaseType::*;
        if let ParamData::Strings(s) = &self.data {
            return Value::Str(s.get(i).cloned().unwrap_or_default());
        }
        let n = self.ty.basesize();
        let Some(b) = self.bytes_at(i, n) else {
            return Value::Int(0);
        };
        match self.ty.basetype {
            UInt8 => Value::UInt(b[0] as u64),
            Int8 => Value::Int(b[0] as i8 as i64),
            UInt16 => Value::UInt(u16::from_ne_bytes([b[0], b[1]]) as u64),
            Int16 => Value::Int(i16::from_ne_bytes([b[0], b[1]]) as i64),
            UInt32 => Value::UInt(u32::from_ne_bytes(b.try_into().unwrap()) as u64),
            Int32 => Value::Int(i32::from_ne_bytes(b.try_into().unwrap()) as i64),
            UInt64 | Ptr => Value::UInt(u64::from_ne_bytes(b.try_into().unwrap())),
            Int64 => Value::Int(i64::from_ne_bytes(b.try_into().unwrap())),
            Half => Value::Float(f16::from_ne_bytes([b[0], b[1]]).to_f64()),
            Float => Value::Float(f32::from_ne_bytes(b.try_into().unwrap()) as f64),
            Double => Value::Float(f64::from_ne_bytes(b.try_into().unwrap())),
            _ => Value::Int(0),
        }
    }

    /// All base values, decoded.
    pub fn values(&self) -> Vec<Value> {
        (0..self.count()).map(|i| self.get(i)).collect()
    }

    /// Encode `v` into base value `i`, converting as a C cast would.
    pub fn set(&mut self, i: usize, v: &Value) {
        use BaseType::*;
        let (as_i, as_f) = match v {
            Value::Int(x) => (*x, *x as f64),
            Value::UInt(x) => (*x as i64, *x as f64),
            Value::Float(x) => (*x as i64, *x),
            Value::Str(_) => (0, 0.0),
        };
        let n = self.ty.basesize();
        let bt = self.ty.basetype;
        match &mut self.data {
            ParamData::Strings(s) if i < s.len() => {
                s[i] = match v {
                    Value::Str(x) => x.clone(),
                    _ => std::string::String::new(),
                }
            }
            ParamData::Strings(_) => {}
            ParamData::Bytes(b) => {
                let Some(dst) = b.get_mut(i * n..(i + 1) * n) else {
                    return;
                };
                match bt {
                    UInt8 | Int8 => dst.copy_from_slice(&[as_i as u8]),
                    UInt16 | Int16 => dst.copy_from_slice(&(as_i as u16).to_ne_bytes()),
                    UInt32 | Int32 => dst.copy_from_slice(&(as_i as u32).to_ne_bytes()),
                    UInt64 | Int64 | Ptr => {
                        let raw = match v {
                            Value::UInt(x) => *x,
                            _ => as_i as u64,
                        };
                        dst.copy_from_slice(&raw.to_ne_bytes())
                    }
                    Half => dst.copy_from_slice(&f16::from_f64(as_f).to_ne_bytes()),
                    Float => dst.copy_from_slice(&(as_f as f32).to_ne_bytes()),
                    Double => dst.copy_from_slice(&as_f.to_ne_bytes()),
                    _ => {}
                }
            }
        }
    }

    /// The first element as an int, following OIIO's `convert_type` rules
    /// (integer types and numeric strings convert; floats do not).
    pub fn get_int(&self, default: i32) -> i32 {
        self.get_int_indexed(0, default)
    }

    pub fn get_int_indexed(&self, index: usize, default: i32) -> i32 {
        let el = self.ty.elementtype();
        if el.basevalues() != 1 || index >= self.count() {
            return default;
        }
        use BaseType::*;
        match (el.basetype, self.get(index)) {
            (UInt8 | Int8 | UInt16 | Int16 | UInt32 | Int32 | UInt64 | Int64, Value::Int(x)) => x as i32,
            (UInt8 | Int8 | UInt16 | Int16 | UInt32 | Int32 | UInt64 | Int64, Value::UInt(x)) => x as i32,
            (String, Value::Str(s)) => parse_whole_int(&s).unwrap_or(default),
            _ => default,
        }
    }

    /// The first element as a float (numbers, rationals and numeric strings).
    pub fn get_float(&self, default: f32) -> f32 {
        self.get_float_indexed(0, default)
    }

    pub fn get_float_indexed(&self, index: usize, default: f32) -> f32 {
        let el = self.ty.elementtype();
        let base = index * el.basevalues();
        if base >= self.count() {
            return default;
        }
        if el.basevalues() == 1 {
            if !el.basetype.is_floating_point() && !is_integer_type(el.basetype) && el.basetype != BaseType::String {
                return default;
            }
            return match self.get(base) {
                Value::Int(x) => x as f32,
                Value::UInt(x) => x as f32,
                Value::Float(x) => x as f32,
                Value::Str(s) if el.basetype == BaseType::String => parse_whole_float(&s).unwrap_or(default),
                _ => default,
            };
        }
        if el == TypeDesc::RATIONAL || el == TypeDesc::URATIONAL {
            let num = self.get(base).as_f64();
            let den = self.get(base + 1).as_f64();
            return if den != 0.0 { (num as f32) / (den as f32) } else { 0.0 };
        }
        default
    }

    /// The value as text: the string itself for a single string, else
    /// `get_string(maxsize)`.
    pub fn get_ustring(&self, maxsize: usize) -> String {
        if self.ty == TypeDesc::STRING || self.ty == TypeDesc::USTRINGHASH {
            if let Value::Str(s) = self.get(0) {
                return s;
            }
        }
        self.get_string(maxsize)
    }

    /// OIIO's `get_string(maxsize)`: values joined by ", ", floats as %g,
    /// strings in arrays quoted and escaped, truncated to `maxsize` values
    /// (0 = no limit) with a "... [N x type]" tail.
    pub fn get_string(&self, maxsize: usize) -> String {
        let nfull = self.count();
        let n = if maxsize > 0 { nfull.min(maxsize) } else { nfull };
        let mut t = self.ty;
        if self.nvalues > 1 || n < nfull {
            t.aggregate = Aggregate::Scalar;
            t.arraylen = n as i32;
        }
        let mut out = format_values(t, &self.values()[..n.min(nfull)]);
        if n < nfull {
            out += &format!(", ... [{} x {}]", nfull, self.ty.scalartype());
        }
        out
    }
}

fn is_integer_type(b: BaseType) -> bool {
    use BaseType::*;
    matches!(b, UInt8 | Int8 | UInt16 | Int16 | UInt32 | Int32 | UInt64 | Int64)
}

fn parse_whole_int(s: &str) -> Option<i32> {
    let t = s.trim_start();
    t.parse::<i32>().ok()
}

fn parse_whole_float(s: &str) -> Option<f32> {
    let t = s.trim_start();
    t.parse::<f32>().ok()
}

fn bcd(v: u32) -> u32 {
    (v & 0x0f) + 10 * ((v >> 4) & 0x0f)
}

/// SMPTE timecode (first word, BCD packed) as "hh:mm:ss:ff".
pub fn timecode_string(t: u32) -> String {
    let field = |lo: u32, hi: u32| (t >> lo) & ((1u32 << (hi - lo + 1)) - 1);
    format!(
        "{:02}:{:02}:{:02}:{:02}",
        bcd(field(24, 29)),
        bcd(field(16, 22)),
        bcd(field(8, 14)),
        bcd(field(0, 5))
    )
}

/// OIIO's `tostring` with the metadata formatting (", " separators, %g).
fn format_values(t: TypeDesc, vals: &[Value]) -> String {
    let is_rational = t.vecsemantics == VecSemantics::Rational && t.aggregate == Aggregate::Vec2;
    if is_rational && matches!(t.basetype, BaseType::Int32 | BaseType::UInt32) {
        return vals
            .chunks(2)
            .map(|c| format!("{}/{}", fmt_one(&c[0]), c.get(1).map(fmt_one).unwrap_or_default()))
            .collect::<Vec<_>>()
            .join(", ");
    }
    if t == TypeDesc::TIMECODE {
        if let Some(Value::UInt(x)) = vals.first() {
            return timecode_string(*x as u32);
        }
    }
    if matches!(t.basetype, BaseType::String | BaseType::UStringHash) && !t.is_array() && vals.len() == 1 {
        return match &vals[0] {
            Value::Str(s) => s.clone(),
            _ => String::new(),
        };
    }
    let quote = matches!(t.basetype, BaseType::String | BaseType::UStringHash);
    vals.iter()
        .map(|v| match v {
            Value::Str(s) if quote => format!("\"{}\"", escape_chars(s)),
            other => match (t.basetype, other) {
                (BaseType::Ptr, Value::UInt(0)) => "(nil)".to_string(),
                (BaseType::Ptr, Value::UInt(p)) => format!("{p:#x}"),
                (BaseType::Void, _) => "None".to_string(),
                (BaseType::Unknown, _) => "(nil)".to_string(),
                _ => fmt_one(other),
            },
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn fmt_one(v: &Value) -> String {
    match v {
        Value::Int(x) => x.to_string(),
        Value::UInt(x) => x.to_string(),
        Value::Float(x) => fmt_g(*x),
        Value::Str(s) => s.clone(),
    }
}

/// An ordered list of ParamValues with OIIO's lookup rules.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ParamValueList {
    pub items: Vec<ParamValue>,
}

fn name_matches(a: &str, b: &str, casesensitive: bool) -> bool {
    if casesensitive {
        a == b
    } else {
        a.eq_ignore_ascii_case(b)
    }
}

impl ParamValueList {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn len(&self) -> usize {
        self.items.len()
    }
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
    /// Index of the first entry named `name` (and of type `ty`, unless UNKNOWN).
    pub fn find(&self, name: &str, ty: TypeDesc, casesensitive: bool) -> Option<usize> {
        self.items
            .iter()
            .position(|p| name_matches(&p.name, name, casesensitive) && (ty.is_unknown() || ty == p.ty))
    }
    pub fn get(&self, name: &str, ty: TypeDesc, casesensitive: bool) -> Option<&ParamValue> {
        self.find(name, ty, casesensitive).map(|i| &self.items[i])
    }
    pub fn contains(&self, name: &str, ty: TypeDesc, casesensitive: bool) -> bool {
        self.find(name, ty, casesensitive).is_some()
    }
    pub fn remove(&mut self, name: &str, ty: TypeDesc, casesensitive: bool) {
        if let Some(i) = self.find(name, ty, casesensitive) {
            self.items.remove(i);
        }
    }
    pub fn add_or_replace(&mut self, p: ParamValue, casesensitive: bool) {
        match self.find(&p.name, TypeDesc::UNKNOWN, casesensitive) {
            Some(i) => self.items[i] = p,
            None => self.items.push(p),
        }
    }
    /// Add entries of `other`; existing names are replaced only if `override_`.
    pub fn merge(&mut self, other: &ParamValueList, override_: bool) {
        for p in &other.items {
            if override_ || !self.contains(&p.name, TypeDesc::UNKNOWN, true) {
                self.add_or_replace(p.clone(), true);
            }
        }
    }
    /// Sort by name, un-namespaced names (no ':') first.
    pub fn sort(&mut self, casesensitive: bool) {
        self.items.sort_by(|a, b| {
            let ap = a.name.contains(':');
            let bp = b.name.contains(':');
            if ap != bp {
                return ap.cmp(&bp);
            }
            let less = |x: &str, y: &str| if casesensitive { x < y } else { iless(x, y) };
            if less(&a.name, &b.name) {
                std::cmp::Ordering::Less
            } else if less(&b.name, &a.name) {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        });
    }
    pub fn get_int(&self, name: &str, default: i32, casesensitive: bool, convert: bool) -> i32 {
        let ty = if convert { TypeDesc::UNKNOWN } else { TypeDesc::INT };
        self.get(name, ty, casesensitive)
            .map_or(default, |p| p.get_int(default))
    }
    pub fn get_float(&self, name: &str, default: f32, casesensitive: bool, convert: bool) -> f32 {
        let ty = if convert { TypeDesc::UNKNOWN } else { TypeDesc::FLOAT };
        self.get(name, ty, casesensitive)
            .map_or(default, |p| p.get_float(default))
    }
    pub fn get_string(&self, name: &str, default: &str, casesensitive: bool, convert: bool) -> String {
        let ty = if convert { TypeDesc::UNKNOWN } else { TypeDesc::STRING };
        self.get(name, ty, casesensitive)
            .map_or(default.to_string(), |p| p.get_ustring(64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn strings_and_numbers() {
        let p = ParamValue::from_float("f", 2.25);
        assert_eq!(p.get_string(0), "2.25");
        assert_eq!(p.get_int(7), 7);
        let v = ParamValue::from_values(
            "v",
            TypeDesc::VECTOR,
            1,
            Interp::Constant,
            &[Value::Int(1), Value::Float(2.5), Value::Int(3)],
        )
        .unwrap();
        assert_eq!(v.get_string(0), "1, 2.5, 3");
        let r = ParamValue::from_values(
            "r",
            TypeDesc::RATIONAL,
            1,
            Interp::Constant,
            &[Value::Int(1), Value::Int(3)],
        )
        .unwrap();
        assert_eq!(r.get_string(0), "1/3");
        let tc = ParamValue::from_values(
            "t",
            TypeDesc::TIMECODE,
            1,
            Interp::Constant,
            &[Value::UInt(18356486), Value::UInt(4294967295)],
        )
        .unwrap();
        assert_eq!(tc.get_string(0), "01:18:19:06");
        let big = ParamValue::from_values(
            "b",
            TypeDesc::from_name("float[20]").unwrap(),
            1,
            Interp::Constant,
            &(0..20).map(Value::Int).collect::<Vec<_>>(),
        )
        .unwrap();
        assert!(big.get_string(16).ends_with("15, ... [20 x float]"));
        let s = ParamValue::from_values(
            "s",
            TypeDesc::from_name("string[2]").unwrap(),
            1,
            Interp::Constant,
            &[Value::Str("x".into()), Value::Str("y\"".into())],
        )
        .unwrap();
        assert_eq!(s.get_string(0), "\"x\", \"y\\\"\"");
        let parsed = ParamValue::parse("a", TypeDesc::from_name("int[3]").unwrap(), "1, 2, 3").unwrap();
        assert!(ParamValue::parse("b", TypeDesc::from_name("float[2000000000]").unwrap(), "1").is_none());
        assert_eq!(parsed.values(), vec![Value::Int(1), Value::Int(2), Value::Int(3)]);
    }
    #[test]
    fn list_sort() {
        let mut l = ParamValueList::new();
        for n in ["v", "smpte:TimeCode", "Orientation", "big"] {
            l.add_or_replace(ParamValue::from_int(n, 1), true);
        }
        l.sort(false);
        let names: Vec<_> = l.items.iter().map(|p| p.name()).collect();
        assert_eq!(names, ["big", "Orientation", "v", "smpte:TimeCode"]);
    }
}
