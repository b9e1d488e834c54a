//! What a link may point at: one rule for links in prose, in framework and area data, and in
//! every renderer. Web (`https:`, `http:`), mail (`mailto:`) and telephone (`tel:`) addresses
//! and the pack's own targets (`#id`, `role:`, `statute:`, relative paths) are allowed; any
//! other scheme (`javascript:`, `vbscript:`, `data:`, `file:` …) is refused, read the way a
//! browser reads it (spaces and control characters around it, tabs and line breaks inside it,
//! any case) and again with percent and character escapes decoded.

/// What a link target is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkKind {
    /// `#id`: a chapter or heading of the pack.
    Fragment(String),
    /// `role:<id>`: an entry of the role directory.
    Role(String),
    /// `statute:<id>`: a statute's web address.
    Statute(String),
    /// `https://…` or `http://…`.
    Web,
    /// `mailto:…`.
    Mail,
    /// `tel:…`.
    Phone,
    /// A path relative to the page, kept as written.
    Relative,
    /// Anything else: never a link in a pack.
    Refused(Refusal),
}

/// Why a target is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// A scheme other than the allowed ones (lowercased, as a browser reads it).
    Scheme(String),
    /// `//host/…`: another site, without saying how to reach it.
    NetworkPath,
    /// `https:` or `mailto:` without the rest of the address.
    Incomplete(String),
    /// Longer than any real address, and than a PDF link can hold: its length in bytes.
    TooLong(usize),
}

/// The longest address a link may have, in bytes: Typst refuses longer ones in a PDF, and no
/// real address comes near it.
pub const MAX_TARGET_BYTES: usize = 8000;

/// The schemes a link may use.
pub const ALLOWED_SCHEMES: [&str; 4] = ["https", "http", "mailto", "tel"];

/// A target as a browser reads it: no spaces or control characters around it, no tabs or
/// line breaks inside it.
pub fn normalise(dest: &str) -> String {
    dest.trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

/// Classifies a link target written in Markdown or data.
pub fn classify(dest: &str) -> LinkKind {
    // The pack's own targets, exactly as the contract spells them.
    if let Some(id) = dest.strip_prefix('#') {
        return LinkKind::Fragment(id.to_string());
    }
    if let Some(id) = dest.strip_prefix("role:") {
        return LinkKind::Role(id.to_string());
    }
    if let Some(id) = dest.strip_prefix("statute:") {
        return LinkKind::Statute(id.to_string());
    }
    if dest.len() > MAX_TARGET_BYTES {
        return LinkKind::Refused(Refusal::TooLong(dest.len()));
    }
    let browser = normalise(dest);
    // Decoded escapes could spell a scheme that a less careful reader (a PDF viewer, a mail
    // program) would act on: refuse those too.
    let decoded = lenient(&browser);
    let kind = by_scheme(&browser);
    if matches!(kind, LinkKind::Refused(_)) {
        return kind;
    }
    match scheme(&decoded) {
        Some(other) if scheme(&browser).as_deref() != Some(other.as_str()) => {
            if ALLOWED_SCHEMES.contains(&other.as_str()) && kind != LinkKind::Relative {
                kind
            } else {
                LinkKind::Refused(Refusal::Scheme(other))
            }
        }
        _ => kind,
    }
}

fn by_scheme(url: &str) -> LinkKind {
    let Some(scheme) = scheme(url) else {
        let slashes = url.chars().take(2).filter(|c| matches!(c, '/' | '\\'));
        if slashes.count() == 2 {
            return LinkKind::Refused(Refusal::NetworkPath);
        }
        return LinkKind::Relative;
    };
    let rest = &url[scheme.len() + 1..];
    match scheme.as_str() {
        "https" | "http" => {
            let mut chars = rest.chars();
            let slashes = chars
                .by_ref()
                .take(2)
                .filter(|c| matches!(c, '/' | '\\'))
                .count();
            let has_host = chars
                .next()
                .is_some_and(|c| !matches!(c, '/' | '\\' | '?' | '#'));
            if slashes == 2 && has_host {
                LinkKind::Web
            } else {
                LinkKind::Refused(Refusal::Incomplete(scheme))
            }
        }
        "mailto" | "tel" if rest.trim().is_empty() => {
            LinkKind::Refused(Refusal::Incomplete(scheme))
        }
        "mailto" => LinkKind::Mail,
        "tel" => LinkKind::Phone,
        _ => LinkKind::Refused(Refusal::Scheme(scheme)),
    }
}

/// The scheme of a URL (lowercased), as the URL standard finds it: an ASCII letter, then
/// letters, digits, `+`, `-` or `.`, up to a `:`.
fn scheme(url: &str) -> Option<String> {
    let end = url.find(':')?;
    let candidate = &url[..end];
    let mut chars = candidate.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then(|| candidate.to_ascii_lowercase())
}

/// The target with percent escapes and HTML character references decoded (twice, for doubly
/// escaped text), and every invisible, space or control character removed.
fn lenient(url: &str) -> String {
    let mut text = url.to_string();
    for _ in 0..2 {
        text = decode_references(&percent_decode(&text));
    }
    text.chars()
        .filter(|c| {
            !(c.is_whitespace()
                || c.is_control()
                || matches!(
                    c,
                    '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{2060}' | '\u{feff}'
                ))
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).and_then(|b| hex(*b)),
                bytes.get(i + 2).and_then(|b| hex(*b)),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Decodes `&#106;`, `&#x6A;` and the named references that can spell a scheme.
fn decode_references(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 1..];
        let end = tail.find(';').filter(|e| *e <= 12);
        let decoded = end.and_then(|e| {
            let name = &tail[..e];
            let number = match name.strip_prefix('#') {
                Some(n) => match n.strip_prefix(['x', 'X']) {
                    Some(h) => u32::from_str_radix(h, 16).ok(),
                    None => n.parse().ok(),
                },
                None => match name.to_ascii_lowercase().as_str() {
                    "colon" => Some(':' as u32),
                    "tab" => Some('\t' as u32),
                    "newline" => Some('\n' as u32),
                    "sol" => Some('/' as u32),
                    "amp" => Some('&' as u32),
                    "nbsp" => Some(0xa0),
                    _ => None,
                },
            };
            number.and_then(char::from_u32).map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &tail[e + 1..];
            }
            None => {
                out.push('&');
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether a renderer may write `href` as a link: the last line of defence, for any target
/// however it was made. Refused, `role:` and `statute:` targets (never real addresses) are not.
pub fn is_safe_href(href: &str) -> bool {
    matches!(
        classify(href),
        LinkKind::Web
            | LinkKind::Mail
            | LinkKind::Phone
            | LinkKind::Fragment(_)
            | LinkKind::Relative
    )
}

/// Whether a target is an address outside the pack that a reader can follow: a web, mail or
/// telephone address.
pub fn is_external(dest: &str) -> bool {
    matches!(
        classify(dest),
        LinkKind::Web | LinkKind::Mail | LinkKind::Phone
    )
}

/// What is wrong with a refused target, in a writer's words: (message, help).
pub fn explain(dest: &str, refusal: &Refusal) -> (String, String) {
    let shown = shorten(dest);
    match refusal {
        Refusal::Scheme(scheme) => (
            format!("the link `{shown}` uses `{scheme}:`, which a pack does not allow"),
            "links may go to `https://` or `http://` addresses, `mailto:` and `tel:`, or to parts of the pack (`#id`, `role:<id>`, `statute:<id>`); anything else could run a script or open a file on the reader's computer".to_string(),
        ),
        Refusal::NetworkPath => (
            format!("the link `{shown}` leaves out how to reach its site"),
            "write the full address, starting `https://`".to_string(),
        ),
        Refusal::Incomplete(scheme) if scheme.starts_with("http") => (
            format!("the link `{shown}` is not a complete web address"),
            "write the whole address, like `https://www.example.org/page`".to_string(),
        ),
        Refusal::Incomplete(scheme) => (
            format!("the link `{shown}` has nothing after `{scheme}:`"),
            format!("write the address after `{scheme}:`, or remove the link"),
        ),
        Refusal::TooLong(bytes) => (
            format!("the link `{shown}` is {bytes} characters long"),
            format!("a link may be at most {MAX_TARGET_BYTES} characters long: link to a shorter address for the same page"),
        ),
    }
}

/// How a variable's value goes into a link's address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueIn {
    /// At the start of the address: the value is an address itself (`{{ area.website }}`),
    /// kept as it is but for what no address may hold (spaces, quotes, brackets, characters
    /// beyond ASCII), which is percent-escaped.
    Address,
    /// Inside an address (`mailto:{{ area.email }}`, `…?q={{ area.name }}`): the value is
    /// text, and everything that would change the address's shape (`?`, `#`, `&`, `=`, `%`,
    /// `+` …) is percent-escaped too. `@`, `.`, `:` and `/` stay, so a mail address stays
    /// readable; in a `mailto:` address `+` stays as well.
    Part { mail: bool },
}

/// A variable's value escaped for a link's address (never trusted: the address it makes is
/// classified like any other).
pub fn escape_value(value: &str, place: ValueIn) -> String {
    let value = match place {
        ValueIn::Address => value.trim(),
        ValueIn::Part { .. } => value,
    };
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        let keep = c.is_ascii_alphanumeric()
            || matches!(
                c,
                '-' | '.'
                    | '_'
                    | '~'
                    | '@'
                    | ':'
                    | '/'
                    | '!'
                    | '$'
                    | '\''
                    | '('
                    | ')'
                    | '*'
                    | ','
                    | ';'
            )
            || match place {
                ValueIn::Address => matches!(c, '?' | '#' | '&' | '=' | '%' | '+' | '[' | ']'),
                ValueIn::Part { mail } => mail && c == '+',
            };
        if keep {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// A long or strange target made printable for a message: control characters escaped, at most
/// 80 characters.
pub fn shorten(dest: &str) -> String {
    let mut out = String::new();
    for (i, c) in dest.chars().enumerate() {
        if i == 80 {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(dest: &str) -> bool {
        matches!(classify(dest), LinkKind::Refused(_))
    }

    #[test]
    fn allowed_targets() {
        assert_eq!(classify("https://example.org/x?a=1"), LinkKind::Web);
        assert_eq!(classify("HTTP://EXAMPLE.ORG"), LinkKind::Web);
        assert_eq!(classify("mailto:a@b.org"), LinkKind::Mail);
        assert_eq!(classify("tel:+441234"), LinkKind::Phone);
        assert_eq!(classify("#intro"), LinkKind::Fragment("intro".into()));
        assert_eq!(classify("role:ccg"), LinkKind::Role("ccg".into()));
        assert_eq!(classify("statute:s11"), LinkKind::Statute("s11".into()));
        for relative in [
            "files/a.pdf",
            "../x.html#y",
            "?q=1",
            "/abs",
            "a%20b.pdf",
            "x.html#a:b",
        ] {
            assert_eq!(classify(relative), LinkKind::Relative, "{relative}");
        }
        assert_eq!(
            classify("https://example.org/%6Aavascript:x"),
            LinkKind::Web
        );
    }

    #[test]
    fn script_and_other_schemes_are_refused_however_written() {
        for dest in [
            "javascript:alert(6)",
            "JaVaScRiPt:alert(6)",
            "vbscript:msgbox(1)",
            "data:text/html,<script>alert(1)</script>",
            " \u{1}javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "javascript\r:alert(1)",
            "%6Aavascript:alert(1)",
            "&#106;avascript:alert(1)",
            "javascript&colon;alert(1)",
            "j&#x61;vascript:alert(1)",
            "%256Aavascript:alert(1)",
            "java\u{200b}script:alert(1)",
            "file:///etc/passwd",
            "ROLE:ccg",
            "//evil.example/x",
            "\\\\evil.example/x",
            "https:/example.org",
            "https://",
            "mailto:",
        ] {
            assert!(refused(dest), "{dest:?} was allowed");
            assert!(!is_safe_href(dest), "{dest:?} is safe");
        }
    }

    #[test]
    fn renderers_never_write_pack_only_targets() {
        assert!(!is_safe_href("role:ccg"));
        assert!(!is_safe_href("statute:x"));
        assert!(is_safe_href("role-directory.html#role:ccg"));
        assert!(is_safe_href("#role:ccg"));
    }

    #[test]
    fn values_are_escaped_for_their_place_in_an_address() {
        let part = ValueIn::Part { mail: false };
        assert_eq!(
            escape_value("Kent & Medway?#x=1 100%", part),
            "Kent%20%26%20Medway%3F%23x%3D1%20100%25"
        );
        assert_eq!(escape_value("Åland ü", part), "%C3%85land%20%C3%BC");
        assert_eq!(
            escape_value("jo.bloggs+kent@nhs.example", ValueIn::Part { mail: true }),
            "jo.bloggs+kent@nhs.example"
        );
        assert_eq!(escape_value("a+b", part), "a%2Bb");
        assert_eq!(
            escape_value("https://x.example/a b?q=1&r=2#top", ValueIn::Address),
            "https://x.example/a%20b?q=1&r=2#top"
        );
        assert_eq!(
            escape_value(" \"<x>\n\" ", ValueIn::Address),
            "%22%3Cx%3E%0A%22"
        );
        // Escaping never makes a refused address an allowed one.
        for value in [
            "javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            " javascript:x",
        ] {
            assert!(refused(&escape_value(value, ValueIn::Address)), "{value}");
        }
    }

    #[test]
    fn messages_show_targets_safely() {
        let (message, _) = explain("java\nscript:x", &Refusal::Scheme("javascript".into()));
        assert_eq!(
            message,
            "the link `java\\nscript:x` uses `javascript:`, which a pack does not allow"
        );
        assert_eq!(shorten(&"x".repeat(100)).chars().count(), 81);
    }
}
