//! An area's `[[contact]]` mail addresses and telephone numbers, checked for form, and the
//! help for a telephone number written without quotes in TOML.

use crate::diagnostic::{Diagnostic, Diagnostics, LineIndex, Pos};

/// Reports a contact's `email` and `phone` that are not written as a mail address or a
/// telephone number, at the value, with how to write them.
pub(super) fn check_contact(
    file: &str,
    index: &LineIndex,
    email: Option<&toml::Spanned<String>>,
    phone: Option<&toml::Spanned<String>>,
    diagnostics: &mut Diagnostics,
) {
    let at = |value: &toml::Spanned<String>| index.pos(value.span().start);
    if let Some(email) = email
        && let Some(why) = mail_problem(email.get_ref())
    {
        diagnostics.push(
            Diagnostic::error(format!(
                "`{}` is not a mail address: {why}",
                crate::links::shorten(email.get_ref())
            ))
            .at(file, at(email))
            .help("write one address alone, like `jo.example@example.org`, or leave `email` out"),
        );
    }
    if let Some(phone) = phone
        && let Some(why) = phone_problem(phone.get_ref())
    {
        diagnostics.push(
            Diagnostic::error(format!(
                "`{}` is not a telephone number: {why}",
                crate::links::shorten(phone.get_ref())
            ))
            .at(file, at(phone))
            .help("write the number in digits, like `01234 567890` or `+44 1234 567890` (spaces, dashes and brackets may group the digits), or leave `phone` out"),
        );
    }
}

/// Why a text is not one mail address (`name@domain.tld`, no spaces, nothing that would end or
/// change a `mailto:` link), in plain words; `None` when it is one.
pub(super) fn mail_problem(text: &str) -> Option<String> {
    if text.trim().is_empty() {
        return Some("it is empty".into());
    }
    if text.contains([',', ';']) && text.matches('@').count() > 1 {
        return Some("it holds more than one address: give one only".into());
    }
    if text.chars().any(char::is_whitespace) {
        return Some("it has a space in it".into());
    }
    let ats = text.chars().filter(|c| *c == '@').count();
    if ats == 0 {
        return Some("it has no `@`".into());
    }
    if ats > 1 {
        return Some("it has more than one `@` (give one address only)".into());
    }
    let (local, domain) = text.split_once('@').unwrap_or_default();
    if local.is_empty() {
        return Some("there is nothing before the `@`".into());
    }
    if domain.is_empty() {
        return Some("there is nothing after the `@`".into());
    }
    if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
        return Some(format!(
            "`{}` after the `@` is not a complete domain (like `example.org`)",
            crate::links::shorten(domain)
        ));
    }
    if let Some(c) = text.chars().find(|c| {
        c.is_control()
            || matches!(
                c,
                ':' | '/' | '\\' | '<' | '>' | '"' | '?' | '#' | '&' | '%'
            )
    }) {
        return Some(format!("it has a `{}` in it", c.escape_default()));
    }
    None
}

/// Why a text is not a telephone number, in plain words; `None` when it is one. Spaces,
/// dashes, dots and brackets group digits and are ignored; what is left must be digits, with
/// at most a leading `+`:
/// - a UK number from 0: 10 or 11 digits (`01234 567890`, `0800 123 4567`);
/// - `+44` and 9 or 10 digits (`+44 1234 567890`; `+44 (0)1234 567890` is read without the 0);
/// - another country's `+` number: 8 to 15 digits in all;
/// - a short service number: 999, 112, 111, 101, 105 or 116 and three digits (`116 123`).
pub(super) fn phone_problem(text: &str) -> Option<String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Some("it is empty".into());
    }
    let (plus, rest) = match trimmed.strip_prefix('+') {
        Some(rest) => (true, rest.replacen("(0)", "", 1)),
        None => (false, trimmed.to_string()),
    };
    let mut digits = String::new();
    for c in rest.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' | '\u{a0}' => {}
            '+' => return Some("a `+` can only come first".into()),
            c if c.is_alphabetic() => {
                return Some(format!(
                    "it has letters in it (`{c}`); write an extension or a note in the contact's name, not in `phone`"
                ));
            }
            c => return Some(format!("it has a `{}` in it", c.escape_default())),
        }
    }
    let n = digits.len();
    if plus {
        if let Some(uk) = digits.strip_prefix("44") {
            if uk.starts_with('0') {
                return Some(
                    "after +44 the number's first 0 is left out: `+44 1234 567890`".into(),
                );
            }
            return (!(9..=10).contains(&uk.len())).then(|| {
                format!(
                    "after +44 a UK number has 9 or 10 digits, and this has {}",
                    uk.len()
                )
            });
        }
        return (!(8..=15).contains(&n)).then(|| {
            format!("an international number has 8 to 15 digits after the `+`, and this has {n}")
        });
    }
    let short = matches!(digits.as_str(), "999" | "112" | "111" | "101" | "105")
        || (digits.starts_with("116") && n == 6);
    if short {
        return None;
    }
    if !digits.starts_with('0') {
        return Some(
            "a UK number starts with 0 (like `01234 567890`), or with +44 when written for callers from abroad".into(),
        );
    }
    (!(10..=11).contains(&n)).then(|| {
        format!(
            "it has {n} digit{}, and a UK number has 10 or 11",
            if n == 1 { "" } else { "s" }
        )
    })
}

/// A TOML error on a `phone = …` line whose value is not in quotes (`phone = 01234 567890` is
/// not TOML; `phone = 0123456789` would lose its first 0): the plain error, at the value, with
/// the line as it should be written.
pub(super) fn unquoted_phone(
    file: &str,
    text: &str,
    index: &LineIndex,
    at: usize,
) -> Option<Diagnostic> {
    let at = at.min(text.len());
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line = &text[start..end];
    let (key, value) = line.split_once('=')?;
    let key = key.trim().trim_matches('"');
    if !matches!(key, "phone" | "telephone" | "tel") {
        return None;
    }
    let value_at = start + line.len() - line[line.find('=')? + 1..].trim_start().len();
    let value = value.split('#').next().unwrap_or("").trim();
    if !value.starts_with(|c: char| c.is_ascii_digit() || c == '+' || c == '(') {
        return None;
    }
    let pos: Pos = index.pos(value_at);
    Some(
        Diagnostic::error("a telephone number must be written in quotes")
            .at(file, pos)
            .help(format!(
                "write `{key} = \"{value}\"`: without quotes, TOML reads the digits as a number (losing a first 0) or cannot read them at all"
            )),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn telephone_numbers() {
        for good in [
            "01234 567890",
            "0800 123 4567",
            "(01632) 960101",
            "01632-960-101",
            "+44 1632 960101",
            "+44 (0)1632 960101",
            "+353 1 234 5678",
            "999",
            "116 123",
        ] {
            assert_eq!(phone_problem(good), None, "{good}");
        }
        for bad in [
            "",
            "0800 CALL NOW",
            "01234 5678",
            "1234567890",
            "+44 01632 960101",
            "+44 1632",
            "01234 567890 ext 12",
            "0123+4567890",
        ] {
            assert!(phone_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn mail_addresses_say_what_is_wrong() {
        assert_eq!(mail_problem("jo.example@example.org"), None);
        assert!(
            mail_problem("jo.example@")
                .unwrap()
                .contains("nothing after")
        );
        assert!(mail_problem("jo example@x.org").unwrap().contains("space"));
        assert!(mail_problem("jo@example").unwrap().contains("domain"));
        assert!(mail_problem("a@b@c.org").unwrap().contains("more than one"));
        assert!(mail_problem("jo@x.org?cc=a@b.org").is_some());
        assert!(mail_problem("javascript:alert(1)@x.org").is_some());
    }
}
