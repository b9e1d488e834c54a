//! A compact drawing of a wide framework, around [`layered`]: roles with no line at all go in
//! rows under the drawing instead of widening a layer, and where a layer would be wider than
//! [`Style::budget`], the leaves of one role (roles nothing answers to, answering to that role
//! only) are stacked in columns hung from one line, as in an organisation chart: a bus under
//! the parent, a spine down the left of each column and a short hook into the top of each box.
//!
//! A stack is one item of the layered layout (one line to its parent), so a star of thousands
//! of leaves costs no more than a box: the whole stays near linear.

use super::layout::{Edge, Item, Layout, Placed, Style, layered, layers, round, valid_lines, wrap};

/// From a column's spine to its boxes.
const INDENT: f64 = 12.0;
const COLUMN_GAP: f64 = 18.0;
/// Between the rows of a stack (and above its first row, for the bus).
const ROW_GAP: f64 = 16.0;
/// How far above a box its hook meets the spine (not the middle of the gap between rows, where
/// [`super::parts`] may cut the drawing).
const HOOK: f64 = 6.0;

/// Where a role is drawn.
#[derive(Clone, Copy)]
enum Slot {
    /// Its own item of the layered layout.
    Alone(usize),
    /// In stack `s` (an item of the layered layout), `k`-th of its leaves.
    Stacked { stack: usize, k: usize },
    /// In the rows under the drawing: it has no line.
    Row,
}

/// The leaves of one role, stacked: the item that stands for them and its grid.
struct Stack {
    item: usize,
    parent: usize,
    leaves: Vec<usize>,
    rows: usize,
    column_w: f64,
    row_h: f64,
}

/// Lays out boxes labelled `labels` (each name measured by `measure` and wrapped) and the
/// lines `(from, to)` from each box to a box it is accountable to, drawn above it. Lines that
/// would close a cycle, join a box to itself or name a box that does not exist are left out;
/// repeated lines are drawn once.
pub fn layout(
    labels: &[&str],
    lines: &[(usize, usize)],
    measure: &dyn Fn(&str) -> f64,
    style: &Style,
) -> Layout {
    let n = labels.len();
    let mut edges = valid_lines(n, lines);
    let layer = layers(n, &mut edges);
    let wrapped: Vec<(Vec<String>, f64)> = labels
        .iter()
        .map(|l| wrap(l, measure, style.max_text_width))
        .collect();
    let size: Vec<(f64, f64)> = wrapped
        .iter()
        .map(|(lines, widest)| {
            let w = (widest + 2.0 * style.pad_x).max(style.min_box_width);
            let h = lines.len().max(1) as f64 * style.line_height + 2.0 * style.pad_y;
            (w, h)
        })
        .collect();
    let (slots, stacks, items) = plan(&layer, &edges, &size, style);

    let item_lines: Vec<(usize, usize)> = edges
        .iter()
        .filter_map(|&(from, to)| {
            Some((
                item_of(&slots, &stacks, from)?,
                item_of(&slots, &stacks, to)?,
            ))
        })
        .collect();
    let graph = layered(&items, &item_lines, style);
    let line_of = |from: usize, to: usize| {
        graph
            .edges
            .binary_search_by(|e| (e.from, e.to).cmp(&(from, to)))
            .ok()
            .map(|at| &graph.edges[at])
    };

    let mut boxes: Vec<Placed> = (0..n)
        .map(|i| Placed {
            x: 0.0,
            y: 0.0,
            w: size[i].0,
            h: size[i].1,
            lines: wrapped[i].0.clone(),
        })
        .collect();
    for (i, slot) in slots.iter().enumerate() {
        match *slot {
            Slot::Alone(item) => {
                let b = &graph.boxes[item];
                (boxes[i].x, boxes[i].y, boxes[i].w, boxes[i].h) = (b.x, b.y, b.w, b.h);
            }
            Slot::Stacked { stack, k } => {
                let s = &stacks[stack];
                let at = &graph.boxes[s.item];
                let (column, row) = (k / s.rows, k % s.rows);
                boxes[i].x = round(at.x + spine(s, column) + INDENT);
                boxes[i].y = round(at.y + ROW_GAP + row as f64 * (s.row_h + ROW_GAP));
                boxes[i].w = s.column_w;
                boxes[i].h = s.row_h;
            }
            Slot::Row => {}
        }
    }
    let (width, height) = rows(&slots, &graph, &mut boxes, style);

    let mut drawn: Vec<Edge> = Vec::with_capacity(edges.len());
    for &(from, to) in &edges {
        let points = match slots[from] {
            Slot::Alone(item) => {
                let Some(Slot::Alone(up)) = slots.get(to).copied() else {
                    continue;
                };
                match line_of(item, up) {
                    Some(e) => e.points.clone(),
                    None => continue,
                }
            }
            Slot::Stacked { stack, k } => {
                let s = &stacks[stack];
                let Some(Slot::Alone(up)) = slots.get(s.parent).copied() else {
                    continue;
                };
                let Some(e) = line_of(s.item, up) else {
                    continue;
                };
                let at = &graph.boxes[s.item];
                let b = &boxes[from];
                let (x, y) = (round(b.x + INDENT.min(b.w / 2.0)), b.y);
                let spine_x = round(at.x + spine(s, k / s.rows));
                let bus = round(at.y + ROW_GAP - HOOK);
                let hub = e.points[0].0;
                let mut points = vec![
                    (x, y),
                    (x, round(y - HOOK)),
                    (spine_x, round(y - HOOK)),
                    (spine_x, bus),
                    (hub, bus),
                ];
                points.extend(e.points.iter().copied());
                points.dedup();
                points
            }
            Slot::Row => continue,
        };
        drawn.push(Edge { from, to, points });
    }
    Layout {
        width: round(width),
        height: round(height),
        boxes,
        edges: drawn,
    }
}

/// The x of the spine of `column` of a stack, from the stack's left.
fn spine(s: &Stack, column: usize) -> f64 {
    column as f64 * (INDENT + s.column_w + COLUMN_GAP)
}

/// The item that stands for role `i` in the layered layout.
fn item_of(slots: &[Slot], stacks: &[Stack], i: usize) -> Option<usize> {
    match slots[i] {
        Slot::Alone(item) => Some(item),
        Slot::Stacked { stack, .. } => Some(stacks[stack].item),
        Slot::Row => None,
    }
}

/// Where each role goes: in a row when it has no line, in a stack when it is a leaf in a layer
/// wider than the budget and its parent has other leaves there, otherwise alone; with the
/// stacks and the items of the layered layout.
fn plan(
    layer: &[usize],
    edges: &[(usize, usize)],
    size: &[(f64, f64)],
    style: &Style,
) -> (Vec<Slot>, Vec<Stack>, Vec<Item>) {
    let n = layer.len();
    let mut parents = vec![Vec::new(); n];
    let mut children = vec![0usize; n];
    for &(from, to) in edges {
        parents[from].push(to);
        children[to] += 1;
    }
    let connected = |i: usize| children[i] > 0 || !parents[i].is_empty();
    let depth = layer.iter().copied().max().map_or(0, |d| d + 1);
    let mut layer_w = vec![0.0f64; depth];
    for i in (0..n).filter(|&i| connected(i)) {
        layer_w[layer[i]] += size[i].0 + style.gap_x;
    }
    // The leaves of each parent, in a layer too wide, in the order of the input.
    let mut leaves: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for i in 0..n {
        if children[i] == 0 && parents[i].len() == 1 && layer_w[layer[i]] > style.budget {
            leaves.entry(parents[i][0]).or_default().push(i);
        }
    }
    leaves.retain(|_, group| group.len() > 1);
    let cap = column_caps(&leaves, layer, &layer_w, size, style);
    leaves.retain(|_, group| group.len() > cap[layer[group[0]]]);

    let mut slots = vec![Slot::Row; n];
    let mut items: Vec<Item> = Vec::new();
    let mut stacks: Vec<Stack> = Vec::new();
    for i in (0..n).filter(|&i| connected(i)) {
        let stacked = parents[i]
            .first()
            .and_then(|p| leaves.get(p))
            .and_then(|group| group.iter().position(|&l| l == i));
        match stacked {
            Some(0) => {
                let group = &leaves[&parents[i][0]];
                let stack = stack(group, parents[i][0], items.len(), size, cap[layer[i]]);
                let width = stack_width(stack.column_w, columns(&stack));
                let rows = stack.rows as f64;
                items.push(Item {
                    w: width,
                    h: ROW_GAP + rows * stack.row_h + (rows - 1.0) * ROW_GAP,
                    stretch: false,
                });
                slots[i] = Slot::Stacked {
                    stack: stacks.len(),
                    k: 0,
                };
                stacks.push(stack);
            }
            Some(_) => {}
            None => {
                slots[i] = Slot::Alone(items.len());
                items.push(Item {
                    w: size[i].0,
                    h: size[i].1,
                    stretch: true,
                });
            }
        }
    }
    for (s, stack) in stacks.iter().enumerate() {
        for (k, &leaf) in stack.leaves.iter().enumerate() {
            slots[leaf] = Slot::Stacked { stack: s, k };
        }
    }
    (slots, stacks, items)
}

/// For each layer, the most columns any stack in it may have: the most that keep the layer
/// within the budget (found by halving, as the width grows with it), at least one.
fn column_caps(
    leaves: &std::collections::BTreeMap<usize, Vec<usize>>,
    layer: &[usize],
    layer_w: &[f64],
    size: &[(f64, f64)],
    style: &Style,
) -> Vec<usize> {
    let mut groups: Vec<Vec<&[usize]>> = vec![Vec::new(); layer_w.len()];
    for group in leaves.values() {
        groups[layer[group[0]]].push(group);
    }
    let side_by_side =
        |group: &[usize]| group.iter().map(|&i| size[i].0 + style.gap_x).sum::<f64>();
    groups
        .iter()
        .enumerate()
        .map(|(l, groups)| {
            let most = groups.iter().map(|g| g.len()).max().unwrap_or(0);
            let rest = layer_w[l] - groups.iter().map(|g| side_by_side(g)).sum::<f64>();
            let width = |cap: usize| {
                rest + groups
                    .iter()
                    .map(|g| {
                        if g.len() <= cap {
                            side_by_side(g)
                        } else {
                            let column_w = g.iter().map(|&i| size[i].0).fold(0.0, f64::max);
                            stack_width(column_w, balanced(g.len(), cap)) + style.gap_x
                        }
                    })
                    .sum::<f64>()
            };
            let (mut low, mut high) = (1, most.max(1));
            while low < high {
                let mid = (low + high).div_ceil(2);
                if width(mid) <= style.budget {
                    low = mid;
                } else {
                    high = mid - 1;
                }
            }
            low
        })
        .collect()
}

/// How many columns `count` leaves take with at most `cap` columns, the rows filled evenly.
fn balanced(count: usize, cap: usize) -> usize {
    count.div_ceil(count.div_ceil(cap.max(1)))
}

fn stack_width(column_w: f64, columns: usize) -> f64 {
    columns as f64 * (INDENT + column_w) + columns.saturating_sub(1) as f64 * COLUMN_GAP
}

/// The stack of `group` (leaves of `parent`) in at most `cap` columns, filled down each column.
fn stack(group: &[usize], parent: usize, item: usize, size: &[(f64, f64)], cap: usize) -> Stack {
    let column_w = group.iter().map(|&i| size[i].0).fold(0.0, f64::max);
    let row_h = group.iter().map(|&i| size[i].1).fold(0.0, f64::max);
    Stack {
        item,
        parent,
        leaves: group.to_vec(),
        rows: group.len().div_ceil(balanced(group.len(), cap)),
        column_w: (column_w * 10.0).ceil() / 10.0,
        row_h,
    }
}

fn columns(s: &Stack) -> usize {
    s.leaves.len().div_ceil(s.rows)
}

/// Places the roles with no line in rows under the drawing, as wide as the drawing or the
/// budget, whichever is wider; each row's boxes take its tallest's height. Returns the size of
/// the whole.
fn rows(slots: &[Slot], graph: &Layout, boxes: &mut [Placed], style: &Style) -> (f64, f64) {
    let alone: Vec<usize> = (0..slots.len())
        .filter(|&i| matches!(slots[i], Slot::Row))
        .collect();
    if alone.is_empty() {
        return (graph.width, graph.height);
    }
    let limit = graph.width.max(style.budget);
    let mut y = if graph.boxes.is_empty() {
        style.margin
    } else {
        graph.height - style.margin + style.gap_y
    };
    let mut width = graph.width;
    let mut row: Vec<usize> = Vec::new();
    let mut x = style.margin;
    let finish = |row: &mut Vec<usize>, boxes: &mut [Placed], y: &mut f64| {
        let h = row.iter().map(|&i| boxes[i].h).fold(0.0, f64::max);
        for &i in row.iter() {
            boxes[i].h = h;
        }
        row.clear();
        *y += h + style.gap_x;
    };
    for i in alone {
        let w = (boxes[i].w * 10.0).ceil() / 10.0;
        if !row.is_empty() && x + w + style.margin > limit {
            finish(&mut row, boxes, &mut y);
            x = style.margin;
        }
        (boxes[i].x, boxes[i].y, boxes[i].w) = (round(x), round(y), w);
        width = width.max(x + w + style.margin);
        x += w + style.gap_x;
        row.push(i);
    }
    finish(&mut row, boxes, &mut y);
    (width, y - style.gap_x + style.margin)
}
