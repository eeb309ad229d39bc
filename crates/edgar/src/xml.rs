//! Small helpers over roxmltree that match elements by local name, so a filer's namespace
//! prefix never matters, and read EDGAR's `<x><value>..</value><footnoteId id=".."/></x>` leaves.

use jiff::civil::Date;
use roxmltree::Node;

pub(crate) fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|c| c.is_element() && c.tag_name().name() == name)
}

pub(crate) fn children<'a, 'i: 'a>(
    node: Node<'a, 'i>,
    name: &'a str,
) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    node.children().filter(move |c| c.is_element() && c.tag_name().name() == name)
}

/// Text of an element with whitespace collapsed; `None` when empty.
pub(crate) fn text(node: Node<'_, '_>) -> Option<String> {
    let mut out = String::new();
    for t in node.descendants().filter(|d| d.is_text()) {
        for word in t.text().unwrap_or("").split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    (!out.is_empty()).then_some(out)
}

/// The value of a leaf: the text of its `<value>` child, or its own text when it has none.
pub(crate) fn leaf(node: Node<'_, '_>) -> Option<String> {
    match child(node, "value") {
        Some(v) => text(v),
        None if node.children().any(|c| c.is_element()) => None,
        None => text(node),
    }
}

/// `leaf` of the named child of `node`.
pub(crate) fn leaf_of(node: Node<'_, '_>, name: &str) -> Option<String> {
    child(node, name).and_then(leaf)
}

/// EDGAR writes booleans as 0/1 or false/true.
pub(crate) fn boolean(s: Option<String>) -> Option<bool> {
    match s?.to_ascii_lowercase().as_str() {
        "1" | "true" | "y" | "yes" => Some(true),
        "0" | "false" | "n" | "no" => Some(false),
        _ => None,
    }
}

/// A number as filed: commas, a dollar sign and surrounding spaces are tolerated.
pub(crate) fn number(s: Option<String>) -> Option<f64> {
    let s = s?;
    let cleaned: String = s.chars().filter(|c| !matches!(c, ',' | '$' | ' ')).collect();
    cleaned.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// An ISO date; EDGAR sometimes appends a zone offset (`2024-02-01-05:00`), which is dropped.
pub(crate) fn date(s: Option<String>) -> Option<Date> {
    let s = s?;
    let head = s.get(..10)?;
    head.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_tolerate_filer_spellings() {
        assert_eq!(boolean(Some("true".into())), Some(true));
        assert_eq!(boolean(Some("0".into())), Some(false));
        assert_eq!(boolean(Some("maybe".into())), None);
        assert_eq!(number(Some("1,250.50".into())), Some(1250.5));
        assert_eq!(number(Some("$12".into())), Some(12.0));
        assert_eq!(number(Some("NaN".into())), None);
        assert_eq!(number(Some("abc".into())), None);
        assert_eq!(
            date(Some("2024-02-01-05:00".into())).map(|d| d.to_string()),
            Some("2024-02-01".into())
        );
        assert_eq!(date(Some("2024-13-01".into())), None);
        assert_eq!(date(Some("2024".into())), None);
    }
}
