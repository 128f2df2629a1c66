//! YAML for OCIO configs. Reading keeps what OCIO relies on and serde-style
//! YAML loses: verbatim tags (`!<ColorSpace>`), key order and positions.
//! Writing reproduces the layout OCIO's yaml-cpp emitter produces, so a
//! serialized config is byte-identical to the reference's.

pub mod common;
pub mod config_read;
pub mod config_write;
pub mod emit;
pub mod read;
pub mod transforms;
pub mod write;

pub use read::parse;

/// Where a node starts in the text (1-based line, 0-based column, as
/// yaml-cpp reports them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Mark {
    pub line: usize,
    pub col: usize,
}

/// How a scalar was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

/// A parsed YAML node. Tags are kept verbatim (`ColorSpace` for
/// `!<ColorSpace>`); maps keep their keys in file order.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Scalar {
        value: String,
        style: ScalarStyle,
        tag: Option<String>,
        mark: Mark,
    },
    Seq {
        items: Vec<Node>,
        tag: Option<String>,
        mark: Mark,
    },
    Map {
        entries: Vec<(Node, Node)>,
        tag: Option<String>,
        mark: Mark,
    },
}

impl Node {
    pub fn mark(&self) -> Mark {
        match self {
            Node::Scalar { mark, .. } | Node::Seq { mark, .. } | Node::Map { mark, .. } => *mark,
        }
    }

    pub fn tag(&self) -> Option<&str> {
        match self {
            Node::Scalar { tag, .. } | Node::Seq { tag, .. } | Node::Map { tag, .. } => tag.as_deref(),
        }
    }

    /// The text of a scalar (None for collections).
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Node::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    /// A map's entries with scalar keys, in order (None for other nodes).
    pub fn entries(&self) -> Option<impl Iterator<Item = (&str, &Node)>> {
        match self {
            Node::Map { entries, .. } => Some(entries.iter().filter_map(|(k, v)| Some((k.as_str()?, v)))),
            _ => None,
        }
    }

    /// The value of a key in a map.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries()?.find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    /// The items of a sequence.
    pub fn items(&self) -> Option<&[Node]> {
        match self {
            Node::Seq { items, .. } => Some(items),
            _ => None,
        }
    }

    /// yaml-cpp's notion of a null node: an empty plain scalar or `~`/`null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Node::Scalar { value, style: ScalarStyle::Plain, .. }
            if matches!(value.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }
}
