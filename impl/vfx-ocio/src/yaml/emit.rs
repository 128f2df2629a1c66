//! A small block-style emitter that lays text out the way yaml-cpp does for
//! OCIO: a new map key starts on a new line unless an explicit newline was
//! just written; a new sequence item always does (so an item followed by an
//! explicit newline leaves a blank line); `newline()` is yaml-cpp's
//! `YAML::Newline`.

use super::write::{scalar, Context};

#[derive(Default)]
pub struct Emitter {
    pub out: String,
    /// An explicit newline was written since the last node started.
    non_content: bool,
}

impl Emitter {
    pub fn new() -> Self {
        Emitter::default()
    }

    fn pad(&mut self, indent: usize) {
        let col = self.out.len() - self.out.rfind('\n').map_or(0, |i| i + 1);
        if col < indent {
            self.out.extend(std::iter::repeat_n(' ', indent - col));
        }
    }

    /// yaml-cpp's `YAML::Newline`.
    pub fn newline(&mut self) {
        self.out.push('\n');
        self.non_content = true;
    }

    /// Starts `key:` in a block map (`first`: the map's first entry).
    pub fn key(&mut self, indent: usize, first: bool, key: &str) {
        if !first && !self.non_content {
            self.out.push('\n');
        }
        self.non_content = false;
        self.pad(indent);
        self.out.push_str(&scalar(key, Context::Block));
        self.out.push(':');
    }

    /// `key: value` with `value` already formatted (a scalar, `[..]`, `{..}`).
    pub fn key_value(&mut self, indent: usize, first: bool, key: &str, value: &str) {
        self.key(indent, first, key);
        self.out.push(' ');
        self.out.push_str(value);
    }

    /// `key: text` with the text quoted as yaml-cpp would in block context.
    pub fn key_str(&mut self, indent: usize, first: bool, key: &str, text: &str) {
        self.key_value(indent, first, key, &scalar(text, Context::Block));
    }

    /// Starts a block sequence item `- ` (`first`: the sequence's first).
    pub fn item(&mut self, indent: usize, first: bool) {
        if !first {
            self.out.push('\n');
        }
        self.non_content = false;
        self.pad(indent);
        self.out.push_str("- ");
    }

    /// A value that is a block collection starts on the next line.
    pub fn begin_block(&mut self) {
        self.out.push('\n');
        self.non_content = false;
    }

    /// An empty block collection: `{}` or `[]` on its own line.
    pub fn empty_block(&mut self, indent: usize, text: &str) {
        self.out.push('\n');
        self.pad(indent);
        self.out.push_str(text);
    }

    /// `key: |` followed by the lines of `text` at `indent + 2` (empty
    /// lines stay empty).
    pub fn key_literal(&mut self, indent: usize, first: bool, key: &str, text: &str) {
        self.key(indent, first, key);
        self.out.push_str(" |");
        for line in text.split('\n') {
            self.out.push('\n');
            if !line.is_empty() {
                self.pad(indent + 2);
                self.out.push_str(line);
            }
        }
    }

    /// Appends raw text (e.g. a transform written by its own writer).
    pub fn raw(&mut self, text: &str) {
        self.out.push_str(text);
    }
}

/// `[a, b]` of strings in flow context.
pub fn flow_strings<S: AsRef<str>>(items: &[S]) -> String {
    super::write::flow_seq(items)
}
