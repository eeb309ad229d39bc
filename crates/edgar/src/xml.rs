//! What the streaming readers of ownership and 13F documents share: the text that events carry,
//! and errors placed at a line and column.

use quick_xml::{escape::resolve_xml_entity, events::Event};

use crate::Error;

/// An XML error at a byte position of `xml`, reported as line and column.
pub(crate) fn xml_error(xml: &str, position: u64, message: impl std::fmt::Display) -> Error {
    let pos = usize::try_from(position).unwrap_or(usize::MAX).min(xml.len());
    let before = xml.as_bytes().get(..pos).unwrap_or_default();
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = pos - before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1) + 1;
    Error::Xml {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        column: u32::try_from(column).unwrap_or(u32::MAX),
        message: message.to_string(),
    }
}

/// The error for a document that ends with elements still open (a truncated file); unknown
/// element names show as `?`.
pub(crate) fn unclosed<'a>(xml: &str, open: impl Iterator<Item = &'a str>) -> Error {
    let names: Vec<&str> = open.map(|n| if n.is_empty() { "?" } else { n }).collect();
    xml_error(xml, xml.len() as u64, format!("document ends inside <{}>", names.join("><")))
}

/// Appends the text a text, CDATA or entity-reference event carries; other events add nothing.
/// Layout whitespace between tags only ever separates words, so it becomes one space without
/// being decoded.
pub(crate) fn append_text(
    event: &Event<'_>,
    text: &mut String,
    xml: &str,
    position: u64,
) -> Result<(), Error> {
    let err = |e: &dyn std::fmt::Display| xml_error(xml, position, e);
    match event {
        Event::Text(t) if t.is_empty() => {}
        Event::Text(t) if t.iter().all(u8::is_ascii_whitespace) => text.push(' '),
        Event::Text(t) => text.push_str(&t.xml10_content().map_err(|e| err(&e))?),
        Event::CData(c) => text.push_str(&c.xml10_content().map_err(|e| err(&e))?),
        Event::GeneralRef(r) => {
            if let Some(c) = r.resolve_char_ref().map_err(|e| err(&e))? {
                text.push(c);
            } else {
                let name = r.decode().map_err(|e| err(&e))?;
                let resolved = resolve_xml_entity(&name)
                    .ok_or_else(|| err(&format!("unknown entity &{name};")))?;
                text.push_str(resolved);
            }
        }
        _ => {}
    }
    Ok(())
}
