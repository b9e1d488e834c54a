//! Large packs: what a page repeats stays bounded (navigation of a long pack), and the
//! near-linear algorithms (unique heading ids, accountability circles, framework lookups, word
//! positions) give the same answers as before. How long they take is measured by
//! `benches/scaling.py`, not here: no test asserts a time.

use crate::harness::{Project, stderr_snapshot};

/// A pack with `n` small chapters (`c000.html` …), the first a draft.
fn long_pack(n: usize) -> Project {
    let mut p = Project::minimal();
    for i in 0..n {
        let draft = if i == 0 { "\ndraft: true" } else { "" };
        p = p.chapter(
            &format!("02-c{i:03}.md"),
            &format!("title: Chapter {i}\nid: c{i:03}\nsummary: About {i}.{draft}"),
            "Text.\n",
        );
    }
    p
}

/// The `href`s of a page's side navigation (the wide-screen list).
fn sidenav_links(html: &str) -> Vec<String> {
    let nav = html
        .split("<nav class=\"gp-sidenav\"")
        .nth(1)
        .and_then(|n| n.split("</nav>").next())
        .unwrap_or_else(|| panic!("no side navigation in\n{html}"));
    let list = nav.split("</ol>").next().unwrap_or(nav);
    list.split("href=\"")
        .skip(1)
        .filter_map(|h| h.split('"').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn a_long_pack_lists_the_nearby_chapters_on_each_page_and_all_on_the_contents_page() {
    // 70 chapters, the minimal fixture's own and the role directory: 72 in the pack.
    let p = long_pack(70);
    p.build_html();
    let dir = "output/2.0.0/providers";
    let page = p.read(&format!("{dir}/c040.html"));
    let links = sidenav_links(&page);
    let chapters: Vec<&String> = links.iter().filter(|h| *h != "index.html").collect();
    // c040 is the 42nd chapter: five on either side of it.
    let expected: Vec<String> = (35..=45).map(|i| format!("c{i:03}.html")).collect();
    assert_eq!(chapters, expected.iter().collect::<Vec<_>>(), "{links:?}");
    assert!(
        page.contains(">36 earlier chapters: see the pack contents</a>"),
        "{page}"
    );
    assert!(
        page.contains(">25 later chapters: see the pack contents</a>"),
        "{page}"
    );
    assert!(
        page.contains("aria-current=\"page\""),
        "the current chapter is marked"
    );
    // The narrow-screen copy is bounded too: nothing on the page links to a far chapter.
    assert!(
        !page.contains("c000.html") && !page.contains("c069.html"),
        "{page}"
    );

    // At the ends, the window is cut, not shifted, and only one "more" line shows.
    let first = p.read(&format!("{dir}/intro.html"));
    assert!(!first.contains("earlier chapter"), "{first}");
    assert!(first.contains(">66 later chapters: see the pack contents</a>"));
    let last = p.read(&format!("{dir}/role-directory.html"));
    assert!(last.contains(">66 earlier chapters: see the pack contents</a>"));
    assert!(!last.contains("later chapter"));

    // The contents page lists every chapter, with its summary.
    let contents = p.read(&format!("{dir}/index.html"));
    for i in 0..70 {
        assert!(
            contents.contains(&format!("href=\"c{i:03}.html\"")),
            "c{i:03}"
        );
        assert!(contents.contains(&format!("About {i}.")), "summary {i}");
    }
    // A draft chapter still says so on its page and on the one-page version.
    let draft = p.read(&format!("{dir}/c000.html"));
    assert!(draft.contains("This chapter is a draft."), "{draft}");
    let all = p.read(&format!("{dir}/all.html"));
    assert_eq!(all.matches("This chapter is a draft.").count(), 1);
}

#[test]
fn an_ordinary_pack_lists_every_chapter_on_every_page() {
    // 58 chapters, the fixture's own and the role directory: 60, the most listed in full.
    let p = long_pack(58);
    p.build_html();
    let page = p.read("output/2.0.0/providers/c030.html");
    let links = sidenav_links(&page);
    assert_eq!(
        links.iter().filter(|h| *h != "index.html").count(),
        60,
        "{links:?}"
    );
    assert!(!page.contains("earlier chapter") && !page.contains("later chapter"));
}

#[test]
fn the_size_of_a_long_pack_grows_with_its_chapters_not_their_square() {
    // Each chapter page is the same size whatever the pack's length, once past the limit.
    let size = |n: usize| {
        let p = long_pack(n);
        p.build_html();
        p.read("output/2.0.0/providers/c050.html").len()
    };
    let (short, long) = (size(80), size(240));
    assert!(
        long.abs_diff(short) < 200,
        "a chapter page of a pack of 80 chapters has {short} bytes, of 240 chapters {long}"
    );
}

#[test]
fn headings_with_the_same_text_get_the_next_free_number() {
    let body = "## Duties\n\nA.\n\n## Duties {#duties-3}\n\nB.\n\n".to_string()
        + &"## Duties\n\nC.\n\n".repeat(400);
    let p = Project::minimal()
        .chapter("02-same.md", "title: Same", &body)
        .chapter(
            "03-more.md",
            "title: More",
            "## Duties\n\nD.\n\n## Duties-2\n\nE.\n",
        );
    p.build_html();
    let page = p.read("output/2.0.0/providers/same.html");
    let ids: Vec<&str> = page
        .split("<h2 id=\"")
        .skip(1)
        .filter_map(|h| h.split('"').next())
        .collect();
    let mut expected = vec![
        "duties".to_string(),
        "duties-3".to_string(),
        "duties-2".to_string(),
    ];
    expected.extend((4..=402).map(|n| format!("duties-{n}")));
    assert_eq!(ids, expected);
    let more = p.read("output/2.0.0/providers/more.html");
    // `## Duties-2` makes `duties-2`, taken in the chapter before: the next free one.
    assert!(more.contains("<h2 id=\"duties-403\">"), "{more}");
    assert!(more.contains("<h2 id=\"duties-2-2\">"), "{more}");
}

/// A framework file of `n` roles in a chain, `role-k` accountable to `role-(k-1)`.
fn chain(n: usize, extra: &str) -> String {
    let mut text = String::new();
    for k in 0..n {
        let to = if k == 0 {
            String::new()
        } else {
            format!("\"role-{}\"", k - 1)
        };
        text += &format!(
            "[[role]]\nid = \"role-{k}\"\nname = \"Role {k}\"\nkind = \"post\"\naccountable_to = [{to}]\naudiences = [\"providers\"]\n\n"
        );
    }
    text + extra
}

#[test]
fn every_circle_of_accountability_is_reported_once_the_shortest_way_round() {
    // Two separate circles, one through a long chain, and a role accountable to itself.
    let extra = "[[role]]\nid = \"a\"\nname = \"A\"\nkind = \"post\"\naccountable_to = [\"b\"]\n\n\
                 [[role]]\nid = \"b\"\nname = \"B\"\nkind = \"post\"\naccountable_to = [\"a\"]\n\n\
                 [[role]]\nid = \"self\"\nname = \"Self\"\nkind = \"post\"\naccountable_to = [\"self\"]\n\n\
                 [[role]]\nid = \"top\"\nname = \"Top\"\nkind = \"post\"\naccountable_to = [\"role-2999\"]\n";
    let text = chain(3000, extra).replacen(
        "id = \"role-0\"\nname = \"Role 0\"\nkind = \"post\"\naccountable_to = []",
        "id = \"role-0\"\nname = \"Role 0\"\nkind = \"post\"\naccountable_to = [\"top\"]",
        1,
    );
    let run = Project::minimal()
        .file("content/framework/chain.toml", &text)
        .run(&["check"])
        .expect(1);
    let circles: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("error: accountability goes round in a circle"))
        .collect();
    assert_eq!(circles.len(), 3, "{circles:?}");
    // From the circle's first role by id, the one way round.
    let long = ["role-0".to_string(), "top".to_string()]
        .into_iter()
        .chain((0..3000).rev().map(|k| format!("role-{k}")))
        .collect::<Vec<_>>()
        .join(" → ");
    let run = stderr_snapshot!(run);
    assert!(
        run.stderr
            .contains(&format!("accountability goes round in a circle: {long}\n")),
        "the long circle"
    );
}

#[test]
fn many_roles_and_duties_in_one_file_are_found_and_placed() {
    // 2,000 roles and 6,000 duties in one file; one duty names a role that is not there.
    let mut text = chain(2000, "");
    for d in 0..6000 {
        let role = if d == 5999 {
            "role-x1999".to_string()
        } else {
            format!("role-{}", d % 2000)
        };
        text += &format!(
            "[[duty]]\nid = \"duty-{d}\"\nrole = \"{role}\"\ntext = \"Duty {d}.\"\naudiences = [\"providers\"]\n\n"
        );
    }
    let p = Project::minimal().file("content/framework/big.toml", &text);
    stderr_snapshot!(p.run(&["check"]).expect(1));

    let fixed = text.replace("role = \"role-x1999\"", "role = \"role-1999\"");
    let p = p.file("content/framework/big.toml", &fixed);
    p.build_html();
    let directory = p.read("output/2.0.0/providers/role-directory.html");
    // Role 1999 holds duties 1999, 3999 and 5999, in the order of the data.
    let entry = directory
        .split("id=\"role:role-1999\"")
        .nth(1)
        .and_then(|e| e.split("</div>").next())
        .unwrap();
    let duties: Vec<&str> = entry
        .split("<li>")
        .skip(1)
        .filter_map(|d| d.split(' ').nth(1))
        .collect();
    assert_eq!(duties, ["1999.", "3999.", "5999."], "{entry}");
    assert!(entry.contains("href=\"#role:role-1998\""), "{entry}");
}

#[test]
fn an_unknown_acronym_is_placed_at_its_first_use_among_many() {
    let mut body = String::new();
    for k in 0..3000 {
        body += &format!("Word{k} here.\n\n");
    }
    body += "The ABCs and the QQX lead. QQX again.\n";
    let p = Project::minimal().chapter("02-acr.md", "title: Acronyms", &body);
    stderr_snapshot!(p.run(&["check"]).expect(0));
}
