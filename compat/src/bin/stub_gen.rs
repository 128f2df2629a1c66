//! Writes the `.pyi` stubs of the native module (built with `--features stubgen`).
fn main() -> pyo3_stub_gen::Result<()> {
    let stub = _vfx_rs::stub_info()?;
    stub.generate()?;
    Ok(())
}
