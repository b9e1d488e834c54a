//! `[pdf] fonts` in guidepack.toml: the project's own font files for the PDF, checked like
//! images (inside the project, readable, real fonts), each error at its entry.

use crate::diagnostic::{Diagnostic, Diagnostics, LineIndex};
use crate::sources::{CONFIG_FILE, SourceSet};

/// Checks every entry of `[pdf] fonts` and puts each as a path from the project root; whether
/// all are fine.
pub(super) fn check_fonts(
    fonts: &mut [toml::Spanned<String>],
    index: &LineIndex,
    sources: &SourceSet,
    diagnostics: &mut Diagnostics,
) -> bool {
    let mut ok = true;
    for entry in fonts {
        let pos = index.pos(entry.span().start);
        let given = entry.get_ref().clone();
        let error = match crate::sources::join_relative(CONFIG_FILE, &given) {
            None => Some(
                Diagnostic::error(format!("the font `{given}` is outside the project"))
                    .help("copy the font file into the project, such as fonts/NotoSansBengali-Regular.ttf, and give its path from guidepack.toml"),
            ),
            Some(path) => match sources.bytes(&path) {
                None if !sources.contains(&path) => Some(
                    Diagnostic::error(format!("the font `{given}` does not exist"))
                        .help(format!("looked for {path}: keep fonts in the project's fonts/ folder (or content/) and give their path from guidepack.toml")),
                ),
                bytes if bytes.is_none_or(|b| !is_font(b)) => Some(
                    Diagnostic::error(format!("the font `{given}` is not a font file"))
                        .help("give a TrueType or OpenType font file (.ttf, .otf, .ttc), such as one of the Noto fonts"),
                ),
                _ => {
                    *entry = toml::Spanned::new(entry.span(), path);
                    None
                }
            },
        };
        if let Some(error) = error {
            diagnostics.push(error.at(CONFIG_FILE, pos));
            ok = false;
        }
    }
    ok
}

/// Whether Typst's font parser reads at least one font face from `bytes`.
fn is_font(bytes: &[u8]) -> bool {
    typst::text::Font::iter(typst::foundations::Bytes::new(bytes.to_vec()))
        .next()
        .is_some()
}
