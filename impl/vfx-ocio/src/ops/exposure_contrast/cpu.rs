//! CPU renderer of `ExposureContrastOpData` as OCIO's SSE renderers compute
//! it (fast power; alpha passes through). Dynamic values are read when a
//! block is processed.

use super::data::ExposureContrastOpData;
use crate::enums::ExposureContrastStyle;
use crate::ops::gamma::fastmath::pow;

const MIN_PIVOT: f64 = 0.001;
const MIN_CONTRAST: f64 = 0.001;
/// 1 / 1.83, the video OETF power.
const VIDEO_OETF_POWER: f64 = 0.546_448_087_431_693_9;

/// `out = f(channel)` on RGB, alpha kept.
#[inline]
fn rgb(rgba: &mut [f32], f: impl Fn(f32) -> f32) {
    for px in rgba.chunks_exact_mut(4) {
        px[0] = f(px[0]);
        px[1] = f(px[1]);
        px[2] = f(px[2]);
    }
}

pub fn apply(op: &ExposureContrastOpData, rgba: &mut [f32]) {
    let exposure = op.exposure.get();
    let contrast_gamma = op.contrast.get() * op.gamma.get();
    let pivot_in = op.pivot.max(MIN_PIVOT) as f32;
    match op.style {
        ExposureContrastStyle::Linear | ExposureContrastStyle::Video => {
            let video = op.style == ExposureContrastStyle::Video;
            let contrast = MIN_CONTRAST.max(contrast_gamma) as f32;
            let mut exposure = 2f32.powf(exposure as f32);
            let mut pivot = pivot_in;
            if video {
                exposure = exposure.powf(VIDEO_OETF_POWER as f32);
                pivot = pivot.powf(VIDEO_OETF_POWER as f32);
            }
            if op.forward {
                if contrast == 1.0 {
                    rgb(rgba, |v| v * exposure);
                } else {
                    let k = exposure / pivot;
                    rgb(rgba, |v| pow(v * k, contrast) * pivot);
                }
            } else {
                let inv_exposure = 1.0 / exposure;
                if contrast == 1.0 {
                    rgb(rgba, |v| v * inv_exposure);
                } else {
                    let inv_contrast = 1.0 / contrast;
                    let (k, inv_pivot) = (pivot * inv_exposure, 1.0 / pivot);
                    rgb(rgba, |v| pow(v * inv_pivot, inv_contrast) * k);
                }
            }
        }
        ExposureContrastStyle::Logarithmic => {
            let pivot = 0f64.max((pivot_in as f64 / 0.18).log2() * op.log_exposure_step + op.log_mid_gray) as f32;
            // The reference's inverse renderer never reads the op's exposure
            // step and keeps its default (0.088): so does this one.
            let step = if op.forward {
                op.log_exposure_step as f32
            } else {
                0.088f32
            };
            let exposure = exposure as f32 * step;
            if op.forward {
                let contrast = MIN_CONTRAST.max(contrast_gamma) as f32;
                let offset = (exposure - pivot) * contrast + pivot;
                rgb(rgba, |v| offset + v * contrast);
            } else {
                let inv_contrast = MIN_CONTRAST.max(1.0 / contrast_gamma) as f32;
                let neg_offset = pivot - pivot * inv_contrast - exposure;
                rgb(rgba, |v| v * inv_contrast + neg_offset);
            }
        }
    }
}
