//! Printing through C's `stdout` stream, as OpenImageIO's C++ code does, so
//! our messages interleave with Python's output exactly as the reference's.

/// Write `text` to the C runtime's buffered stdout.
pub fn print(text: &str) {
    #[cfg(unix)]
    {
        use std::ffi::CString;
        extern "C" {
            #[cfg_attr(target_os = "macos", link_name = "__stdoutp")]
            static mut stdout: *mut std::ffi::c_void;
            fn fputs(s: *const std::ffi::c_char, stream: *mut std::ffi::c_void) -> i32;
        }
        if let Ok(c) = CString::new(text) {
            // SAFETY: `stdout` is the C runtime's stream, valid for the
            // process lifetime; `c` is a NUL-terminated string.
            unsafe {
                fputs(c.as_ptr(), stdout);
            }
        }
    }
    #[cfg(not(unix))]
    {
        use std::io::Write;
        let _ = std::io::stdout().write_all(text.as_bytes());
    }
}
