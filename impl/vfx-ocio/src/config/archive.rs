//! Whether a config can be packed into an .ocioz archive: its working
//! directory is absolute and every search path and file-transform source
//! stays inside it (relative, no leading "..", no leading variable).

use super::validate::has_context_variables;
use super::Config;
use crate::transforms::Transform;

/// POSIX `normpath` (as Python's and pystring's): "." dropped, ".." folded
/// where it can be, repeated separators collapsed.
fn normpath(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let absolute = path.starts_with('/');
    // POSIX keeps exactly two leading slashes, folds three or more to one.
    let lead = if path.starts_with("//") && !path.starts_with("///") {
        "//"
    } else if absolute {
        "/"
    } else {
        ""
    };
    let mut parts: Vec<&str> = Vec::new();
    for comp in path.split('/') {
        match comp {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            ".." if absolute => {}
            c => parts.push(c),
        }
    }
    let body = parts.join("/");
    let out = format!("{lead}{body}");
    if out.is_empty() {
        ".".into()
    } else {
        out
    }
}

fn archivable_path(path: &str) -> bool {
    let norm = normpath(path);
    let leading_variable = has_context_variables(path) && (path.find('$') == Some(0) || path.find('%') == Some(0));
    !(norm.starts_with('/') || norm.starts_with("..") || leading_variable)
}

fn file_sources<'a>(t: &'a Transform, out: &mut Vec<&'a str>) {
    match t {
        Transform::Group(g) => g.children.iter().for_each(|c| file_sources(c, out)),
        Transform::File(f) => out.push(&f.src),
        _ => {}
    }
}

impl Config {
    /// OCIO's `isArchivable`.
    pub fn is_archivable(&self) -> bool {
        if self.working_dir.is_empty() || !self.working_dir.starts_with('/') {
            return false;
        }
        if !self.search_paths.iter().all(|p| archivable_path(p)) {
            return false;
        }
        let mut files = Vec::new();
        let cs = self
            .colorspaces
            .iter()
            .flat_map(|c| [&c.to_reference, &c.from_reference]);
        let looks = self.looks.iter().flat_map(|l| [&l.transform, &l.inverse_transform]);
        let vts = self
            .view_transforms
            .iter()
            .flat_map(|v| [&v.to_reference, &v.from_reference]);
        let nts = self.named_transforms.iter().flat_map(|n| [&n.forward, &n.inverse]);
        for t in cs.chain(looks).chain(vts).chain(nts).flatten() {
            file_sources(t, &mut files);
        }
        files.iter().all(|f| archivable_path(f))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising() {
        assert_eq!(normpath("./a//b/../c/."), "a/c");
        assert_eq!(normpath("../a"), "../a");
        assert_eq!(normpath("/../a"), "/a");
        assert_eq!(normpath(""), ".");
        assert!(archivable_path("luts\\$SHOT"));
        assert!(!archivable_path("$SHOT"));
        assert!(!archivable_path("luts/../../x"));
    }
}
