//! Benchmark of the live preview (not a test): starts `guidepack serve` on a copy of a
//! project, saves a chapter again and again, and measures how long until the served page shows
//! the new text (polling it over HTTP) and until the new PDF is served (the server's reload
//! event, then a check that the PDF's bytes changed). Reports median and 95th percentile, and
//! the server's resident memory over many rebuilds.
//!
//! ```text
//! cargo build && cargo run --example serve_bench -- \
//!     --project . --chapter content/03-principles.md --page /1.0.0/providers/principles.html \
//!     [--pdf /1.0.0/providers/<name>.pdf] [--runs 30] [--rebuilds 1000] [--every 250] [-- <serve options>]
//! ```

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

struct Options {
    bin: PathBuf,
    project: PathBuf,
    chapter: String,
    page: String,
    pdf: Option<String>,
    runs: usize,
    rebuilds: usize,
    /// How many rebuilds between two readings of the resident size.
    every: usize,
    serve_args: Vec<String>,
}

fn options() -> Options {
    let mut args = std::env::args().skip(1);
    let mut o = Options {
        bin: Path::new(env!("CARGO_MANIFEST_DIR")).join("target/debug/guidepack"),
        project: PathBuf::from("."),
        chapter: String::new(),
        page: String::new(),
        pdf: None,
        runs: 30,
        rebuilds: 0,
        every: 250,
        serve_args: Vec::new(),
    };
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .unwrap_or_else(|| usage(&format!("{arg} needs a value")))
        };
        match arg.as_str() {
            "--bin" => o.bin = PathBuf::from(value()),
            "--project" => o.project = PathBuf::from(value()),
            "--chapter" => o.chapter = value(),
            "--page" => o.page = value(),
            "--pdf" => o.pdf = Some(value()),
            "--runs" => o.runs = value().parse().unwrap_or_else(|_| usage("--runs N")),
            "--rebuilds" => o.rebuilds = value().parse().unwrap_or_else(|_| usage("--rebuilds N")),
            "--every" => {
                o.every = value().parse().unwrap_or_else(|_| usage("--every N"));
                if o.every == 0 {
                    usage("--every must be at least 1");
                }
            }
            "--" => {
                o.serve_args = args.by_ref().collect();
            }
            other => usage(&format!("unknown option {other}")),
        }
    }
    if o.chapter.is_empty() || o.page.is_empty() {
        usage("--chapter and --page are needed");
    }
    o
}

fn usage(message: &str) -> ! {
    eprintln!("serve_bench: {message}");
    eprintln!(
        "usage: serve_bench --project DIR --chapter content/x.md --page /V/AUD/x.html [--pdf /V/AUD/x.pdf] [--runs N] [--rebuilds N] [--every N] [--bin PATH] [-- serve options]"
    );
    std::process::exit(2)
}

/// The server, killed on drop.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("read folder") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

fn get(port: u16, path: &str) -> Vec<u8> {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return Vec::new();
    };
    let _ = write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    );
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    let at = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(bytes.len(), |i| i + 4);
    bytes.split_off(at)
}

/// The reload events of the server, each with the moment it arrived.
fn events(port: u16) -> Receiver<(Instant, String)> {
    let (send, receive) = channel();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let _ = write!(
        stream,
        "GET /__guidepack/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    );
    std::thread::spawn(move || {
        let mut name = String::new();
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if let Some(n) = line.strip_prefix("event: ") {
                name = n.to_string();
            } else if let Some(data) = line.strip_prefix("data: ")
                && send
                    .send((Instant::now(), format!("{name} {data}")))
                    .is_err()
            {
                return;
            }
        }
    });
    receive
}

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn report(name: &str, mut ms: Vec<f64>) {
    ms.sort_by(f64::total_cmp);
    println!(
        "{name}: n={} median={:.1} ms p95={:.1} ms min={:.1} ms max={:.1} ms",
        ms.len(),
        percentile(&ms, 50.0),
        percentile(&ms, 95.0),
        ms.first().copied().unwrap_or(f64::NAN),
        ms.last().copied().unwrap_or(f64::NAN)
    );
}

fn main() {
    let o = options();
    let work = tempfile::tempdir().expect("temporary folder");
    let root = work.path();
    std::fs::copy(
        o.project.join("guidepack.toml"),
        root.join("guidepack.toml"),
    )
    .expect("config");
    for folder in ["content", "templates", "releases"] {
        if o.project.join(folder).is_dir() {
            copy_dir(&o.project.join(folder), &root.join(folder));
        }
    }
    let mut child = Command::new(&o.bin)
        .arg("--project")
        .arg(root)
        .args(["serve", "--port", "0"])
        .args(&o.serve_args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start guidepack serve");
    let stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut server = Server { child, port: 0 };
    let (lines_in, lines) = channel();
    std::thread::spawn(move || {
        for line in stdout.lines().map_while(Result::ok) {
            let _ = lines_in.send(line);
        }
    });
    let start = Instant::now();
    loop {
        let line = lines
            .recv_timeout(Duration::from_secs(300))
            .expect("serve did not start");
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            server.port = rest
                .split('/')
                .next()
                .and_then(|p| p.parse().ok())
                .unwrap_or(0);
        }
        if line.starts_with("watching ") {
            break;
        }
    }
    println!(
        "first build done in {:.2} s; serving on port {}",
        start.elapsed().as_secs_f64(),
        server.port
    );
    std::thread::spawn(move || for _ in lines {});
    let chapter = root.join(&o.chapter);
    let original = std::fs::read_to_string(&chapter).expect("read the chapter");
    let reloads = events(server.port);
    std::thread::sleep(Duration::from_millis(300));

    let mut html_ms = Vec::new();
    let mut pdf_ms = Vec::new();
    let total = o.runs + o.rebuilds;
    let mut rss = vec![(0, rss_kib(server.child.id()))];
    for i in 0..total {
        let marker = format!("Bench marker {i} {}.", start.elapsed().as_nanos());
        let old_pdf = o.pdf.as_ref().map(|p| get(server.port, p));
        while reloads.try_recv().is_ok() {}
        let saved = Instant::now();
        std::fs::write(&chapter, format!("{original}\n\n{marker}\n")).expect("save");
        let limit = Duration::from_secs(60);
        while !String::from_utf8_lossy(&get(server.port, &o.page)).contains(&marker) {
            assert!(saved.elapsed() < limit, "the page never showed {marker}");
            std::thread::sleep(Duration::from_millis(2));
        }
        let html = saved.elapsed();
        let mut pdf = None;
        if let (Some(path), Some(old)) = (&o.pdf, old_pdf) {
            loop {
                let (at, data) = reloads
                    .recv_timeout(limit)
                    .expect("no reload event for the PDF");
                if data.contains(path.as_str()) || data.contains("\"all\":true") {
                    let new = get(server.port, path);
                    if new != old && new.starts_with(b"%PDF") {
                        pdf = Some(at - saved);
                        break;
                    }
                }
            }
        } else {
            // Let the rebuild finish before the next save.
            let _ = reloads.recv_timeout(Duration::from_millis(500));
        }
        if i < o.runs {
            html_ms.push(html.as_secs_f64() * 1000.0);
            if let Some(pdf) = pdf {
                pdf_ms.push(pdf.as_secs_f64() * 1000.0);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        if i + 1 == o.runs || (i + 1 > o.runs && (i + 1 - o.runs).is_multiple_of(o.every)) {
            rss.push((i + 1, rss_kib(server.child.id())));
        }
    }
    std::fs::write(&chapter, &original).expect("restore");
    report("save → new HTML served", html_ms);
    if o.pdf.is_some() {
        report("save → new PDF served", pdf_ms);
    }
    for (n, kib) in rss {
        println!("RSS after {n} rebuilds: {:.1} MiB", kib as f64 / 1024.0);
    }
}
