//! Labels whose sentence holds more than text: a placeholder may stand for a link, a role or
//! marked words (inlines), and `**…**` marks the words shown in bold. The whole sentence is one
//! label, so that a translation may put the link or the bold words anywhere.

use crate::doc::Inline;
use crate::labels::Labels;

/// A value for a placeholder of a sentence: plain text, or inlines of their own.
pub enum Value {
    Text(String),
    Inlines(Vec<Inline>),
}

impl From<&str> for Value {
    fn from(text: &str) -> Self {
        Value::Text(text.to_string())
    }
}

impl From<String> for Value {
    fn from(text: String) -> Self {
        Value::Text(text)
    }
}

impl From<Vec<Inline>> for Value {
    fn from(inlines: Vec<Inline>) -> Self {
        Value::Inlines(inlines)
    }
}

impl From<Inline> for Value {
    fn from(inline: Inline) -> Self {
        Value::Inlines(vec![inline])
    }
}

/// The inlines of the label `key` with its placeholders filled by `values` (a placeholder
/// with no value stays as written) and its `**…**` parts strong.
pub fn sentence(labels: &Labels, key: &str, values: Vec<(&str, Value)>) -> Vec<Inline> {
    split(labels.get(key), values)
}

/// The inlines of `template` (a label's text), as [`sentence`] makes them.
pub fn split(template: &str, mut values: Vec<(&str, Value)>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    // The inlines of the bold part being read, when inside one.
    let mut strong: Option<Vec<Inline>> = None;
    let mut buffer = String::new();
    let mut rest = template;
    fn flush(buffer: &mut String, into: &mut Vec<Inline>) {
        if !buffer.is_empty() {
            into.push(Inline::Text(std::mem::take(buffer)));
        }
    }
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("**") {
            let into = strong.as_mut().unwrap_or(&mut out);
            flush(&mut buffer, into);
            match strong.take() {
                Some(inner) => out.push(Inline::Strong(inner)),
                None => strong = Some(Vec::new()),
            }
            rest = after;
            continue;
        }
        if rest.starts_with('{')
            && let Some(end) = rest.find('}')
            && let Some(at) = values.iter().position(|(name, _)| *name == &rest[1..end])
        {
            // A value is used once; a placeholder written twice keeps the second as written.
            let (_, value) = values.remove(at);
            match value {
                Value::Text(text) => buffer.push_str(&text),
                Value::Inlines(inlines) => {
                    let into = strong.as_mut().unwrap_or(&mut out);
                    flush(&mut buffer, into);
                    into.extend(inlines);
                }
            }
            rest = &rest[end + 1..];
            continue;
        }
        let c = rest.chars().next().unwrap_or_default();
        buffer.push(c);
        rest = &rest[c.len_utf8()..];
    }
    let into = strong.as_mut().unwrap_or(&mut out);
    flush(&mut buffer, into);
    // A bold part left open is bold to the end.
    if let Some(inner) = strong {
        out.push(Inline::Strong(inner));
    }
    out
}

/// Items joined as a reader lists them: `A, B and C` (`list_and`).
pub fn list_and(labels: &Labels, items: Vec<Vec<Inline>>) -> Vec<Inline> {
    list(labels, "list_and", items)
}

fn list(labels: &Labels, key: &str, mut items: Vec<Vec<Inline>>) -> Vec<Inline> {
    let Some(last) = items.pop() else {
        return Vec::new();
    };
    if items.is_empty() {
        return last;
    }
    let mut head = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            head.push(Inline::Text(", ".to_string()));
        }
        head.extend(item);
    }
    sentence(
        labels,
        key,
        vec![("list", head.into()), ("last", last.into())],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(text: &str) -> Inline {
        Inline::Code(text.to_string())
    }

    #[test]
    fn placeholders_become_their_inlines_and_bold_parts_strong() {
        let got = split(
            "**Added** {place} in {section}:",
            vec![
                ("place", "paragraph 3".into()),
                ("section", link("s").into()),
            ],
        );
        assert_eq!(
            got,
            vec![
                Inline::Strong(vec![Inline::Text("Added".into())]),
                Inline::Text(" paragraph 3 in ".into()),
                link("s"),
                Inline::Text(":".into()),
            ]
        );
        // A placeholder without a value stays; an unclosed bold part runs to the end.
        let got = split("{x} **y", vec![]);
        assert_eq!(
            got,
            vec![
                Inline::Text("{x} ".into()),
                Inline::Strong(vec![Inline::Text("y".into())])
            ]
        );
    }

    #[test]
    fn lists_join_with_the_labels_words() {
        let en = Labels::default();
        let cy = Labels::new("cy", &Default::default());
        let items = || vec![vec![link("a")], vec![link("b")], vec![link("c")]];
        let joined = list_and(&en, items());
        assert_eq!(crate::doc::plain_text(&joined), "a, b and c");
        assert_eq!(crate::doc::plain_text(&list_and(&cy, items())), "a, b a c");
        assert_eq!(list_and(&en, vec![vec![link("a")]]), vec![link("a")]);
        let words = ["x".to_string(), "y".to_string(), "z".to_string()];
        assert_eq!(en.or_list(&words), "x or y or z");
    }
}
