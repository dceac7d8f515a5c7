//! Charts as standalone SVG text: bars with intervals, a heat map, and trajectories.
//!
//! Hand-built rather than drawn with a plotting library: three chart types, text left to the
//! viewer's sans-serif font (so no font has to be embedded), and output that is deterministic
//! byte for byte, which snapshot tests and diffs rely on.

use std::fmt::Write;

/// Escapes text for SVG and HTML.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn open(width: f64, height: f64, title: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" \
         role=\"img\" font-family=\"sans-serif\" font-size=\"12\"><title>{}</title>\n",
        escape(title)
    )
}

/// A bar of a bar chart: label, value in 0..1, and an interval.
pub struct Bar {
    /// What the bar is.
    pub label: String,
    /// Its value, 0..1.
    pub value: f64,
    /// Lower and upper end of its interval.
    pub interval: Option<(f64, f64)>,
}

/// Horizontal bars of probabilities with whiskers for their intervals.
pub fn probability_bars(title: &str, bars: &[Bar]) -> String {
    let longest = bars
        .iter()
        .map(|b| b.label.chars().count())
        .max()
        .unwrap_or(0);
    let (label_width, bar_width, row) = (
        (7.0 * longest as f64 + 16.0).clamp(80.0, 480.0),
        360.0,
        26.0,
    );
    let height = 30.0 + row * bars.len() as f64 + 24.0;
    let width = label_width + bar_width + 70.0;
    let mut svg = open(width, height, title);
    let _ = writeln!(
        svg,
        "<text x=\"4\" y=\"16\" font-weight=\"bold\">{}</text>",
        escape(title)
    );
    for (n, bar) in bars.iter().enumerate() {
        let y = 30.0 + row * n as f64;
        let w = (bar.value.clamp(0.0, 1.0) * bar_width).max(0.5);
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
             <rect x=\"{label_width}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"16\" fill=\"#3b6ea5\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\">{:.1}%</text>",
            label_width - 8.0,
            y + 12.0,
            escape(&bar.label),
            y,
            label_width + w + 6.0,
            y + 12.0,
            100.0 * bar.value
        );
        if let Some((low, high)) = bar.interval {
            let (x1, x2) = (
                label_width + low.clamp(0.0, 1.0) * bar_width,
                label_width + high.clamp(0.0, 1.0) * bar_width,
            );
            let _ = writeln!(
                svg,
                "<path d=\"M{x1:.1} {:.1}H{x2:.1}M{x1:.1} {:.1}V{:.1}M{x2:.1} {:.1}V{:.1}\" stroke=\"#111\" fill=\"none\"/>",
                y + 8.0,
                y + 4.0,
                y + 12.0,
                y + 4.0,
                y + 12.0
            );
        }
    }
    svg + "</svg>\n"
}

/// One cell of the consensus map.
pub struct Cell {
    /// Support minus the actor's value of the fallback, in points.
    pub margin: Option<f64>,
    /// Whether the actor blocks the candidate.
    pub blocks: bool,
}

/// A heat map of actors (rows) by candidates (columns): green where the actor prefers the
/// candidate to the fallback, red where it does not, a cross where it blocks.
pub fn heat_map(
    title: &str,
    actors: &[String],
    candidates: &[String],
    cells: &[Vec<Cell>],
) -> String {
    let (label_width, cell_w, cell_h) = (70.0, 90.0, 18.0);
    let width = label_width + cell_w * candidates.len() as f64 + 10.0;
    let height = 50.0 + cell_h * actors.len() as f64 + 10.0;
    let mut svg = open(width, height, title);
    let _ = writeln!(
        svg,
        "<text x=\"4\" y=\"16\" font-weight=\"bold\">{}</text>",
        escape(title)
    );
    for (c, name) in candidates.iter().enumerate() {
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"42\" text-anchor=\"middle\">{}</text>",
            label_width + cell_w * (c as f64 + 0.5),
            escape(name)
        );
    }
    for (a, name) in actors.iter().enumerate() {
        let y = 50.0 + cell_h * a as f64;
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            label_width - 6.0,
            y + 13.0,
            escape(name)
        );
        for (c, cell) in cells[a].iter().enumerate() {
            let x = label_width + cell_w * c as f64;
            let fill = match cell.margin {
                None => "#eeeeee".to_owned(),
                Some(m) => {
                    let t = (m.abs() / 50.0).min(1.0);
                    let (r, g, b) = if m >= 0.0 {
                        (1.0 - 0.7 * t, 1.0 - 0.25 * t, 1.0 - 0.7 * t)
                    } else {
                        (1.0 - 0.1 * t, 1.0 - 0.7 * t, 1.0 - 0.7 * t)
                    };
                    format!("#{:02x}{:02x}{:02x}", channel(r), channel(g), channel(b))
                }
            };
            let label = cell.margin.map(|m| format!("{m:+.0}")).unwrap_or_default();
            let _ = writeln!(
                svg,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{fill}\" stroke=\"#fff\"/>\
                 <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\">{}{label}</text>",
                cell_w - 1.0,
                cell_h - 1.0,
                x + cell_w / 2.0,
                y + 13.0,
                if cell.blocks { "✕ " } else { "" }
            );
        }
    }
    svg + "</svg>\n"
}

/// A tick value with no more decimals than it needs.
fn tick_label(v: f64) -> String {
    let text = format!("{v:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // clamped to 0..=255
fn channel(v: f64) -> u8 {
    (v.clamp(0.0, 1.0) * 255.0).round() as u8
}

/// A series of a trajectory chart.
pub struct Series {
    /// Its name.
    pub label: String,
    /// Values by round.
    pub values: Vec<f64>,
    /// Whether it is the outcome (drawn bold).
    pub outcome: bool,
}

/// Positions round by round: one thin line per actor, the outcome in bold.
pub fn trajectories(title: &str, y_range: (f64, f64), series: &[Series]) -> String {
    let (left, top, plot_w, plot_h) = (50.0, 30.0, 520.0, 240.0);
    let width = left + plot_w + 150.0;
    let height = top + plot_h + 40.0 + 11.0 * series.len().saturating_sub(20) as f64;
    let rounds = series
        .iter()
        .map(|s| s.values.len())
        .max()
        .unwrap_or(1)
        .max(2)
        - 1;
    let (low, high) = if y_range.1 > y_range.0 {
        y_range
    } else {
        (y_range.0 - 1.0, y_range.0 + 1.0)
    };
    let x = |k: usize| left + plot_w * k as f64 / rounds as f64;
    let y = |v: f64| top + plot_h * (1.0 - (v - low) / (high - low));
    let mut svg = open(width, height, title);
    let _ = writeln!(
        svg,
        "<text x=\"4\" y=\"16\" font-weight=\"bold\">{}</text>",
        escape(title)
    );
    let _ = writeln!(
        svg,
        "<rect x=\"{left}\" y=\"{top}\" width=\"{plot_w}\" height=\"{plot_h}\" fill=\"none\" stroke=\"#999\"/>"
    );
    for tick in 0..=4 {
        let v = low + (high - low) * f64::from(tick) / 4.0;
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"10\">{}</text>",
            left - 4.0,
            y(v) + 3.0,
            tick_label(v)
        );
    }
    for k in 0..=rounds {
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"10\">{k}</text>",
            x(k),
            top + plot_h + 14.0
        );
    }
    let _ = writeln!(
        svg,
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"10\">round</text>",
        left + plot_w / 2.0,
        top + plot_h + 30.0
    );
    let mut labels: Vec<(f64, String, &str)> = Vec::new();
    for s in series.iter().filter(|s| !s.values.is_empty()) {
        let points: Vec<String> = s
            .values
            .iter()
            .enumerate()
            .map(|(k, v)| format!("{:.1},{:.1}", x(k), y(*v)))
            .collect();
        let (stroke, w) = if s.outcome {
            ("#c0392b", 3.0)
        } else {
            ("#7f8c9d", 1.0)
        };
        let _ = writeln!(
            svg,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"{w}\"><title>{}</title></polyline>",
            points.join(" "),
            escape(&s.label)
        );
        labels.push((y(s.values[s.values.len() - 1]), s.label.clone(), stroke));
    }
    // End labels, pushed apart so that they do not overlap.
    labels.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut last = f64::NEG_INFINITY;
    for (at, label, colour) in labels {
        let at = at.max(last + 11.0);
        last = at;
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" fill=\"{colour}\">{}</text>",
            left + plot_w + 6.0,
            at + 3.0,
            escape(&label)
        );
    }
    svg + "</svg>\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_escape_text_and_close() {
        let bars = probability_bars(
            "A & B",
            &[Bar {
                label: "<x>".into(),
                value: 0.5,
                interval: Some((0.4, 0.6)),
            }],
        );
        assert!(
            bars.contains("A &amp; B") && bars.contains("&lt;x&gt;") && bars.ends_with("</svg>\n")
        );
        let map = heat_map(
            "m",
            &["A".into()],
            &["c".into()],
            &[vec![Cell {
                margin: Some(-20.0),
                blocks: true,
            }]],
        );
        assert!(map.contains("✕ -20"));
        let lines = trajectories(
            "t",
            (0.0, 10.0),
            &[Series {
                label: "o".into(),
                values: vec![1.0, 2.0],
                outcome: true,
            }],
        );
        assert!(lines.contains("<polyline"));
    }
}
