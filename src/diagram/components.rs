//! A framework of several separate hierarchies, drawn as one drawing for each (by
//! [`compact::layout`]) packed in rows within the budget, in the order of their first role,
//! rather than side by side in one wide drawing; the roles with no line at all come last, in
//! rows of their own. Each drawing keeps to its own rectangle, so nothing overlaps.

use super::compact;
use super::layout::{Layout, Style, round, valid_lines};

/// Lays out boxes labelled `labels` and the lines `(from, to)` from each box to a box it is
/// accountable to, drawn above it (see [`compact::layout`]).
pub fn layout(
    labels: &[&str],
    lines: &[(usize, usize)],
    measure: &dyn Fn(&str) -> f64,
    style: &Style,
) -> Layout {
    let n = labels.len();
    let edges = valid_lines(n, lines);
    let mut root: Vec<usize> = (0..n).collect();
    fn find(root: &mut [usize], mut v: usize) -> usize {
        while root[v] != v {
            root[v] = root[root[v]];
            v = root[v];
        }
        v
    }
    for &(a, b) in &edges {
        let (ra, rb) = (find(&mut root, a), find(&mut root, b));
        // The smaller index stands for the group, so groups come in the order of their first.
        root[ra.max(rb)] = ra.min(rb);
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut group_of = vec![usize::MAX; n];
    let mut alone: Vec<usize> = Vec::new();
    for v in 0..n {
        let r = find(&mut root, v);
        if group_of[r] == usize::MAX {
            group_of[r] = groups.len();
            groups.push(Vec::new());
        }
        groups[group_of[r]].push(v);
    }
    groups.retain(|g| {
        if g.len() == 1 {
            alone.push(g[0]);
        }
        g.len() > 1
    });
    if groups.len() < 2 {
        return compact::layout(labels, lines, measure, style);
    }
    let has_alone = !alone.is_empty();
    if has_alone {
        groups.push(alone);
    }
    let mut comp = vec![0usize; n];
    for (g, group) in groups.iter().enumerate() {
        for &v in group {
            comp[v] = g;
        }
    }
    let mut inner: Vec<Vec<(usize, usize)>> = vec![Vec::new(); groups.len()];
    for &(a, b) in &edges {
        inner[comp[a]].push((a, b));
    }

    // Each group's own drawing, in its own numbering.
    let mut local = vec![0usize; n];
    let mut drawings: Vec<Layout> = Vec::with_capacity(groups.len());
    for (group, inner) in groups.iter().zip(&inner) {
        for (k, &v) in group.iter().enumerate() {
            local[v] = k;
        }
        let names: Vec<&str> = group.iter().map(|&v| labels[v]).collect();
        let inner: Vec<(usize, usize)> = inner.iter().map(|&(a, b)| (local[a], local[b])).collect();
        drawings.push(compact::layout(&names, &inner, measure, style));
    }

    // Rows of drawings, each row as tall as its tallest; the roles with no line start a row.
    let limit = drawings
        .iter()
        .map(|d| d.width)
        .fold(style.budget, f64::max);
    let mut boxes = vec![None; n];
    let mut lines_drawn = Vec::with_capacity(edges.len());
    let (mut x, mut y, mut row_h, mut width) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    let last = groups.len() - 1;
    for (g, (group, drawing)) in groups.iter().zip(drawings).enumerate() {
        let new_row = x + drawing.width > limit || (g == last && has_alone);
        if x > 0.0 && new_row {
            y += row_h + style.gap_y / 2.0;
            (x, row_h) = (0.0, 0.0);
        }
        for (k, mut placed) in drawing.boxes.into_iter().enumerate() {
            placed.x = round(placed.x + x);
            placed.y = round(placed.y + y);
            boxes[group[k]] = Some(placed);
        }
        for mut edge in drawing.edges {
            edge.from = group[edge.from];
            edge.to = group[edge.to];
            for p in &mut edge.points {
                *p = (round(p.0 + x), round(p.1 + y));
            }
            lines_drawn.push(edge);
        }
        width = width.max(x + drawing.width);
        row_h = row_h.max(drawing.height);
        x += drawing.width + style.gap_x;
    }
    lines_drawn.sort_by_key(|e| (e.from, e.to));
    Layout {
        width: round(width),
        height: round(y + row_h),
        boxes: boxes.into_iter().flatten().collect(),
        edges: lines_drawn,
    }
}
