//! The data directives (`::: duties`, `::: roles`, `::: role`, `::: glossary`, `::: contacts`):
//! one table of each directive's name, the arguments it takes, its help and its expansion.
//! Parsing (into [`DirectiveKind`], once, when a chapter is read), the messages about a wrong
//! directive and the expansion in each pack all come from it. Adding a directive means a
//! variant of [`DirectiveKind`], a row of [`DIRECTIVES`] and its expansion function.

mod accountability;
mod expand;

pub use expand::{DutyNote, role_entry};

use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::doc::{Block, Inline};
use crate::model::{Area, Audience, Directive, DirectiveKind, DutyFilter, Project};

/// One directive: how it is written, what it makes, and how.
pub struct Spec {
    /// The word after `:::`.
    pub name: &'static str,
    /// Each way of writing it, with what it makes: the help of `check` and of the README.
    pub forms: &'static [(&'static str, &'static str)],
    /// What it takes after its name, in words, for the error about a wrong argument.
    pub takes: &'static str,
    /// Its arguments understood, or `None` when they are not what it takes.
    pub parse: fn(&[&str]) -> Option<DirectiveKind>,
    /// What it makes in a pack.
    pub expand: fn(&DirectiveKind, &Scope) -> Vec<Block>,
}

/// Every directive guidepack knows.
pub const DIRECTIVES: [Spec; 6] = [
    Spec {
        name: "duties",
        forms: &[
            ("::: duties", "a table of the duties of the pack's audience"),
            ("::: duties all", "a table of every duty"),
            ("::: duties role=<id>", "a table of one role's duties"),
        ],
        takes: "nothing, `all`, or `role=<id>`",
        parse: |args| match args {
            [] => Some(DirectiveKind::Duties(DutyFilter::Audience)),
            ["all"] => Some(DirectiveKind::Duties(DutyFilter::All)),
            [arg] => arg
                .strip_prefix("role=")
                .filter(|id| !id.is_empty())
                .map(|id| DirectiveKind::Duties(DutyFilter::Role(id.to_string()))),
            _ => None,
        },
        expand: expand::duties,
    },
    Spec {
        name: "roles",
        forms: &[(
            "::: roles",
            "the roles of the pack's audience, each with its description",
        )],
        takes: "nothing",
        parse: |args| args.is_empty().then_some(DirectiveKind::Roles),
        expand: expand::roles,
    },
    Spec {
        name: "role",
        forms: &[("::: role <id>", "one role's entry, with all its duties")],
        takes: "one role id",
        parse: |args| match args {
            [id] => Some(DirectiveKind::Role(id.to_string())),
            _ => None,
        },
        expand: expand::role,
    },
    Spec {
        name: "glossary",
        forms: &[("::: glossary", "a table of every abbreviation and term")],
        takes: "nothing",
        parse: |args| args.is_empty().then_some(DirectiveKind::Glossary),
        expand: expand::glossary,
    },
    Spec {
        name: "contacts",
        forms: &[(
            "::: contacts",
            "a table of the area's contacts (in a national pack, a note that area packs list them)",
        )],
        takes: "nothing",
        parse: |args| args.is_empty().then_some(DirectiveKind::Contacts),
        expand: expand::contacts,
    },
    Spec {
        name: "accountability",
        forms: &[
            (
                "::: accountability",
                "a diagram of the roles of the pack's audience and their lines of accountability",
            ),
            (
                "::: accountability role=<id>",
                "a diagram of one role, the roles it answers to up the chain and those that answer to it",
            ),
        ],
        takes: "nothing or `role=<id>`",
        parse: |args| match args {
            [] => Some(DirectiveKind::Accountability(None)),
            [arg] => arg
                .strip_prefix("role=")
                .filter(|id| !id.is_empty())
                .map(|id| DirectiveKind::Accountability(Some(id.to_string()))),
            _ => None,
        },
        expand: accountability::expand,
    },
];

/// The directive called `name`.
pub fn spec(name: &str) -> Option<&'static Spec> {
    DIRECTIVES.iter().find(|s| s.name == name)
}

/// The other words a fence may open with (`audience`, …), for the "did you mean" of a
/// mistyped directive, and how to write them.
pub struct OtherFences<'a> {
    pub words: &'a [&'a str],
    pub help: &'a str,
}

/// Understands a fence's words (`duties`, `role=ccg`) as a directive: its name as the table
/// has it and what it asks for, or the error (without its place) with a help line.
pub fn parse(
    words: &[String],
    others: &OtherFences,
) -> Result<(&'static str, DirectiveKind), Diagnostic> {
    let name = words.first().map_or("", String::as_str);
    let args: Vec<&str> = words.iter().skip(1).map(String::as_str).collect();
    let Some(spec) = spec(name) else {
        let known = DIRECTIVES
            .iter()
            .map(|s| s.name)
            .chain(others.words.iter().copied());
        let help = match did_you_mean(name, known) {
            Some(close) => format!("did you mean `::: {close}`?"),
            None => format!(
                "the directives are {}; {}",
                written(
                    DIRECTIVES.iter().flat_map(|s| s.forms.iter().map(|f| f.0)),
                    "and"
                ),
                others.help
            ),
        };
        return Err(Diagnostic::error(format!("there is no directive `{name}`")).help(help));
    };
    match (spec.parse)(&args) {
        Some(kind) => Ok((spec.name, kind)),
        None => Err(
            Diagnostic::error(format!("`::: {name}` takes {}", spec.takes)).help(format!(
                "write {}",
                written(spec.forms.iter().map(|f| f.0), "or")
            )),
        ),
    }
}

/// `a`, `b` and `c` (or `or`), each in backquotes.
fn written<'a>(forms: impl Iterator<Item = &'a str>, last_word: &str) -> String {
    let forms: Vec<String> = forms.map(|f| format!("`{f}`")).collect();
    match forms.split_last() {
        Some((last, rest)) if !rest.is_empty() => {
            format!("{} {last_word} {last}", rest.join(", "))
        }
        _ => forms.concat(),
    }
}

/// What an expansion knows: the project, the pack it is for, and the directive's caption.
pub struct Scope<'a> {
    pub project: &'a Project,
    pub audience: &'a Audience,
    pub area: Option<&'a Area>,
    pub caption: &'a [Inline],
}

/// Expands one directive for a pack.
pub fn expand(
    directive: &Directive,
    project: &Project,
    audience: &Audience,
    area: Option<&Area>,
) -> Vec<Block> {
    let scope = Scope {
        project,
        audience,
        area,
        caption: &directive.caption,
    };
    spec(directive.name).map_or_else(Vec::new, |s| (s.expand)(&directive.kind, &scope))
}

#[cfg(test)]
mod tests {
    use super::*;

    const OTHERS: OtherFences = OtherFences {
        words: &["audience", "area", "format"],
        help: "for a block that some packs only see write `::: audience <ids>`, `::: area <ids>` or `::: format <names>`",
    };

    fn parsed(line: &str) -> Result<(&'static str, DirectiveKind), Diagnostic> {
        let words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        parse(&words, &OTHERS)
    }

    #[test]
    fn every_form_in_the_table_parses_as_its_own_directive() {
        for spec in &DIRECTIVES {
            assert!(!spec.forms.is_empty(), "{} has no form", spec.name);
            for (form, what) in spec.forms {
                assert!(!what.is_empty());
                let line = form.trim_start_matches("::: ").replace("<id>", "ccg");
                let (name, _) = parsed(&line).unwrap_or_else(|d| panic!("{form}: {}", d.message));
                assert_eq!(name, spec.name, "{form}");
            }
        }
        let names: std::collections::BTreeSet<&str> = DIRECTIVES.iter().map(|s| s.name).collect();
        assert_eq!(names.len(), DIRECTIVES.len(), "two rows share a name");
    }

    #[test]
    fn arguments_are_understood_once() {
        assert_eq!(
            parsed("duties").unwrap().1,
            DirectiveKind::Duties(DutyFilter::Audience)
        );
        assert_eq!(
            parsed("duties all").unwrap().1,
            DirectiveKind::Duties(DutyFilter::All)
        );
        assert_eq!(
            parsed("duties role=ccg").unwrap().1,
            DirectiveKind::Duties(DutyFilter::Role("ccg".into()))
        );
        assert_eq!(
            parsed("role ccg").unwrap().1,
            DirectiveKind::Role("ccg".into())
        );
        assert_eq!(parsed("glossary").unwrap().1, DirectiveKind::Glossary);
    }

    #[test]
    fn wrong_arguments_say_what_the_directive_takes() {
        let d = parsed("duties role=").unwrap_err();
        assert_eq!(
            d.message,
            "`::: duties` takes nothing, `all`, or `role=<id>`"
        );
        assert_eq!(
            d.help.as_deref(),
            Some("write `::: duties`, `::: duties all` or `::: duties role=<id>`")
        );
        let d = parsed("role").unwrap_err();
        assert_eq!(d.message, "`::: role` takes one role id");
        assert_eq!(d.help.as_deref(), Some("write `::: role <id>`"));
        assert!(parsed("glossary all").is_err());
        assert!(parsed("role a b").is_err());
    }

    #[test]
    fn unknown_directives_get_the_closest_name_or_the_list() {
        let d = parsed("dutis").unwrap_err();
        assert_eq!(d.message, "there is no directive `dutis`");
        assert_eq!(d.help.as_deref(), Some("did you mean `::: duties`?"));
        let d = parsed("audiense providers").unwrap_err();
        assert_eq!(d.help.as_deref(), Some("did you mean `::: audience`?"));
        let d = parsed("timeline").unwrap_err();
        assert_eq!(
            d.help.as_deref(),
            Some(
                "the directives are `::: duties`, `::: duties all`, `::: duties role=<id>`, `::: roles`, `::: role <id>`, `::: glossary`, `::: contacts`, `::: accountability` and `::: accountability role=<id>`; for a block that some packs only see write `::: audience <ids>`, `::: area <ids>` or `::: format <names>`"
            )
        );
    }
}
