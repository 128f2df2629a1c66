//! The ops each BuiltinTransform style stands for (OCIO's builtin
//! registry): camera log curves and gamuts, ACES spaces, display encodings.
//! Styles whose ops need op families this engine does not have yet (1D
//! LUTs, fixed functions) report that they are not implemented.

mod primaries;

use primaries::{conversion, from_xyz_d65, to_xyz_d65, Adaptation, Primaries, M44};
use primaries::{AP0, AP1, ARRI_AWG, ARRI_AWG4, P3_D60, P3_D65, P3_DCI, PANASONIC_VGAMUT, REC2020, REC709};
use primaries::{RED_WIDE_GAMUT, SONY_SGAMUT3, SONY_SGAMUT3_CINE};

use crate::error::{OcioError, Result};
use crate::format_metadata::FormatMetadata;
use crate::ops::gamma::{GammaOpData, GammaStyle};
use crate::ops::log::LogOpData;
use crate::ops::matrix::MatrixOpData;
use crate::ops::range::RangeOpData;
use crate::ops::Op;
use crate::transforms::log_affine::LogSides;

fn matrix(m: M44) -> Op {
    Op::Matrix(MatrixOpData::new(m, [0.0; 4]))
}

fn scale(s: [f64; 4]) -> Op {
    let mut m = [0.0; 16];
    for (i, v) in s.iter().enumerate() {
        m[5 * i] = *v;
    }
    matrix(m)
}

/// A log-to-lin curve (OCIO's builtin curves are defined lin-to-log and
/// applied inverted). `brk` makes it a camera curve; `linear_slope` fixes
/// its toe's slope.
fn log_to_lin(base: f64, p: [f64; 4], brk: Option<f64>, linear_slope: Option<f64>) -> Op {
    let [log_slope, log_offset, lin_slope, lin_offset] = p;
    Op::Log(LogOpData {
        sides: LogSides {
            base,
            log_side_slope: [log_slope; 3],
            log_side_offset: [log_offset; 3],
            lin_side_slope: [lin_slope; 3],
            lin_side_offset: [lin_offset; 3],
        },
        lin_side_break: brk.map(|b| [b; 3]),
        linear_slope: linear_slope.map(|s| [s; 3]),
        forward: false,
        metadata: FormatMetadata::default(),
    })
}

/// The inverse (display-encoding) direction of a gamma curve, alpha
/// untouched.
fn encode(style: GammaStyle, gamma: f64, offset: f64) -> Op {
    let moncurve = matches!(style, GammaStyle::Moncurve | GammaStyle::MoncurveMirror);
    Op::Gamma(GammaOpData {
        style,
        forward: false,
        gamma: [gamma, gamma, gamma, 1.0],
        offset: if moncurve {
            [offset, offset, offset, 0.0]
        } else {
            [0.0; 4]
        },
        metadata: FormatMetadata::default(),
    })
}

fn camera(curve: Op, gamut: &Primaries, method: Adaptation) -> Vec<Op> {
    vec![curve, matrix(conversion(gamut, &AP0, method))]
}

fn arri_logc3() -> Op {
    let lin_slope = 1.0 / (0.18 * 0.005 * (800.0 / 400.0) / 0.01);
    let lin_offset = 0.0522722750;
    let brk = ((1.0 / 9.0) - lin_offset) / lin_slope;
    log_to_lin(
        10.0,
        [0.2471896383, 0.3855369987, lin_slope, lin_offset],
        Some(brk),
        None,
    )
}

fn arri_logc4() -> Op {
    log_to_lin(
        2.0,
        [0.0647954196341293, -0.295908392682586, 2231.82630906769, 64.0],
        Some(-0.0180569961199113),
        None,
    )
}

fn sony_slog3() -> Op {
    let linear_slope = ((171.2102946929 - 95.0) / 0.01125000) / 1023.0;
    log_to_lin(
        10.0,
        [
            261.5 / 1023.0,
            420.0 / 1023.0,
            1.0 / (0.18 + 0.01),
            0.01 / (0.18 + 0.01),
        ],
        Some(0.01125000),
        Some(linear_slope),
    )
}

fn red_log_film() -> Op {
    let (ref_white, ref_black) = (685.0 / 1023.0, 95.0 / 1023.0);
    let multi = 0.002 * 1023.0 / 0.6;
    let gain = 1.0 / (1.0 - 10f64.powf(multi * (ref_black - ref_white)));
    let offset = gain - 1.0;
    log_to_lin(10.0, [1.0 / multi, ref_white, 1.0 / gain, offset / gain], None, None)
}

fn red_log3g10() -> Op {
    let lin_slope = 155.975327;
    log_to_lin(
        10.0,
        [0.224282, 0.0, lin_slope, 0.01 * lin_slope + 1.0],
        Some(-0.01),
        None,
    )
}

fn acescct_to_linear() -> Op {
    log_to_lin(2.0, [1.0 / 17.52, 9.72 / 17.52, 1.0, 0.0], Some(0.0078125), None)
}

fn xyz_to_display(p: &Primaries, method: Adaptation, style: GammaStyle, gamma: f64, offset: f64) -> Vec<Op> {
    vec![matrix(from_xyz_d65(p, method)), encode(style, gamma, offset)]
}

/// The ops of a builtin style (given in its canonical spelling), forward.
pub fn builtin_ops(style: &str) -> Result<Vec<Op>> {
    use Adaptation::{Bradford, Cat02};
    use GammaStyle::{Basic, BasicMirror, Moncurve, MoncurveMirror};
    let none = Adaptation::None;
    let ops = match style {
        "IDENTITY" => vec![scale([1.0; 4])],
        "UTILITY - ACES-AP0_to_CIE-XYZ-D65_BFD" => vec![matrix(to_xyz_d65(&AP0, Bradford))],
        "UTILITY - ACES-AP1_to_CIE-XYZ-D65_BFD" => vec![matrix(to_xyz_d65(&AP1, Bradford))],
        "UTILITY - ACES-AP1_to_LINEAR-REC709_BFD" => vec![matrix(conversion(&AP1, &REC709, Bradford))],
        "CURVE - ACEScct-LOG_to_LINEAR" => vec![acescct_to_linear()],
        "ACEScct_to_ACES2065-1" => vec![acescct_to_linear(), matrix(conversion(&AP1, &AP0, none))],
        "ACEScg_to_ACES2065-1" => vec![matrix(conversion(&AP1, &AP0, none))],
        "ACESproxy10i_to_ACES2065-1" => vec![
            Op::Range(RangeOpData {
                min_in: Some(64.0 / 1023.0),
                max_in: Some(940.0 / 1023.0),
                min_out: Some(((64.0 - 425.0) / 50.0) - 2.5),
                max_out: Some(((940.0 - 425.0) / 50.0) - 2.5),
                metadata: FormatMetadata::default(),
            }),
            log_to_lin(2.0, [1.0, 0.0, 1.0, 0.0], None, None),
            matrix(conversion(&AP1, &AP0, none)),
        ],
        "ARRI_ALEXA-LOGC-EI800-AWG_to_ACES2065-1" => camera(arri_logc3(), &ARRI_AWG, Cat02),
        "ARRI_LOGC4_to_ACES2065-1" => camera(arri_logc4(), &ARRI_AWG4, Cat02),
        "SONY_SLOG3-SGAMUT3_to_ACES2065-1" => camera(sony_slog3(), &SONY_SGAMUT3, Cat02),
        "SONY_SLOG3-SGAMUT3.CINE_to_ACES2065-1" => camera(sony_slog3(), &SONY_SGAMUT3_CINE, Cat02),
        "SONY_SLOG3-SGAMUT3-VENICE_to_ACES2065-1" => vec![
            sony_slog3(),
            matrix([
                0.7933297411,
                0.0890786256,
                0.1175916333,
                0.0,
                0.0155810585,
                1.0327123069,
                -0.0482933654,
                0.0,
                -0.0188647478,
                0.0127694121,
                1.0060953358,
                0.0,
                0.0,
                0.0,
                0.0,
                1.0,
            ]),
        ],
        "SONY_SLOG3-SGAMUT3.CINE-VENICE_to_ACES2065-1" => vec![
            sony_slog3(),
            matrix([
                0.6742570921,
                0.2205717359,
                0.1051711720,
                0.0,
                -0.0093136061,
                1.1059588614,
                -0.0966452553,
                0.0,
                -0.0382090673,
                -0.0179383766,
                1.0561474439,
                0.0,
                0.0,
                0.0,
                0.0,
                1.0,
            ]),
        ],
        "PANASONIC_VLOG-VGAMUT_to_ACES2065-1" => camera(
            log_to_lin(10.0, [0.241514, 0.598206, 1.0, 0.00873], Some(0.01), None),
            &PANASONIC_VGAMUT,
            Bradford,
        ),
        "RED_REDLOGFILM-RWG_to_ACES2065-1" => camera(red_log_film(), &RED_WIDE_GAMUT, Bradford),
        "RED_LOG3G10-RWG_to_ACES2065-1" => camera(red_log3g10(), &RED_WIDE_GAMUT, Bradford),
        "DISPLAY - CIE-XYZ-D65_to_REC.1886-REC.709" => xyz_to_display(&REC709, none, Basic, 2.4, 0.0),
        "DISPLAY - CIE-XYZ-D65_to_REC.1886-REC.709 - MIRROR NEGS" => {
            xyz_to_display(&REC709, none, BasicMirror, 2.4, 0.0)
        }
        "DISPLAY - CIE-XYZ-D65_to_REC.1886-REC.2020" => xyz_to_display(&REC2020, none, Basic, 2.4, 0.0),
        "DISPLAY - CIE-XYZ-D65_to_REC.1886-REC.2020 - MIRROR NEGS" => {
            xyz_to_display(&REC2020, none, BasicMirror, 2.4, 0.0)
        }
        "DISPLAY - CIE-XYZ-D65_to_G2.2-REC.709" => xyz_to_display(&REC709, none, Basic, 2.2, 0.0),
        "DISPLAY - CIE-XYZ-D65_to_G2.2-REC.709 - MIRROR NEGS" => xyz_to_display(&REC709, none, BasicMirror, 2.2, 0.0),
        "DISPLAY - CIE-XYZ-D65_to_sRGB" => xyz_to_display(&REC709, none, Moncurve, 2.4, 0.055),
        "DISPLAY - CIE-XYZ-D65_to_sRGB - MIRROR NEGS" => xyz_to_display(&REC709, none, MoncurveMirror, 2.4, 0.055),
        "DISPLAY - CIE-XYZ-D65_to_G2.6-P3-DCI-BFD" => xyz_to_display(&P3_DCI, Bradford, Basic, 2.6, 0.0),
        "DISPLAY - CIE-XYZ-D65_to_G2.6-P3-D65" => xyz_to_display(&P3_D65, none, Basic, 2.6, 0.0),
        "DISPLAY - CIE-XYZ-D65_to_G2.6-P3-D65 - MIRROR NEGS" => xyz_to_display(&P3_D65, none, BasicMirror, 2.6, 0.0),
        "DISPLAY - CIE-XYZ-D65_to_G2.6-P3-D60-BFD" => xyz_to_display(&P3_D60, Bradford, Basic, 2.6, 0.0),
        "DISPLAY - CIE-XYZ-D65_to_DCDM-D65" => {
            let s = 48.0 / 52.37;
            vec![scale([s, s, s, 1.0]), encode(Basic, 2.6, 0.0)]
        }
        "DISPLAY - CIE-XYZ-D65_to_DisplayP3" | "DISPLAY - CIE-XYZ-D65_to_DisplayP3-HDR" => {
            xyz_to_display(&P3_D65, none, MoncurveMirror, 2.4, 0.055)
        }
        _ => {
            return Err(OcioError::NotImplemented(format!(
                "The ops of the builtin transform '{style}' are not implemented yet."
            )))
        }
    };
    Ok(ops)
}
