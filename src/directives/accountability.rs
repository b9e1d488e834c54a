//! `::: accountability` and `::: accountability role=<id>`: which roles a diagram shows, the
//! lines between them, and the same lines written out as text.
//!
//! Without a role, the diagram shows the roles of the pack's audience (those `::: roles` lists:
//! each role whose `audiences` admit the pack) and, so that no line ends in the air, every
//! role one of them is accountable to. With `role=<id>`, it shows that role, every role above it
//! up the chain of `accountable_to`, and the roles directly accountable to it. In both, every
//! `accountable_to` line between two roles shown is drawn.

use std::collections::{BTreeSet, HashMap};

use super::Scope;
use super::expand::{para, role_link, role_target, text};
use crate::doc::{Block, Diagram, DiagramRole, DiagramWords, Inline, List, ListItem};
use crate::labels::Labels;
use crate::labels::inlines::{Value, sentence};
use crate::model::{DirectiveKind, Framework, Role};

/// The diagram of the directive, or a note when it would show no role.
pub(super) fn expand(kind: &DirectiveKind, scope: &Scope) -> Vec<Block> {
    let DirectiveKind::Accountability(focus) = kind else {
        return Vec::new();
    };
    let framework = &scope.project.framework;
    let labels = &scope.project.config.pack.labels;
    let at = Positions::new(framework);
    let (roles, default) = match focus {
        None => {
            let reader = crate::model::reader(&scope.audience.id, scope.area);
            let mut chosen: Vec<usize> = (framework.roles.iter().enumerate())
                .filter(|(_, r)| r.condition.admits(&reader))
                .map(|(i, _)| i)
                .collect();
            let shown: BTreeSet<usize> = chosen.iter().copied().collect();
            let above: BTreeSet<usize> = (chosen.iter())
                .flat_map(|&i| at.parents(&framework.roles[i]))
                .filter(|i| !shown.contains(i))
                .collect();
            chosen.extend(above);
            chosen.sort_unstable();
            (
                chosen,
                labels.fill(
                    "diagram_caption_audience",
                    &[("audience", &scope.audience.name.to_lowercase())],
                ),
            )
        }
        Some(id) => {
            let Some(of) = at.of(id) else {
                // `check` reports the unknown role; a build never gets here with one.
                return Vec::new();
            };
            (
                chain(framework, &at, of),
                labels.fill(
                    "diagram_caption_role",
                    &[("role", &framework.roles[of].name)],
                ),
            )
        }
    };
    if roles.is_empty() {
        return vec![Block::Note(text(labels.get("diagram_no_roles")))];
    }
    let focus = focus.as_ref().and_then(|id| {
        roles
            .iter()
            .position(|&i| framework.roles[i].id.value == *id)
    });
    let caption = if scope.caption.is_empty() {
        text(&default)
    } else {
        scope.caption.to_vec()
    };
    vec![Block::Diagram(diagram(
        framework, &at, &roles, focus, caption, labels,
    ))]
}

/// The position of each role in the data, by id (the first of two with one id, as
/// [`Framework::role`] finds it).
struct Positions<'a>(HashMap<&'a str, usize>);

impl<'a> Positions<'a> {
    fn new(framework: &'a Framework) -> Self {
        let mut map = HashMap::new();
        for (i, role) in framework.roles.iter().enumerate() {
            map.entry(role.id.value.as_str()).or_insert(i);
        }
        Positions(map)
    }

    fn of(&self, id: &str) -> Option<usize> {
        self.0.get(id).copied()
    }

    /// The positions of the roles that `role` is accountable to.
    fn parents<'r>(&'r self, role: &'r Role) -> impl Iterator<Item = usize> + 'r {
        (role.accountable_to.iter()).filter_map(|a| self.of(&a.value))
    }
}

/// The role at `at`, every role above it, and the roles directly accountable to it, in the
/// order of the data. Visits each role once, so a cycle (which `check` forbids) cannot hang it.
fn chain(framework: &Framework, positions: &Positions, at: usize) -> Vec<usize> {
    let mut seen = BTreeSet::from([at]);
    let mut todo = vec![at];
    while let Some(i) = todo.pop() {
        for p in positions.parents(&framework.roles[i]) {
            if seen.insert(p) {
                todo.push(p);
            }
        }
    }
    let id = &framework.roles[at].id.value;
    for (i, role) in framework.roles.iter().enumerate() {
        if role.accountable_to.iter().any(|a| a.value == *id) {
            seen.insert(i);
        }
    }
    seen.into_iter().collect()
}

/// The diagram of `roles` (positions in the data): its boxes, every line between two of them,
/// and those lines as a list.
fn diagram(
    framework: &Framework,
    positions: &Positions,
    roles: &[usize],
    focus: Option<usize>,
    caption: Vec<Inline>,
    labels: &Labels,
) -> Diagram {
    let index: HashMap<usize, usize> = roles.iter().enumerate().map(|(k, &i)| (i, k)).collect();
    let mut lines = Vec::new();
    let mut items = Vec::new();
    for (k, &i) in roles.iter().enumerate() {
        let role = &framework.roles[i];
        let mut seen = BTreeSet::new();
        let ups: Vec<usize> = (positions.parents(role))
            .filter_map(|p| index.get(&p).copied())
            .filter(|&p| p != k && seen.insert(p))
            .collect();
        let inlines = if ups.is_empty() {
            sentence(
                labels,
                "diagram_accountable_to_none",
                vec![("role", role_link(role).into())],
            )
        } else {
            let mut names: Vec<Inline> = Vec::new();
            let (last, list) = ups.split_last().expect("ups is not empty");
            for (n, &p) in list.iter().enumerate() {
                if n > 0 {
                    names.push(Inline::Text(", ".to_string()));
                }
                names.push(role_link(&framework.roles[roles[p]]));
            }
            let last = role_link(&framework.roles[roles[*last]]);
            let all = match names.is_empty() {
                true => vec![last],
                false => sentence(
                    labels,
                    "list_and",
                    vec![("list", names.into()), ("last", last.into())],
                ),
            };
            sentence(
                labels,
                "diagram_accountable_to",
                vec![
                    ("role", role_link(role).into()),
                    ("roles", Value::Inlines(all)),
                ],
            )
        };
        lines.extend(ups.iter().map(|&p| (k, p)));
        items.push(ListItem {
            task: None,
            blocks: vec![para(inlines)],
        });
    }
    Diagram {
        caption,
        roles: roles
            .iter()
            .map(|&i| {
                let role = &framework.roles[i];
                DiagramRole {
                    name: role.name.clone(),
                    target: role_target(role),
                }
            })
            .collect(),
        lines,
        focus,
        text: vec![Block::List(List { start: None, items })],
        words: DiagramWords {
            as_text: labels.get("diagram_as_text").to_string(),
            part: labels.get("diagram_part").to_string(),
            next_one: labels.get("diagram_part_next_one").to_string(),
            next_two: labels.get("diagram_part_next_two").to_string(),
        },
    }
}
