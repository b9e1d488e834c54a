//! Check: every link written in the text (chapters, local sections, footnotes, directive
//! captions, whatever pack they are filtered into) goes somewhere a pack allows; a refused
//! target is an error where it is written. The rule itself is [`crate::links`].

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::doc::Target;
use crate::links::{LinkKind, classify, explain};
use crate::model::Project;

/// Reports every refused link target in the project's text.
pub fn check_link_targets(project: &Project, diagnostics: &mut Diagnostics) {
    let chapters = project.texts();
    for chapter in chapters {
        chapter.visit_links(&mut |link| {
            if let Target::Written(dest) = &link.target
                && let LinkKind::Refused(why) = classify(dest)
            {
                let (message, help) = explain(dest, &why);
                diagnostics.push(
                    Diagnostic::error(message)
                        .at(&chapter.file, link.pos)
                        .help(help),
                );
            }
        });
    }
}
