//! Check: every link written in the text (chapters, local sections, footnotes, directive
//! captions, whatever pack they are filtered into) goes somewhere a pack allows; a refused
//! target is an error where it is written. The rule itself is [`crate::links`].

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::doc::{Block, Inline, Target};
use crate::links::{LinkKind, classify, explain};
use crate::model::{Node, Project};

/// Reports every refused link target in the project's text.
pub fn check_link_targets(project: &Project, diagnostics: &mut Diagnostics) {
    let chapters = project
        .chapters
        .iter()
        .chain(project.areas.iter().flat_map(|a| a.sections.iter()));
    for chapter in chapters {
        let mut found = Found {
            file: &chapter.file,
            diagnostics,
        };
        found.nodes(&chapter.nodes);
        for blocks in chapter.footnotes.values() {
            found.blocks(blocks);
        }
    }
}

struct Found<'a, 'd> {
    file: &'a str,
    diagnostics: &'d mut Diagnostics,
}

impl Found<'_, '_> {
    fn nodes(&mut self, nodes: &[Node]) {
        for node in nodes {
            match node {
                Node::Block(block) => self.blocks(std::slice::from_ref(block)),
                Node::Audience { children, .. } => self.nodes(children),
                Node::Directive(d) => self.inlines(&d.caption),
            }
        }
    }

    fn blocks(&mut self, blocks: &[Block]) {
        let mut blocks = blocks.to_vec();
        crate::doc::visit_inlines_mut(&mut blocks, &mut |inlines| self.inlines(inlines));
    }

    fn inlines(&mut self, inlines: &[Inline]) {
        for inline in inlines {
            match inline {
                Inline::Link(link) => {
                    if let Target::Written(dest) = &link.target
                        && let LinkKind::Refused(why) = classify(dest)
                    {
                        let (message, help) = explain(dest, &why);
                        self.diagnostics.push(
                            Diagnostic::error(message)
                                .at(self.file, link.pos)
                                .help(help),
                        );
                    }
                    self.inlines(&link.children);
                }
                Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) | Inline::Inserted(c) => {
                    self.inlines(c)
                }
                _ => {}
            }
        }
    }
}
