//! Grading value classes. Values nested in a GradingPrimary or GradingTone
//! (e.g. `primary.gamma`) are live views onto their parent, as the
//! reference's references are: `primary.gamma.red = 2` changes `primary`.

pub mod curves;
pub mod primary;
pub mod tone;

use pyo3::prelude::*;

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<primary::PyGradingRGBM>()?;
    m.add_class::<primary::PyGradingPrimary>()?;
    m.add_class::<tone::PyGradingRGBMSW>()?;
    m.add_class::<tone::PyGradingTone>()?;
    m.add_class::<curves::PyGradingControlPoint>()?;
    m.add_class::<curves::PyGradingBSplineCurve>()?;
    m.add_class::<curves::PyGradingRGBCurve>()?;
    m.add_class::<curves::PyGradingHueCurve>()?;
    Ok(())
}
