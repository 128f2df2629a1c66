//! `GradingRGBM` and `GradingPrimary`: the values of a primary grade.

use std::fmt;

use super::fmt_g;
use crate::enums::GradingStyle;
use crate::error::{OcioError, Result};

/// Red, green, blue and master components of one primary control.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct GradingRGBM {
    pub red: f64,
    pub green: f64,
    pub blue: f64,
    pub master: f64,
}

impl GradingRGBM {
    pub const fn new(red: f64, green: f64, blue: f64, master: f64) -> Self {
        GradingRGBM {
            red,
            green,
            blue,
            master,
        }
    }

    fn any_below(&self, min: f64) -> bool {
        self.red < min || self.green < min || self.blue < min || self.master < min
    }
}

impl fmt::Display for GradingRGBM {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<r={}, g={}, b={}, m={}>",
            fmt_g(self.red),
            fmt_g(self.green),
            fmt_g(self.blue),
            fmt_g(self.master)
        )
    }
}

/// All controls of a primary grade. Which of them apply depends on the
/// style (log: brightness/contrast/gamma; lin: offset/exposure/contrast;
/// video: lift/gamma/gain/offset); saturation, pivots and clamps apply to all.
#[derive(Debug, Clone, PartialEq)]
pub struct GradingPrimary {
    pub brightness: GradingRGBM,
    pub contrast: GradingRGBM,
    pub gamma: GradingRGBM,
    pub offset: GradingRGBM,
    pub exposure: GradingRGBM,
    pub lift: GradingRGBM,
    pub gain: GradingRGBM,
    pub saturation: f64,
    pub pivot: f64,
    pub pivot_black: f64,
    pub pivot_white: f64,
    pub clamp_black: f64,
    pub clamp_white: f64,
}

/// The clamp values that mean "no clamp" (renderers rely on these exact values).
pub const NO_CLAMP_BLACK: f64 = -f64::MAX;
pub const NO_CLAMP_WHITE: f64 = f64::MAX;

/// Smallest gamma (non-linear styles) and contrast (linear style), with a
/// small tolerance.
const LOWER_BOUND: f64 = 0.01;
const BOUND_TOLERANCE: f64 = 0.000001;

impl GradingPrimary {
    /// The identity grade of a style (only the contrast pivot differs:
    /// -0.2 in log, 0.18 otherwise).
    pub fn new(style: GradingStyle) -> Self {
        let zero = GradingRGBM::new(0.0, 0.0, 0.0, 0.0);
        let one = GradingRGBM::new(1.0, 1.0, 1.0, 1.0);
        GradingPrimary {
            brightness: zero,
            contrast: one,
            gamma: one,
            offset: zero,
            exposure: zero,
            lift: zero,
            gain: one,
            saturation: 1.0,
            pivot: if style == GradingStyle::Log { -0.2 } else { 0.18 },
            pivot_black: 0.0,
            pivot_white: 1.0,
            clamp_black: NO_CLAMP_BLACK,
            clamp_white: NO_CLAMP_WHITE,
        }
    }

    /// OCIO's `GradingPrimary::validate(style)`.
    pub fn validate(&self, style: GradingStyle) -> Result<()> {
        let min = LOWER_BOUND - BOUND_TOLERANCE;
        if style != GradingStyle::Lin && self.gamma.any_below(min) {
            return Err(OcioError::msg(format!(
                "GradingPrimary gamma '{}' are below lower bound ({}).",
                self.gamma,
                fmt_g(LOWER_BOUND)
            )));
        }
        if style == GradingStyle::Lin && self.contrast.any_below(min) {
            return Err(OcioError::msg(format!(
                "GradingPrimary contrast '{}' are below lower bound ({}).",
                self.contrast,
                fmt_g(LOWER_BOUND)
            )));
        }
        if self.pivot_white - self.pivot_black < min {
            return Err(OcioError::msg(
                "GradingPrimary black pivot should be smaller than white pivot.",
            ));
        }
        if self.clamp_black > self.clamp_white {
            return Err(OcioError::msg(
                "GradingPrimary black clamp should be smaller than white clamp.",
            ));
        }
        Ok(())
    }
}

impl fmt::Display for GradingPrimary {
    /// The clamps are printed only when set.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<brightness={}, contrast={}, gamma={}, offset={}, exposure={}, lift={}, gain={}, saturation={}, \
             pivot=<contrast={}, black={}, white={}>",
            self.brightness,
            self.contrast,
            self.gamma,
            self.offset,
            self.exposure,
            self.lift,
            self.gain,
            fmt_g(self.saturation),
            fmt_g(self.pivot),
            fmt_g(self.pivot_black),
            fmt_g(self.pivot_white)
        )?;
        if self.clamp_black != NO_CLAMP_BLACK {
            write!(f, ", clampBlack={}", fmt_g(self.clamp_black))?;
        }
        if self.clamp_white != NO_CLAMP_WHITE {
            write!(f, ", clampWhite={}", fmt_g(self.clamp_white))?;
        }
        write!(f, ">")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_per_style() {
        assert_eq!(GradingPrimary::new(GradingStyle::Log).pivot, -0.2);
        let lin = GradingPrimary::new(GradingStyle::Lin);
        assert_eq!(lin.pivot, 0.18);
        assert_eq!(lin, GradingPrimary::new(GradingStyle::Video));
        assert_eq!(lin.clamp_black, -f64::MAX);
    }

    #[test]
    fn printed_like_the_reference() {
        let mut p = GradingPrimary::new(GradingStyle::Log);
        assert_eq!(
            p.to_string(),
            "<brightness=<r=0, g=0, b=0, m=0>, contrast=<r=1, g=1, b=1, m=1>, gamma=<r=1, g=1, b=1, m=1>, \
             offset=<r=0, g=0, b=0, m=0>, exposure=<r=0, g=0, b=0, m=0>, lift=<r=0, g=0, b=0, m=0>, \
             gain=<r=1, g=1, b=1, m=1>, saturation=1, pivot=<contrast=-0.2, black=0, white=1>>"
        );
        p.clamp_black = 1.0;
        p.clamp_white = 0.0;
        assert!(p.to_string().ends_with(", clampBlack=1, clampWhite=0>"));
    }

    #[test]
    fn validation_messages() {
        let mut p = GradingPrimary::new(GradingStyle::Log);
        assert!(p.validate(GradingStyle::Log).is_ok());
        p.gamma.red = 0.001;
        assert_eq!(
            p.validate(GradingStyle::Log).unwrap_err().to_string(),
            "GradingPrimary gamma '<r=0.001, g=1, b=1, m=1>' are below lower bound (0.01)."
        );
        assert!(p.validate(GradingStyle::Lin).is_ok());
        p.contrast.blue = 0.0;
        assert!(p
            .validate(GradingStyle::Lin)
            .unwrap_err()
            .to_string()
            .starts_with("GradingPrimary contrast"));
        let mut p = GradingPrimary::new(GradingStyle::Log);
        p.pivot_black = 1.0;
        assert!(p.validate(GradingStyle::Log).unwrap_err().to_string().contains("pivot"));
        let mut p = GradingPrimary::new(GradingStyle::Log);
        p.clamp_black = 0.9;
        p.clamp_white = 0.1;
        assert_eq!(
            p.validate(GradingStyle::Video).unwrap_err().to_string(),
            "GradingPrimary black clamp should be smaller than white clamp."
        );
    }
}
