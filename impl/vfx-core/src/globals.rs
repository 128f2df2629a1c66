//! OIIO's process-wide attributes (`OIIO::attribute` / `OIIO::getattribute`),
//! the timing log behind `"timing_report"`, the ImageBuf memory/time counters,
//! and the per-thread global error message (`OIIO::geterror`).
//!
//! OIIO 3.2.2 does no type conversion here: a setting or query succeeds only
//! when the given type is exactly the attribute's type (the one exception is
//! `missingcolor`, which takes any float aggregate or a string).

use crate::paramvalue::{Interp, ParamValue, Value};
use crate::strutil::fmt_g;
use crate::typedesc::{BaseType, TypeDesc};
use crate::OIIO_EMULATED_VERSION;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::sync::atomic::{AtomicI64, AtomicU32, Ordering};
use std::sync::{Mutex, Once, OnceLock, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// Upper bound OIIO applies when `threads` / `exr_threads` are set.
const MAX_THREADS: i32 = 512;

// ---------------------------------------------------------------------------
// Settable state

/// The plain int attributes, settable and queryable as `TypeInt`.
/// `threads`, `exr_threads` and `enable_hwy` have extra setting rules.
const INT_ATTRS: &[&str] = &[
    "threads",
    "exr_threads",
    "enable_hwy",
    "debug",
    "read_chunk",
    "openexr:core",
    "jpeg:com_attributes",
    "png:linear_premult",
    "tiff:half",
    "tiff:multithread",
    "dds:bc5normal",
    "limits:channels",
    "limits:imagesize_MB",
    "limits:resolution",
    "oiio:print_uncaught_errors",
    "imagebuf:print_uncaught_errors",
    "imagebuf:use_imagecache",
    "imageinput:strict",
    "use_tbb",
    "log_times",
    "try_all_readers",
    "ustring:cleanup",
];

struct State {
    /// Values of `INT_ATTRS`, same order.
    ints: Vec<i32>,
    font_searchpath: String,
    plugin_searchpath: String,
    missingcolor: Vec<f32>,
}

/// OIIO 3.2.2's default for an int attribute (some read the environment).
fn int_default(name: &str) -> i32 {
    match name {
        "threads" | "exr_threads" => threads_default(),
        "read_chunk" => 256,
        "try_all_readers" | "openexr:core" | "jpeg:com_attributes" | "tiff:multithread" => 1,
        "oiio:print_uncaught_errors" | "imagebuf:print_uncaught_errors" => 1,
        "limits:channels" => 1024,
        "limits:imagesize_MB" => default_imagesize_limit_mb(),
        "limits:resolution" => 1 << 20,
        // Release-build default of 0, unless $OPENIMAGEIO_DEBUG is set.
        "debug" => std::env::var_os("OPENIMAGEIO_DEBUG").map_or(0, |v| oiio_stoi(&v.to_string_lossy())),
        "log_times" => oiio_stoi(&getenv("OPENIMAGEIO_LOG_TIMES", "")),
        "ustring:cleanup" => oiio_stoi(&getenv("OIIO_USTRING_CLEANUP", "")),
        // enable_hwy stays 0: vfx-rs has no Highway SIMD path (like an OIIO
        // built without it, setting it is accepted and ignored).
        _ => 0,
    }
}

impl State {
    fn from_env() -> State {
        State {
            ints: INT_ATTRS.iter().map(|n| int_default(n)).collect(),
            font_searchpath: getenv("OPENIMAGEIO_FONTS", ""),
            plugin_searchpath: String::new(),
            missingcolor: Vec::new(),
        }
    }

    fn int(&self, name: &str) -> Option<i32> {
        INT_ATTRS.iter().position(|n| *n == name).map(|i| self.ints[i])
    }

    fn int_mut(&mut self, name: &str) -> Option<&mut i32> {
        INT_ATTRS.iter().position(|n| *n == name).map(|i| &mut self.ints[i])
    }
}

/// `Sysutil::getenv(name, default)`: the default applies only when unset.
fn getenv(name: &str, default: &str) -> String {
    match std::env::var_os(name) {
        Some(v) => v.to_string_lossy().into_owned(),
        None => default.to_string(),
    }
}

fn hardware_concurrency() -> i32 {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(i32::MAX as usize) as i32)
}

/// OIIO's thread default: $OPENIMAGEIO_THREADS (else $CUE_THREADS) if >= 1,
/// otherwise the hardware concurrency. Re-read on every `threads=0`.
fn threads_default() -> i32 {
    let n = oiio_stoi(&getenv("OPENIMAGEIO_THREADS", &getenv("CUE_THREADS", "")));
    if n < 1 {
        hardware_concurrency()
    } else {
        n
    }
}

/// min(32 GB, physical memory) in MB; 32768 where physical memory is unknown.
fn default_imagesize_limit_mb() -> i32 {
    match physical_memory_bytes() {
        Some(b) if b > 0 => (b >> 20).min(32 * 1024) as i32,
        _ => 32 * 1024,
    }
}

fn physical_memory_bytes() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
    Some(oiio_stoi64(&line["MemTotal:".len()..]) as u64 * 1024)
}

fn resident_memory_bytes() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = text.lines().find(|l| l.starts_with("VmRSS:"))?;
    Some(oiio_stoi64(&line["VmRSS:".len()..]) as u64 * 1024)
}

static STORE: OnceLock<RwLock<State>> = OnceLock::new();
static ENV_OPTIONS: Once = Once::new();

fn store() -> &'static RwLock<State> {
    STORE.get_or_init(|| RwLock::new(State::from_env()))
}

/// First use applies $OPENIMAGEIO_OPTIONS, as OIIO does at load time.
fn ensure_init() {
    ENV_OPTIONS.call_once(|| {
        let opts = getenv("OPENIMAGEIO_OPTIONS", "");
        if !opts.is_empty() {
            set_options(&opts);
        }
    });
}

fn read_state() -> RwLockReadGuard<'static, State> {
    store().read().unwrap_or_else(|e| e.into_inner())
}

fn write_state() -> RwLockWriteGuard<'static, State> {
    store().write().unwrap_or_else(|e| e.into_inner())
}

// ---------------------------------------------------------------------------
// Read-only query providers

/// A provider answering a read-only string query from the current state of
/// the engine (format registry, font finder, filter table...).
pub type QueryFn = fn() -> String;
/// A provider for a parametrised query (`font_style_list:<family>`,
/// `font_filename:<family>:<style>`); it gets the text after the prefix.
pub type PrefixQueryFn = fn(&str) -> String;

/// String queries OIIO answers whose content depends on what vfx-rs has
/// built in; until a provider is registered they answer `""`.
pub const LIST_QUERIES: &[&str] = &[
    "format_list",
    "input_format_list",
    "output_format_list",
    "extension_list",
    "library_list",
    "font_dir_list",
    "font_file_list",
    "font_list",
    "font_family_list",
    "filter_list",
    "build:dependencies",
];
/// Parametrised string queries; `""` until a provider is registered.
pub const PREFIX_QUERIES: &[&str] = &["font_style_list:", "font_filename:"];
/// Answers `"0.0.0"` (OIIO's "no OpenColorIO") until a provider is registered.
pub const OCIO_VERSION_QUERY: &str = "opencolorio_version";
/// Not answered until a provider is registered (the rustc version is not
/// known to the crate without a build script).
pub const COMPILER_QUERY: &str = "build:compiler";

fn queries() -> &'static RwLock<HashMap<&'static str, QueryFn>> {
    static Q: OnceLock<RwLock<HashMap<&'static str, QueryFn>>> = OnceLock::new();
    Q.get_or_init(Default::default)
}

fn prefix_queries() -> &'static RwLock<HashMap<&'static str, PrefixQueryFn>> {
    static Q: OnceLock<RwLock<HashMap<&'static str, PrefixQueryFn>>> = OnceLock::new();
    Q.get_or_init(Default::default)
}

/// Install (or replace) the provider of a read-only string query. Only the
/// names OIIO answers this way are accepted (`LIST_QUERIES`,
/// `opencolorio_version`, `build:compiler`); returns false otherwise.
pub fn register_query(name: &'static str, f: QueryFn) -> bool {
    if !(LIST_QUERIES.contains(&name) || name == OCIO_VERSION_QUERY || name == COMPILER_QUERY) {
        return false;
    }
    queries().write().unwrap_or_else(|e| e.into_inner()).insert(name, f);
    true
}

/// Install (or replace) the provider of a parametrised query; `prefix` must
/// be one of `PREFIX_QUERIES`.
pub fn register_prefix_query(prefix: &'static str, f: PrefixQueryFn) -> bool {
    if !PREFIX_QUERIES.contains(&prefix) {
        return false;
    }
    prefix_queries()
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .insert(prefix, f);
    true
}

fn provided(name: &str) -> Option<String> {
    let f = queries().read().unwrap_or_else(|e| e.into_inner()).get(name).copied();
    f.map(|f| f())
}

fn provided_prefix(name: &str) -> Option<String> {
    for prefix in PREFIX_QUERIES {
        if let Some(rest) = name.strip_prefix(prefix) {
            let f = prefix_queries()
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .get(prefix)
                .copied();
            return Some(f.map_or_else(String::new, |f| f(rest)));
        }
    }
    None
}

// ---------------------------------------------------------------------------
// Setting

/// `OIIO::attribute(name, type, value)`: set a global attribute. The type
/// and values come from `value` (its own name is ignored). Returns false,
/// changing nothing, for unknown names or a type other than the attribute's.
pub fn attribute(name: &str, value: &ParamValue) -> bool {
    ensure_init();
    set_attribute(name, value)
}

/// `attribute` without the first-use hook (the hook itself sets options).
fn set_attribute(name: &str, value: &ParamValue) -> bool {
    let ty = value.type_desc();
    if value.count() == 0 {
        return false;
    }
    if name == "options" && ty == TypeDesc::STRING {
        return set_options(&value_str(value));
    }
    if name.starts_with("gpu:") || name.starts_with("cuda:") {
        return gpu_attribute(name, value);
    }
    if ty == TypeDesc::INT {
        let v = value.get(0).as_i64() as i32;
        let mut st = write_state();
        match name {
            "threads" => {
                let mut n = v.clamp(0, MAX_THREADS);
                if n == 0 {
                    n = threads_default();
                }
                *st.int_mut(name).unwrap() = n;
                return true;
            }
            "exr_threads" => {
                *st.int_mut(name).unwrap() = v.clamp(-1, MAX_THREADS);
                return true;
            }
            // Accepted but not stored: no Highway support in this build.
            "enable_hwy" => return true,
            _ => {}
        }
        if let Some(slot) = st.int_mut(name) {
            *slot = v;
            return true;
        }
        return false;
    }
    if ty == TypeDesc::STRING {
        let s = value_str(value);
        let mut st = write_state();
        match name {
            "font_searchpath" => st.font_searchpath = s,
            "plugin_searchpath" => st.plugin_searchpath = s,
            "missingcolor" => st.missingcolor = parse_float_list(&s),
            _ => return false,
        }
        return true;
    }
    if name == "missingcolor" && ty.basetype == BaseType::Float {
        // OIIO copies `numelements()` floats: a `color` keeps only its first
        // value, `float[4]` keeps four.
        let n = ty.numelements().min(value.count());
        let vals = (0..n).map(|i| value.get(i).as_f64() as f32).collect();
        write_state().missingcolor = vals;
        return true;
    }
    false
}

/// Shorthand for `attribute` with a single int.
pub fn attribute_int(name: &str, v: i32) -> bool {
    attribute(name, &ParamValue::from_int(name, v))
}

/// Shorthand for `attribute` with a single float.
pub fn attribute_float(name: &str, v: f32) -> bool {
    attribute(name, &ParamValue::from_float(name, v))
}

/// Shorthand for `attribute` with a single string.
pub fn attribute_string(name: &str, v: &str) -> bool {
    attribute(name, &ParamValue::from_str(name, v))
}

fn gpu_attribute(name: &str, value: &ParamValue) -> bool {
    // vfx-rs computes on the CPU only: CPU (0) is accepted, CUDA (1) and
    // anything else is an unsatisfiable request.
    if name != "gpu:device" {
        return false;
    }
    let ty = value.type_desc();
    if ty == TypeDesc::STRING {
        return value_str(value).eq_ignore_ascii_case("CPU");
    }
    ty == TypeDesc::INT && value.get(0).as_i64() == 0
}

/// OIIO's `optparser`: comma-separated `name=value` settings, commas inside
/// '...' or "..." kept. Returns true only if every setting succeeded.
fn set_options(optstring: &str) -> bool {
    let mut ok = true;
    let mut chars = optstring.chars().peekable();
    while chars.peek().is_some() {
        let mut opt = String::new();
        let mut inquote: Option<char> = None;
        for c in chars.by_ref() {
            if Some(c) == inquote {
                inquote = None;
            } else if c == '"' || c == '\'' {
                // As in OIIO, the other quote character inside a quote
                // switches the quote being looked for.
                inquote = Some(c);
            } else if c == ',' && inquote.is_none() {
                break;
            }
            opt.push(c);
        }
        ok &= set_one_option(&opt);
    }
    ok
}

/// OIIO's `optparse1`: one `name=value`; numeric-looking values become an
/// int (or a float when they contain '.'), anything else a string with one
/// level of matching quotes removed.
fn set_one_option(opt: &str) -> bool {
    let Some(eq) = opt.find('=') else {
        return false;
    };
    let mut name = &opt[..eq];
    // OIIO's leading-space trim erases the whole name (so such an option
    // always fails); the trailing trim works as expected.
    if name.starts_with(' ') {
        name = "";
    }
    let name = name.trim_end_matches(' ');
    if name.is_empty() {
        return false;
    }
    let value = &opt[eq + 1..];
    let first = value.chars().next().unwrap_or(' ');
    if first.is_ascii_digit() || first == '+' || first == '-' {
        return if value.contains('.') {
            set_attribute(name, &ParamValue::from_float(name, oiio_stof(value)))
        } else {
            set_attribute(name, &ParamValue::from_int(name, oiio_stoi(value)))
        };
    }
    let b = value.as_bytes();
    let unquoted = if b.len() >= 2 && (b[0] == b'"' || b[0] == b'\'') && b[b.len() - 1] == b[0] {
        &value[1..value.len() - 1]
    } else {
        value
    };
    set_attribute(name, &ParamValue::from_str(name, unquoted))
}

// ---------------------------------------------------------------------------
// Querying

/// `OIIO::getattribute(name, type)`: the attribute's value as a ParamValue of
/// exactly `ty`, or None if the name is unknown, `ty` is not the attribute's
/// type, or vfx-rs cannot answer it.
pub fn getattribute(name: &str, ty: TypeDesc) -> Option<ParamValue> {
    ensure_init();
    let int = |v: i32| Some(ParamValue::from_int(name, v));
    let string = |s: String| Some(ParamValue::from_str(name, &s));
    if ty == TypeDesc::STRING && name == "version" {
        return string(version_string());
    }
    if name.starts_with("gpu:") || name.starts_with("cuda:") {
        return gpu_getattribute(name, ty);
    }
    if ty == TypeDesc::INT {
        if let Some(v) = read_state().int(name) {
            return int(v);
        }
        if name == "resident_memory_used_MB" {
            return int((resident_memory_bytes()? >> 20) as i32);
        }
        return None;
    }
    if ty == TypeDesc::STRING {
        if let Some(s) = provided_prefix(name) {
            return string(s);
        }
        let text = match name {
            "font_searchpath" => read_state().font_searchpath.clone(),
            "plugin_searchpath" => read_state().plugin_searchpath.clone(),
            "missingcolor" => {
                let mc = read_state().missingcolor.clone();
                mc.iter().map(|&v| fmt_g(v as f64)).collect::<Vec<_>>().join(",")
            }
            "timing_report" => timing_report(),
            "hw:simd" => hw_simd_caps(),
            "build:simd" | "oiio:simd" => build_simd_caps(),
            "build:platform" => build_platform(),
            OCIO_VERSION_QUERY => provided(name).unwrap_or_else(|| "0.0.0".to_string()),
            COMPILER_QUERY => provided(name)?,
            _ if LIST_QUERIES.contains(&name) => provided(name).unwrap_or_default(),
            _ => return None,
        };
        return string(text);
    }
    if ty == TypeDesc::FLOAT {
        match name {
            "resident_memory_used_MB" => {
                return Some(ParamValue::from_float(name, (resident_memory_bytes()? >> 20) as f32))
            }
            "IB_total_open_time" => return Some(ParamValue::from_float(name, load_f32(&IB_OPEN_TIME))),
            "IB_total_image_read_time" => return Some(ParamValue::from_float(name, load_f32(&IB_READ_TIME))),
            _ => {}
        }
    }
    if ty == TypeDesc::INT64 {
        let v = match name {
            "IB_local_mem_current" => IB_MEM_CURRENT.load(Ordering::Relaxed),
            "IB_local_mem_peak" => IB_MEM_PEAK.load(Ordering::Relaxed),
            _ => return None,
        };
        return ParamValue::from_values(name, ty, 1, Interp::Constant, &[Value::Int(v)]);
    }
    if name == "missingcolor" && ty.basetype == BaseType::Float {
        let mc = read_state().missingcolor.clone();
        if mc.is_empty() {
            return None;
        }
        let vals: Vec<Value> = (0..ty.basevalues())
            .map(|i| Value::Float(mc.get(i).copied().unwrap_or(0.0) as f64))
            .collect();
        return ParamValue::from_values(name, ty, 1, Interp::Constant, &vals);
    }
    None
}

fn gpu_getattribute(name: &str, ty: TypeDesc) -> Option<ParamValue> {
    // No CUDA in vfx-rs: the values OIIO reports when CUDA is absent.
    if ty == TypeDesc::INT {
        return match name {
            "gpu:device"
            | "cuda:build_version"
            | "cuda:driver_version"
            | "cuda:runtime_version"
            | "cuda:compatibility"
            | "cuda:total_memory_MB"
            | "cuda:devices_found" => Some(ParamValue::from_int(name, 0)),
            _ => None,
        };
    }
    if ty == TypeDesc::STRING && name == "cuda:device_name" {
        return Some(ParamValue::from_str(name, ""));
    }
    None
}

/// `OIIO::get_int_attribute`: the int value, or `default` when the name is
/// unknown or not an int attribute.
pub fn get_int_attribute(name: &str, default: i32) -> i32 {
    getattribute(name, TypeDesc::INT).map_or(default, |p| p.get(0).as_i64() as i32)
}

/// `OIIO::get_float_attribute` (no int-to-float conversion, as in OIIO).
pub fn get_float_attribute(name: &str, default: f32) -> f32 {
    getattribute(name, TypeDesc::FLOAT).map_or(default, |p| p.get(0).as_f64() as f32)
}

/// `OIIO::get_string_attribute`.
pub fn get_string_attribute(name: &str, default: &str) -> String {
    getattribute(name, TypeDesc::STRING).map_or_else(|| default.to_string(), |p| value_str(&p))
}

/// The `threads` attribute, for the engine's parallel loops (always >= 1).
pub fn threads() -> usize {
    ensure_init();
    read_state().int("threads").unwrap_or(1).max(1) as usize
}

/// The `missingcolor` attribute (empty when unset).
pub fn missingcolor() -> Vec<f32> {
    ensure_init();
    read_state().missingcolor.clone()
}

/// `OIIO::openimageio_version()`: 10000*major + 100*minor + patch.
pub const fn openimageio_version() -> i32 {
    let (a, b, c, _) = OIIO_EMULATED_VERSION;
    a * 10000 + b * 100 + c
}

/// The `"version"` query: "major.minor.patch.tweak".
pub fn version_string() -> String {
    let (a, b, c, d) = OIIO_EMULATED_VERSION;
    format!("{a}.{b}.{c}.{d}")
}

// ---------------------------------------------------------------------------
// SIMD / platform descriptions (true for this process and this build)

#[allow(unused_mut)]
fn hw_simd_caps() -> String {
    let mut caps: Vec<&str> = Vec::new();
    #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
    {
        macro_rules! cap {
            ($feat:tt, $name:expr) => {
                if std::is_x86_feature_detected!($feat) {
                    caps.push($name);
                }
            };
        }
        cap!("sse2", "sse2");
        cap!("sse3", "sse3");
        cap!("ssse3", "ssse3");
        cap!("sse4.1", "sse41");
        cap!("sse4.2", "sse42");
        cap!("avx", "avx");
        cap!("avx2", "avx2");
        cap!("avx512f", "avx512f");
        cap!("avx512dq", "avx512dq");
        cap!("avx512ifma", "avx512ifma");
        cap!("avx512pf", "avx512pf");
        cap!("avx512cd", "avx512cd");
        cap!("avx512bw", "avx512bw");
        cap!("avx512vl", "avx512vl");
        cap!("fma", "fma");
        cap!("f16c", "f16c");
        cap!("popcnt", "popcnt");
        cap!("rdrand", "rdrand");
    }
    caps.join(",")
}

fn build_simd_caps() -> String {
    let table = [
        (cfg!(target_feature = "sse2"), "sse2"),
        (cfg!(target_feature = "sse3"), "sse3"),
        (cfg!(target_feature = "ssse3"), "ssse3"),
        (cfg!(target_feature = "sse4.1"), "sse41"),
        (cfg!(target_feature = "sse4.2"), "sse42"),
        (cfg!(target_feature = "avx"), "avx"),
        (cfg!(target_feature = "avx2"), "avx2"),
        (cfg!(target_feature = "avx512f"), "avx512f"),
        (cfg!(target_feature = "avx512dq"), "avx512dq"),
        (cfg!(target_feature = "avx512ifma"), "avx512ifma"),
        (cfg!(target_feature = "avx512cd"), "avx512cd"),
        (cfg!(target_feature = "avx512bw"), "avx512bw"),
        (cfg!(target_feature = "avx512vl"), "avx512vl"),
        (cfg!(target_feature = "neon"), "neon"),
        (cfg!(target_feature = "fma"), "fma"),
        (cfg!(target_feature = "f16c"), "f16c"),
    ];
    table
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, n)| *n)
        .collect::<Vec<_>>()
        .join(",")
}

fn build_platform() -> String {
    let os = if cfg!(target_os = "linux") {
        "Linux"
    } else if cfg!(target_os = "macos") {
        "MacOS"
    } else if cfg!(target_os = "windows") {
        "Windows"
    } else if cfg!(target_os = "freebsd") {
        "FreeBSD"
    } else {
        "UnknownOS"
    };
    let arch = if cfg!(target_arch = "x86_64") {
        "x86_64"
    } else if cfg!(target_arch = "x86") {
        "i386"
    } else if cfg!(any(target_arch = "aarch64", target_arch = "arm")) {
        "ARM"
    } else {
        "unknown arch?"
    };
    format!("{os}/{arch}")
}

// ---------------------------------------------------------------------------
// Timing log ("log_times" / "timing_report")

fn timing_map() -> &'static Mutex<BTreeMap<String, (f64, usize)>> {
    static M: OnceLock<Mutex<BTreeMap<String, (f64, usize)>>> = OnceLock::new();
    M.get_or_init(Default::default)
}

/// `OIIO::log_time`: add `seconds` over `count` calls to the `key` entry of
/// the timing report; does nothing unless `log_times` is nonzero.
pub fn log_time(key: &str, seconds: f64, count: usize) {
    ensure_init();
    if read_state().int("log_times") == Some(0) {
        return;
    }
    let mut m = timing_map().lock().unwrap_or_else(|e| e.into_inner());
    let e = m.entry(key.to_string()).or_insert((0.0, 0));
    e.0 += seconds;
    e.1 += count;
}

/// The `"timing_report"` text: one line per key, sorted by key.
pub fn timing_report() -> String {
    let m = timing_map().lock().unwrap_or_else(|e| e.into_inner());
    let mut out = String::new();
    for (key, &(time, ncalls)) in m.iter() {
        let percall = time / ncalls as f64;
        let ms = percall < 0.1;
        out += &format!(
            "{:<25}{:>6} {:>7.3}s  (avg {:>6.2}{})\n",
            key,
            ncalls,
            time,
            percall * if ms { 1000.0 } else { 1.0 },
            if ms { "ms" } else { "s" }
        );
    }
    out
}

// ---------------------------------------------------------------------------
// ImageBuf counters ("IB_local_mem_current" etc.)

static IB_MEM_CURRENT: AtomicI64 = AtomicI64::new(0);
static IB_MEM_PEAK: AtomicI64 = AtomicI64::new(0);
static IB_OPEN_TIME: AtomicU32 = AtomicU32::new(0);
static IB_READ_TIME: AtomicU32 = AtomicU32::new(0);

/// Record that an ImageBuf allocated (positive) or freed (negative) `bytes`
/// of local pixel memory; keeps the peak.
pub fn ib_local_mem_add(bytes: i64) {
    let now = IB_MEM_CURRENT.fetch_add(bytes, Ordering::Relaxed) + bytes;
    IB_MEM_PEAK.fetch_max(now, Ordering::Relaxed);
}

/// Add to the ImageBuf file-open time total (seconds).
pub fn ib_add_open_time(seconds: f32) {
    add_f32(&IB_OPEN_TIME, seconds);
}

/// Add to the ImageBuf pixel-read time total (seconds).
pub fn ib_add_read_time(seconds: f32) {
    add_f32(&IB_READ_TIME, seconds);
}

fn add_f32(a: &AtomicU32, v: f32) {
    let _ = a.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |b| {
        Some((f32::from_bits(b) + v).to_bits())
    });
}

fn load_f32(a: &AtomicU32) -> f32 {
    f32::from_bits(a.load(Ordering::Relaxed))
}

// ---------------------------------------------------------------------------
// Global error message (per thread) and debug output

struct ErrorHolder(String);

impl Drop for ErrorHolder {
    // OIIO prints a never-retrieved error when the thread ends.
    fn drop(&mut self) {
        if !self.0.is_empty() && print_uncaught_enabled() {
            let _ = write!(std::io::stdout(), "{}", uncaught_message(&self.0));
        }
    }
}

thread_local! {
    static ERROR: RefCell<ErrorHolder> = const { RefCell::new(ErrorHolder(String::new())) };
}

fn print_uncaught_enabled() -> bool {
    STORE.get().is_none_or(|s| {
        s.read()
            .map_or(true, |s| s.int("oiio:print_uncaught_errors") != Some(0))
    })
}

fn uncaught_message(msg: &str) -> String {
    format!(
        "OpenImageIO exited with a pending error message that was never\n\
         retrieved via OIIO::geterror(). This was the error message:\n{msg}\n"
    )
}

/// Set this thread's global error message. As in OIIO 3.2.2 the new message
/// replaces any pending one (minus up to two trailing newlines).
pub fn push_error(msg: &str) {
    let m = msg.strip_suffix('\n').unwrap_or(msg);
    let m = m.strip_suffix('\n').unwrap_or(m);
    let _ = ERROR.try_with(|e| e.borrow_mut().0 = m.to_string());
}

/// `OIIO::has_error()`: is an error message pending on this thread?
pub fn has_error() -> bool {
    ERROR.try_with(|e| !e.borrow().0.is_empty()).unwrap_or(false)
}

/// `OIIO::geterror(clear)`: this thread's pending message ("" if none).
pub fn geterror(clear: bool) -> String {
    ERROR
        .try_with(|e| {
            let mut e = e.borrow_mut();
            if clear {
                std::mem::take(&mut e.0)
            } else {
                e.0.clone()
            }
        })
        .unwrap_or_default()
}

/// Print and clear this thread's pending error if
/// `oiio:print_uncaught_errors` is set, as OIIO does at exit. For hosts whose
/// exit path skips thread-local destructors (they normally do it already).
pub fn report_uncaught_error() {
    let msg = geterror(true);
    if !msg.is_empty() && print_uncaught_enabled() {
        let _ = write!(std::io::stdout(), "{}", uncaught_message(&msg));
    }
}

/// `OIIO::debug`: when the `debug` attribute is nonzero, write
/// "OIIO DEBUG: <message>" to $OPENIMAGEIO_DEBUG_FILE (appending) or stderr.
pub fn debug(message: &str) {
    ensure_init();
    if read_state().int("debug") == Some(0) {
        return;
    }
    static SINK: Mutex<Option<Option<std::fs::File>>> = Mutex::new(None);
    let mut sink = SINK.lock().unwrap_or_else(|e| e.into_inner());
    let file = sink.get_or_insert_with(|| {
        let path = getenv("OPENIMAGEIO_DEBUG_FILE", "");
        if path.is_empty() {
            None
        } else {
            std::fs::OpenOptions::new().append(true).create(true).open(path).ok()
        }
    });
    let text = format!("OIIO DEBUG: {message}");
    match file {
        Some(f) => {
            let _ = f.write_all(text.as_bytes());
            let _ = f.flush();
        }
        None => {
            let _ = std::io::stderr().write_all(text.as_bytes());
        }
    }
}

// ---------------------------------------------------------------------------
// Value helpers (ParamValue has no exact-type accessors for these yet)

fn value_str(p: &ParamValue) -> String {
    match p.get(0) {
        Value::Str(s) => s,
        _ => String::new(),
    }
}

/// `Strutil::extract_from_list_string<float>`: comma-split (empty text gives
/// nothing), each piece parsed like `strtof` (junk gives 0).
fn parse_float_list(s: &str) -> Vec<f32> {
    if s.is_empty() {
        return Vec::new();
    }
    s.split(',').map(oiio_stof).collect()
}

fn is_c_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// `Strutil::stoi` (base 10): leading whitespace and sign, digits up to the
/// first non-digit, overflow clamped, 0 when there are no digits.
fn oiio_stoi(s: &str) -> i32 {
    oiio_stoi64(s).clamp(i32::MIN as i64, i32::MAX as i64) as i32
}

fn oiio_stoi64(s: &str) -> i64 {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && is_c_space(b[i]) {
        i += 1;
    }
    let neg = i < b.len() && b[i] == b'-';
    if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
        i += 1;
    }
    let mut acc: i64 = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        acc = (acc * 10 + (b[i] - b'0') as i64).min(1 << 40);
        i += 1;
    }
    if neg {
        -acc
    } else {
        acc
    }
}

/// `Strutil::stof` (C-locale `strtof`): the longest numeric prefix after
/// whitespace, including inf/nan and hex floats; 0 when there is none.
fn oiio_stof(s: &str) -> f32 {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && is_c_space(b[i]) {
        i += 1;
    }
    let start = i;
    let neg = i < b.len() && b[i] == b'-';
    if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
        i += 1;
    }
    let rest = &s[i..];
    let starts_ci = |w: &str| rest.len() >= w.len() && rest.as_bytes()[..w.len()].eq_ignore_ascii_case(w.as_bytes());
    let sign = |v: f32| if neg { -v } else { v };
    if starts_ci("inf") {
        return sign(f32::INFINITY);
    }
    if starts_ci("nan") {
        return sign(f32::NAN);
    }
    let hexdigit = |c: u8| (c as char).to_digit(16);
    if starts_ci("0x") {
        let hb = &rest.as_bytes()[2..];
        let mut j = 0;
        let (mut mant, mut exp, mut any) = (0f64, 0i32, false);
        while j < hb.len() && hexdigit(hb[j]).is_some() {
            mant = mant * 16.0 + hexdigit(hb[j]).unwrap() as f64;
            any = true;
            j += 1;
        }
        if j < hb.len() && hb[j] == b'.' {
            j += 1;
            while j < hb.len() && hexdigit(hb[j]).is_some() {
                mant = mant * 16.0 + hexdigit(hb[j]).unwrap() as f64;
                exp -= 4;
                any = true;
                j += 1;
            }
        }
        if any {
            if j < hb.len() && (hb[j] == b'p' || hb[j] == b'P') {
                let e = &rest[2 + j + 1..];
                let eb = e.as_bytes();
                let k0 = usize::from(!eb.is_empty() && (eb[0] == b'+' || eb[0] == b'-'));
                if eb.len() > k0 && eb[k0].is_ascii_digit() {
                    exp = exp.saturating_add(oiio_stoi(e));
                }
            }
            return sign((mant * 2f64.powi(exp)) as f32);
        }
        // "0x" without digits: only the "0" is a number.
        return sign(0.0);
    }
    let mut j = i;
    let mut digits = 0;
    while j < b.len() && b[j].is_ascii_digit() {
        j += 1;
        digits += 1;
    }
    if j < b.len() && b[j] == b'.' {
        j += 1;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
            digits += 1;
        }
    }
    if digits == 0 {
        return 0.0;
    }
    if j < b.len() && (b[j] == b'e' || b[j] == b'E') {
        let mut k = j + 1;
        if k < b.len() && (b[k] == b'+' || b[k] == b'-') {
            k += 1;
        }
        if k < b.len() && b[k].is_ascii_digit() {
            while k < b.len() && b[k].is_ascii_digit() {
                k += 1;
            }
            j = k;
        }
    }
    s[start..j].parse::<f32>().unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    // The store is process-wide; serialise tests that change it.
    static LOCK: Mutex<()> = Mutex::new(());
    fn lock() -> std::sync::MutexGuard<'static, ()> {
        LOCK.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn typed(name: &str, ty: &str, vals: &[Value]) -> ParamValue {
        ParamValue::from_values(name, TypeDesc::from_name(ty).unwrap(), 1, Interp::Constant, vals).unwrap()
    }

    #[test]
    fn defaults_and_types() {
        let _g = lock();
        assert_eq!(get_int_attribute("read_chunk", -1), 256);
        assert_eq!(get_int_attribute("limits:channels", -1), 1024);
        assert_eq!(get_int_attribute("limits:resolution", -1), 1 << 20);
        assert_eq!(get_int_attribute("tiff:multithread", -1), 1);
        assert_eq!(get_int_attribute("openexr:core", -1), 1);
        assert_eq!(get_int_attribute("enable_hwy", -1), 0);
        assert!(get_int_attribute("limits:imagesize_MB", -1) > 0);
        assert_eq!(get_string_attribute("version", ""), "3.2.2.0");
        assert_eq!(openimageio_version(), 30202);
        // Exact type only: no int->float, int->string or string->int.
        assert!(getattribute("read_chunk", TypeDesc::FLOAT).is_none());
        assert!(getattribute("read_chunk", TypeDesc::STRING).is_none());
        assert!(getattribute("read_chunk", TypeDesc::from_name("int[1]").unwrap()).is_none());
        assert_eq!(get_float_attribute("read_chunk", 1.5), 1.5);
        assert!(getattribute("version", TypeDesc::INT).is_none());
        assert!(getattribute("nonexistent", TypeDesc::INT).is_none());
        assert_eq!(
            getattribute("IB_local_mem_current", TypeDesc::INT64).unwrap().get(0),
            Value::Int(0)
        );
        assert_eq!(get_int_attribute("IB_local_mem_current", 9), 9);
        assert_eq!(get_int_attribute("gpu:device", -1), 0);
        assert_eq!(get_string_attribute("cuda:device_name", "x"), "");
        assert_eq!(get_string_attribute("opencolorio_version", ""), "0.0.0");
        assert!(getattribute("build:compiler", TypeDesc::STRING).is_none());
        assert!(getattribute("options", TypeDesc::STRING).is_none());
    }

    #[test]
    fn setting_rules() {
        let _g = lock();
        assert!(attribute_int("threads", 7));
        assert_eq!(threads(), 7);
        assert!(attribute_int("threads", 1000));
        assert_eq!(get_int_attribute("threads", 0), 512);
        assert!(attribute_int("threads", -5));
        assert_eq!(get_int_attribute("threads", 0), threads_default());
        // Wrong types are refused and change nothing.
        assert!(attribute_int("threads", 3));
        assert!(!attribute_float("threads", 5.0));
        assert!(!attribute_string("threads", "5"));
        assert!(!attribute("threads", &typed("threads", "uint", &[Value::UInt(9)])));
        assert!(!attribute("threads", &typed("threads", "int[1]", &[Value::Int(9)])));
        assert_eq!(threads(), 3);
        assert!(attribute_int("exr_threads", -7));
        assert_eq!(get_int_attribute("exr_threads", 0), -1);
        assert!(attribute_int("exr_threads", 999));
        assert_eq!(get_int_attribute("exr_threads", 0), 512);
        // enable_hwy is accepted but stays 0.
        assert!(attribute_int("enable_hwy", 1));
        assert_eq!(get_int_attribute("enable_hwy", -1), 0);
        // Unknown names store nothing.
        assert!(!attribute_int("bogus", 3));
        assert!(getattribute("bogus", TypeDesc::INT).is_none());
        // Read-only queries are not settable.
        assert!(!attribute_string("version", "1.0"));
        assert_eq!(get_string_attribute("version", ""), "3.2.2.0");
        assert!(attribute_string("plugin_searchpath", "/a:/b"));
        assert_eq!(get_string_attribute("plugin_searchpath", ""), "/a:/b");
        assert!(attribute_string("plugin_searchpath", ""));
        assert!(attribute_string("gpu:device", "cpu"));
        assert!(!attribute_int("gpu:device", 1));
        assert!(!attribute_int("cuda:foo", 0));
    }

    #[test]
    fn missingcolor_forms() {
        let _g = lock();
        assert!(attribute_string("missingcolor", ""));
        assert!(getattribute("missingcolor", TypeDesc::FLOAT4).is_none());
        assert_eq!(get_string_attribute("missingcolor", "x"), "");
        assert!(attribute_string("missingcolor", "1,,3"));
        assert_eq!(get_string_attribute("missingcolor", ""), "1,0,3");
        let f4 = getattribute("missingcolor", TypeDesc::from_name("float[4]").unwrap()).unwrap();
        assert_eq!(
            f4.values(),
            vec![
                Value::Float(1.0),
                Value::Float(0.0),
                Value::Float(3.0),
                Value::Float(0.0)
            ]
        );
        assert!(getattribute("missingcolor", TypeDesc::from_name("half[4]").unwrap()).is_none());
        assert!(attribute_string("missingcolor", "0x10, abc,1e-7,123456789,inf"));
        assert_eq!(get_string_attribute("missingcolor", ""), "16,0,1e-07,1.23457e+08,inf");
        // A color contributes numelements() == 1 float, as in OIIO.
        let c = typed(
            "m",
            "color",
            &[Value::Float(0.5), Value::Float(0.25), Value::Float(1.0)],
        );
        assert!(attribute("missingcolor", &c));
        assert_eq!(get_string_attribute("missingcolor", ""), "0.5");
        let f2 = typed("m", "float[2]", &[Value::Float(0.5), Value::Float(0.25)]);
        assert!(attribute("missingcolor", &f2));
        assert_eq!(missingcolor(), vec![0.5, 0.25]);
        assert!(attribute_float("missingcolor", 0.75));
        assert_eq!(get_float_attribute("missingcolor", 0.0), 0.75);
        assert!(!attribute_int("missingcolor", 1));
        assert!(attribute_string("missingcolor", ""));
    }

    #[test]
    fn options_string() {
        let _g = lock();
        let ok = attribute_string(
            "options",
            "read_chunk=77 ,tiff:half=1.5, log_times=1,font_searchpath='a,b',bogus",
        );
        assert!(!ok);
        assert_eq!(get_int_attribute("read_chunk", 0), 77);
        assert_eq!(get_int_attribute("tiff:half", -1), 0);
        assert_eq!(get_int_attribute("log_times", -1), 0);
        assert_eq!(get_string_attribute("font_searchpath", ""), "a,b");
        assert!(attribute_string("options", "read_chunk=-3x,font_searchpath=\"x\""));
        assert_eq!(get_int_attribute("read_chunk", 0), -3);
        assert_eq!(get_string_attribute("font_searchpath", ""), "x");
        assert!(attribute_string("options", "font_searchpath=  sp"));
        assert_eq!(get_string_attribute("font_searchpath", ""), "  sp");
        assert!(attribute_string("options", "read_chunk=256,font_searchpath="));
        assert_eq!(get_string_attribute("font_searchpath", "z"), "");
    }

    #[test]
    fn providers_and_timing() {
        let _g = lock();
        assert!(!register_query("no_such_query", || "x".into()));
        assert!(getattribute("no_such_query", TypeDesc::STRING).is_none());
        assert_eq!(get_string_attribute("filter_list", "x"), "");
        assert!(register_query("filter_list", || "box;gaussian".into()));
        assert_eq!(get_string_attribute("filter_list", ""), "box;gaussian");
        assert_eq!(get_string_attribute("font_filename:Sans:Bold", "x"), "");
        assert!(register_prefix_query("font_filename:", |rest| format!("<{rest}>")));
        assert_eq!(get_string_attribute("font_filename:Sans:Bold", ""), "<Sans:Bold>");
        assert!(!register_prefix_query("font_nothing:", |_| String::new()));

        assert!(attribute_int("log_times", 0));
        log_time("IBA::ignored", 1.0, 1);
        assert!(attribute_int("log_times", 1));
        log_time("IBA::zero", 0.00016, 1);
        log_time("IBA::resize", 0.5, 2);
        log_time("IBA::resize", 0.5, 2);
        assert!(attribute_int("log_times", 0));
        assert_eq!(
            get_string_attribute("timing_report", ""),
            "IBA::resize                   4   1.000s  (avg   0.25s)\n\
             IBA::zero                     1   0.000s  (avg   0.16ms)\n"
        );
        let p = get_string_attribute("build:platform", "");
        assert!(p.contains('/'), "{p}");
    }

    #[test]
    fn ib_counters() {
        let _g = lock();
        ib_local_mem_add(1000);
        ib_local_mem_add(-400);
        let peak = getattribute("IB_local_mem_peak", TypeDesc::INT64).unwrap();
        assert!(matches!(peak.get(0), Value::Int(x) if x >= 1000));
        ib_local_mem_add(-600);
        ib_add_open_time(0.5);
        assert!(get_float_attribute("IB_total_open_time", -1.0) >= 0.5);
    }

    #[test]
    fn errors_are_per_thread_and_replace() {
        assert_eq!(geterror(true), "");
        push_error("first\n");
        push_error("second\n\n");
        assert!(has_error());
        assert_eq!(geterror(false), "second");
        std::thread::spawn(|| assert_eq!(geterror(true), "")).join().unwrap();
        assert_eq!(geterror(true), "second");
        assert!(!has_error());
        assert_eq!(geterror(true), "");
    }

    #[test]
    fn number_parsing() {
        assert_eq!(oiio_stoi(" +42abc"), 42);
        assert_eq!(oiio_stoi("99999999999"), i32::MAX);
        assert_eq!(oiio_stoi("-99999999999"), i32::MIN);
        assert_eq!(oiio_stoi("x1"), 0);
        assert_eq!(oiio_stof(" 2.5e3x"), 2500.0);
        assert_eq!(oiio_stof("-.5"), -0.5);
        assert_eq!(oiio_stof("1e"), 1.0);
        assert_eq!(oiio_stof("0x1.8p1"), 3.0);
        assert_eq!(oiio_stof("0xg"), 0.0);
        assert!(oiio_stof("NaN").is_nan());
        assert_eq!(oiio_stof("-Infinity"), f32::NEG_INFINITY);
        assert_eq!(oiio_stof("abc"), 0.0);
        assert_eq!(parse_float_list(","), vec![0.0, 0.0]);
    }
}
