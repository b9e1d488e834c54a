//! A publisher's brand (`[brand]` in guidepack.toml and area.toml): logo, organisation and
//! accent colour; an area's keys override the national ones key by key. The accent colour
//! must meet WCAG AA contrast (4.5:1) with what it meets.

use serde::{Deserialize, Serialize};

/// `[brand]` as written in one file (the logo as a path from the project root once parsed).
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Brand {
    pub logo: Option<String>,
    pub logo_alt: Option<String>,
    pub organisation: Option<String>,
    pub colour: Option<String>,
}

impl Brand {
    /// This brand's keys where it sets them, `national`'s otherwise.
    pub fn over(&self, national: &Brand) -> Brand {
        let pick = |own: &Option<String>, theirs: &Option<String>| own.clone().or(theirs.clone());
        Brand {
            logo: pick(&self.logo, &national.logo),
            logo_alt: pick(&self.logo_alt, &national.logo_alt),
            organisation: pick(&self.organisation, &national.organisation),
            colour: pick(&self.colour, &national.colour),
        }
    }
}

/// The contrast an accent colour needs with each colour it meets (WCAG 2 AA, normal text).
pub const AA: f64 = 4.5;

/// What the accent meets: links and rules on the page and box backgrounds, white text on the
/// PDF cover's band.
pub const MEETS: [(&str, [u8; 3]); 3] = [
    ("white", [0xff, 0xff, 0xff]),
    (
        "the light grey of the web pages' boxes (#f3f2f1)",
        [0xf3, 0xf2, 0xf1],
    ),
    (
        "the light grey of the PDF's boxes (#f0f4f5)",
        [0xf0, 0xf4, 0xf5],
    ),
];

/// `#rrggbb` as its three channels.
pub fn parse_hex(text: &str) -> Option<[u8; 3]> {
    let hex = text.strip_prefix('#')?;
    if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let at = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([at(0)?, at(2)?, at(4)?])
}

pub fn hex(rgb: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", rgb[0], rgb[1], rgb[2])
}

fn luminance(rgb: [u8; 3]) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2])
}

/// The WCAG contrast ratio of two colours (1 to 21).
pub fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// The lowest contrast of `rgb` with what it meets, and what that is.
pub fn weakest(rgb: [u8; 3]) -> (f64, &'static str) {
    MEETS
        .iter()
        .map(|(name, other)| (contrast(rgb, *other), *name))
        .fold((f64::INFINITY, ""), |a, b| if b.0 < a.0 { b } else { a })
}

/// A ratio as messages show it, rounded down so that a failing ratio never reads as 4.5:1.
pub fn ratio_display(ratio: f64) -> String {
    format!("{:.1}:1", (ratio * 10.0).floor() / 10.0)
}

/// The nearest shade of the same hue and saturation that passes: the colour darkened (its HSL
/// lightness lowered) step by step until its weakest contrast reaches [`AA`].
pub fn nearest_passing(rgb: [u8; 3]) -> [u8; 3] {
    let (h, s, l) = to_hsl(rgb);
    let mut lightness = l;
    while lightness > 0.0 {
        let candidate = from_hsl(h, s, lightness);
        if weakest(candidate).0 >= AA {
            return candidate;
        }
        lightness -= 0.002;
    }
    [0, 0, 0]
}

fn to_hsl(rgb: [u8; 3]) -> (f64, f64, f64) {
    let [r, g, b] = rgb.map(|c| f64::from(c) / 255.0);
    let max = r.max(g).max(b);
    let min = r.min(g).min(b);
    let l = (max + min) / 2.0;
    if max == min {
        return (0.0, 0.0, l);
    }
    let d = max - min;
    let s = if l > 0.5 {
        d / (2.0 - max - min)
    } else {
        d / (max + min)
    };
    let h = if max == r {
        (g - b) / d + if g < b { 6.0 } else { 0.0 }
    } else if max == g {
        (b - r) / d + 2.0
    } else {
        (r - g) / d + 4.0
    };
    (h / 6.0, s, l)
}

fn from_hsl(h: f64, s: f64, l: f64) -> [u8; 3] {
    let channel = |v: f64| (v * 255.0).round().clamp(0.0, 255.0) as u8;
    if s == 0.0 {
        return [channel(l); 3];
    }
    let q = if l < 0.5 {
        l * (1.0 + s)
    } else {
        l + s - l * s
    };
    let p = 2.0 * l - q;
    let hue = |mut t: f64| {
        if t < 0.0 {
            t += 1.0;
        }
        if t > 1.0 {
            t -= 1.0;
        }
        if t < 1.0 / 6.0 {
            p + (q - p) * 6.0 * t
        } else if t < 0.5 {
            q
        } else if t < 2.0 / 3.0 {
            p + (q - p) * (2.0 / 3.0 - t) * 6.0
        } else {
            p
        }
    };
    [
        channel(hue(h + 1.0 / 3.0)),
        channel(hue(h)),
        channel(hue(h - 1.0 / 3.0)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_of_known_colours() {
        assert!((contrast([0, 0, 0], [255, 255, 255]) - 21.0).abs() < 1e-9);
        // GOV.UK link blue: 5.2:1 on white.
        assert_eq!(
            ratio_display(contrast([0x1d, 0x70, 0xb8], [255; 3])),
            "5.1:1"
        );
        assert_eq!(parse_hex("#1D70b8"), Some([0x1d, 0x70, 0xb8]));
        for bad in ["1d70b8", "#1d70b", "#1d70bg", "#1d70b8 "] {
            assert_eq!(parse_hex(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_nearest_passing_shade_passes_and_keeps_the_hue() {
        for start in [
            [0x7f, 0xb2, 0xe5],
            [0xff, 0xdd, 0x00],
            [0xee, 0xee, 0xee],
            [0x00, 0xa4, 0x99],
        ] {
            let shade = nearest_passing(start);
            assert!(weakest(shade).0 >= AA, "{}", hex(shade));
            assert!(weakest(start).0 < AA);
            let (h0, _, _) = to_hsl(start);
            let (h1, _, l1) = to_hsl(shade);
            assert!((h0 - h1).abs() < 0.02, "{} -> {}", hex(start), hex(shade));
            // The nearest: a step lighter fails.
            assert!(weakest(from_hsl(h1, to_hsl(start).1, l1 + 0.01)).0 < AA + 0.2);
        }
        // A passing colour is its own nearest.
        assert_eq!(nearest_passing([0x1d, 0x70, 0xb8]), [0x1d, 0x70, 0xb8]);
    }
}
