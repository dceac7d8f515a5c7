//! Charts as standalone SVG text: bars with intervals, a heat map, trajectories, and the
//! reliability diagram of a backtest.
//!
//! Hand-built rather than drawn with a plotting library: three chart types, text left to the
//! viewer's sans-serif font (so no font has to be embedded), and output that is deterministic
//! byte for byte, which snapshot tests and diffs rely on.

use std::fmt::Write;

use akkoord_core::backtest::AppointmentBacktest;

/// Escapes text for SVG and HTML.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The opening tag of a chart. **Invariant:** no fixed width: the chart scales with its
/// container (`width="100%"`) up to its natural width, and the `viewBox` keeps its proportions,
/// so that it fits a phone's screen as it fits a desktop's.
pub(crate) fn open(width: f64, height: f64, title: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"100%\" \
         style=\"max-width:{width}px;height:auto\" role=\"img\" font-family=\"sans-serif\" font-size=\"12\">\
         <title>{}</title>\n",
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

/// Widest label, in pixels at 12 px, left of the bars; longer labels go above their bars so
/// that the chart stays narrow enough to read on a phone.
const BESIDE_UP_TO: f64 = 150.0;

/// Horizontal bars of probabilities with whiskers for their intervals.
///
/// Short labels sit left of their bars; when any label is long, every label sits above its
/// bar. Bars are light and whiskers dark and wider than a bar is tall, so that an interval
/// stays visible over its bar.
pub fn probability_bars(title: &str, bars: &[Bar]) -> String {
    let longest = bars
        .iter()
        .map(|b| b.label.chars().count())
        .max()
        .unwrap_or(0);
    let text_width = 7.0 * longest as f64 + 16.0;
    let beside = text_width <= BESIDE_UP_TO;
    let bar_width = 360.0;
    let (left, row, bar_top) = if beside {
        (text_width.max(60.0), 26.0, 0.0)
    } else {
        (8.0, 40.0, 16.0)
    };
    let height = 30.0 + row * bars.len() as f64 + 10.0;
    let width = left + bar_width + 60.0;
    let mut svg = open(width, height, title);
    let _ = writeln!(
        svg,
        "<text x=\"4\" y=\"16\" font-weight=\"bold\">{}</text>",
        escape(title)
    );
    for (n, bar) in bars.iter().enumerate() {
        let y = 30.0 + row * n as f64 + bar_top;
        let w = (bar.value.clamp(0.0, 1.0) * bar_width).max(0.5);
        if beside {
            let _ = write!(
                svg,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
                left - 8.0,
                y + 12.0,
                escape(&bar.label),
            );
        } else {
            let _ = write!(
                svg,
                "<text x=\"{left:.1}\" y=\"{:.1}\">{}</text>",
                y - 4.0,
                escape(&bar.label),
            );
        }
        let value_at = bar
            .interval
            .map_or(w, |(_, high)| high.clamp(0.0, 1.0) * bar_width)
            .max(w);
        let _ = writeln!(
            svg,
            "<rect x=\"{left:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"16\" fill=\"#9dbbe0\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\">{:.1}%</text>",
            left + value_at + 6.0,
            y + 12.0,
            100.0 * bar.value
        );
        if let Some((low, high)) = bar.interval {
            let (x1, x2) = (
                left + low.clamp(0.0, 1.0) * bar_width,
                left + high.clamp(0.0, 1.0) * bar_width,
            );
            let _ = writeln!(
                svg,
                "<path class=\"whisker\" d=\"M{x1:.1} {:.1}H{x2:.1}M{x1:.1} {:.1}V{:.1}M{x2:.1} {:.1}V{:.1}\" \
                 stroke=\"#1c2733\" stroke-width=\"2\" fill=\"none\"/>",
                y + 8.0,
                y - 2.0,
                y + 18.0,
                y - 2.0,
                y + 18.0
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

/// A heat map of actors (rows, in the order given) by candidates (columns): green where the
/// actor prefers the candidate to the fallback, red where it does not, a cross where it blocks.
///
/// Column headers are slanted so that columns can be as narrow as their numbers.
pub fn heat_map(
    title: &str,
    actors: &[String],
    candidates: &[String],
    cells: &[Vec<Cell>],
) -> String {
    let chars =
        |names: &[String]| names.iter().map(|n| n.chars().count()).max().unwrap_or(0) as f64;
    let (cell_w, cell_h) = (48.0, 18.0);
    let label_width = (7.0 * chars(actors) + 12.0).clamp(40.0, 200.0);
    // Headers are slanted 40 degrees; about 6.5 px a character at 12 px.
    let name_length = 6.5 * chars(candidates);
    let top = 30.0 + 0.65 * name_length;
    let width = label_width
        + cell_w * candidates.len() as f64
        + (0.77 * name_length - cell_w / 2.0).max(10.0);
    let height = top + cell_h * actors.len() as f64 + 10.0;
    let mut svg = open(width, height, title);
    let _ = writeln!(
        svg,
        "<text x=\"4\" y=\"16\" font-weight=\"bold\">{}</text>",
        escape(title)
    );
    for (c, name) in candidates.iter().enumerate() {
        let x = label_width + cell_w * (c as f64 + 0.5);
        let y = top - 5.0;
        let _ = writeln!(
            svg,
            "<text x=\"{x:.1}\" y=\"{y:.1}\" transform=\"rotate(-40 {x:.1} {y:.1})\">{}</text>",
            escape(name)
        );
    }
    for (a, name) in actors.iter().enumerate() {
        let y = top + cell_h * a as f64;
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

/// Line colours of the actors: a qualitative palette, dark enough for text on white, without
/// the red of the outcome. After it runs out, lines repeat it dashed, then dotted.
pub(crate) const PALETTE: [&str; 9] = [
    "#1f77b4", "#e06c00", "#2ca02c", "#9467bd", "#8c564b", "#c2499b", "#666666", "#8f8f12",
    "#1797a8",
];
const DASHES: [&str; 3] = ["", " stroke-dasharray=\"6 3\"", " stroke-dasharray=\"2 2\""];
const OUTCOME_COLOUR: &str = "#c0392b";
/// Vertical distance between end labels, in pixels.
const LABEL_GAP: f64 = 13.0;

/// Where the end labels go: each as near its line's end (`ends`, sorted) as it can be without
/// overlapping the next, within `low..=high`.
fn spread(ends: &[f64], low: f64, high: f64) -> Vec<f64> {
    let mut at: Vec<f64> = Vec::with_capacity(ends.len());
    for (n, end) in ends.iter().enumerate() {
        let previous = if n == 0 {
            f64::NEG_INFINITY
        } else {
            at[n - 1] + LABEL_GAP
        };
        at.push(end.max(low).max(previous));
    }
    // Pushed past the bottom: push back up from there.
    let mut next = f64::INFINITY;
    for a in at.iter_mut().rev() {
        *a = a.min(high).min(next - LABEL_GAP);
        next = *a;
    }
    at
}

/// The plot area of a trajectory chart and its scales.
struct Plot {
    left: f64,
    top: f64,
    width: f64,
    height: f64,
    low: f64,
    high: f64,
    rounds: usize,
}

impl Plot {
    fn x(&self, round: usize) -> f64 {
        self.left + self.width * round as f64 / self.rounds as f64
    }

    fn y(&self, v: f64) -> f64 {
        self.top + self.height * (1.0 - (v - self.low) / (self.high - self.low))
    }

    /// The frame, the ticks, and the titles of both axes.
    fn axes(&self, svg: &mut String, y_title: &str) {
        let (left, top, w, h) = (self.left, self.top, self.width, self.height);
        let _ = writeln!(
            svg,
            "<rect x=\"{left}\" y=\"{top}\" width=\"{w}\" height=\"{h}\" fill=\"none\" stroke=\"#999\"/>"
        );
        for tick in 0..=4 {
            let v = self.low + (self.high - self.low) * f64::from(tick) / 4.0;
            let _ = writeln!(
                svg,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"11\">{}</text>",
                left - 4.0,
                self.y(v) + 3.0,
                tick_label(v)
            );
        }
        let middle = top + h / 2.0;
        let _ = writeln!(
            svg,
            "<text class=\"axis-title\" x=\"16\" y=\"{middle:.1}\" transform=\"rotate(-90 16 {middle:.1})\" \
             text-anchor=\"middle\" font-size=\"12\">{}</text>",
            escape(y_title)
        );
        for k in 0..=self.rounds {
            let _ = writeln!(
                svg,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\">{k}</text>",
                self.x(k),
                top + h + 15.0
            );
        }
        let _ = writeln!(
            svg,
            "<text class=\"axis-title\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"12\">round</text>",
            left + w / 2.0,
            top + h + 34.0
        );
    }
}

/// A line's colour, dash pattern and width.
type Style = (&'static str, &'static str, f64);

/// The series to draw with their styles: actors first, each in its own colour (dashed once
/// the palette runs out), the outcome last, bold, so that it is drawn on top.
fn styled<'a>(drawn: &[&'a Series]) -> Vec<(&'a Series, Style)> {
    let actors = drawn
        .iter()
        .filter(|s| !s.outcome)
        .enumerate()
        .map(|(n, s)| {
            let style = (
                PALETTE[n % PALETTE.len()],
                DASHES[(n / PALETTE.len()) % DASHES.len()],
                1.5,
            );
            (*s, style)
        });
    let outcomes = drawn
        .iter()
        .filter(|s| s.outcome)
        .map(|s| (*s, (OUTCOME_COLOUR, "", 3.0)));
    actors.chain(outcomes).collect()
}

/// The label at the end of a line of a chart.
pub(crate) struct EndLabel {
    pub(crate) colour: &'static str,
    pub(crate) text: String,
    pub(crate) bold: bool,
}

/// End labels right of `line_end`, pushed apart so that they do not overlap, each joined to
/// its line's end; `ends` holds each line's end height and its index in `labels`.
pub(crate) fn end_labels(
    svg: &mut String,
    mut ends: Vec<(f64, usize)>,
    labels: &[EndLabel],
    line_end: f64,
    (top, height): (f64, f64),
) {
    ends.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let places = spread(
        &ends.iter().map(|e| e.0).collect::<Vec<_>>(),
        top + 4.0,
        top + height,
    );
    for ((end, n), at) in ends.iter().zip(places) {
        let label = &labels[*n];
        let weight = if label.bold {
            " font-weight=\"bold\""
        } else {
            ""
        };
        let _ = writeln!(
            svg,
            "<path class=\"leader\" d=\"M{:.1} {end:.1}L{:.1} {at:.1}H{:.1}\" stroke=\"{}\" fill=\"none\"/>\
             <text class=\"end-label\" x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"{}\"{weight}>{}</text>",
            line_end + 1.0,
            line_end + 14.0,
            line_end + 20.0,
            label.colour,
            line_end + 23.0,
            at + 3.5,
            label.colour,
            escape(&label.text)
        );
    }
}

/// Positions round by round: one coloured line per actor, labelled at its end (with a leader
/// line to the label where labels had to be pushed apart), the outcome in bold red.
pub fn trajectories(title: &str, y_title: &str, y_range: (f64, f64), series: &[Series]) -> String {
    let drawn: Vec<&Series> = series.iter().filter(|s| !s.values.is_empty()).collect();
    let longest = drawn
        .iter()
        .map(|s| s.label.chars().count())
        .max()
        .unwrap_or(0);
    let (low, high) = if y_range.1 > y_range.0 {
        y_range
    } else {
        (y_range.0 - 1.0, y_range.0 + 1.0)
    };
    let plot = Plot {
        left: 64.0,
        top: 30.0,
        width: 440.0,
        height: 240.0_f64.max(LABEL_GAP * drawn.len() as f64),
        low,
        high,
        rounds: series
            .iter()
            .map(|s| s.values.len())
            .max()
            .unwrap_or(1)
            .max(2)
            - 1,
    };
    let line_end = plot.left + plot.width;
    let width = line_end + 24.0 + 6.2 * longest as f64 + 6.0;
    let mut svg = open(width, plot.top + plot.height + 40.0, title);
    let _ = writeln!(
        svg,
        "<text x=\"4\" y=\"16\" font-weight=\"bold\">{}</text>",
        escape(title)
    );
    plot.axes(&mut svg, y_title);
    let styled = styled(&drawn);
    let mut ends: Vec<(f64, usize)> = Vec::new();
    for (n, (s, (colour, dash, w))) in styled.iter().enumerate() {
        let points: Vec<String> = s
            .values
            .iter()
            .enumerate()
            .map(|(k, v)| format!("{:.1},{:.1}", plot.x(k), plot.y(*v)))
            .collect();
        let _ = writeln!(
            svg,
            "<polyline class=\"series\" points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"{w}\"{dash}><title>{}</title></polyline>",
            points.join(" "),
            escape(&s.label)
        );
        ends.push((plot.y(s.values[s.values.len() - 1]), n));
    }
    let labels: Vec<EndLabel> = styled
        .iter()
        .map(|(s, (colour, _, _))| EndLabel {
            colour,
            text: s.label.clone(),
            bold: s.outcome,
        })
        .collect();
    end_labels(&mut svg, ends, &labels, line_end, (plot.top, plot.height));
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
            "position",
            (0.0, 10.0),
            &[Series {
                label: "o".into(),
                values: vec![1.0, 2.0],
                outcome: true,
            }],
        );
        assert!(lines.contains("<polyline"));
    }

    fn series(label: &str, values: &[f64], outcome: bool) -> Series {
        Series {
            label: label.into(),
            values: values.to_vec(),
            outcome,
        }
    }

    #[test]
    fn charts_scale_with_the_page_instead_of_a_fixed_width() {
        let bars = probability_bars(
            "p",
            &[Bar {
                label: "a candidate with a long name".into(),
                value: 0.8,
                interval: Some((0.7, 0.9)),
            }],
        );
        let lines = trajectories(
            "t",
            "position",
            (0.0, 1.0),
            &[series("a", &[0.0, 1.0], false)],
        );
        let map = heat_map(
            "m",
            &["A".into()],
            &["c".into()],
            &[vec![Cell {
                margin: None,
                blocks: false,
            }]],
        );
        for svg in [bars, lines, map] {
            let open = &svg[..svg.find('>').unwrap()];
            assert!(open.contains("viewBox=\"0 0 "), "{open}");
            assert!(open.contains(" width=\"100%\""), "{open}");
            assert!(!open.contains(" height=\""), "{open}");
            assert!(open.contains("style=\"max-width:"), "{open}");
        }
    }

    #[test]
    fn whiskers_are_dark_thick_and_taller_than_their_bar() {
        let bars = probability_bars(
            "p",
            &[Bar {
                label: "x".into(),
                value: 0.5,
                interval: Some((0.4, 0.6)),
            }],
        );
        let whisker = bars
            .lines()
            .find(|l| l.contains("class=\"whisker\""))
            .unwrap();
        assert!(
            whisker.contains("stroke=\"#1c2733\" stroke-width=\"2\""),
            "{whisker}"
        );
        // The bar is 16 px tall from y = 30; the caps run from 28 to 48.
        assert!(whisker.contains("V48.0"), "{whisker}");
    }

    #[test]
    fn each_trajectory_has_its_own_colour_a_label_and_a_leader_line() {
        let mut all: Vec<Series> = (0..11)
            .map(|n| series(&format!("actor{n}"), &[f64::from(n), 5.0], false))
            .collect();
        all.push(series("outcome", &[5.0, 5.0], true));
        let svg = trajectories("t", "position (0 to 10)", (0.0, 10.0), &all);
        let styles: Vec<&str> = svg
            .lines()
            .filter(|l| l.starts_with("<polyline"))
            .map(|l| &l[l.find(" stroke=").unwrap()..l.find("><title>").unwrap()])
            .collect();
        assert_eq!(styles.len(), 12);
        let mut distinct = styles.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), 12, "{styles:?}");
        assert!(styles[11].contains(OUTCOME_COLOUR) && styles[11].contains("stroke-width=\"3\""));
        assert_eq!(svg.matches("class=\"end-label\"").count(), 12);
        assert_eq!(svg.matches("class=\"leader\"").count(), 12);
        assert!(svg.contains("font-size=\"12\">position (0 to 10)</text>"));
        // Each label is in its line's colour.
        for n in [0, 9] {
            let colour = PALETTE[n % PALETTE.len()];
            assert!(
                svg.contains(&format!("fill=\"{colour}\">actor{n}</text>")),
                "actor{n}"
            );
        }
    }

    #[test]
    fn end_labels_keep_apart_and_inside_the_plot() {
        let at = spread(&[50.0, 50.0, 51.0, 300.0, 300.0], 30.0, 300.0);
        for pair in at.windows(2) {
            assert!(pair[1] - pair[0] >= LABEL_GAP - 1e-9, "{at:?}");
        }
        assert!(at[0] >= 30.0 && at[4] <= 300.0, "{at:?}");
        assert!(
            (at[0] - 50.0).abs() < 1e-9,
            "a label that has room stays at its line's end"
        );
    }
}

/// The reliability diagram of an appointment backtest: its reliability table drawn.
pub fn backtest_reliability(b: &AppointmentBacktest) -> String {
    let points: Vec<ReliabilityPoint> = b
        .reliability
        .iter()
        .map(|bin| ReliabilityPoint {
            forecast: bin.mean_forecast,
            observed: bin.observed,
            count: bin.forecasts,
        })
        .collect();
    reliability(
        &format!("Reliability of {} case(s)", b.cases.len()),
        &points,
    )
}

/// A bin of a reliability diagram: forecasts of about this probability and how often their
/// outcome happened.
pub struct ReliabilityPoint {
    /// Mean forecast probability in the bin, 0..1.
    pub forecast: f64,
    /// Share of the bin's outcomes that happened, 0..1.
    pub observed: f64,
    /// Outcomes in the bin.
    pub count: usize,
}

/// The reliability diagram: each bin's observed frequency against its mean forecast, with the
/// diagonal of perfect calibration; a point's area grows with its count, and the count is
/// written beside it.
pub fn reliability(title: &str, points: &[ReliabilityPoint]) -> String {
    let (left, top, side) = (52.0, 34.0, 300.0);
    let (width, height) = (left + side + 24.0, top + side + 46.0);
    let x = |p: f64| left + p.clamp(0.0, 1.0) * side;
    let y = |p: f64| top + (1.0 - p.clamp(0.0, 1.0)) * side;
    let mut svg = open(width, height, title);
    let _ = writeln!(
        svg,
        "<text x=\"4\" y=\"16\" font-weight=\"bold\">{}</text>",
        escape(title)
    );
    for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let _ = writeln!(
            svg,
            "<path d=\"M{:.1} {:.1}H{:.1}M{:.1} {:.1}V{:.1}\" stroke=\"#e3e7ec\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{:.0}%</text>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{:.0}%</text>",
            x(0.0),
            y(tick),
            x(1.0),
            x(tick),
            y(0.0),
            y(1.0),
            x(0.0) - 6.0,
            y(tick) + 4.0,
            100.0 * tick,
            x(tick),
            y(0.0) + 16.0,
            100.0 * tick
        );
    }
    let _ = writeln!(
        svg,
        "<path d=\"M{:.1} {:.1}L{:.1} {:.1}\" stroke=\"#8a96a3\" stroke-dasharray=\"4 3\"/>\
         <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">forecast probability</text>\
         <text transform=\"translate(14 {:.1}) rotate(-90)\" text-anchor=\"middle\">how often it happened</text>",
        x(0.0),
        y(0.0),
        x(1.0),
        y(1.0),
        x(0.5),
        y(0.0) + 36.0,
        y(0.5)
    );
    for p in points.iter().filter(|p| p.count > 0) {
        let r = 3.0 + (p.count as f64).sqrt();
        let _ = writeln!(
            svg,
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"{r:.1}\" fill=\"#9dbbe0\" stroke=\"#1c2733\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\">{}</text>",
            x(p.forecast),
            y(p.observed),
            x(p.forecast) + r + 2.0,
            y(p.observed) - r,
            p.count
        );
    }
    svg + "</svg>\n"
}

#[cfg(test)]
mod reliability_tests {
    use super::*;

    #[test]
    fn points_sit_at_their_forecast_and_frequency_and_empty_bins_are_left_out() {
        let svg = reliability(
            "Reliability",
            &[
                ReliabilityPoint {
                    forecast: 0.5,
                    observed: 0.25,
                    count: 4,
                },
                ReliabilityPoint {
                    forecast: 0.9,
                    observed: 1.0,
                    count: 0,
                },
            ],
        );
        // x = 52 + 0.5 · 300, y = 34 + 0.75 · 300, r = 3 + 2.
        assert!(
            svg.contains("<circle cx=\"202.0\" cy=\"259.0\" r=\"5.0\""),
            "{svg}"
        );
        assert_eq!(svg.matches("<circle").count(), 1);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>\n"));
    }
}
