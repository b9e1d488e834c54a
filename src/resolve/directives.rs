//! Data directives (`::: duties`, `::: roles`, `::: role`, `::: glossary`, `::: contacts`)
//! expanded into tables and entries from the framework data, and the role directory annex.

use super::Draft;
use crate::doc::{
    Align, Block, Definition, Entry, Inline, Link, List, ListItem, Paragraph, Table, Target,
};
use crate::model::{Area, Audience, Directive, Duty, Framework, Project, Role};

/// The directives guidepack knows, with the arguments each takes.
pub const DIRECTIVES: [(&str, &str); 5] = [
    ("duties", "nothing, `all`, or `role=<id>`"),
    ("roles", "nothing"),
    ("role", "one role id"),
    ("glossary", "nothing"),
    ("contacts", "nothing"),
];

/// What a directive asks for, once its arguments are understood.
#[derive(Debug, PartialEq, Eq)]
pub enum Request<'a> {
    Duties(DutyFilter<'a>),
    Roles,
    Role(&'a str),
    Glossary,
    Contacts,
}

#[derive(Debug, PartialEq, Eq)]
pub enum DutyFilter<'a> {
    Audience,
    All,
    Role(&'a str),
}

/// Understands a directive's name and arguments; `Err` says what is wrong.
pub fn request(directive: &Directive) -> Result<Request<'_>, String> {
    let args: Vec<&str> = directive.args.iter().map(String::as_str).collect();
    match (directive.name.as_str(), args.as_slice()) {
        ("duties", []) => Ok(Request::Duties(DutyFilter::Audience)),
        ("duties", ["all"]) => Ok(Request::Duties(DutyFilter::All)),
        ("duties", [arg]) if arg.starts_with("role=") => {
            Ok(Request::Duties(DutyFilter::Role(&arg[5..])))
        }
        ("roles", []) => Ok(Request::Roles),
        ("role", [id]) => Ok(Request::Role(id)),
        ("glossary", []) => Ok(Request::Glossary),
        ("contacts", []) => Ok(Request::Contacts),
        (name, _) => match DIRECTIVES.iter().find(|(n, _)| *n == name) {
            Some((_, takes)) => Err(format!("`::: {name}` takes {takes}")),
            None => Err(format!("there is no directive `{name}`")),
        },
    }
}

fn text(s: &str) -> Vec<Inline> {
    vec![Inline::Text(s.to_string())]
}

fn para(inlines: Vec<Inline>) -> Block {
    Block::Paragraph(Paragraph {
        inlines,
        pos: Default::default(),
        number: None,
    })
}

fn role_link(role: &Role) -> Inline {
    Inline::Link(Link {
        target: Target::Internal {
            chapter: "role-directory".to_string(),
            anchor: Some(format!("role:{}", role.id.value)),
        },
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

fn basis_links(framework: &Framework, duty: &Duty) -> Vec<Inline> {
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
        out.push(Inline::Text(
            "Good practice (no statutory basis)".to_string(),
        ));
    }
    out
}

/// Expands one directive for a pack.
pub(super) fn expand(
    directive: &Directive,
    project: &Project,
    audience: &Audience,
    area: Option<&Area>,
) -> Vec<Block> {
    let framework = &project.framework;
    let caption = |default: String| {
        if directive.caption.is_empty() {
            text(&default)
        } else {
            directive.caption.clone()
        }
    };
    let Ok(request) = request(directive) else {
        return Vec::new();
    };
    match request {
        Request::Duties(filter) => {
            let duties: Vec<&Duty> = framework
                .duties
                .iter()
                .filter(|d| match filter {
                    DutyFilter::All => true,
                    DutyFilter::Audience => d.audiences.iter().any(|a| a.value == audience.id),
                    DutyFilter::Role(role) => d.role.value == role,
                })
                .collect();
            let default = match filter {
                DutyFilter::All => "Every duty in this guidance".to_string(),
                DutyFilter::Audience => {
                    format!("Duties relevant to {}", audience.name.to_lowercase())
                }
                DutyFilter::Role(role) => {
                    format!(
                        "Duties of the {}",
                        framework
                            .role(role)
                            .map_or(role, |r| r.name.as_str())
                            .to_lowercase()
                    )
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
                        basis_links(framework, duty),
                    ]
                })
                .collect();
            vec![Block::Table(Table {
                caption: caption(default),
                aligns: vec![Align::Left; 4],
                head: ["Duty", "Who holds it", "Accountable to", "Statutory basis"]
                    .iter()
                    .map(|h| text(h))
                    .collect(),
                rows,
                row_headers: true,
            })]
        }
        Request::Roles => {
            let roles: Vec<&Role> = framework
                .roles
                .iter()
                .filter(|r| r.audiences.iter().any(|a| a.value == audience.id))
                .collect();
            let mut blocks = Vec::new();
            if !directive.caption.is_empty() {
                blocks.push(para(vec![Inline::Strong(directive.caption.clone())]));
            }
            blocks.push(Block::Definitions(
                roles
                    .iter()
                    .map(|role| Definition {
                        id: None,
                        term: vec![role_link(role)],
                        blocks: vec![
                            para(text(&role.description)),
                            accountable_paragraph(framework, role),
                        ],
                    })
                    .collect(),
            ));
            blocks
        }
        Request::Role(id) => match framework.role(id) {
            Some(role) => vec![role_entry(framework, role, None, None, None)],
            None => Vec::new(),
        },
        Request::Glossary => {
            let mut entries: Vec<(&String, &String)> = project.glossary.entries.iter().collect();
            entries.sort_by_key(|(k, _)| (k.to_lowercase(), k.to_string()));
            vec![Block::Table(Table {
                caption: caption("Abbreviations and terms".to_string()),
                aligns: vec![Align::Left, Align::Left],
                head: vec![text("Abbreviation or term"), text("Meaning")],
                rows: entries
                    .into_iter()
                    .map(|(k, v)| vec![text(k), text(v)])
                    .collect(),
                row_headers: true,
            })]
        }
        Request::Contacts => match area {
            None => vec![Block::Note(text(
                "Each local area's pack lists the names and contact details of its safeguarding leads here.",
            ))],
            Some(area) => vec![Block::Table(Table {
                caption: caption(format!("Contacts in {}", area.name)),
                aligns: vec![Align::Left; 4],
                head: ["Name", "Role", "Email", "Telephone"]
                    .iter()
                    .map(|h| text(h))
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
            })],
        },
    }
}

fn accountable_paragraph(framework: &Framework, role: &Role) -> Block {
    let mut inlines = vec![
        Inline::Strong(text("Accountable to:")),
        Inline::Text(" ".to_string()),
    ];
    inlines.extend(role_links(
        framework,
        role.accountable_to.iter().map(|a| a.value.as_str()),
    ));
    para(inlines)
}

/// Says, after a duty in the reviewer's copy's directory, whose packs list it.
pub(super) type DutyNote<'a> = &'a dyn Fn(&Duty) -> Vec<Inline>;

/// One role: its description, to whom it is accountable, and its duties: those that apply to
/// `audience` when one is given (the directory of a pack), or all of them, each followed by
/// `note` when given (the reviewer's copy).
fn role_entry(
    framework: &Framework,
    role: &Role,
    id: Option<String>,
    audience: Option<&Audience>,
    note: Option<DutyNote>,
) -> Block {
    let duties: Vec<&Duty> = framework
        .duties_of(&role.id.value)
        .filter(|d| audience.is_none_or(|a| d.audiences.iter().any(|x| x.value == a.id)))
        .collect();
    let mut blocks = vec![
        para(text(&role.description)),
        accountable_paragraph(framework, role),
    ];
    if !duties.is_empty() {
        blocks.push(para(vec![Inline::Strong(text("Duties:"))]));
        blocks.push(Block::List(List {
            start: None,
            items: duties
                .iter()
                .map(|duty| {
                    let mut inlines = text(&duty.text);
                    inlines.push(Inline::Text(" (".to_string()));
                    inlines.extend(basis_links(framework, duty));
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
        kind: role.kind.label().to_string(),
        blocks,
    })
}

/// The annex every pack ends with: each role, so that `role:` links have somewhere to go, with
/// the duties that apply to the pack's audience (as `::: duties` lists them).
pub(super) fn role_directory(project: &Project, audience: &Audience) -> Draft {
    directory(project, Some(audience), None)
}

/// The directory of the reviewer's copy: every duty of each role, each followed by `note`
/// (whose packs list it).
pub(super) fn review_role_directory(project: &Project, note: DutyNote) -> Draft {
    directory(project, None, Some(note))
}

fn directory(project: &Project, audience: Option<&Audience>, note: Option<DutyNote>) -> Draft {
    let framework = &project.framework;
    let mut roles: Vec<&Role> = framework.roles.iter().collect();
    roles.sort_by_key(|a| a.name.to_lowercase());
    let mut blocks = vec![para(text(
        "Every organisation and post named in this guidance, what it is accountable for and to whom, in alphabetical order.",
    ))];
    blocks.extend(roles.into_iter().map(|role| {
        role_entry(
            framework,
            role,
            Some(format!("role:{}", role.id.value)),
            audience,
            note,
        )
    }));
    Draft {
        id: "role-directory".to_string(),
        title: "Directory of roles".to_string(),
        summary: Some(
            "Every role in this guidance, its duties and its lines of accountability.".to_string(),
        ),
        draft: false,
        file: String::new(),
        blocks,
        footnotes: Default::default(),
    }
}
