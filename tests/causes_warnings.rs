//! Issue 12, points 8 and 9: a broken record is reported first and what only follows from it
//! is dropped or marked; warnings reach the writer in the preview page and its status.

use crate::harness::{Project, Run, stderr_snapshot};

/// The sample pack with `from` replaced by `to` in `file` (which must hold `from`).
fn sample_with(file: &str, from: &str, to: &str) -> Project {
    let p = Project::sample();
    let text = p.read(file);
    assert!(text.contains(from), "{file} has no {from:?}");
    let changed = text.replacen(from, to, 1);
    p.file(file, &changed)
}

/// The first diagnostic of a human report.
fn first(run: &Run) -> &str {
    run.stderr.split("\n\n").next().unwrap_or("")
}

/// The JSON lines of `check --format json`.
fn json_lines(p: &Project) -> Vec<serde_json::Value> {
    let run = p.run(&["check", "--format", "json"]).expect(1);
    run.stderr
        .lines()
        .chain(run.stdout.lines())
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

const CCG_KIND: &str =
    "id = \"ccg\"\nname = \"Clinical commissioning group\"\nkind = \"organisation\"";

#[test]
fn a_role_of_an_unknown_kind_is_the_one_error_not_the_links_to_it() {
    let p = sample_with(
        "content/framework/roles.toml",
        CCG_KIND,
        "id = \"ccg\"\nname = \"Clinical commissioning group\"\nkind = \"person\"",
    );
    let run = p.run(&["check"]).expect(1);
    assert!(
        first(&run).starts_with(
            "error: `person` is not an allowed value here\n --> content/framework/roles.toml:"
        ),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("there is no role"),
        "links, directives and duties naming the role follow from its error:\n{}",
        run.stderr
    );
    assert!(run.stdout.contains("1 error,"), "{}", run.stdout);

    let lines = json_lines(&p);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["file"], "content/framework/roles.toml");
    assert_eq!(lines[0]["message"], "`person` is not an allowed value here");
}

#[test]
fn the_other_records_of_a_file_still_load() {
    // A wrong kind of value in one role: the roles beside it are still there, so their
    // duties and the links to them are checked as usual (and the typo below is found).
    let p = sample_with(
        "content/framework/roles.toml",
        CCG_KIND,
        "id = \"ccg\"\nname = \"Clinical commissioning group\"\nkind = 7",
    )
    .chapter(
        "50-extra.md",
        "title: Extra",
        "See the [trust](role:provider-trusst).\n",
    );
    let run = p.run(&["check"]).expect(1);
    assert!(
        first(&run).contains(" --> content/framework/roles.toml:"),
        "{}",
        run.stderr
    );
    stderr_snapshot!(run);
}

#[test]
fn a_broken_duty_or_statute_is_the_one_error() {
    let p = sample_with(
        "content/framework/duties.toml",
        "role = \"ccg\"",
        "role = [\"ccg\"]",
    );
    let run = p.run(&["check"]).expect(1);
    assert!(
        first(&run).contains(" --> content/framework/duties.toml:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.contains("1 error,"),
        "{}\n{}",
        run.stdout,
        run.stderr
    );

    // Duties rest on it and chapters link to it with `statute:`.
    let p = sample_with(
        "content/framework/statutes.toml",
        "id = \"children-act-1989-s17\"",
        "id = \"children-act-1989-s17\"\ncommencement = 1989",
    );
    let run = stderr_snapshot!(p.run(&["check"]).expect(1));
    assert!(
        !run.stderr.contains("there is no statute"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("1 error,"), "{}", run.stdout);
}

#[test]
fn a_framework_file_that_is_not_valid_toml_comes_first() {
    // The quotation mark is never closed, but the ids of the file can still be read: what
    // names them is not an error of its own.
    let p = sample_with(
        "content/framework/roles.toml",
        CCG_KIND,
        "id = \"ccg\"\nname = \"Clinical commissioning group\nkind = \"organisation\"",
    );
    let run = p.run(&["check"]).expect(1);
    assert!(
        first(&run).starts_with(
            "error: this quotation mark is never closed\n --> content/framework/roles.toml:"
        ),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("there is no role"), "{}", run.stderr);

    // A table header broken so that the role's id is lost: the references that may follow
    // from it come after it, each marked with the error they may follow from.
    let p = sample_with(
        "content/framework/roles.toml",
        "[[role]]\nid = \"ccg\"",
        "[[role]\nid = \"ccg\"",
    );
    let run = p.run(&["check"]).expect(1);
    let root = first(&run);
    assert!(
        root.starts_with(
            "error: unclosed array table, expected `]`\n --> content/framework/roles.toml:"
        ),
        "{}",
        run.stderr
    );
    let place = root.lines().nth(1).unwrap().trim_start_matches(" --> ");
    let knock_ons: Vec<&str> = run
        .stderr
        .split("\n\n")
        .filter(|d| d.contains("there is no role `ccg`"))
        .collect();
    assert!(knock_ons.len() > 3, "{}", run.stderr);
    for d in knock_ons {
        assert!(
            d.contains(&format!(
                "note: this may only follow from the error at {place}: fix that one first"
            )),
            "{d}"
        );
    }
    let lines = json_lines(&p);
    assert_eq!(lines[0]["message"], "unclosed array table, expected `]`");
    assert!(lines[0].get("follows_from").is_none(), "{}", lines[0]);
    let (line, column) = (lines[0]["line"].clone(), lines[0]["column"].clone());
    for later in &lines[1..] {
        assert_eq!(
            later["follows_from"]["file"],
            "content/framework/roles.toml"
        );
        assert_eq!(later["follows_from"]["line"], line, "{later}");
        assert_eq!(later["follows_from"]["column"], column, "{later}");
    }
}

#[test]
fn a_broken_area_is_the_error_not_the_area_it_leaves_out() {
    let p = sample_with(
        "content/areas/northshire/area.toml",
        "name = \"Northshire\"",
        "name = Northshire",
    );
    let run = p
        .run(&["build", "--area", "northshire", "--format", "html"])
        .expect(1);
    assert!(
        first(&run).contains(" --> content/areas/northshire/area.toml:1:"),
        "{}",
        run.stderr
    );
    // Then "there is no area `northshire`", marked as following from it.
    stderr_snapshot!(run);
    assert!(!p.exists("output"), "nothing is written");
    let run = p.run(&["check"]).expect(1);
    assert!(run.stdout.contains("1 error,"), "{}", run.stdout);
    let lines = json_lines(&p);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["file"], "content/areas/northshire/area.toml");
}

#[test]
fn a_broken_glossary_does_not_bring_a_warning_for_every_acronym() {
    let p = sample_with(
        "content/glossary.toml",
        "CCG = \"clinical commissioning group\"",
        "CCG = clinical commissioning group",
    );
    let run = p.run(&["check"]).expect(1);
    assert!(
        first(&run).contains(" --> content/glossary.toml:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.contains("1 error, 0 warnings"),
        "{}\n{}",
        run.stdout,
        run.stderr
    );

    // One term of the wrong kind: the others still explain their acronyms.
    let p = sample_with(
        "content/glossary.toml",
        "CCG = \"clinical commissioning group\"",
        "CCG = 1",
    );
    let run = p.run(&["check"]).expect(1);
    assert!(
        run.stdout.contains("1 error, 0 warnings"),
        "{}\n{}",
        run.stdout,
        run.stderr
    );
}

// ---------------------------------------------------------------- point 9: warnings

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::Instant;

use crate::serve::{Browser, Running, WAIT, wait_until, write};

const INTRO: &str = "/2.0.0/providers/intro.html";

/// A commissioners-only chapter with a relative link: a warning found only while resolving
/// the commissioners' pack.
const LOCAL: &str =
    "---\ntitle: Local\naudiences: [commissioners]\n---\n\nSee [the old page](old/page.html).\n";

/// A providers-only chapter.
const PROV: &str = "---\ntitle: Prov\naudiences: [providers]\n---\n\nProvider text.\n";

/// The first event at or after build `since` (`since=0`: the state now).
fn event_since(port: u16, since: u64) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        stream,
        "GET /__guidepack/events?since={since} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .unwrap();
    let mut text = String::new();
    let mut buffer = [0u8; 8192];
    let start = Instant::now();
    while start.elapsed() < WAIT {
        let event_done = text
            .find("event:")
            .is_some_and(|at| text[at..].contains("\n\n"));
        if event_done {
            break;
        }
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(n) => text.push_str(&String::from_utf8_lossy(&buffer[..n])),
        }
    }
    text
}

/// The messages of the status's warnings.
fn warning_messages(status: &serde_json::Value) -> Vec<String> {
    status["warnings"]
        .as_array()
        .unwrap_or_else(|| panic!("no warnings array in {status}"))
        .iter()
        .map(|w| {
            format!(
                "{}:{}: {}",
                w["file"].as_str().unwrap_or(""),
                w["line"],
                w["message"].as_str().unwrap_or("")
            )
        })
        .collect()
}

#[test]
fn warnings_reach_the_preview_page_and_its_status_and_stay_current() {
    let p = Project::minimal()
        .file("content/02-local.md", LOCAL)
        .file("content/03-prov.md", PROV);
    let server = Running::start(&p, "serve", &["--format", "html"]);
    let link = "content/02-local.md:6: the link `old/page.html` is kept as written and may not work in the published pack";

    // The status: a warnings array beside the errors, the other fields as they were.
    let status = server.status();
    for key in ["generation", "ok", "paths", "all", "text", "errors"] {
        assert!(status.get(key).is_some(), "{key} is gone: {status}");
    }
    assert_eq!(warning_messages(&status), [link], "{status}");

    // The page of another pack shows the notice, without JavaScript: a labelled region with
    // a heading, each warning's place and message.
    let page = server.get(INTRO).body;
    let notice = page
        .split("<aside id=\"guidepack-warnings\"")
        .nth(1)
        .and_then(|rest| rest.split("</aside>").next())
        .unwrap_or_else(|| panic!("no notice in the page:\n{page}"));
    assert!(notice.contains("aria-labelledby=\"guidepack-warnings-title\""));
    assert!(notice.contains("<h2 id=\"guidepack-warnings-title\""));
    assert!(
        notice.contains(">1 warning in the last build</h2>"),
        "{notice}"
    );
    assert!(
        notice
            .contains("content/02-local.md:6:5</code> the link `old/page.html` is kept as written"),
        "{notice}"
    );
    assert!(notice.contains("<button type=\"button\" data-guidepack-dismiss"));
    let body_at = page.find("<body").unwrap();
    let notice_at = page.find("<aside id=\"guidepack-warnings\"").unwrap();
    let main_at = page.find("<main").unwrap();
    assert!(
        body_at < notice_at && notice_at < main_at,
        "the notice opens the page"
    );
    let on_disk = p.read("output/2.0.0/providers/intro.html");
    assert!(
        !on_disk.contains("guidepack-warnings"),
        "the published page has no notice"
    );

    // A change that rebuilds only the providers' packs: the commissioners' warning stays.
    let generation = status["generation"].as_u64().unwrap();
    write(
        &p,
        "content/03-prov.md",
        &PROV.replace("Provider text.", "Provider text, with <b>bold</b>."),
    );
    server.wait_for_text("/2.0.0/providers/prov.html", "Provider text, with");
    let status = server.status_after(generation);
    let messages = warning_messages(&status);
    assert!(messages.contains(&link.to_string()), "{messages:?}");
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("content/03-prov.md:6: raw HTML is not allowed")),
        "{messages:?}"
    );
    assert!(
        server
            .get(INTRO)
            .body
            .contains(">3 warnings in the last build</h2>")
    );

    // The link is fixed in a chapter the providers' page does not show: the page's notice is
    // current when fetched again, and the event that tells open pages carries it.
    write(
        &p,
        "content/02-local.md",
        &LOCAL.replace("old/page.html", "#local"),
    );
    let gone = wait_until(WAIT, || {
        !warning_messages(&server.status()).contains(&link.to_string())
    });
    assert!(gone, "{}", server.output());
    let page = server.get(INTRO).body;
    assert!(
        page.contains(">2 warnings in the last build</h2>"),
        "{page}"
    );
    assert!(!page.contains("old/page.html"));
    let event = event_since(server.port, 0);
    assert!(event.contains("event: reload"), "{event}");
    let data: serde_json::Value = serde_json::from_str(
        event
            .lines()
            .find_map(|l| l.strip_prefix("data: "))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(data["warnings"].as_array().unwrap().len(), 2, "{data}");
    assert!(
        data["notice"]
            .as_str()
            .unwrap()
            .contains(">2 warnings in the last build</h2>"),
        "{data}"
    );

    // No warnings, no notice.
    write(&p, "content/03-prov.md", PROV);
    let none = wait_until(WAIT, || warning_messages(&server.status()).is_empty());
    assert!(none, "{}", server.output());
    let page = server.get(INTRO).body;
    assert!(!page.contains("<aside id=\"guidepack-warnings\""), "{page}");
    assert_eq!(server.status()["warnings"], serde_json::json!([]));
}

/// In a real browser: the notice of an open page follows the builds without a reload, its
/// button hides it and moves the focus on, and it stays hidden until the warnings change.
#[test]
fn the_notice_updates_live_and_can_be_hidden_in_a_real_browser() {
    let chromium = Path::new("/usr/bin/chromium");
    if !crate::harness::required_tool(chromium.exists(), "/usr/bin/chromium", "chromium") {
        return;
    }
    let quiet = LOCAL.replace("[the old page](old/page.html)", "the local page");
    let p = Project::minimal().file("content/02-local.md", &quiet);
    let server = Running::start(&p, "serve", &["--format", "html"]);
    let profile = tempfile::tempdir().unwrap();
    let browser = Browser::start(chromium, profile.path());
    let mut page = browser.page();
    let url = format!("http://127.0.0.1:{}{INTRO}", server.port);
    page.call("Page.navigate", serde_json::json!({ "url": url }));
    assert!(
        page.wait_for(
            "document.readyState === 'complete' && document.body.innerText.includes('Intro text')"
        ),
        "the page never loaded\n{}",
        server.output()
    );
    assert_eq!(
        page.eval("document.getElementById('guidepack-warnings') === null"),
        true
    );
    page.eval("window.guidepackTestMarker = 'first document'; true");

    // A warning in a chapter of another pack: this page is not rebuilt, its notice appears
    // in place.
    write(&p, "content/02-local.md", LOCAL);
    let shown = page.wait_for(
        "(function () { var n = document.getElementById('guidepack-warnings'); \
         return !!n && n.offsetHeight > 0 && n.innerText.includes('old/page.html'); })()",
    );
    assert!(shown, "the notice never appeared\n{}", server.output());
    assert_eq!(
        page.eval("window.guidepackTestMarker"),
        "first document",
        "the page was not reloaded for it"
    );
    let region = page.eval(
        "(function () { var n = document.getElementById('guidepack-warnings'); \
         var h = document.getElementById(n.getAttribute('aria-labelledby')); \
         var b = n.querySelector('button'); \
         return [n.tagName, h.tagName, h.textContent, b.tagName, b.type, b.offsetHeight > 0, b.textContent].join('|'); })()",
    );
    assert_eq!(
        region,
        "ASIDE|H2|1 warning in the last build|BUTTON|button|true|Hide these warnings"
    );

    // The button hides it and puts the focus on the main content.
    page.eval("document.querySelector('#guidepack-warnings button').focus(); document.querySelector('#guidepack-warnings button').click(); true");
    assert!(page.wait_for("document.getElementById('guidepack-warnings').offsetHeight === 0"));
    assert_eq!(page.eval("document.activeElement.tagName"), "MAIN");

    // Hidden it stays, over a reload, while the warnings are the same ones.
    page.eval("location.reload(); true");
    assert!(page.wait_for(
        "document.readyState === 'complete' && typeof window.guidepackTestMarker === 'undefined' \
         && !!document.getElementById('guidepack-warnings')"
    ));
    assert_eq!(
        page.eval("document.getElementById('guidepack-warnings').offsetHeight"),
        0
    );

    // New warnings bring it back.
    write(
        &p,
        "content/02-local.md",
        &LOCAL.replace("(old/page.html)", "(old/page.html) and <b>bold</b>"),
    );
    let back = page.wait_for(
        "(function () { var n = document.getElementById('guidepack-warnings'); \
         return !!n && n.offsetHeight > 0 && n.innerText.includes('raw HTML'); })()",
    );
    assert!(back, "the notice did not come back\n{}", server.output());
}
