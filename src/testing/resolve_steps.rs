//! Unit tests of `resolve`: one small in-memory project per step (filtering, local sections,
//! directives, variables, links, acronyms, numbering), compared as a plain-text outline.
