//! SVG files checked before they reach a pack: an SVG is a document that a browser runs, so
//! one with a script, an event handler, a `javascript:` link, embedded HTML (`foreignObject`)
//! or a reference to anything outside itself (another file, a web address, a style sheet, a
//! DOCTYPE with entities) is refused, with the file and line.

use crate::diagnostic::{Diagnostic, Diagnostics, Pos};
use crate::sources::SourceSet;

/// Elements that run or embed something: never in a pack's SVG.
const REFUSED_ELEMENTS: [&str; 8] = [
    "script",
    "foreignobject",
    "iframe",
    "embed",
    "object",
    "handler",
    "listener",
    "audio",
];

/// Checks every SVG file of the project.
pub fn check_svg_files(sources: &SourceSet, diagnostics: &mut Diagnostics) {
    let svgs = sources
        .binaries
        .iter()
        .filter(|(path, _)| path.to_ascii_lowercase().ends_with(".svg"));
    for (path, bytes) in svgs {
        if let Some(problem) = svg_problem(bytes) {
            let d = Diagnostic::error(format!(
                "the SVG image {path} {}, which a pack does not allow",
                problem.what
            ));
            diagnostics.push(
                match problem.pos {
                    Some(pos) => d.at(path, pos),
                    None => d.in_file(path),
                }
                .help("save the drawing again as a plain SVG (most editors have \"plain SVG\" or \"optimised SVG\"), or as a PNG; images in a pack may not run scripts or load anything"),
            );
        }
    }
}

/// What is wrong with an SVG, and where.
#[derive(Debug, PartialEq, Eq)]
pub struct Problem {
    pub what: String,
    pub pos: Option<Pos>,
}

/// The first thing in an SVG that a pack refuses, if any.
pub fn svg_problem(bytes: &[u8]) -> Option<Problem> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Some(Problem {
            what: "is not UTF-8 text".to_string(),
            pos: None,
        });
    };
    let doc = match roxmltree::Document::parse(text) {
        Ok(doc) => doc,
        Err(roxmltree::Error::DtdDetected) => {
            return Some(Problem {
                what: "has a DOCTYPE (which can define entities and load other files)".to_string(),
                pos: Some(Pos::new(1, 1)),
            });
        }
        Err(err) => {
            let at = err.pos();
            return Some(Problem {
                what: format!("cannot be read as XML ({err})"),
                pos: Some(Pos::new(at.row, at.col)),
            });
        }
    };
    let pos = |offset: usize| {
        let at = doc.text_pos_at(offset);
        Some(Pos::new(at.row, at.col))
    };
    for node in doc.descendants() {
        if let Some(pi) = node.pi() {
            if pi.target.eq_ignore_ascii_case("xml-stylesheet") {
                return Some(Problem {
                    what: "loads a style sheet (`<?xml-stylesheet?>`)".to_string(),
                    pos: pos(node.range().start),
                });
            }
            continue;
        }
        if node.is_text() && node.parent().is_some_and(|p| is_named(p, "style")) {
            if let Some(what) = css_problem(node.text().unwrap_or("")) {
                return Some(Problem {
                    what,
                    pos: pos(node.range().start),
                });
            }
            continue;
        }
        if !node.is_element() {
            continue;
        }
        let name = node.tag_name().name().to_ascii_lowercase();
        if REFUSED_ELEMENTS.contains(&name.as_str()) {
            return Some(Problem {
                what: format!("has a `<{}>` element", node.tag_name().name()),
                pos: pos(node.range().start),
            });
        }
        for attr in node.attributes() {
            if let Some(what) = attribute_problem(&name, attr.name(), attr.value()) {
                return Some(Problem {
                    what,
                    pos: pos(attr.range().start),
                });
            }
        }
    }
    None
}

fn is_named(node: roxmltree::Node, name: &str) -> bool {
    node.is_element() && node.tag_name().name().eq_ignore_ascii_case(name)
}

/// An attribute that runs something or points outside the file.
fn attribute_problem(element: &str, name: &str, value: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    if lower.starts_with("on") {
        return Some(format!("has an event handler (`{name}`)"));
    }
    let target = value.trim();
    if matches!(lower.as_str(), "href" | "src" | "action" | "formaction")
        && !is_inside_reference(target)
    {
        return Some(format!(
            "refers to `{}` (only `#…` parts of the same file are allowed)",
            crate::links::shorten(target)
        ));
    }
    // Animating an attribute can turn a harmless link into a script.
    if matches!(element, "set" | "animate") && lower == "attributename" {
        let animated = target.to_ascii_lowercase();
        if animated.ends_with("href") || animated.starts_with("on") {
            return Some(format!("animates `{target}`"));
        }
    }
    if value.to_ascii_lowercase().contains("javascript:") {
        return Some(format!("has `javascript:` in `{name}`"));
    }
    css_problem(value)
}

/// `url(…)` and `@import` in CSS (a `style` attribute, a `fill`, a `<style>` element): only
/// references inside the file.
fn css_problem(css: &str) -> Option<String> {
    let lower = css.to_ascii_lowercase();
    if lower.contains("@import") {
        return Some("imports a style sheet (`@import`)".to_string());
    }
    if lower.contains("expression(") || lower.contains("javascript:") {
        return Some("has a script in its styles".to_string());
    }
    let mut rest = lower.as_str();
    while let Some(at) = rest.find("url(") {
        let after = &rest[at + 4..];
        let inner = after.split(')').next().unwrap_or("");
        let target = inner.trim().trim_matches(['"', '\'']).trim();
        if !is_inside_reference(target) {
            return Some(format!(
                "refers to `{}` in its styles (only `url(#…)` is allowed)",
                crate::links::shorten(target)
            ));
        }
        rest = after;
    }
    None
}

/// `#part` of the same file, or raster image data (`data:image/png;base64,…`), which cannot
/// run anything.
fn is_inside_reference(target: &str) -> bool {
    let lower = target.to_ascii_lowercase();
    target.starts_with('#')
        || ["png", "jpeg", "jpg", "gif", "webp"]
            .iter()
            .any(|kind| lower.starts_with(&format!("data:image/{kind};base64,")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(svg: &str) -> Option<String> {
        svg_problem(svg.as_bytes()).map(|p| p.what)
    }

    const OPEN: &str =
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">"#;

    #[test]
    fn plain_drawings_pass() {
        let svg = format!(
            r##"{OPEN}<defs><linearGradient id="g"/></defs><style>.a {{ fill: url(#g) }}</style><rect class="a" fill="url('#g')" width="3" height="3"/><use xlink:href="#g"/><a href="#g"><text>x</text></a></svg>"##
        );
        assert_eq!(problem(&svg), None);
    }

    #[test]
    fn scripts_handlers_and_outside_references_are_refused() {
        for (body, expected) in [
            ("<script>alert(1)</script>", "has a `<script>` element"),
            ("<SCRIPT>alert(1)</SCRIPT>", "has a `<SCRIPT>` element"),
            (
                r#"<rect onload="alert(1)"/>"#,
                "has an event handler (`onload`)",
            ),
            (
                r#"<rect ONCLICK="alert(1)"/>"#,
                "has an event handler (`ONCLICK`)",
            ),
            (
                r#"<a href="javascript:alert(1)"><text>x</text></a>"#,
                "refers to `javascript:alert(1)` (only `#…` parts of the same file are allowed)",
            ),
            (
                r#"<a xlink:href="https://evil.example/"><text>x</text></a>"#,
                "refers to `https://evil.example/` (only `#…` parts of the same file are allowed)",
            ),
            (
                r#"<image href="other.svg"/>"#,
                "refers to `other.svg` (only `#…` parts of the same file are allowed)",
            ),
            (
                r#"<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>"#,
                "has a `<foreignObject>` element",
            ),
            (
                r#"<rect style="fill: url(https://evil.example/x)"/>"#,
                "refers to `https://evil.example/x` in its styles (only `url(#…)` is allowed)",
            ),
            (
                "<style>@import url(x.css);</style>",
                "imports a style sheet (`@import`)",
            ),
            (
                r##"<a href="#x"><set attributeName="href" to="javascript:alert(1)"/></a>"##,
                "animates `href`",
            ),
        ] {
            assert_eq!(
                problem(&format!("{OPEN}{body}</svg>")).as_deref(),
                Some(expected),
                "{body}"
            );
        }
        assert_eq!(
            problem(&format!("<?xml-stylesheet href=\"x.css\"?>{OPEN}</svg>")).as_deref(),
            Some("loads a style sheet (`<?xml-stylesheet?>`)")
        );
        assert!(
            problem(&format!("<!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>{OPEN}<text>&x;</text></svg>"))
                .unwrap()
                .starts_with("has a DOCTYPE")
        );
    }

    #[test]
    fn the_line_is_reported() {
        let svg = format!("{OPEN}\n<rect/>\n  <script/>\n</svg>");
        assert_eq!(
            svg_problem(svg.as_bytes()).unwrap().pos,
            Some(Pos::new(3, 3))
        );
    }
}
