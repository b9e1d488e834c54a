//! guidepack's integration tests: one binary, a module per capability, each test a small
//! fixture project run through the real command.

mod accessibility;
mod area_checks;
mod area_editions;
mod area_releases;
mod areas;
mod bad_input;
mod brand;
mod build_core;
mod causes_warnings;
mod change_summaries;
mod conditions;
mod directives;
mod errors_with_place;
mod external_links;
mod filtering;
mod govspeak;
mod harness;
mod hostile_core;
mod hostile_input;
mod hostile_output;
mod hostile_scale;
mod hostile_serve;
mod link_text;
mod links;
mod odt;
mod output;
mod pdf;
mod properties;
mod released_output;
mod releases;
mod review;
mod serve;
mod statements;
mod variables;
mod watch_session;
