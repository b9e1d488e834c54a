//! The `guidepack` command: parses arguments, runs the library, prints what it found, and maps
//! the outcome to the exit status (0 done, 1 project errors, 2 wrong command line).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use guidepack::build::shard::Shard;
use guidepack::build::{BuildOptions, Selection};
use guidepack::commands::diff::DiffFormat;
use guidepack::commands::{self, Report, Status};
use guidepack::diagnostic::{render_human, render_json};

/// mimalloc instead of the system allocator: the renderers allocate many small objects from
/// several threads, where glibc's allocator spent a fifth of a rebuild and kept growing.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "guidepack",
    version,
    about = "Builds versioned, accessible PDF and HTML guidance packs from Markdown and framework data"
)]
struct Cli {
    /// The project folder (the one with guidepack.toml).
    #[arg(long, global = true, value_name = "DIR", default_value = ".")]
    project: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the packs (default: the national pack of every audience, HTML and PDF).
    Build(BuildCommand),
    /// Run every validation and write nothing; exit 1 on any error.
    Check {
        /// How to print the findings.
        #[arg(long, value_enum, default_value = "human")]
        format: ReportFormat,
        /// Also try every web address in the text and data (the only time guidepack goes online).
        #[arg(long)]
        external: bool,
        /// Count every warning as an error (exit 1).
        #[arg(long)]
        strict: bool,
    },
    /// Build, then rebuild what each change affects, until interrupted (Ctrl-C).
    Watch(BuildArgs),
    /// Watch, and serve a live preview of the output with in-browser errors.
    Serve(ServeArgs),
    /// Build every pack of `pack.version` and record the release in releases/<version>/.
    Release {
        /// Replace an existing record of this version.
        #[arg(long)]
        force: bool,
        /// Rebuild a recorded release from the sources and compare the bytes.
        #[arg(long, value_name = "VERSION", conflicts_with = "force")]
        verify: Option<String>,
        /// Release (or with --verify, verify) one area's edition only:
        /// `<version>-<area>.<revision>`, recorded in releases/areas/<area>/.
        #[arg(long, value_name = "ID")]
        area: Option<String>,
        #[command(flatten)]
        cache: CacheArgs,
        /// Show no progress.
        #[arg(long, short)]
        quiet: bool,
        /// Make only this machine's share of the release's packs, `<i>/<n>` (like `3/8`), into
        /// the shard's own folder; `guidepack merge` then writes the release from all n.
        #[arg(long, value_name = "I/N", conflicts_with_all = ["verify", "area"])]
        shard: Option<Shard>,
        /// The shard's folder (default: <project>/shards/<i>-of-<n>).
        #[arg(long, value_name = "DIR", requires = "shard")]
        out: Option<PathBuf>,
    },
    /// Join the folders of shards (`build --shard` or `release --shard`, one per machine) into
    /// one output, the same byte for byte as one machine's build (for release shards: the
    /// release and its record).
    Merge {
        /// The shards' folders, every one of the n.
        #[arg(required = true, value_name = "DIR")]
        shards: Vec<PathBuf>,
        /// The output folder (default: <project>/output; a release always writes there).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// For release shards: replace an existing record of this version.
        #[arg(long)]
        force: bool,
    },
    /// Show what changed between two releases, or a release and the working text.
    Diff {
        /// The earlier release.
        from: String,
        /// The later release (default: the working text).
        to: Option<String>,
        /// The audience whose pack to compare (default: every audience).
        #[arg(long, value_name = "ID")]
        audience: Option<String>,
        /// The local area whose pack to compare (default: the national packs).
        #[arg(long, value_name = "ID")]
        area: Option<String>,
        #[arg(long, value_enum, default_value = "text")]
        format: DiffFormatArg,
    },
    /// Create a new project that builds at once.
    New {
        /// The folder to create.
        dir: PathBuf,
    },
    /// Create a local area's folder, content/areas/<ID>/, that builds at once.
    NewArea {
        /// The area's id: lowercase letters, digits and hyphens, like `north-kent`.
        id: String,
    },
}

#[derive(Args)]
struct BuildArgs {
    /// Build this audience's packs only (repeatable).
    #[arg(long = "audience", value_name = "ID")]
    audiences: Vec<String>,
    /// Build this local area's packs (repeatable).
    #[arg(long = "area", value_name = "ID")]
    areas: Vec<String>,
    /// Build every local area's packs as well as the national ones.
    #[arg(long)]
    all_areas: bool,
    /// Build the national packs (the default when no area is named).
    #[arg(long)]
    national: bool,
    /// Output formats (repeatable; default every one).
    #[arg(long = "format", value_name = "FORMAT", value_parser = format_names())]
    formats: Vec<String>,
    /// The output folder (default: <project>/output).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Packs built at once (default: one per core).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
    #[command(flatten)]
    cache: CacheArgs,
    /// Show no progress and no time summary.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Args)]
struct CacheArgs {
    /// Keep unchanged packs in this folder between builds (default: <project>/.guidepack-cache).
    #[arg(long, value_name = "DIR")]
    cache: Option<PathBuf>,
    /// Render every pack, neither reading nor filling the cache.
    #[arg(long, conflicts_with = "cache")]
    no_cache: bool,
}

impl CacheArgs {
    fn choice(self) -> guidepack::cache::Choice {
        match (self.no_cache, self.cache) {
            (true, _) => guidepack::cache::Choice::Off,
            (false, Some(dir)) => guidepack::cache::Choice::At(dir),
            (false, None) => guidepack::cache::Choice::InProject,
        }
    }
}

#[derive(Args)]
struct BuildCommand {
    #[command(flatten)]
    build: BuildArgs,
    /// Build the reviewer's copy instead: every audience's and area's text in one HTML pack
    /// and one PDF, each conditional part labelled with who sees it (into
    /// output/<version>/review/).
    #[arg(long, conflicts_with_all = ["audiences", "areas", "all_areas", "national", "formats", "shard"])]
    review: bool,
    /// Build only this machine's share of the selected packs, `<i>/<n>` (like `3/8`), into
    /// the shard's own folder (default: <project>/shards/<i>-of-<n>); `guidepack merge`
    /// joins the n shards.
    #[arg(long, value_name = "I/N")]
    shard: Option<Shard>,
}

#[derive(Args)]
struct ServeArgs {
    #[command(flatten)]
    build: BuildArgs,
    /// The port of the preview (0 picks a free one).
    #[arg(long, value_name = "N", default_value_t = commands::serve::DEFAULT_PORT)]
    port: u16,
    /// The address to listen on (another machine can see the preview only if it is not a
    /// loopback address).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    bind: std::net::IpAddr,
}

impl BuildArgs {
    fn options(self) -> BuildOptions {
        BuildOptions {
            selection: Selection {
                audiences: self.audiences,
                areas: self.areas,
                all_areas: self.all_areas,
                national: self.national,
            },
            formats: self.formats,
            out: self.out,
            jobs: self.jobs.map(usize::from),
            cache: self.cache.choice(),
            quiet: self.quiet,
            shard: None,
        }
    }
}

/// The names `--format` takes: the registered formats, in the order they run.
fn format_names() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(guidepack::render::registry().names())
}

#[derive(Clone, Copy, ValueEnum)]
enum DiffFormatArg {
    Text,
    Json,
    Html,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    Human,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (report, format) = match cli.command {
        Command::Build(BuildCommand {
            build,
            review,
            shard,
        }) => {
            let options = BuildOptions {
                shard,
                ..build.options()
            };
            let report = if review {
                commands::build::review(&cli.project, &options)
            } else {
                commands::build::build(&cli.project, &options)
            };
            (report, ReportFormat::Human)
        }
        Command::Check {
            format,
            external,
            strict,
        } => {
            let options = commands::check::CheckOptions { external, strict };
            (commands::check::check_with(&cli.project, &options), format)
        }
        Command::Watch(args) => return watch(&cli.project, args.options(), None),
        Command::Serve(args) => {
            let address = (args.bind, args.port);
            return watch(&cli.project, args.build.options(), Some(address));
        }
        Command::Release {
            force,
            verify,
            area,
            cache,
            quiet,
            shard,
            out,
        } => {
            // `--verify` makes every pack again: it never reads the cache.
            let cache = cache.choice();
            let share = shard.map(|shard| commands::release::Share { shard, out });
            let report = match (verify, area) {
                (Some(version), Some(area)) => {
                    commands::verify::verify_area(&cli.project, &version, &area)
                }
                (Some(version), None) => commands::verify::verify(&cli.project, &version),
                (None, Some(area)) => {
                    commands::release_area::release_area(&cli.project, &area, force, &cache, quiet)
                }
                // clap refuses `--shard` with `--verify` or `--area`.
                (None, None) => {
                    commands::release::release(&cli.project, force, &cache, quiet, share)
                }
            };
            (report, ReportFormat::Human)
        }
        Command::Diff {
            from,
            to,
            audience,
            area,
            format,
        } => {
            let format = match format {
                DiffFormatArg::Text => DiffFormat::Text,
                DiffFormatArg::Json => DiffFormat::Json,
                DiffFormatArg::Html => DiffFormat::Html,
            };
            let report = commands::diff::diff(
                &cli.project,
                &from,
                to.as_deref(),
                audience.as_deref(),
                area.as_deref(),
                format,
            );
            (report, ReportFormat::Human)
        }
        Command::Merge { shards, out, force } => {
            let options = commands::merge::MergeOptions { shards, out, force };
            (
                commands::merge::merge(&cli.project, &options),
                ReportFormat::Human,
            )
        }
        Command::NewArea { id } => (
            commands::new_area::new_area(&cli.project, &id),
            ReportFormat::Human,
        ),
        Command::New { dir } => match commands::new::new(&dir) {
            commands::new::Created::Done(lines) => {
                for line in lines {
                    println!("{line}");
                }
                return ExitCode::SUCCESS;
            }
            commands::new::Created::Failed(mistake) => {
                eprint!("{}", render_human(&[mistake], &Default::default()));
                return ExitCode::from(1);
            }
        },
    };
    print_report(&report, format)
}

/// `watch`, or `serve` when given an address: runs until Ctrl-C.
fn watch(
    project: &std::path::Path,
    mut build: BuildOptions,
    serve: Option<(std::net::IpAddr, u16)>,
) -> ExitCode {
    match build.output_dir(project) {
        Ok(out) => build.out = Some(out),
        Err(d) => {
            eprintln!(
                "error: {}\nhelp: {}",
                d.message,
                d.help.as_deref().unwrap_or_default()
            );
            return ExitCode::from(2);
        }
    }
    let control = guidepack::watch::Control::default();
    let stop = control.stop.clone();
    if let Err(err) =
        ctrlc::set_handler(move || stop.store(true, std::sync::atomic::Ordering::SeqCst))
    {
        eprintln!("warning: Ctrl-C will end guidepack abruptly: {err}");
    }
    let status = match serve {
        None => commands::watch::run(project, &build, &control, &mut |_| {}),
        Some((bind, port)) => {
            let options = commands::serve::ServeOptions { build, bind, port };
            commands::serve::run(project, &options, &control)
        }
    };
    match status {
        Status::Success => ExitCode::SUCCESS,
        Status::ProjectErrors => ExitCode::from(1),
        Status::Usage => ExitCode::from(2),
        Status::Partial => ExitCode::from(3),
    }
}

/// Prints what a command found: for people, the findings on stderr and the summary on stdout;
/// as JSON, only JSON lines on stdout (for CI to parse) and the summary on stderr.
fn print_report(report: &Report, format: ReportFormat) -> ExitCode {
    let mut stderr = std::io::stderr().lock();
    let mut stdout = std::io::stdout().lock();
    match format {
        ReportFormat::Human => {
            let text = render_human(&report.diagnostics, &report.sources);
            let _ = stderr.write_all(text.as_bytes());
            let errors = report.diagnostics.iter().filter(|d| d.is_error()).count();
            let what = if errors == 1 { "error" } else { "errors" };
            if errors > 0 && report.writes {
                let _ = writeln!(
                    stderr,
                    "{errors} {what}: nothing was written; the previous output is unchanged"
                );
            }
            for line in &report.summary {
                let _ = writeln!(stdout, "{line}");
            }
        }
        ReportFormat::Json => {
            let _ = stdout.write_all(render_json(&report.diagnostics).as_bytes());
            for line in &report.summary {
                let _ = writeln!(stderr, "{line}");
            }
        }
    }
    match report.status {
        Status::Success => ExitCode::SUCCESS,
        Status::ProjectErrors => ExitCode::from(1),
        Status::Usage => ExitCode::from(2),
        Status::Partial => ExitCode::from(3),
    }
}
