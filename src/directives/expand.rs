//! The expansion of each directive for a pack: tables and entries made from the framework
//! data, the glossary and the area's contacts; and one role's entry, which the directory of
//! roles also uses.

use super::Scope;
use crate::doc::{
    Align, Block, Definition, Entry, Inline, Link, List, ListItem, Paragraph, Table, Target,
};
use crate::labels::Labels;
use crate::model::{Audience, DirectiveKind, Duty, DutyFilter, Framework, Role};

pub(super) fn text(s: &str) -> Vec<Inline> {
    vec![Inline::Text(s.to_string())]
}

pub(super) fn para(inlines: Vec<Inline>) -> Block {
    Block::Paragraph(Paragraph {
        inlines,
        pos: Default::default(),
        number: None,
    })
}

/// Where a role's entry is: in the directory of roles.
pub(super) fn role_target(role: &Role) -> Target {
    Target::Internal {
        chapter: "role-directory".to_string(),
        anchor: Some(format!("role:{}", role.id.value)),
    }
}

pub(super) fn role_link(role: &Role) -> Inline {
    Inline::Link(Link {
        target: role_target(role),
        children: text(&role.name),
        pos: Default::default(),
        title: Vec::new(),
        dest_parts: Vec::new(),
    })
}

/// Role names, linked to their entries, separated by commas; `none` when empty.
fn role_links<'a>(framework: &Framework, ids: impl Iterator<Item = &'a str>) -> Vec<Inline> {
    let mut out = Vec::new();
    for id in ids {
        if !out.is_empty() {
            out.push(Inline::Text(", ".to_string()));
        }
        match framework.role(id) {
            Some(role) => out.push(role_link(role)),
            None => out.push(Inline::Text(id.to_string())),
        }
    }
    if out.is_empty() {
        out.push(Inline::Text("—".to_string()));
    }
    out
}

fn basis_links(framework: &Framework, duty: &Duty, labels: &Labels) -> Vec<Inline> {
    let mut out = Vec::new();
    for id in &duty.basis {
        if !out.is_empty() {
            out.push(Inline::Text("; ".to_string()));
        }
        match framework.statute(&id.value) {
            Some(statute) => {
                let title = text(&statute.title);
                out.push(match &statute.url {
                    Some(url) => Inline::Link(Link {
                        target: Target::External(url.clone()),
                        children: title,
                        pos: Default::default(),
                        title: Vec::new(),
                        dest_parts: Vec::new(),
                    }),
                    None => Inline::Text(statute.title.clone()),
                });
            }
            None => out.push(Inline::Text(id.value.clone())),
        }
    }
    if out.is_empty() {
        out.push(Inline::Text(labels.get("good_practice").to_string()));
    }
    out
}

/// The caption the writer gave, or `default`.
fn caption(scope: &Scope, default: String) -> Vec<Inline> {
    if scope.caption.is_empty() {
        text(&default)
    } else {
        scope.caption.to_vec()
    }
}

/// `::: duties`, `::: duties all`, `::: duties role=<id>`: a table of duties.
pub(super) fn duties(kind: &DirectiveKind, scope: &Scope) -> Vec<Block> {
    let DirectiveKind::Duties(filter) = kind else {
        return Vec::new();
    };
    let (framework, audience) = (&scope.project.framework, scope.audience);
    let labels = &scope.project.config.pack.labels;
    let reader = crate::model::reader(&audience.id, scope.area);
    let duties: Vec<&Duty> = framework
        .duties
        .iter()
        .filter(|d| match filter {
            DutyFilter::All => true,
            DutyFilter::Audience => d.condition.admits(&reader),
            DutyFilter::Role(role) => d.role.value == *role,
        })
        .collect();
    let default = match filter {
        DutyFilter::All => labels.get("every_duty").to_string(),
        DutyFilter::Audience => labels.fill(
            "duties_relevant_to",
            &[("audience", &audience.name.to_lowercase())],
        ),
        DutyFilter::Role(role) => {
            let name = (framework.role(role))
                .map_or(role.as_str(), |r| r.name.as_str())
                .to_lowercase();
            labels.fill("duties_of", &[("role", &name)])
        }
    };
    let rows = duties
        .iter()
        .map(|duty| {
            let holder = framework.role(&duty.role.value);
            vec![
                text(&duty.text),
                holder.map_or_else(|| text(&duty.role.value), |r| vec![role_link(r)]),
                role_links(
                    framework,
                    holder
                        .into_iter()
                        .flat_map(|r| r.accountable_to.iter().map(|a| a.value.as_str())),
                ),
                basis_links(framework, duty, labels),
            ]
        })
        .collect();
    vec![Block::Table(Table {
        caption: caption(scope, default),
        aligns: vec![Align::Left; 4],
        head: ["duty", "who_holds_it", "accountable_to", "statutory_basis"]
            .iter()
            .map(|h| text(labels.get(h)))
            .collect(),
        rows,
        row_headers: true,
        contacts: false,
    })]
}

/// `::: roles`: the roles of the pack's audience, each with its description.
pub(super) fn roles(_: &DirectiveKind, scope: &Scope) -> Vec<Block> {
    let framework = &scope.project.framework;
    let labels = &scope.project.config.pack.labels;
    let reader = crate::model::reader(&scope.audience.id, scope.area);
    let roles: Vec<&Role> = framework
        .roles
        .iter()
        .filter(|r| r.condition.admits(&reader))
        .collect();
    let mut blocks = Vec::new();
    if !scope.caption.is_empty() {
        blocks.push(para(vec![Inline::Strong(scope.caption.to_vec())]));
    }
    blocks.push(Block::Definitions(
        roles
            .iter()
            .map(|role| Definition {
                id: None,
                term: vec![role_link(role)],
                blocks: vec![
                    para(text(&role.description)),
                    accountable_paragraph(framework, role, labels),
                ],
            })
            .collect(),
    ));
    blocks
}

/// `::: role <id>`: one role's entry, with all its duties.
pub(super) fn role(kind: &DirectiveKind, scope: &Scope) -> Vec<Block> {
    let DirectiveKind::Role(id) = kind else {
        return Vec::new();
    };
    let framework = &scope.project.framework;
    match framework.role(id) {
        Some(role) => {
            let labels = &scope.project.config.pack.labels;
            vec![role_entry(framework, role, labels, None, None, None)]
        }
        None => Vec::new(),
    }
}

/// `::: glossary`: every abbreviation and term, in alphabetical order.
pub(super) fn glossary(_: &DirectiveKind, scope: &Scope) -> Vec<Block> {
    let mut entries: Vec<(&String, &String)> = scope.project.glossary.entries.iter().collect();
    entries.sort_by_key(|(k, _)| (k.to_lowercase(), k.to_string()));
    let labels = &scope.project.config.pack.labels;
    vec![Block::Table(Table {
        caption: caption(scope, labels.get("abbreviations_and_terms").to_string()),
        aligns: vec![Align::Left, Align::Left],
        head: vec![
            text(labels.get("abbreviation_or_term")),
            text(labels.get("meaning")),
        ],
        rows: entries
            .into_iter()
            .map(|(k, v)| vec![text(k), text(v)])
            .collect(),
        row_headers: true,
        contacts: false,
    })]
}

/// `::: contacts`: the area's contacts; in a national pack, a note that area packs have them.
pub(super) fn contacts(_: &DirectiveKind, scope: &Scope) -> Vec<Block> {
    let framework = &scope.project.framework;
    let labels = &scope.project.config.pack.labels;
    let Some(area) = scope.area else {
        return vec![Block::Note(text(labels.get("contacts_national_note")))];
    };
    vec![Block::Table(Table {
        caption: caption(scope, labels.fill("contacts_in", &[("area", &area.name)])),
        aligns: vec![Align::Left; 4],
        head: ["name", "role", "email", "telephone"]
            .iter()
            .map(|h| text(labels.get(h)))
            .collect(),
        rows: area
            .contacts
            .iter()
            .map(|c| {
                let role = c.role.as_ref().and_then(|r| framework.role(&r.value));
                vec![
                    text(&c.name),
                    role.map_or_else(|| text("—"), |r| vec![role_link(r)]),
                    c.email.as_ref().map_or_else(
                        || text("—"),
                        |e| {
                            vec![Inline::Link(Link {
                                target: Target::External(format!("mailto:{e}")),
                                children: text(e),
                                pos: Default::default(),
                                title: Vec::new(),
                                dest_parts: Vec::new(),
                            })]
                        },
                    ),
                    c.phone.as_ref().map_or_else(
                        || text("—"),
                        |p| {
                            let digits: String = p
                                .chars()
                                .filter(|c| c.is_ascii_digit() || *c == '+')
                                .collect();
                            vec![Inline::Link(Link {
                                target: Target::External(format!("tel:{digits}")),
                                children: text(p),
                                pos: Default::default(),
                                title: Vec::new(),
                                dest_parts: Vec::new(),
                            })]
                        },
                    ),
                ]
            })
            .collect(),
        row_headers: true,
        contacts: true,
    })]
}

fn accountable_paragraph(framework: &Framework, role: &Role, labels: &Labels) -> Block {
    let mut inlines = vec![
        Inline::Strong(text(labels.get("accountable_to_colon"))),
        Inline::Text(" ".to_string()),
    ];
    inlines.extend(role_links(
        framework,
        role.accountable_to.iter().map(|a| a.value.as_str()),
    ));
    para(inlines)
}

/// Says, after a duty in the reviewer's copy's directory, whose packs list it.
pub type DutyNote<'a> = &'a dyn Fn(&Duty) -> Vec<Inline>;

/// One role: its description, to whom it is accountable, and its duties: those that apply to
/// `audience` when one is given (the directory of a pack), or all of them, each followed by
/// `note` when given (the reviewer's copy).
pub fn role_entry(
    framework: &Framework,
    role: &Role,
    labels: &Labels,
    id: Option<String>,
    audience: Option<&Audience>,
    note: Option<DutyNote>,
) -> Block {
    let duties: Vec<&Duty> = framework
        .duties_of(&role.id.value)
        .filter(|d| {
            // A record's condition names audiences only (`audiences = [...]`).
            audience.is_none_or(|a| d.condition.admits(&crate::model::reader(&a.id, None)))
        })
        .collect();
    let mut blocks = vec![
        para(text(&role.description)),
        accountable_paragraph(framework, role, labels),
    ];
    if !duties.is_empty() {
        blocks.push(para(vec![Inline::Strong(text(labels.get("duties_colon")))]));
        blocks.push(Block::List(List {
            start: None,
            items: duties
                .iter()
                .map(|duty| {
                    let mut inlines = text(&duty.text);
                    inlines.push(Inline::Text(" (".to_string()));
                    inlines.extend(basis_links(framework, duty, labels));
                    inlines.push(Inline::Text(")".to_string()));
                    if let Some(note) = note {
                        inlines.push(Inline::Text(". ".to_string()));
                        inlines.extend(note(duty));
                    }
                    ListItem {
                        task: None,
                        blocks: vec![para(inlines)],
                    }
                })
                .collect(),
        }));
    }
    Block::Entry(Entry {
        id: id.unwrap_or_default(),
        title: text(&role.name),
        kind: labels.get(role.kind.label_key()).to_string(),
        blocks,
    })
}
