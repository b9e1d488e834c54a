//! A layered, top-down layout of boxes joined by lines (after Sugiyama): each box goes in a
//! layer below every box it is accountable to, a line that crosses layers passes through a
//! gap kept for it in each, boxes within a layer are ordered by the barycentre of their
//! neighbours to cut crossings, and placed as near their neighbours as the spacing allows.
//!
//! Every box of a layer starts at the layer's top (ordinary boxes share its height; a stack of
//! boxes made by [`super::compact`] keeps its own) and every line runs from the top edge of one
//! box to the bottom edge of a box in the layer above (or through a kept gap), so no line
//! passes through a box and no two boxes overlap. The cost is near linear: a fixed number of
//! sweeps, each sorting the layers and solving one isotonic regression per layer. The result
//! depends only on the input, never on hashing or the clock.

/// Sizes and spacing, in the unit of the text measure (CSS pixels in the SVG).
#[derive(Clone, Debug)]
pub struct Style {
    pub font_size: f64,
    pub line_height: f64,
    pub pad_x: f64,
    pub pad_y: f64,
    /// Longer names are wrapped at spaces to lines no wider than this (a single longer word
    /// widens its box instead).
    pub max_text_width: f64,
    pub min_box_width: f64,
    pub gap_x: f64,
    pub gap_y: f64,
    pub margin: f64,
    /// The width a drawing should keep within where it can (the PDF's text column at the
    /// names' smallest size): a wider layer stacks its leaves ([`super::compact`]).
    pub budget: f64,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            font_size: 14.0,
            line_height: 18.0,
            pad_x: 10.0,
            pad_y: 8.0,
            max_text_width: 130.0,
            min_box_width: 70.0,
            gap_x: 18.0,
            gap_y: 46.0,
            margin: 4.0,
            budget: 720.0,
        }
    }
}

/// One box: its top-left corner, size and lines of text.
#[derive(Clone, Debug, PartialEq)]
pub struct Placed {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub lines: Vec<String>,
}

/// One line of accountability: from the top edge of box `from` to the bottom edge of box `to`
/// (the one it is accountable to), through `points` (first and last on the boxes' edges).
#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub points: Vec<(f64, f64)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    pub boxes: Vec<Placed>,
    pub edges: Vec<Edge>,
}

/// A node of the layered graph: a box, or a point that a long line passes through.
#[derive(Clone, Debug)]
struct Node {
    layer: usize,
    w: f64,
    dummy: bool,
    /// Neighbours in the layer above and in the layer below.
    up: Vec<usize>,
    down: Vec<usize>,
}

const SWEEPS: usize = 8;

/// One thing to place: a box `w` wide and `h` high. A `stretch` box takes the height of the
/// tallest stretch box of its layer (so a layer's names line up); any other keeps its own.
#[derive(Clone, Debug)]
pub struct Item {
    pub w: f64,
    pub h: f64,
    pub stretch: bool,
}

/// Lays out `items` and the lines `(from, to)` from each item to an item it is accountable to
/// (drawn above it), leaving each box's `lines` empty. Lines that would close a cycle, join an
/// item to itself or name an item that does not exist are left out; repeated lines are drawn
/// once. A line to a box shorter than its layer ends with a rise from the layer's bottom.
pub fn layered(items: &[Item], lines: &[(usize, usize)], style: &Style) -> Layout {
    let n = items.len();
    let mut edges = valid_lines(n, lines);
    let layer = layers(n, &mut edges);

    // Boxes, then a point in each layer that a line crosses.
    let mut nodes: Vec<Node> = (0..n)
        .map(|i| Node {
            layer: layer[i],
            w: items[i].w,
            dummy: false,
            up: Vec::new(),
            down: Vec::new(),
        })
        .collect();
    let mut chains: Vec<Vec<usize>> = Vec::with_capacity(edges.len());
    for &(from, to) in &edges {
        // From the upper box (`to`) down to the lower (`from`).
        let mut chain = vec![to];
        for l in layer[to] + 1..layer[from] {
            nodes.push(Node {
                layer: l,
                w: 0.0,
                dummy: true,
                up: Vec::new(),
                down: Vec::new(),
            });
            chain.push(nodes.len() - 1);
        }
        chain.push(from);
        for pair in chain.windows(2) {
            nodes[pair[0]].down.push(pair[1]);
            nodes[pair[1]].up.push(pair[0]);
        }
        chains.push(chain);
    }
    let depth = layer.iter().copied().max().map_or(0, |d| d + 1);
    let order = ordering(&nodes, depth);
    let centre = positions(&nodes, &order, style);

    // Heights and tops of the layers: the stretch boxes' height, and the band all take.
    let mut stretch_h = vec![0.0f64; depth];
    let mut band_h = vec![0.0f64; depth];
    for (i, item) in items.iter().enumerate() {
        if item.stretch {
            stretch_h[layer[i]] = stretch_h[layer[i]].max(item.h);
        }
        band_h[layer[i]] = band_h[layer[i]].max(item.h);
    }
    let height_of = |i: usize| {
        if items[i].stretch {
            stretch_h[layer[i]]
        } else {
            items[i].h
        }
    };
    let mut top = Vec::with_capacity(depth);
    let mut y = style.margin;
    for h in &band_h {
        top.push(y);
        y += h + style.gap_y;
    }
    let height = if depth == 0 {
        2.0 * style.margin
    } else {
        y - style.gap_y + style.margin
    };
    let left = (0..nodes.len())
        .map(|v| centre[v] - nodes[v].w / 2.0)
        .fold(f64::INFINITY, f64::min);
    let shift = if left.is_finite() {
        style.margin - left
    } else {
        0.0
    };
    let boxes: Vec<Placed> = (0..n)
        .map(|i| Placed {
            x: round(centre[i] - nodes[i].w / 2.0 + shift),
            y: round(top[layer[i]]),
            w: (nodes[i].w * 10.0).ceil() / 10.0,
            h: round(height_of(i)),
            lines: Vec::new(),
        })
        .collect();
    let width = (0..nodes.len())
        .map(|v| centre[v] + nodes[v].w / 2.0 + shift)
        .fold(2.0 * style.margin, f64::max)
        + style.margin;

    // Where each line meets its boxes: spread along the edge, in the order of the other ends.
    let ends = attachments(&chains, &centre, &boxes);
    let edges = edges
        .iter()
        .zip(&chains)
        .enumerate()
        .map(|(e, (&(from, to), chain))| {
            let mut points = vec![(ends[e].0, round(top[layer[from]]))];
            for &d in chain[1..chain.len() - 1].iter().rev() {
                let x = round(centre[d] + shift);
                let l = nodes[d].layer;
                points.push((x, round(top[l] + band_h[l])));
                points.push((x, round(top[l])));
            }
            let bottom = boxes[to].y + boxes[to].h;
            let band_bottom = round(top[layer[to]] + band_h[layer[to]]);
            if band_bottom > bottom {
                points.push((ends[e].1, band_bottom));
            }
            points.push((ends[e].1, bottom));
            Edge { from, to, points }
        })
        .collect();
    Layout {
        width: round(width),
        height: round(height),
        boxes,
        edges,
    }
}

/// The lines that join two different boxes of `n`, sorted, each once.
pub fn valid_lines(n: usize, lines: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut edges: Vec<(usize, usize)> = lines
        .iter()
        .copied()
        .filter(|&(a, b)| a < n && b < n && a != b)
        .collect();
    edges.sort_unstable();
    edges.dedup();
    edges
}

pub fn round(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// The layer of each box: first the longest path down from a box that answers to none, then
/// each box that others answer to moved down to just above the highest of them, so lines are
/// short. Removes from `edges` any line that a cycle leaves pointing the wrong way.
pub fn layers(n: usize, edges: &mut Vec<(usize, usize)>) -> Vec<usize> {
    let mut parents = vec![Vec::new(); n];
    let mut children = vec![Vec::new(); n];
    for &(from, to) in edges.iter() {
        parents[from].push(to);
        children[to].push(from);
    }
    // Kahn's order from the top; what a cycle leaves out follows in index order.
    let mut waiting: Vec<usize> = parents.iter().map(Vec::len).collect();
    let mut topo: Vec<usize> = (0..n).filter(|&i| waiting[i] == 0).collect();
    let mut at = 0;
    while at < topo.len() {
        let v = topo[at];
        at += 1;
        for &c in &children[v] {
            waiting[c] -= 1;
            if waiting[c] == 0 {
                topo.push(c);
            }
        }
    }
    let mut placed = vec![false; n];
    topo.iter().for_each(|&v| placed[v] = true);
    topo.extend((0..n).filter(|&v| !placed[v]));
    let mut rank = vec![0usize; n];
    for (k, &v) in topo.iter().enumerate() {
        rank[v] = k;
    }
    edges.retain(|&(from, to)| rank[to] < rank[from]);
    let mut layer = vec![0usize; n];
    for &v in &topo {
        layer[v] = parents[v]
            .iter()
            .filter(|&&p| rank[p] < rank[v])
            .map(|&p| layer[p] + 1)
            .max()
            .unwrap_or(0);
    }
    for &v in topo.iter().rev() {
        let below = children[v]
            .iter()
            .filter(|&&c| rank[c] > rank[v])
            .map(|&c| layer[c])
            .min();
        if let Some(below) = below {
            layer[v] = layer[v].max(below - 1);
        }
    }
    layer
}

/// Breaks `text` at spaces into lines no wider than `max` (a longer word stands alone), with
/// the widest line's width.
pub fn wrap(text: &str, measure: &dyn Fn(&str) -> f64, max: f64) -> (Vec<String>, f64) {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if current.is_empty() || measure(&candidate) <= max {
            current = candidate;
        } else {
            lines.push(std::mem::replace(&mut current, word.to_string()));
        }
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    let widest = lines.iter().map(|l| measure(l)).fold(0.0, f64::max);
    (lines, widest)
}

/// The order of the nodes in each layer: first as they come, then sweeps down and up, each
/// sorting a layer by the mean position of its neighbours in the layer just swept; the order
/// with the fewest crossings wins (the first of equals).
fn ordering(nodes: &[Node], depth: usize) -> Vec<Vec<usize>> {
    let mut order: Vec<Vec<usize>> = vec![Vec::new(); depth];
    for (v, node) in nodes.iter().enumerate() {
        order[node.layer].push(v);
    }
    let mut pos = vec![0.0f64; nodes.len()];
    let place = |order: &[Vec<usize>], pos: &mut Vec<f64>| {
        for row in order {
            for (k, &v) in row.iter().enumerate() {
                pos[v] = k as f64;
            }
        }
    };
    place(&order, &mut pos);
    let mut best = order.clone();
    let mut fewest = crossings(nodes, &order, &pos);
    for sweep in 0..SWEEPS * 2 {
        let downward = sweep % 2 == 0;
        let layers: Vec<usize> = if downward {
            (1..depth).collect()
        } else {
            (0..depth.saturating_sub(1)).rev().collect()
        };
        for l in layers {
            let mut keyed: Vec<(f64, f64, usize)> = order[l]
                .iter()
                .map(|&v| {
                    let near = if downward {
                        &nodes[v].up
                    } else {
                        &nodes[v].down
                    };
                    let key = if near.is_empty() {
                        pos[v]
                    } else {
                        near.iter().map(|&u| pos[u]).sum::<f64>() / near.len() as f64
                    };
                    (key, pos[v], v)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
            order[l] = keyed.into_iter().map(|(_, _, v)| v).collect();
            for (k, &v) in order[l].iter().enumerate() {
                pos[v] = k as f64;
            }
        }
        let count = crossings(nodes, &order, &pos);
        if count < fewest {
            fewest = count;
            best = order.clone();
        }
    }
    best
}

/// How many pairs of lines cross between neighbouring layers (counted as inversions, with a
/// Fenwick tree).
fn crossings(nodes: &[Node], order: &[Vec<usize>], pos: &[f64]) -> usize {
    let mut total = 0;
    for l in 1..order.len() {
        let mut pairs: Vec<(usize, usize)> = order[l - 1]
            .iter()
            .flat_map(|&u| nodes[u].down.iter().map(move |&v| (u, v)))
            .map(|(u, v)| (pos[u] as usize, pos[v] as usize))
            .collect();
        pairs.sort_unstable();
        let size = order[l].len() + 1;
        let mut tree = vec![0usize; size + 1];
        for (seen, &(_, b)) in pairs.iter().enumerate() {
            // Lines already counted that end to the right of `b`.
            let mut at = b + 1;
            let mut not_after = 0;
            while at > 0 {
                not_after += tree[at];
                at &= at - 1;
            }
            total += seen - not_after;
            let mut at = b + 1;
            while at <= size {
                tree[at] += 1;
                at += at & at.wrapping_neg();
            }
        }
    }
    total
}

/// The centre of each node: start packed from the left, then sweeps that pull each layer
/// towards the mean centre of its neighbours in the layer swept before, as near as the
/// spacing allows (least squares, by pooling adjacent violators).
fn positions(nodes: &[Node], order: &[Vec<usize>], style: &Style) -> Vec<f64> {
    let gap = |a: usize, b: usize| {
        let sep = if nodes[a].dummy || nodes[b].dummy {
            style.gap_x / 2.0
        } else {
            style.gap_x
        };
        nodes[a].w / 2.0 + nodes[b].w / 2.0 + sep
    };
    let mut centre = vec![0.0f64; nodes.len()];
    for row in order.iter() {
        let mut x = 0.0;
        for (k, &v) in row.iter().enumerate() {
            if k > 0 {
                x += gap(row[k - 1], v);
            }
            centre[v] = x;
        }
    }
    let depth = order.len();
    for sweep in 0..SWEEPS * 2 {
        let downward = sweep % 2 == 0;
        let layers: Vec<usize> = if downward {
            (0..depth).collect()
        } else {
            (0..depth).rev().collect()
        };
        for l in layers {
            let row = &order[l];
            if row.is_empty() {
                continue;
            }
            let want: Vec<f64> = row
                .iter()
                .map(|&v| {
                    let near = nodes[v].up.iter().chain(&nodes[v].down);
                    let count = nodes[v].up.len() + nodes[v].down.len();
                    if count == 0 {
                        centre[v]
                    } else {
                        near.map(|&u| centre[u]).sum::<f64>() / count as f64
                    }
                })
                .collect();
            let mut offset = vec![0.0f64; row.len()];
            for k in 1..row.len() {
                offset[k] = offset[k - 1] + gap(row[k - 1], row[k]);
            }
            let target: Vec<f64> = want.iter().zip(&offset).map(|(w, o)| w - o).collect();
            let fitted = isotonic(&target);
            for (k, &v) in row.iter().enumerate() {
                centre[v] = fitted[k] + offset[k];
            }
        }
    }
    centre
}

/// The non-decreasing sequence nearest `values` in least squares (pool adjacent violators).
fn isotonic(values: &[f64]) -> Vec<f64> {
    // (mean, count) of each pooled block.
    let mut blocks: Vec<(f64, usize)> = Vec::with_capacity(values.len());
    for &v in values {
        blocks.push((v, 1));
        while blocks.len() > 1 {
            let (m2, c2) = blocks[blocks.len() - 1];
            let (m1, c1) = blocks[blocks.len() - 2];
            if m1 <= m2 {
                break;
            }
            blocks.pop();
            let c = c1 + c2;
            let last = blocks.len() - 1;
            blocks[last] = ((m1 * c1 as f64 + m2 * c2 as f64) / c as f64, c);
        }
    }
    blocks
        .into_iter()
        .flat_map(|(m, c)| std::iter::repeat_n(m, c))
        .collect()
}

/// For each line, the x where it leaves the lower box's top edge and where it meets the upper
/// box's bottom edge: the lines at one edge are spread along its middle three fifths, in the
/// order of where their other ends are, so they neither cross there nor meet in one point.
fn attachments(chains: &[Vec<usize>], centre: &[f64], boxes: &[Placed]) -> Vec<(f64, f64)> {
    let n = boxes.len();
    // The node next to each end: the lower box's neighbour above and the upper box's below.
    let mut at_top: Vec<Vec<(f64, usize)>> = vec![Vec::new(); n];
    let mut at_bottom: Vec<Vec<(f64, usize)>> = vec![Vec::new(); n];
    for (e, chain) in chains.iter().enumerate() {
        let (upper, lower) = (chain[0], chain[chain.len() - 1]);
        at_top[lower].push((centre[chain[chain.len() - 2]], e));
        at_bottom[upper].push((centre[chain[1]], e));
    }
    let mut ends = vec![(0.0, 0.0); chains.len()];
    let spread = |b: &Placed, list: &mut Vec<(f64, usize)>, set: &mut dyn FnMut(usize, f64)| {
        list.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let count = list.len();
        for (k, &(_, e)) in list.iter().enumerate() {
            let x = if count == 1 {
                b.x + b.w / 2.0
            } else {
                b.x + b.w * (0.2 + 0.6 * k as f64 / (count - 1) as f64)
            };
            set(e, round(x));
        }
    };
    for v in 0..n {
        spread(&boxes[v], &mut at_top[v], &mut |e, x| ends[e].0 = x);
        spread(&boxes[v], &mut at_bottom[v], &mut |e, x| ends[e].1 = x);
    }
    ends
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(text: &str) -> f64 {
        text.chars().count() as f64 * 7.0
    }

    #[test]
    fn isotonic_regression_pools_violators() {
        assert_eq!(isotonic(&[1.0, 3.0, 2.0]), vec![1.0, 2.5, 2.5]);
        assert_eq!(isotonic(&[3.0, 2.0, 1.0]), vec![2.0, 2.0, 2.0]);
        assert_eq!(isotonic(&[]), Vec::<f64>::new());
    }

    #[test]
    fn long_names_wrap_at_spaces() {
        let (lines, widest) = wrap("Designated doctor for safeguarding children", &chars, 120.0);
        assert!(lines.len() > 1, "{lines:?}");
        assert!(lines.iter().all(|l| chars(l) <= 120.0));
        assert_eq!(widest, lines.iter().map(|l| chars(l)).fold(0.0, f64::max));
        let (lines, _) = wrap("Supercalifragilisticexpialidocious", &chars, 50.0);
        assert_eq!(lines.len(), 1);
        assert_eq!(wrap("", &chars, 50.0).0, vec![String::new()]);
    }

    #[test]
    fn parents_are_above_and_pulled_down_to_their_children() {
        // 0 ← 1 ← 2, and 3 (a root) above 2 only.
        let mut edges = vec![(1, 0), (2, 1), (2, 3)];
        let layer = layers(4, &mut edges);
        assert_eq!(layer, vec![0, 1, 2, 1]);
        // A cycle loses the line that closes it, and nothing hangs.
        let mut edges = vec![(0, 1), (1, 0)];
        let layer = layers(2, &mut edges);
        assert_eq!(edges.len(), 1);
        assert_ne!(layer[0], layer[1]);
    }

    #[test]
    fn crossings_are_counted() {
        // Two boxes above two, joined crosswise.
        let item = Item {
            w: 80.0,
            h: 30.0,
            stretch: true,
        };
        let laid = layered(&vec![item; 4], &[(2, 1), (3, 0)], &Style::default());
        let x = |i: usize| laid.boxes[i].x;
        // Ordering undoes the cross: c sits under b's side as d does under a's.
        assert_eq!(x(2) < x(3), x(1) < x(0));
    }
}
