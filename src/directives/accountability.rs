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
use crate::doc::{Block, Diagram, DiagramRole, Inline, List, ListItem};
use crate::model::{DirectiveKind, Framework, Role};

/// The diagram of the directive, or a note when it would show no role.
pub(super) fn expand(kind: &DirectiveKind, scope: &Scope) -> Vec<Block> {
    let DirectiveKind::Accountability(focus) = kind else {
        return Vec::new();
    };
    let framework = &scope.project.framework;
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
                format!(
                    "Lines of accountability of the roles for {}",
                    scope.audience.name.to_lowercase()
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
                format!(
                    "Lines of accountability of the role: {}",
                    framework.roles[of].name
                ),
            )
        }
    };
    if roles.is_empty() {
        return vec![Block::Note(text(
            "No role in the framework data is written for the readers of this pack.",
        ))];
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
        framework, &at, &roles, focus, caption,
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
        let mut inlines = vec![role_link(role)];
        if ups.is_empty() {
            inlines.push(Inline::Text(
                " is accountable to none of the roles shown.".to_string(),
            ));
        } else {
            inlines.push(Inline::Text(" is accountable to ".to_string()));
            for (n, &p) in ups.iter().enumerate() {
                if n > 0 {
                    let last = n + 1 == ups.len();
                    inlines.push(Inline::Text(if last { " and " } else { ", " }.to_string()));
                }
                inlines.push(role_link(&framework.roles[roles[p]]));
            }
            inlines.push(Inline::Text(".".to_string()));
        }
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
    }
}
