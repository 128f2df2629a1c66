//! OCIO's grading values: the parameter objects the grading transforms (and
//! their dynamic properties) carry. `GradingRGBM` / `GradingPrimary`,
//! `GradingRGBMSW` / `GradingTone`, and the B-spline curves with their RGB
//! and hue sets. Each has the reference's defaults per `GradingStyle`, its
//! `validate()` messages and its printed form.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

pub mod bspline;
pub mod hue_curve;
pub mod primary;
pub mod rgb_curve;
pub mod tone;

pub use bspline::{GradingBSplineCurve, GradingControlPoint};
pub use hue_curve::GradingHueCurve;
pub use primary::{GradingPrimary, GradingRGBM};
pub use rgb_curve::GradingRGBCurve;
pub use tone::{GradingRGBMSW, GradingTone};

/// Numbers are printed as C++ `std::ostream` does by default (`%g`).
pub(crate) use crate::transforms::common::g as fmt_g;

/// A value shared between its owner and the handles given out for it (what
/// OCIO's shared pointers do for the curve values of the RGB- and
/// hue-curve transforms, whose `getValue()` gives the transform's own
/// object). Cloning copies the value: a cloned transform is independent.
#[derive(Debug, Default)]
pub struct Shared<T>(Arc<Mutex<T>>);

impl<T> Shared<T> {
    pub fn new(v: T) -> Self {
        Shared(Arc::new(Mutex::new(v)))
    }

    /// The value, locked.
    pub fn lock(&self) -> MutexGuard<'_, T> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The shared storage itself (for handles that see later edits).
    pub fn handle(&self) -> Arc<Mutex<T>> {
        Arc::clone(&self.0)
    }
}

impl<T: Clone> Shared<T> {
    /// A copy of the current value.
    pub fn get(&self) -> T {
        self.lock().clone()
    }
}

impl<T: Clone> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared::new(self.get())
    }
}

impl<T: PartialEq> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || *self.lock() == *other.lock()
    }
}

impl<T: fmt::Display> fmt::Display for Shared<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.lock().fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_clone_is_deep() {
        let a = Shared::new(vec![1, 2]);
        let b = a.clone();
        a.lock().push(3);
        assert_eq!(b.get(), vec![1, 2]);
        assert!(a == a);
        assert!(a != b);
    }
}
