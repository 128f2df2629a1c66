//! Writes the `.pyi` stubs of the native module's classes and functions into
//! python/<module path>.pyi (build with `--features stubgen`; tools/stubs.py
//! drives it and adds what PyO3 cannot see: the Python-made enums and the
//! module constants).
//!
//! pyo3-stub-gen's own `generate()` refuses items whose `module` lies outside
//! the native module's path; ours report `OpenImageIO.OpenImageIO` on
//! purpose (as the reference's classes do), so each module is written here.
fn main() -> pyo3_stub_gen::Result<()> {
    let info = _vfx_rs::stub_info()?;
    for (name, module) in &info.modules {
        if module.is_empty() {
            continue;
        }
        let dest = info.python_root.join(format!("{}.pyi", name.replace('.', "/")));
        std::fs::create_dir_all(dest.parent().expect("module path has a parent"))?;
        std::fs::write(&dest, module.format_with_config(false))?;
        println!("{}", dest.display());
    }
    Ok(())
}
