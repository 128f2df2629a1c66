//! `ExposureContrastOpData` and the dynamic values it may hold.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::enums::{ExposureContrastStyle, TransformDirection};
use crate::format_metadata::FormatMetadata;
use crate::transforms::{ExposureContrastTransform, Transform};

/// A parameter that is either fixed or dynamic. A dynamic value lives in a
/// shared cell: the processor (or CPU processor) that owns the op hands the
/// cell out, and setting it changes what the op computes from then on.
#[derive(Debug, Clone)]
pub struct DynamicValue {
    pub dynamic: bool,
    cell: Arc<AtomicU64>,
}

impl DynamicValue {
    pub fn new(value: f64, dynamic: bool) -> Self {
        DynamicValue {
            dynamic,
            cell: Arc::new(AtomicU64::new(value.to_bits())),
        }
    }

    pub fn get(&self) -> f64 {
        f64::from_bits(self.cell.load(Ordering::Relaxed))
    }

    pub fn set(&self, v: f64) {
        self.cell.store(v.to_bits(), Ordering::Relaxed);
    }

    /// The same value in a cell of its own (processors do not share).
    pub fn detached(&self) -> Self {
        DynamicValue::new(self.get(), self.dynamic)
    }

    /// Makes this value use `other`'s cell (dynamic values of one type are
    /// one value within a processor).
    pub fn share(&mut self, other: &DynamicValue) {
        self.cell = other.cell.clone();
    }
}

impl PartialEq for DynamicValue {
    fn eq(&self, other: &Self) -> bool {
        self.dynamic == other.dynamic && self.get().to_bits() == other.get().to_bits()
    }
}

/// Which of the three values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EcProperty {
    Exposure,
    Contrast,
    Gamma,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExposureContrastOpData {
    pub style: ExposureContrastStyle,
    pub forward: bool,
    pub exposure: DynamicValue,
    pub contrast: DynamicValue,
    pub gamma: DynamicValue,
    pub pivot: f64,
    pub log_exposure_step: f64,
    pub log_mid_gray: f64,
    pub metadata: FormatMetadata,
}

impl ExposureContrastOpData {
    pub fn from_transform(t: &ExposureContrastTransform) -> Self {
        ExposureContrastOpData {
            style: t.style,
            forward: true,
            exposure: DynamicValue::new(t.exposure, t.exposure_dynamic),
            contrast: DynamicValue::new(t.contrast, t.contrast_dynamic),
            gamma: DynamicValue::new(t.gamma, t.gamma_dynamic),
            pivot: t.pivot,
            log_exposure_step: t.log_exposure_step,
            log_mid_gray: t.log_mid_gray,
            metadata: t.metadata.clone(),
        }
    }

    pub fn inverse(&self) -> Self {
        ExposureContrastOpData {
            forward: !self.forward,
            ..self.detached()
        }
    }

    /// A copy whose dynamic values are its own.
    pub fn detached(&self) -> Self {
        ExposureContrastOpData {
            exposure: self.exposure.detached(),
            contrast: self.contrast.detached(),
            gamma: self.gamma.detached(),
            ..self.clone()
        }
    }

    pub fn value(&self, p: EcProperty) -> &DynamicValue {
        match p {
            EcProperty::Exposure => &self.exposure,
            EcProperty::Contrast => &self.contrast,
            EcProperty::Gamma => &self.gamma,
        }
    }

    pub fn value_mut(&mut self, p: EcProperty) -> &mut DynamicValue {
        match p {
            EcProperty::Exposure => &mut self.exposure,
            EcProperty::Contrast => &mut self.contrast,
            EcProperty::Gamma => &mut self.gamma,
        }
    }

    pub fn is_dynamic(&self) -> bool {
        self.exposure.dynamic || self.contrast.dynamic || self.gamma.dynamic
    }

    /// Fixed at exposure 0, contrast 1 and gamma 1: nothing changes.
    pub fn is_noop(&self) -> bool {
        !self.is_dynamic() && self.exposure.get() == 0.0 && self.contrast.get() == 1.0 && self.gamma.get() == 1.0
    }

    pub fn to_transform(&self) -> Transform {
        ExposureContrastTransform {
            style: self.style,
            exposure: self.exposure.get(),
            contrast: self.contrast.get(),
            gamma: self.gamma.get(),
            pivot: self.pivot,
            log_exposure_step: self.log_exposure_step,
            log_mid_gray: self.log_mid_gray,
            exposure_dynamic: self.exposure.dynamic,
            contrast_dynamic: self.contrast.dynamic,
            gamma_dynamic: self.gamma.dynamic,
            direction: if self.forward {
                TransformDirection::Forward
            } else {
                TransformDirection::Inverse
            },
            metadata: self.metadata.clone(),
        }
        .into()
    }

    pub fn cache_text(&self) -> String {
        let v = |d: &DynamicValue| {
            if d.dynamic {
                "dyn".to_string()
            } else {
                format!("{:e}", d.get())
            }
        };
        format!(
            "<ExposureContrastOp {:?} {} {} {} {} {:e} {:e} {:e}>",
            self.style,
            self.forward,
            v(&self.exposure),
            v(&self.contrast),
            v(&self.gamma),
            self.pivot,
            self.log_exposure_step,
            self.log_mid_gray
        )
    }
}
