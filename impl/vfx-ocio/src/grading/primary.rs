//! `GradingPrimary`: brightness/contrast/gamma/offset/exposure/lift/gain
//! per RGB and master, saturation, pivots and clamps.

use std::fmt;

use crate::enums::GradingStyle;
use crate::error::{OcioError, Result};
use crate::transforms::common::g;

/// Red, green, blue and master values.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct GradingRgbm {
    pub red: f64,
    pub green: f64,
    pub blue: f64,
    pub master: f64,
}

impl GradingRgbm {
    pub const fn new(red: f64, green: f64, blue: f64, master: f64) -> Self {
        GradingRgbm {
            red,
            green,
            blue,
            master,
        }
    }

    const fn splat(v: f64) -> Self {
        GradingRgbm::new(v, v, v, v)
    }

    fn any_below(&self, limit: f64) -> bool {
        self.red < limit || self.green < limit || self.blue < limit || self.master < limit
    }
}

impl fmt::Display for GradingRgbm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<r={}, g={}, b={}, m={}>",
            g(self.red),
            g(self.green),
            g(self.blue),
            g(self.master)
        )
    }
}

/// "No clamp" markers.
pub const NO_CLAMP_WHITE: f64 = f64::MAX;
pub const NO_CLAMP_BLACK: f64 = -f64::MAX;

#[derive(Debug, Clone, PartialEq)]
pub struct GradingPrimary {
    pub brightness: GradingRgbm,
    pub contrast: GradingRgbm,
    pub gamma: GradingRgbm,
    pub offset: GradingRgbm,
    pub exposure: GradingRgbm,
    pub lift: GradingRgbm,
    pub gain: GradingRgbm,
    pub saturation: f64,
    pub pivot: f64,
    pub pivot_white: f64,
    pub pivot_black: f64,
    pub clamp_white: f64,
    pub clamp_black: f64,
}

impl GradingPrimary {
    /// The neutral values of a style (only the contrast pivot differs).
    pub fn new(style: GradingStyle) -> Self {
        GradingPrimary {
            brightness: GradingRgbm::splat(0.0),
            contrast: GradingRgbm::splat(1.0),
            gamma: GradingRgbm::splat(1.0),
            offset: GradingRgbm::splat(0.0),
            exposure: GradingRgbm::splat(0.0),
            lift: GradingRgbm::splat(0.0),
            gain: GradingRgbm::splat(1.0),
            saturation: 1.0,
            pivot: if style == GradingStyle::Log { -0.2 } else { 0.18 },
            pivot_white: 1.0,
            pivot_black: 0.0,
            clamp_white: NO_CLAMP_WHITE,
            clamp_black: NO_CLAMP_BLACK,
        }
    }

    /// Gamma (or, in linear style, contrast) must stay above 0.01; pivots
    /// and clamps must be ordered.
    pub fn validate(&self, style: GradingStyle) -> Result<()> {
        const LOWER: f64 = 0.01;
        const MIN: f64 = LOWER - 0.000001;
        if style != GradingStyle::Lin && self.gamma.any_below(MIN) {
            return Err(OcioError::msg(format!(
                "GradingPrimary gamma '{}' are below lower bound ({}).",
                self.gamma,
                g(LOWER)
            )));
        }
        if style == GradingStyle::Lin && self.contrast.any_below(MIN) {
            return Err(OcioError::msg(format!(
                "GradingPrimary contrast '{}' are below lower bound ({}).",
                self.contrast,
                g(LOWER)
            )));
        }
        if self.pivot_white - self.pivot_black < MIN {
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
            g(self.saturation),
            g(self.pivot),
            g(self.pivot_black),
            g(self.pivot_white)
        )?;
        if self.clamp_black != NO_CLAMP_BLACK {
            write!(f, ", clampBlack={}", g(self.clamp_black))?;
        }
        if self.clamp_white != NO_CLAMP_WHITE {
            write!(f, ", clampWhite={}", g(self.clamp_white))?;
        }
        write!(f, ">")
    }
}
