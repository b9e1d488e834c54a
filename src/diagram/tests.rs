//! Properties every drawing must have, on generated graphs and on the sample's framework: no
//! two boxes overlap, every line is drawn once, no line passes through a box, names fit their
//! boxes, the result is deterministic; and what the compact layout adds.

use super::Placed;
use super::layout;
use super::layout::Style;
use proptest::prelude::*;

/// Whether the segment from `a` to `b` passes through the inside of `r` (its edges, shrunk
/// by half a unit, excluded), by clipping it to the rectangle (Liang–Barsky).
fn crosses(a: (f64, f64), b: (f64, f64), r: &Placed) -> bool {
    let (x0, y0, x1, y1) = (r.x + 0.5, r.y + 0.5, r.x + r.w - 0.5, r.y + r.h - 0.5);
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.0 - x0),
        (dx, x1 - a.0),
        (-dy, a.1 - y0),
        (dy, y1 - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return false;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    t0 < t1
}

/// Every property a drawing must have, for boxes `labels` and acyclic `lines`.
fn check(labels: &[String], lines: &[(usize, usize)]) -> super::Layout {
    let names: Vec<&str> = labels.iter().map(String::as_str).collect();
    let measure = |t: &str| crate::diagram::measure::width(t, 14.0);
    let style = Style::default();
    let laid = layout(&names, lines, &measure, &style);
    assert_eq!(
        laid,
        layout(&names, lines, &measure, &style),
        "not deterministic"
    );
    assert_eq!(laid.boxes.len(), labels.len());
    for (i, a) in laid.boxes.iter().enumerate() {
        assert!(a.x >= 0.0 && a.y >= 0.0, "{a:?}");
        assert!(a.x + a.w <= laid.width + 0.01 && a.y + a.h <= laid.height + 0.01);
        for text in &a.lines {
            assert!(
                measure(text) <= a.w - 2.0 * style.pad_x + 0.01,
                "{text} overflows"
            );
        }
        for b in &laid.boxes[i + 1..] {
            let apart =
                a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
            assert!(apart, "boxes overlap: {a:?} {b:?}");
        }
    }
    let mut wanted: Vec<(usize, usize)> = lines.to_vec();
    wanted.sort_unstable();
    wanted.dedup();
    let drawn: Vec<(usize, usize)> = laid.edges.iter().map(|e| (e.from, e.to)).collect();
    assert_eq!(drawn, wanted, "every line is drawn, once");
    for edge in &laid.edges {
        let (from, to) = (&laid.boxes[edge.from], &laid.boxes[edge.to]);
        let (&first, &last) = (edge.points.first().unwrap(), edge.points.last().unwrap());
        assert_eq!(first.1, from.y, "starts on the top edge");
        assert!(first.0 >= from.x && first.0 <= from.x + from.w);
        assert!(
            (last.1 - (to.y + to.h)).abs() < 0.01,
            "ends on the bottom edge"
        );
        assert!(last.0 >= to.x && last.0 <= to.x + to.w);
        assert!(to.y + to.h < from.y, "the role answered to is above");
        for pair in edge.points.windows(2) {
            for b in &laid.boxes {
                assert!(!crosses(pair[0], pair[1], b), "{pair:?} crosses {b:?}");
            }
        }
    }
    laid
}

const WORDS: [&str; 8] = [
    "Clinical",
    "commissioning",
    "group",
    "NHS",
    "Designated",
    "safeguarding",
    "of",
    "Wellbeing",
];

fn label() -> impl proptest::strategy::Strategy<Value = String> {
    proptest::collection::vec(0..WORDS.len(), 1..9)
        .prop_map(|w| w.iter().map(|&i| WORDS[i]).collect::<Vec<_>>().join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_forests_are_drawn_whole(
        labels in proptest::collection::vec(label(), 1..30),
        picks in proptest::collection::vec(proptest::option::of(0usize..1000), 30),
    ) {
        // Box i (after the first) answers to at most one earlier box.
        let lines: Vec<(usize, usize)> = (1..labels.len())
            .filter_map(|i| picks[i].map(|p| (i, p % i)))
            .collect();
        check(&labels, &lines);
    }

    #[test]
    fn random_acyclic_graphs_are_drawn_whole(
        labels in proptest::collection::vec(label(), 1..25),
        pairs in proptest::collection::vec((0usize..1000, 0usize..1000), 0..50),
    ) {
        // Each line runs from a later box to an earlier one: never a cycle.
        let n = labels.len();
        let lines: Vec<(usize, usize)> = pairs
            .iter()
            .map(|&(a, b)| (a % n, b % n))
            .filter(|(a, b)| a != b)
            .map(|(a, b)| (a.max(b), a.min(b)))
            .collect();
        check(&labels, &lines);
    }
}

#[test]
fn the_samples_framework_is_drawn_whole() {
    let text = include_str!("../../content/framework/roles.toml");
    let value: toml::Value = toml::from_str(text).unwrap();
    let roles = value["role"].as_array().unwrap();
    let ids: Vec<&str> = roles.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let labels: Vec<String> = roles
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect();
    let mut lines = Vec::new();
    for (i, role) in roles.iter().enumerate() {
        for up in role["accountable_to"].as_array().unwrap() {
            let at = ids.iter().position(|id| Some(*id) == up.as_str()).unwrap();
            lines.push((i, at));
        }
    }
    assert!(lines.len() > 25);
    check(&labels, &lines);
}

fn names(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("{} role {i}", WORDS[i % WORDS.len()]))
        .collect()
}

/// The boxes that role `i`'s box shares a row with (same top), itself included.
fn same_row(laid: &super::Layout, i: usize) -> usize {
    laid.boxes.iter().filter(|b| b.y == laid.boxes[i].y).count()
}

#[test]
fn a_wide_star_stacks_its_leaves_in_columns_within_the_budget() {
    // One role with 40 leaves: side by side they would be about 4,000 px wide.
    let labels = names(41);
    let lines: Vec<(usize, usize)> = (1..41).map(|i| (i, 0)).collect();
    let laid = check(&labels, &lines);
    assert!(
        laid.width <= Style::default().budget + 10.0,
        "{}",
        laid.width
    );
    assert!(same_row(&laid, 1) > 1 && same_row(&laid, 1) < 8);
    // A narrow star stays side by side.
    let laid = check(&labels[..4], &[(1, 0), (2, 0), (3, 0)]);
    assert_eq!(same_row(&laid, 1), 3);
}

#[test]
fn roles_with_no_line_go_in_rows_under_the_drawing() {
    // A chain of three, and twelve roles that answer to none and that none answers to.
    let labels = names(15);
    let laid = check(&labels, &[(1, 0), (2, 1)]);
    let bottom = laid.boxes[..3]
        .iter()
        .map(|b| b.y + b.h)
        .fold(0.0, f64::max);
    assert!(laid.boxes[3..].iter().all(|b| b.y > bottom), "{laid:?}");
    assert!(
        laid.width <= Style::default().budget + 10.0,
        "{}",
        laid.width
    );
    // With no line at all, rows from the top.
    let laid = check(&labels[..2], &[]);
    assert_eq!(laid.boxes[0].y, laid.boxes[1].y);
}

#[test]
fn a_star_of_many_thousand_leaves_is_laid_out_in_linear_time() {
    // Quadratic work here (a line through every row, or pairwise checks) would take minutes.
    let n = 40_000;
    let labels = names(n);
    let names: Vec<&str> = labels.iter().map(String::as_str).collect();
    let lines: Vec<(usize, usize)> = (1..n).map(|i| (i, 0)).collect();
    let measure = |t: &str| super::measure::width(t, 14.0);
    let laid = layout(&names, &lines, &measure, &Style::default());
    assert_eq!(laid.edges.len(), n - 1);
    assert!(
        laid.width <= Style::default().budget + 10.0,
        "{}",
        laid.width
    );
    assert!(laid.edges.iter().all(|e| e.points.len() <= 8));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn wide_random_forests_are_drawn_whole_and_compact(
        labels in proptest::collection::vec(label(), 1..90),
        picks in proptest::collection::vec(proptest::option::of(0usize..6), 90),
    ) {
        // Box i answers to one of the first six boxes, or to none: big fans of leaves, and
        // roles with no line.
        let lines: Vec<(usize, usize)> = (1..labels.len())
            .filter_map(|i| picks[i].map(|p| (i, p % i.min(6))))
            .collect();
        let laid = check(&labels, &lines);
        let unconnected = (0..labels.len())
            .filter(|&i| lines.iter().all(|&(a, b)| a != i && b != i));
        let lowest = laid.boxes.iter().enumerate()
            .filter(|&(i, _)| lines.iter().any(|&(a, b)| a == i || b == i))
            .map(|(_, b)| b.y + b.h)
            .fold(0.0, f64::max);
        for i in unconnected {
            prop_assert!(laid.boxes[i].y > lowest - 0.01);
        }
    }
}

#[test]
fn separate_hierarchies_are_packed_in_rows_within_the_budget() {
    // Twelve pairs (a role and the one it answers to), each its own hierarchy, and two roles
    // with no line: side by side they would be about 1,300 px wide.
    let labels = names(26);
    let lines: Vec<(usize, usize)> = (0..12).map(|k| (2 * k + 1, 2 * k)).collect();
    let laid = check(&labels, &lines);
    assert!(
        laid.width <= Style::default().budget + 10.0,
        "{}",
        laid.width
    );
    assert!(laid.boxes[22].y > laid.boxes[0].y, "a second row");
    let lowest = laid.boxes[..24]
        .iter()
        .map(|b| b.y + b.h)
        .fold(0.0, f64::max);
    assert!(laid.boxes[24].y > lowest && laid.boxes[25].y > lowest);
}
