//! Live reload: the script and the warnings notice the server injects into HTML responses
//! while it serves (the files in the output folder stay free of both), and the pages it makes
//! itself.

use crate::diagnostic::Diagnostic;
use crate::labels::Labels;

/// The URL of the server-sent events.
pub const EVENTS_PATH: &str = "/__guidepack/events";
/// The URL of the build state as JSON.
pub const STATUS_PATH: &str = "/__guidepack/status";

/// The script: listens to the build events; reloads the page when a publish changed it (or
/// when it shows an error), shows a build failure over the page, keeps the warnings notice
/// current and lets the reader hide it (until the warnings change). `__GENERATION__` is the
/// generation of the build the page was served from; `__ANY__` is `true` for pages that must
/// reload after any publish (the server's own pages). The overlay's words come with the
/// `failed` event (`words`: the `preview_*` labels of the project's language).
const SCRIPT: &str = r##"<script data-guidepack-preview>
(function () {
  "use strict";
  var generation = __GENERATION__;
  var any = __ANY__;
  var here = location.pathname;
  if (here.charAt(here.length - 1) === "/") { here += "index.html"; }
  var overlay = null;
  var style = document.createElement("style");
  style.textContent = "#guidepack-warnings button:focus-visible{outline:3px solid #0b0c0c;" +
    "outline-offset:2px;background:#ffdd00;color:#0b0c0c}";
  (document.head || document.documentElement).appendChild(style);
  function dismissed(notice) {
    try { return sessionStorage.getItem("guidepack-dismissed") === notice.getAttribute("data-signature"); }
    catch (e) { return false; }
  }
  function setupNotice() {
    var notice = document.getElementById("guidepack-warnings");
    var button = notice && notice.querySelector("[data-guidepack-dismiss]");
    if (!button) { return; }
    if (dismissed(notice)) { notice.style.display = "none"; }
    button.style.display = "inline-block";
    button.onclick = function () {
      notice.style.display = "none";
      try { sessionStorage.setItem("guidepack-dismissed", notice.getAttribute("data-signature")); } catch (e) {}
      var main = document.getElementById("main-content") || document.querySelector("main");
      if (main) {
        if (!main.hasAttribute("tabindex")) { main.setAttribute("tabindex", "-1"); }
        main.focus();
      }
    };
  }
  function showNotice(html) {
    var old = document.getElementById("guidepack-warnings");
    var fresh = null;
    if (html) {
      var box = document.createElement("div");
      box.innerHTML = html;
      fresh = box.querySelector("#guidepack-warnings");
    }
    if (old && fresh && old.getAttribute("data-signature") === fresh.getAttribute("data-signature")) { return; }
    if (old && fresh) { old.parentNode.replaceChild(fresh, old); }
    else if (old) { old.parentNode.removeChild(old); }
    else if (fresh) { document.body.insertBefore(fresh, document.body.firstChild); }
    setupNotice();
  }
  setupNotice();
  function hide() { if (overlay) { overlay.remove(); overlay = null; } }
  function show(data) {
    hide();
    overlay = document.createElement("div");
    overlay.id = "guidepack-error-overlay";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,20,.82);" +
      "overflow:auto;padding:2rem 1rem;font:16px/1.5 system-ui,sans-serif;";
    var panel = document.createElement("div");
    panel.style.cssText = "max-width:60rem;margin:0 auto;background:#fff;color:#1a1a1a;" +
      "border-top:8px solid #b00020;padding:1.25rem 1.5rem;box-shadow:0 4px 24px #000;";
    var title = document.createElement("h2");
    title.style.cssText = "margin:0 0 .5rem;font-size:1.4rem;color:#b00020;";
    title.textContent = data.words.failed;
    var note = document.createElement("p");
    note.style.cssText = "margin:0 0 1rem;";
    note.textContent = data.words.note;
    var text = document.createElement("pre");
    text.style.cssText = "margin:0;padding:1rem;background:#f4f4f4;color:#1a1a1a;white-space:pre-wrap;" +
      "font:14px/1.45 ui-monospace,Menlo,Consolas,monospace;overflow:auto;";
    text.textContent = data.text;
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = data.words.hide;
    close.style.cssText = "margin-top:1rem;font:inherit;padding:.4rem .9rem;";
    close.onclick = function () { overlay.style.display = "none"; };
    panel.appendChild(title); panel.appendChild(note); panel.appendChild(text); panel.appendChild(close);
    overlay.appendChild(panel);
    document.body.appendChild(overlay);
  }
  function listen() {
    if (!window.EventSource) { return; }
    var events = new EventSource("__EVENTS__?since=" + generation);
    events.addEventListener("reload", function (e) {
      var data = JSON.parse(e.data);
      generation = data.generation;
      if (any || overlay || data.all || data.paths.indexOf(here) >= 0) { location.reload(); return; }
      showNotice(data.notice);
    });
    events.addEventListener("failed", function (e) {
      var data = JSON.parse(e.data);
      generation = data.generation;
      show(data);
    });
  }
  listen();
})();
</script>
"##;

/// The script for a page served from build `generation`.
pub fn script(generation: u64, any: bool) -> String {
    SCRIPT
        .replace("__GENERATION__", &generation.to_string())
        .replace("__ANY__", if any { "true" } else { "false" })
        .replace("__EVENTS__", EVENTS_PATH)
}

/// The HTML with `notice` put in at the start of the body and the script before `</body>`
/// (at the start and the end of the text when it has no body).
pub fn inject(html: &[u8], generation: u64, any: bool, notice: &str) -> Vec<u8> {
    let script = script(generation, any);
    let lower = html.to_ascii_lowercase();
    let end = lower
        .windows(7)
        .rposition(|w| w == b"</body>")
        .unwrap_or(html.len());
    let start = body_start(&lower).filter(|&s| s <= end).unwrap_or(0);
    let start = after_skip_link(&lower[..end], start);
    let mut out = Vec::with_capacity(html.len() + notice.len() + script.len());
    out.extend_from_slice(&html[..start]);
    out.extend_from_slice(notice.as_bytes());
    out.extend_from_slice(&html[start..end]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[end..]);
    out
}

/// Where the body's content starts: after the `<body …>` tag.
fn body_start(lower: &[u8]) -> Option<usize> {
    let open = lower.windows(5).position(|w| w == b"<body")?;
    let after = lower.get(open + 5)?;
    if !(after.is_ascii_whitespace() || *after == b'>') {
        return None;
    }
    let close = lower[open..].iter().position(|&b| b == b'>')?;
    Some(open + close + 1)
}

/// Past the page's skip link when the body opens with one, so that the skip link stays the
/// first thing a keyboard reaches.
fn after_skip_link(lower: &[u8], start: usize) -> usize {
    let rest = &lower[start..];
    let lead = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
    let rest = &rest[lead..];
    if !rest.starts_with(b"<a ") {
        return start;
    }
    let (Some(tag_end), Some(close)) = (
        rest.iter().position(|&b| b == b'>'),
        rest.windows(4).position(|w| w == b"</a>"),
    ) else {
        return start;
    };
    if tag_end < close && rest[..tag_end].windows(9).any(|w| w == b"skip-link") {
        start + lead + close + 4
    } else {
        start
    }
}

/// How many warnings the notice lists before the rest go under "show the other …".
const NOTICE_FIRST: usize = 3;
/// How many it lists at most (the terminal and the status show every one).
const NOTICE_MAX: usize = 200;

/// The notice of the build's warnings, each with its file:line:col and message: a labelled
/// region with a heading, readable without JavaScript; its "Hide" button appears with the
/// script. Empty when there are none.
pub fn notice(warnings: &[Diagnostic], labels: &Labels) -> String {
    if warnings.is_empty() {
        return String::new();
    }
    let count = warnings.len();
    let key = if count == 1 {
        "preview_warning"
    } else {
        "preview_warnings"
    };
    let title = escape(&labels.fill(key, &[("count", &count.to_string())]));
    let item = |w: &Diagnostic| {
        let place = match &w.file {
            Some(file) if w.line > 0 => format!("{file}:{}:{}", w.line, w.column.max(1)),
            Some(file) => file.clone(),
            None => String::new(),
        };
        let help = w.help.as_deref().map_or(String::new(), |h| {
            format!(
                "<br><span style=\"color:#3b3b3b\">help: {}</span>",
                escape(h)
            )
        });
        format!(
            "<li style=\"margin:0 0 .4rem\"><code style=\"font:inherit;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em;background:none;color:#0b0c0c;padding:0\">{}</code> {}{help}</li>\n",
            escape(&place),
            escape(&w.message)
        )
    };
    let list = "margin:0 0 .75rem;padding:0 0 0 1.25rem;list-style:disc";
    let first: String = warnings.iter().take(NOTICE_FIRST).map(item).collect();
    let mut lists = format!("<ul style=\"{list}\">\n{first}</ul>\n");
    if count > NOTICE_FIRST {
        let rest: String = warnings
            .iter()
            .take(NOTICE_MAX)
            .skip(NOTICE_FIRST)
            .map(item)
            .collect();
        let more = if count > NOTICE_MAX {
            let other = (count - NOTICE_MAX).to_string();
            format!(
                "<p style=\"margin:0 0 .5rem\">{}</p>\n",
                escape(&labels.fill("preview_terminal_other", &[("count", &other)]))
            )
        } else {
            String::new()
        };
        let other = (count - NOTICE_FIRST).to_string();
        lists.push_str(&format!(
            "<details style=\"margin:0 0 .75rem\"><summary style=\"cursor:pointer;color:#0b0c0c\">{}</summary>\n<ul style=\"{list}\">\n{rest}</ul>\n{more}</details>\n",
            escape(&labels.fill("preview_show_other", &[("count", &other)]))
        ));
    }
    format!(
        "<aside id=\"guidepack-warnings\" aria-labelledby=\"guidepack-warnings-title\" data-signature=\"{signature}\" \
         style=\"display:block;box-sizing:border-box;width:100%;margin:0;padding:1rem 1.25rem;background:#fff7d6;color:#0b0c0c;\
         border-bottom:4px solid #8a5a00;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Arial,sans-serif;text-align:left\">\n\
         <h2 id=\"guidepack-warnings-title\" style=\"margin:0 0 .25rem;padding:0;border:0;font-size:1.2rem;line-height:1.3;font-weight:700;color:#0b0c0c\">{title}</h2>\n\
         <p style=\"margin:0 0 .5rem\">{note}</p>\n\
         {lists}\
         <button type=\"button\" data-guidepack-dismiss style=\"display:none;font:inherit;margin:0;padding:.35rem .9rem;color:#0b0c0c;background:#fff;border:2px solid #0b0c0c;border-radius:0;cursor:pointer\">{hide}</button>\n\
         <script data-guidepack-preview>(function(){{var n=document.getElementById(\"guidepack-warnings\");try{{if(n&&sessionStorage.getItem(\"guidepack-dismissed\")===n.getAttribute(\"data-signature\")){{n.style.display=\"none\";}}}}catch(e){{}}}})();</script>\n\
         </aside>\n",
        signature = signature(warnings),
        note = escape(labels.get("preview_warnings_note")),
        hide = escape(labels.get("preview_hide_warnings")),
    )
}

/// A short fingerprint of a list of warnings: a notice the reader hid stays hidden until
/// they change (FNV-1a over their places and messages).
fn signature(warnings: &[Diagnostic]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for w in warnings {
        let text = format!(
            "{}:{}:{}:{}\n",
            w.file.as_deref().unwrap_or(""),
            w.line,
            w.column,
            w.message
        );
        for byte in text.bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// A page the server makes itself (no build yet, not found), with the script in it, in
/// `language` with its `labels` (`title` and `text` are in it already).
pub fn page(
    title: &str,
    text: &str,
    generation: u64,
    (labels, language): (&Labels, &str),
) -> Vec<u8> {
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{page_title}</title>\n</head>\n\
         <body style=\"font:18px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a\">\n\
         <main>\n<h1>{title}</h1>\n<p>{text}</p>\n<p><a href=\"/\">{home}</a></p>\n</main>\n</body>\n</html>\n",
        lang = escape(language),
        page_title = escape(&labels.fill("preview_page_title", &[("title", title)])),
        title = escape(title),
        text = escape(text),
        home = escape(labels.get("preview_home")),
    );
    inject(html.as_bytes(), generation, true, "")
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_end_of_the_body() {
        let html = b"<html><body><p>Hi</p></BODY></html>";
        let out = String::from_utf8(inject(html, 7, false, "")).unwrap();
        assert!(out.starts_with("<html><body><p>Hi</p><script data-guidepack-preview>"));
        assert!(out.ends_with("</script>\n</BODY></html>"));
        assert!(out.contains("var generation = 7;") && out.contains("var any = false;"));
        assert!(out.contains("new EventSource(\"/__guidepack/events?since=\""));
    }

    #[test]
    fn pages_without_a_body_get_the_script_at_the_end() {
        let out = String::from_utf8(inject(b"<p>x</p>", 0, true, "")).unwrap();
        assert!(out.starts_with("<p>x</p><script"));
    }

    #[test]
    fn the_notice_opens_the_body_and_escapes_what_it_lists() {
        let w = Diagnostic::warning("raw HTML <b> is shown as text")
            .at("content/a.md", crate::diagnostic::Pos::new(3, 7))
            .help("write \"Markdown\"");
        let notice = notice(std::slice::from_ref(&w), &Labels::default());
        assert!(notice.contains("<code style=\""));
        assert!(notice.contains(">content/a.md:3:7</code> raw HTML &lt;b&gt; is shown as text"));
        assert!(notice.contains("help: write &quot;Markdown&quot;"));
        assert!(notice.contains(">1 warning in the last build</h2>"));
        let html = b"<html><body class=\"gp\"><main>x</main></body></html>";
        let out = String::from_utf8(inject(html, 1, false, &notice)).unwrap();
        assert!(out.starts_with("<html><body class=\"gp\"><aside id=\"guidepack-warnings\""));
        assert!(out.contains("</aside>\n<main>x</main><script"));
        assert_eq!(super::notice(&[], &Labels::default()), "");
        let html = b"<body>\n<a class=\"gp-skip-link\" href=\"#m\">Skip</a>\n<main>x</main></body>";
        let out = String::from_utf8(inject(html, 1, false, &notice)).unwrap();
        assert!(out.starts_with("<body>\n<a class=\"gp-skip-link\" href=\"#m\">Skip</a><aside"));

        let many = vec![w; NOTICE_MAX + 3];
        let notice = super::notice(&many, &Labels::default());
        assert_eq!(notice.matches("<li ").count(), NOTICE_MAX);
        assert!(notice.contains(&format!(
            "Show the other {}</summary>",
            NOTICE_MAX + 3 - NOTICE_FIRST
        )));
        assert!(notice.contains("The terminal shows the other 3."));
    }

    #[test]
    fn own_pages_escape_their_text() {
        let out = String::from_utf8(page("No build", "a <b> & c", 0, (&Labels::default(), "en")))
            .unwrap();
        assert!(out.contains("a &lt;b&gt; &amp; c"));
    }
}
