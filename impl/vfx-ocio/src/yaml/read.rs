//! Text to `Node`s with saphyr's parser (events keep tags and positions).

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle as SStyle, Span, Tag};

use super::{Mark, Node, ScalarStyle};
use crate::error::{OcioError, Result};

/// Deepest nesting accepted: configs are shallow, and a bound keeps
/// hostile input from exhausting the stack.
const MAX_DEPTH: usize = 256;

/// Parses the first document of `text`. An empty text is an empty map.
pub fn parse(text: &str) -> Result<Node> {
    let mut b = Builder {
        parser: Parser::new_from_str(text),
        anchors: HashMap::new(),
    };
    loop {
        let (ev, span) = b.next()?;
        match ev {
            Event::StreamStart | Event::DocumentStart(_) | Event::Nothing => continue,
            Event::StreamEnd | Event::DocumentEnd => {
                return Ok(Node::Map {
                    entries: Vec::new(),
                    tag: None,
                    mark: mark(&span),
                })
            }
            ev => return b.node(ev, span, 0),
        }
    }
}

fn mark(span: &Span) -> Mark {
    Mark {
        line: span.start.line(),
        col: span.start.col(),
    }
}

fn tag_text(tag: Option<std::borrow::Cow<'_, Tag>>) -> Option<String> {
    tag.map(|t| {
        // `!<ColorSpace>` is a verbatim tag: handle "" (or "!"), suffix the name.
        if t.handle.is_empty() || t.handle == "!" {
            t.suffix.trim_start_matches('!').to_string()
        } else {
            format!("{}{}", t.handle, t.suffix)
        }
    })
}

struct Builder<'a> {
    parser: Parser<'a, saphyr_parser::StrInput<'a>>,
    anchors: HashMap<usize, Node>,
}

impl<'a> Builder<'a> {
    fn next(&mut self) -> Result<(Event<'a>, Span)> {
        match self.parser.next_event() {
            Some(Ok(e)) => Ok(e),
            Some(Err(e)) => Err(OcioError::msg(format!(
                "yaml-cpp: error at line {}, column {}: {}",
                e.marker().line(),
                e.marker().col() + 1,
                e.info()
            ))),
            None => Err(OcioError::msg(
                "Error: Loading the OCIO profile failed. Unexpected end of input.",
            )),
        }
    }

    fn node(&mut self, ev: Event<'a>, span: Span, depth: usize) -> Result<Node> {
        if depth > MAX_DEPTH {
            return Err(OcioError::msg(
                "Error: Loading the OCIO profile failed. The YAML is nested too deeply.",
            ));
        }
        let (node, anchor) = match ev {
            Event::Scalar(value, style, anchor, tag) => {
                let style = match style {
                    SStyle::Plain => ScalarStyle::Plain,
                    SStyle::SingleQuoted => ScalarStyle::SingleQuoted,
                    SStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
                    SStyle::Literal => ScalarStyle::Literal,
                    SStyle::Folded => ScalarStyle::Folded,
                };
                let n = Node::Scalar {
                    value: value.into_owned(),
                    style,
                    tag: tag_text(tag),
                    mark: mark(&span),
                };
                (n, anchor)
            }
            Event::SequenceStart(anchor, tag) => {
                let mut items = Vec::new();
                loop {
                    let (ev, sp) = self.next()?;
                    if matches!(ev, Event::SequenceEnd) {
                        break;
                    }
                    items.push(self.node(ev, sp, depth + 1)?);
                }
                let n = Node::Seq {
                    items,
                    tag: tag_text(tag),
                    mark: mark(&span),
                };
                (n, anchor)
            }
            Event::MappingStart(anchor, tag) => {
                let mut entries = Vec::new();
                loop {
                    let (ev, sp) = self.next()?;
                    if matches!(ev, Event::MappingEnd) {
                        break;
                    }
                    let k = self.node(ev, sp, depth + 1)?;
                    let (ev, sp) = self.next()?;
                    let v = self.node(ev, sp, depth + 1)?;
                    entries.push((k, v));
                }
                let n = Node::Map {
                    entries,
                    tag: tag_text(tag),
                    mark: mark(&span),
                };
                (n, anchor)
            }
            Event::Alias(id) => {
                return self
                    .anchors
                    .get(&id)
                    .cloned()
                    .ok_or_else(|| OcioError::msg("yaml-cpp: unknown anchor"))
            }
            other => return Err(OcioError::msg(format!("yaml-cpp: unexpected YAML event {other:?}"))),
        };
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        Ok(node)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_verbatim_tags_and_order() {
        let n = parse("b: 1\na: !<ColorSpace>\n  name: x\nc: [1, 2]\n").unwrap();
        let keys: Vec<&str> = n.entries().unwrap().map(|(k, _)| k).collect();
        assert_eq!(keys, ["b", "a", "c"]);
        assert_eq!(n.get("a").unwrap().tag(), Some("ColorSpace"));
        assert_eq!(n.get("a").unwrap().get("name").unwrap().as_str(), Some("x"));
        assert_eq!(n.get("c").unwrap().items().unwrap().len(), 2);
        assert_eq!(n.get("a").unwrap().mark().line, 2);
    }

    #[test]
    fn all_builtin_configs_parse() {
        for c in crate::builtin_configs::all() {
            let n = parse(c.text).unwrap();
            assert!(n.get("ocio_profile_version").is_some(), "{}", c.name);
        }
    }

    #[test]
    fn bad_yaml_is_an_error() {
        assert!(parse("a: [1, 2\n").is_err());
        assert!(parse("a: *nope\n").is_err());
        let deep = "[".repeat(10_000);
        assert!(parse(&deep).is_err());
    }
}
