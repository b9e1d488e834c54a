//! `guidepack build --review`: the reviewer's copy, one pack with every audience's and area's
//! text, each conditional part labelled ([`crate::resolve::Reader::Reviewer`]), rendered as HTML
//! and PDF into `output/<version>/review/` through the staged output, so that an error leaves
//! the previous copy as it was. A released version's folder never gets one.

use std::path::Path;

use crate::diagnostic::{Diagnostic, Diagnostics, LineIndex};
use crate::output::{self, PackFiles};
use crate::pipeline::{self, BuildOptions, Loaded, Report, Status};
use crate::release::Edition;
use crate::render::{self, HtmlTemplates, PageSetup};
use crate::resolve::{Pack, Reader, Resolver, reviewer_audience};

/// The stylesheet of the copy's boxes and banner, added to the copy's `style.css`.
pub const REVIEW_CSS: &str = include_str!("../templates/html/review.css");
/// A project's own version of it.
const REVIEW_CSS_PATH: &str = "templates/html/review.css";

/// `guidepack build --review` (with `--out` and `--jobs`; the other options of `build` do not
/// combine with it: the command line refuses them).
pub fn build_review(root: &Path, options: &BuildOptions) -> Report {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.unwrap_or(0))
        .build();
    match pool {
        Ok(pool) => pool.install(|| build_in_pool(root, options)),
        Err(err) => Report::usage(format!(
            "cannot start {} build threads: {err}",
            options.jobs.unwrap_or(0)
        )),
    }
}

fn build_in_pool(root: &Path, options: &BuildOptions) -> Report {
    let mut diagnostics = Diagnostics::default();
    let out = match options.output_dir(root) {
        Ok(out) => out,
        Err(message) => {
            let mut report = Report::usage(message);
            report.diagnostics[0].help =
                Some("pass `--out` a folder outside them, or leave it out to use `output/`".into());
            return report;
        }
    };
    if let Err(d) = pipeline::recover_writes(root, &out, &mut diagnostics) {
        diagnostics.push(d);
        return Report::failed(diagnostics, &Default::default());
    }
    let loaded = match pipeline::load(root, &mut diagnostics) {
        Ok(loaded) => loaded,
        Err(sources) => return Report::failed(diagnostics, &sources),
    };
    if let Some(refused) = refusal(&loaded) {
        diagnostics.push(refused);
        return Report::failed(diagnostics, &loaded.sources);
    }
    let resolver = Resolver {
        project: &loaded.project,
        ids: &loaded.ids,
    };
    let mut found = Diagnostics::default();
    let pack = resolver.resolve(Reader::Reviewer, &mut found);
    diagnostics.extend(found.sorted());
    if diagnostics.has_errors() {
        return Report::failed(diagnostics, &loaded.sources);
    }
    diagnostics.extend(loaded.edition.note(&loaded.project.config.pack.version));
    let (files, templates) = match render_review(&loaded, &pack) {
        Ok(done) => done,
        Err(errors) => {
            diagnostics.extend(errors);
            return Report::failed(diagnostics, &loaded.sources);
        }
    };
    let count = files.files.len();
    let published = loaded
        .staging(&out, output::Made::ALL)
        .and_then(|mut staging| {
            if let Err(err) = staging.add(&files, None) {
                staging.abandon();
                return Err(err);
            }
            let committed = staging.commit()?;
            pipeline::finish_output(&out, &loaded, &templates, committed, 1, count)
        });
    match published {
        Ok((_, warnings)) => {
            diagnostics.extend(warnings);
            let into = out.join(loaded.output_version()).join(&files.dir);
            Report {
                status: Status::Success,
                diagnostics: diagnostics.sorted(),
                sources: loaded.sources.texts.clone(),
                summary: vec![format!(
                    "built the reviewer's copy ({count} files: every audience and area, HTML and PDF) into {}",
                    into.display()
                )],
                writes: true,
            }
        }
        Err(err) => {
            diagnostics.push(output::write_error(&out, &err));
            Report::failed(diagnostics, &loaded.sources)
        }
    }
}

/// Why a reviewer's copy cannot be written, if it cannot: the sources are a released
/// version's (whose folder holds only the released files), or an audience has the copy's
/// folder name.
fn refusal(loaded: &Loaded) -> Option<Diagnostic> {
    let config = &loaded.project.config;
    let version = &config.pack.version;
    let review = reviewer_audience().id;
    if config.audience(&review).is_some() {
        let text = loaded.sources.text("guidepack.toml").unwrap_or_default();
        let at = text.find(&format!("\"{review}\"")).unwrap_or(0);
        return Some(
            Diagnostic::error(format!(
                "an audience has the id `{review}`, the folder of the reviewer's copy (`output/{version}/{review}/`)"
            ))
            .at("guidepack.toml", LineIndex::new(text).pos(at))
            .help("give that audience another id to build a reviewer's copy"),
        );
    }
    if let Edition::AsReleased(_) = loaded.edition {
        return Some(
            Diagnostic::error(format!(
                "version {version} is released and these are its sources: a reviewer's copy is never written into a released version's folder (`output/{version}/` keeps exactly the released files)"
            ))
            .in_file("guidepack.toml")
            .help(format!(
                "a reviewer's copy is for text on its way to a release: raise `version` under [pack] in guidepack.toml (or change the text, which makes an unreleased working copy of {version}) and build it again"
            )),
        );
    }
    None
}

/// The copy's files: its PDF, then its pages (which link to the PDF with its size).
fn render_review(
    loaded: &Loaded,
    pack: &Pack,
) -> Result<(PackFiles, HtmlTemplates), Vec<Diagnostic>> {
    let templates = HtmlTemplates::load(&loaded.sources).map_err(|d| vec![d])?;
    let mut config = loaded.output_config().into_owned();
    config.pack.reviewer_copy = true;
    let engine = render::pdf::engine();
    let bytes = render::pdf::render(pack, &config, &loaded.sources, &engine)?;
    let name = render::pdf::file_name(pack, &config);
    let setup = PageSetup {
        config: &config,
        pdf: Some((name.clone(), bytes.len())),
        newer: None,
    };
    let mut files = vec![(name, bytes)];
    files.extend(
        render::html_files(pack, &setup, &templates, &loaded.sources).map_err(|d| vec![d])?,
    );
    // The copy's boxes and banner are styled by its own stylesheet only: the packs' is as it was.
    let css = loaded.sources.text(REVIEW_CSS_PATH).unwrap_or(REVIEW_CSS);
    for (name, bytes) in &mut files {
        if name == "style.css" {
            bytes.extend_from_slice(b"\n");
            bytes.extend_from_slice(css.as_bytes());
        }
    }
    Ok((
        PackFiles {
            dir: pack.dir(),
            audience: pack.audience.id.clone(),
            area: None,
            files,
        },
        templates,
    ))
}
