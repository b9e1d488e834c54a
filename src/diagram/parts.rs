//! A drawing too tall for a page, cut across into parts at gaps between boxes (between layers,
//! between the rows of a stack or of the roles with no line), so that no box is cut. Each part
//! keeps the drawing's width and its x positions, so a line leaving the bottom of one part
//! comes in at the top of the next at the same place across; where it does, the part records
//! a stub for the renderer to mark.

use super::Layout;
use super::layout::round;

/// One part of a drawing; its coordinates are the drawing's, less `top` in y.
#[derive(Clone, Debug, PartialEq)]
pub struct Part {
    pub top: f64,
    pub height: f64,
    /// The boxes drawn in the part (each in exactly one part).
    pub boxes: Vec<usize>,
    /// The pieces of lines inside the part.
    pub segments: Vec<[(f64, f64); 2]>,
    /// The arrowheads at the ends of lines in the part (see [`super::arrowhead`]).
    pub arrows: Vec<[(f64, f64); 3]>,
    /// Where lines leave through the top edge and through the bottom edge: x, each once, in
    /// order.
    pub up: Vec<f64>,
    pub down: Vec<f64>,
}

/// Cuts `layout` into parts no taller than `max_height` where it can (a band of boxes taller
/// than that stays whole); a drawing that fits is one part.
pub fn split(layout: &Layout, max_height: f64) -> Vec<Part> {
    let bounds = cut_at(&cuts(layout), layout.height, max_height);
    let mut parts: Vec<Part> = bounds
        .windows(2)
        .map(|w| Part {
            top: w[0],
            height: round(w[1] - w[0]),
            boxes: Vec::new(),
            segments: Vec::new(),
            arrows: Vec::new(),
            up: Vec::new(),
            down: Vec::new(),
        })
        .collect();
    let part_at = |parts: &[Part], y: f64| {
        parts
            .partition_point(|p| p.top + p.height <= y)
            .min(parts.len() - 1)
    };
    for (i, b) in layout.boxes.iter().enumerate() {
        let at = part_at(&parts, b.y);
        parts[at].boxes.push(i);
    }
    for edge in &layout.edges {
        for pair in edge.points.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let (low, high) = (a.1.min(b.1), a.1.max(b.1));
            let mut at = part_at(&parts, low);
            while at < parts.len() && parts[at].top <= high {
                let part = &mut parts[at];
                let (top, bottom) = (part.top, part.top + part.height);
                if let Some([c, d]) = clip(a, b, top, bottom) {
                    part.segments
                        .push([(c.0, round(c.1 - top)), (d.0, round(d.1 - top))]);
                    for p in [c, d] {
                        if p.1 == top && low < top {
                            part.up.push(p.0);
                        }
                        if p.1 == bottom && high > bottom {
                            part.down.push(p.0);
                        }
                    }
                }
                at += 1;
            }
        }
        if let Some(corners) = super::arrowhead(&edge.points) {
            let at = part_at(&parts, corners[0].1 - 0.01);
            let top = parts[at].top;
            parts[at]
                .arrows
                .push(corners.map(|(x, y)| (x, round(y - top))));
        }
    }
    for part in &mut parts {
        for xs in [&mut part.up, &mut part.down] {
            xs.sort_by(f64::total_cmp);
            xs.dedup();
        }
    }
    parts
}

/// Where the drawing may be cut: the middle of each gap between boxes, top to bottom.
fn cuts(layout: &Layout) -> Vec<f64> {
    let mut spans: Vec<(f64, f64)> = layout.boxes.iter().map(|b| (b.y, b.y + b.h)).collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut cuts = Vec::new();
    let mut reach = f64::NEG_INFINITY;
    for (start, end) in spans {
        if start > reach && reach.is_finite() {
            cuts.push(round((reach + start) / 2.0));
        }
        reach = reach.max(end);
    }
    cuts
}

/// The tops of the parts and the bottom of the last: as few parts as `max` allows, of about
/// equal height (at each step the cut nearest an equal share of what is left that keeps the
/// part within `max`, or the first cut at all when none does).
fn cut_at(cuts: &[f64], height: f64, max: f64) -> Vec<f64> {
    let mut bounds = vec![0.0];
    let mut start = 0.0;
    let mut at = 0;
    while height - start > max {
        let left = ((height - start) / max).ceil().max(2.0);
        let ideal = start + (height - start) / left;
        let fits = cuts[at..].partition_point(|&c| c - start <= max);
        let next = if fits == 0 {
            at
        } else {
            let nearest = cuts[at..at + fits]
                .partition_point(|&c| c < ideal)
                .min(fits - 1);
            // The cut just below the ideal or the one above it, whichever is nearer.
            if nearest > 0 && ideal - cuts[at + nearest - 1] < cuts[at + nearest] - ideal {
                at + nearest - 1
            } else {
                at + nearest
            }
        };
        let Some(&cut) = cuts.get(next) else {
            break;
        };
        bounds.push(cut);
        start = cut;
        at = next + 1;
    }
    bounds.push(height);
    bounds
}

/// The piece of the segment from `a` to `b` between heights `top` and `bottom`, if it has
/// length there (a level segment on a bound counts as inside).
fn clip(a: (f64, f64), b: (f64, f64), top: f64, bottom: f64) -> Option<[(f64, f64); 2]> {
    if a.1 == b.1 {
        return (a.1 >= top && a.1 <= bottom).then_some([a, b]);
    }
    let at = |y: f64| {
        let t = (y - a.1) / (b.1 - a.1);
        (round(a.0 + t * (b.0 - a.0)), y)
    };
    let (low, high) = if a.1 < b.1 { (a, b) } else { (b, a) };
    let c = if low.1 < top { at(top) } else { low };
    let d = if high.1 > bottom { at(bottom) } else { high };
    (d.1 > c.1).then_some(if a.1 < b.1 { [c, d] } else { [d, c] })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagram::{Style, layout};

    fn tall(n: usize) -> Layout {
        // A root with n leaves, stacked: many rows.
        let labels: Vec<String> = (0..n).map(|i| format!("Role number {i}")).collect();
        let names: Vec<&str> = labels.iter().map(String::as_str).collect();
        let lines: Vec<(usize, usize)> = (1..n).map(|i| (i, 0)).collect();
        let measure = |t: &str| crate::diagram::measure::width(t, 14.0);
        layout(&names, &lines, &measure, &Style::default())
    }

    #[test]
    fn a_drawing_that_fits_is_one_part_with_everything() {
        let laid = tall(4);
        let parts = split(&laid, 10_000.0);
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].boxes, vec![0, 1, 2, 3]);
        let pieces: usize = laid.edges.iter().map(|e| e.points.len() - 1).sum();
        assert_eq!(parts[0].segments.len(), pieces);
        assert_eq!(parts[0].arrows.len(), 3);
        assert!(parts[0].up.is_empty() && parts[0].down.is_empty());
    }

    #[test]
    fn a_tall_drawing_is_cut_between_boxes_and_lines_continue() {
        let laid = tall(200);
        let parts = split(&laid, 600.0);
        assert!(parts.len() > 3, "{}", parts.len());
        let mut seen = vec![0; laid.boxes.len()];
        for (k, part) in parts.iter().enumerate() {
            assert!(part.height <= 600.0, "{}", part.height);
            for &i in &part.boxes {
                seen[i] += 1;
                let b = &laid.boxes[i];
                assert!(
                    b.y >= part.top && b.y + b.h <= part.top + part.height,
                    "{b:?} cut"
                );
            }
            for [a, b] in &part.segments {
                for p in [a, b] {
                    assert!(p.1 >= -0.01 && p.1 <= part.height + 0.01, "{p:?}");
                }
            }
            // What leaves one part downwards comes in at the top of the next.
            if let Some(next) = parts.get(k + 1) {
                assert_eq!(part.down, next.up);
                assert!(!part.down.is_empty());
                assert_eq!(part.top + part.height, next.top);
            }
        }
        assert!(seen.iter().all(|&s| s == 1), "each box once");
        assert!(parts[0].up.is_empty() && parts.last().unwrap().down.is_empty());
        let arrows: usize = parts.iter().map(|p| p.arrows.len()).sum();
        assert_eq!(arrows, laid.edges.len());
    }

    #[test]
    fn clipping_keeps_the_piece_inside() {
        assert_eq!(
            clip((0.0, 0.0), (10.0, 100.0), 50.0, 200.0),
            Some([(5.0, 50.0), (10.0, 100.0)])
        );
        assert_eq!(
            clip((0.0, 100.0), (0.0, 0.0), 20.0, 40.0),
            Some([(0.0, 40.0), (0.0, 20.0)])
        );
        assert_eq!(clip((0.0, 0.0), (0.0, 10.0), 20.0, 40.0), None);
        assert_eq!(cut_at(&[10.0, 20.0, 30.0], 25.0, 100.0), vec![0.0, 25.0]);
        assert_eq!(
            cut_at(&[10.0, 20.0, 30.0], 40.0, 15.0),
            vec![0.0, 10.0, 20.0, 30.0, 40.0]
        );
    }
}
