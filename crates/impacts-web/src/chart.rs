//! Bar charts as SVG: one bar per row with its bounds as a whisker, stacked by part (phases) when
//! parts are given, a `<title>` per bar and per part (what a screen reader and a mouse-over say), a
//! legend; the page puts the same numbers in a table next to the chart.

use std::fmt::Write as _;

use impacts_model::readable::{scale, sig3};

use crate::escape;

/// A bar: its label, value and bounds (in the chart's unit before scaling).
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// Label under the bar (a month, a partition).
    pub label: String,
    /// Central value.
    pub value: f64,
    /// Low bound (the value when unknown).
    pub low: f64,
    /// High bound (the value when unknown).
    pub high: f64,
    /// The value's parts, stacked from the axis up in the order of the chart's legend (none: one
    /// block).
    pub parts: Vec<f64>,
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 8.0;
const BOTTOM: f64 = 36.0;
const TOP: f64 = 16.0;

/// Vertical bars of `bars` in `unit` (scaled for reading as the largest bound), titled `title`,
/// their parts named by `legend`. Non-finite or negative values are drawn as zero-height bars (the
/// API never gives them).
pub fn bars(title: &str, bars: &[Bar], unit: &str, legend: &[&str]) -> String {
    draw(title, bars, unit, legend, None)
}

/// A band of acceptable values drawn behind bars (ReFrame's reference band): either side open
/// when `None`, named by `label` in its `<title>`.
#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    /// Its low edge.
    pub low: Option<f64>,
    /// Its high edge.
    pub high: Option<f64>,
    /// What it is, for its `<title>`.
    pub label: String,
}

/// [`bars`] of one part each, with `band` drawn behind them (the plot reaches its finite edges).
pub fn bars_in_band(title: &str, bars: &[Bar], unit: &str, band: &Band) -> String {
    draw(title, bars, unit, &[], Some(band))
}

fn draw(title: &str, bars: &[Bar], unit: &str, legend: &[&str], band: Option<&Band>) -> String {
    let finite = |v: f64| if v.is_finite() { v.max(0.0) } else { 0.0 };
    let bars: Vec<Bar> = bars
        .iter()
        .map(|b| Bar {
            label: b.label.clone(),
            value: finite(b.value),
            low: finite(b.low),
            high: finite(b.high),
            parts: b.parts.iter().map(|&p| finite(p)).collect(),
        })
        .collect();
    let top = bars
        .iter()
        .map(|b| b.high.max(b.value))
        .chain(band.iter().flat_map(|b| [b.low, b.high]).flatten())
        .filter(|x| x.is_finite())
        .fold(0.0_f64, f64::max);
    let (scaled_top, shown_unit) = scale(top, unit);
    let factor = if top > 0.0 { scaled_top / top } else { 1.0 };
    let y = |v: f64| -> f64 {
        let h = if top > 0.0 { v / top } else { 0.0 };
        TOP + (HEIGHT - TOP - BOTTOM) * (1.0 - h)
    };
    let n = bars.len().max(1) as f64;
    let step = (WIDTH - LEFT) / n;
    let width = (step * 0.7).max(1.0);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="chart-title-{id}" xmlns="http://www.w3.org/2000/svg"><title id="chart-title-{id}">{t} ({u})</title>"#,
        id = slug(title),
        t = escape(title),
        u = escape(&shown_unit),
    );
    let base = y(0.0);
    let _ = write!(
        svg,
        r#"<line class="axis" x1="{LEFT}" y1="{base:.1}" x2="{WIDTH}" y2="{base:.1}"/>"#
    );
    if let Some(b) = band {
        band_of(
            &mut svg,
            b,
            y(b.high.unwrap_or(top).max(0.0)),
            y(b.low.unwrap_or(0.0).max(0.0)),
            factor,
            &shown_unit,
        );
    }
    for (i, b) in bars.iter().enumerate() {
        let x = LEFT + step * i as f64 + (step - width) / 2.0;
        let (yv, yl, yh) = (y(b.value), y(b.low), y(b.high));
        let cx = x + width / 2.0;
        let label = escape(&b.label);
        let u = escape(&shown_unit);
        let _ = write!(
            svg,
            r#"<g class="bar"><title>{label}: {v} {u} [{lo} – {hi}]</title>"#,
            v = sig3(b.value * factor),
            lo = sig3(b.low * factor),
            hi = sig3(b.high * factor),
        );
        if b.parts.is_empty() {
            let h = (base - yv).max(0.0);
            let _ = write!(
                svg,
                r#"<rect x="{x:.1}" y="{yv:.1}" width="{width:.1}" height="{h:.1}"/>"#
            );
        }
        let mut below = 0.0;
        for (k, &part) in b.parts.iter().enumerate() {
            let (y0, y1) = (y(below), y(below + part));
            below += part;
            let name = legend.get(k).copied().unwrap_or("");
            let _ = write!(
                svg,
                r#"<rect class="part-{k}" data-value="{part}" x="{x:.1}" y="{y1:.1}" width="{width:.1}" height="{h:.1}"><title>{label}, {n}: {p} {u}</title></rect>"#,
                n = escape(name),
                p = sig3(part * factor),
                h = (y0 - y1).max(0.0),
            );
        }
        let _ = write!(
            svg,
            r#"<line class="bound" x1="{cx:.1}" y1="{yl:.1}" x2="{cx:.1}" y2="{yh:.1}"/><text x="{cx:.1}" y="{ty:.1}" text-anchor="middle">{label}</text></g>"#,
            ty = HEIGHT - BOTTOM + 14.0,
        );
    }
    legend_of(&mut svg, legend);
    svg.push_str("</svg>");
    svg
}

/// A band from `y_high` down to `y_low`, across the plot, with its edges in its `<title>`.
fn band_of(svg: &mut String, b: &Band, y_high: f64, y_low: f64, factor: f64, unit: &str) {
    let edge = |e: Option<f64>| {
        e.filter(|x| x.is_finite())
            .map_or("open".into(), |x| sig3(x * factor))
    };
    let _ = write!(
        svg,
        r#"<rect class="band" x="{LEFT}" y="{y_high:.1}" width="{w:.1}" height="{h:.1}"><title>{l}: [{lo} – {hi}] {u}</title></rect>"#,
        w = WIDTH - LEFT,
        h = (y_low - y_high).max(0.0),
        l = escape(&b.label),
        lo = edge(b.low),
        hi = edge(b.high),
        u = escape(unit),
    );
}

/// The legend of the parts, along the top of the plot.
fn legend_of(svg: &mut String, legend: &[&str]) {
    let mut x = LEFT;
    for (k, name) in legend.iter().enumerate() {
        let _ = write!(
            svg,
            r#"<g class="legend"><rect class="part-{k}" x="{x:.1}" y="2" width="10" height="10"/><text x="{tx:.1}" y="11">{n}</text></g>"#,
            tx = x + 14.0,
            n = escape(name),
        );
        x += 14.0 + 7.0 * name.chars().count() as f64 + 12.0;
    }
}

/// An id made of a title's letters and digits.
fn slug(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, value: f64, low: f64, high: f64) -> Bar {
        Bar {
            label: label.into(),
            value,
            low,
            high,
            parts: Vec::new(),
        }
    }

    /// The tallest bound reaches the top of the plot; a bar's height is its share of it.
    #[test]
    fn bars_are_scaled_to_the_highest_bound() {
        let svg = bars(
            "By month",
            &[
                bar("2024-01", 500.0, 400.0, 1000.0),
                bar("<b>", 250.0, 250.0, 250.0),
            ],
            "gCO2eq",
            &[],
        );
        // Plot height 220 − 16 − 36 = 168: the 1000 g bound at y = 16, 500 g at 16 + 84 = 100.
        assert!(
            svg.contains(r#"y1="100.0" x2="#) || svg.contains(r#"y="100.0""#),
            "{svg}"
        );
        assert!(svg.contains(r#"y2="16.0""#), "{svg}");
        // 1000 g is 1 kgCO2eq: the chart speaks kilograms, 500 g as 0.500.
        assert!(
            svg.contains("2024-01: 0.500 kgCO2eq [0.400 – 1.00]"),
            "{svg}"
        );
        assert!(
            svg.contains("&lt;b&gt;") && !svg.contains("<b>"),
            "labels are escaped"
        );
    }

    /// The band spans its edges on the bars' scale; an open side reaches the plot's edge.
    #[test]
    fn a_band_behind_the_bars() {
        let band = Band {
            low: Some(50.0),
            high: Some(100.0),
            label: "ReFrame's reference band".into(),
        };
        let svg = bars_in_band("Runs", &[bar("a", 80.0, 80.0, 80.0)], "s", &band);
        // The band's high edge is the plot's top (100 > 80): y = 16; its low edge 50 at
        // 16 + 168 / 2 = 100: height 84.
        assert!(
            svg.contains(r#"<rect class="band" x="8" y="16.0" width="632.0" height="84.0">"#),
            "{svg}"
        );
        assert!(
            svg.contains("ReFrame&#39;s reference band: [50.0 – 100] s"),
            "{svg}"
        );
        let open = Band { high: None, ..band };
        let svg = bars_in_band("Runs", &[bar("a", 80.0, 80.0, 80.0)], "s", &open);
        // Open above: from the top (80, the tallest) down to 50 (16 + 168 × 3/8 = 79).
        assert!(
            svg.contains(r#"y="16.0" width="632.0" height="63.0""#),
            "{svg}"
        );
        assert!(svg.contains("[50.0 – open]"), "{svg}");
    }

    #[test]
    fn nothing_to_draw_is_an_empty_plot() {
        let svg = bars("Empty", &[], "gCO2eq", &[]);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(!svg.contains("<rect"));
        let zero = bars(
            "Zero",
            &[bar("a", 0.0, 0.0, 0.0), bar("b", f64::NAN, 0.0, 0.0)],
            "gCO2eq",
            &[],
        );
        assert!(!zero.contains("NaN") && !zero.contains("inf"), "{zero}");
    }

    /// Parts are stacked from the axis: each block's height is its share of the plot, the next
    /// block starts where the last ended, and each is named by the legend.
    #[test]
    fn parts_are_stacked_in_the_legend_s_order() {
        let mut b = bar("2024-01", 1000.0, 1000.0, 1000.0);
        b.parts = vec![250.0, 750.0];
        let svg = bars("Phases", &[b], "gCO2eq", &["manufacturing", "use"]);
        // Plot from y = 16 (1000 g) to y = 184 (0 g): 250 g is 42 high, from 184 up to 142;
        // 750 g is 126 high, from 142 up to 16. One bar of 0.7 × 632 = 442.4 wide, centred: x = 102.8.
        assert!(
            svg.contains(
                r#"class="part-0" data-value="250" x="102.8" y="142.0" width="442.4" height="42.0""#
            ),
            "{svg}"
        );
        assert!(
            svg.contains(
                r#"class="part-1" data-value="750" x="102.8" y="16.0" width="442.4" height="126.0""#
            ),
            "{svg}"
        );
        assert!(
            svg.contains("2024-01, manufacturing: 0.250 kgCO2eq"),
            "{svg}"
        );
        assert!(
            svg.contains(">use</text>"),
            "the legend names the parts: {svg}"
        );
    }
}
