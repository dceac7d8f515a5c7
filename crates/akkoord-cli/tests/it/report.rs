//! The HTML report: well-formed, self-contained, the sections an analyst needs, and a layout
//! that a real browser fits to a phone's screen and to a desktop's.

use std::path::{Path, PathBuf};

use crate::cli::{akkoord, case, example, scratch};

/// Elements without a closing tag in HTML.
const VOID: [&str; 6] = ["meta", "br", "img", "input", "link", "hr"];

/// Checks that every element is closed in order; returns the headings (h1-h3) in order.
fn check_well_formed(html: &str) -> Vec<String> {
    let mut stack: Vec<String> = Vec::new();
    let mut headings = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let end = rest[start..].find('>').expect("every tag is closed by >") + start;
        let tag = &rest[start + 1..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') || tag.ends_with('/') {
            continue;
        }
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_lowercase();
        if VOID.contains(&name.as_str()) {
            continue;
        }
        if tag.starts_with('/') {
            let open = stack
                .pop()
                .unwrap_or_else(|| panic!("</{name}> closes nothing"));
            assert_eq!(open, name, "</{name}> closes <{open}>");
        } else {
            if ["h1", "h2", "h3"].contains(&name.as_str()) {
                let text_end = rest.find('<').unwrap_or(rest.len());
                headings.push(format!("{name}: {}", &rest[..text_end]));
            }
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
    headings
}

fn check_self_contained(html: &str) {
    for needle in ["<script", "<link", "src=", "@import", "url(", "<iframe"] {
        assert!(
            !html.contains(needle),
            "the report loads something: {needle}"
        );
    }
}

fn report(input: &str, name: &str) -> (String, PathBuf) {
    let dir = scratch(name);
    let output = dir.join("report.html");
    let charts = dir.join("charts");
    let out = akkoord(&[
        "report",
        input,
        "-o",
        &output.display().to_string(),
        "--charts",
        &charts.display().to_string(),
        "--runs",
        "2000",
        "--lever-runs",
        "200",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    (std::fs::read_to_string(&output).unwrap(), dir)
}

#[test]
fn appointment_reports_have_every_section() {
    let (html, dir) = report(&example("nato-2023.toml"), "nato");
    check_self_contained(&html);
    let headings = check_well_formed(&html);
    insta::assert_snapshot!("nato-2023-report-headings", headings.join("\n"));
    assert!(html.contains("Most likely: Mark Rutte"));
    assert!(
        html.contains("welingelichtekringen.nl"),
        "sources are shown"
    );
    // The example has dated events: the chart of how the forecast moved is the fourth.
    assert_eq!(html.matches("<svg").count(), 4);
    assert!(html.contains("What moved the forecast most:"));
    for chart in [
        "outcomes.svg",
        "timing.svg",
        "consensus-map.svg",
        "history.svg",
    ] {
        assert!(
            dir.join("charts").join(chart).metadata().unwrap().len() > 500,
            "{chart}"
        );
    }
    browser_check(&dir.join("report.html"), "nato-2023", 4);
    std::fs::remove_dir_all(dir).ok();
}

/// The consensus map's rows with each row's cell texts, in the order drawn.
fn map_rows(svg: &str) -> Vec<(String, Vec<String>)> {
    let mut rows: Vec<(String, Vec<String>)> = Vec::new();
    for line in svg.lines() {
        if line.starts_with("<rect") {
            let text = text_of(line);
            rows.last_mut()
                .expect("cells follow their row's label")
                .1
                .push(text);
        } else if line.contains("text-anchor=\"end\"") {
            rows.push((text_of(line), Vec::new()));
        }
    }
    rows
}

/// The text of the first `<text>` element on a line.
fn text_of(line: &str) -> String {
    let start = line.find("<text").unwrap();
    let open_end = line[start..].find('>').unwrap() + start + 1;
    let close = line[open_end..].find("</text>").unwrap() + open_end;
    line[open_end..close].to_owned()
}

#[test]
fn the_consensus_map_is_ordered_by_support_for_the_favourite() {
    let (html, dir) = report(&example("nato-2023.toml"), "nato-order");
    let map = std::fs::read_to_string(dir.join("charts/consensus-map.svg")).unwrap();
    let rows = map_rows(&map);
    assert_eq!(rows.len(), 31, "one row per ally");
    // Mark Rutte is the first candidate; a cell without a stance is a margin of 0.
    let margins: Vec<(String, f64)> = rows
        .iter()
        .map(|(id, cells)| {
            let number = cells[0].trim_start_matches("✕ ");
            (id.clone(), number.parse::<f64>().unwrap_or(0.0))
        })
        .collect();
    for pair in margins.windows(2) {
        let ((a, x), (b, y)) = (&pair[0], &pair[1]);
        assert!(
            x.total_cmp(y).then_with(|| b.cmp(a)).is_gt(),
            "{a} ({x}) before {b} ({y}): {margins:?}"
        );
    }
    assert!(html.contains(
        "Rows: allies by their margin for the favourite, Mark Rutte, most in favour first (ties by id)."
    ));
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn the_stances_table_shows_only_written_stances_and_the_method_the_deal_window() {
    let (html, dir) = report(&example("nato-2023.toml"), "nato-stances");
    let scenario = std::fs::read_to_string(example("nato-2023.toml")).unwrap();
    // Stances are written in the base or set by an event (none of the example's events
    // replaces another stance).
    let written = scenario.matches("[[appointment.stances]]").count()
        + scenario.matches("[[events.stances]]").count();
    let table = html
        .split("<h3>Stances</h3>")
        .nth(1)
        .and_then(|rest| rest.split("</table>").next())
        .unwrap();
    assert_eq!(
        table.matches("<tr>").count() - 1,
        written,
        "one row per stance written in the scenario, no implicit fallback rows"
    );
    assert!(!html.contains("<td></td>"), "empty cells say so");
    assert!(html.contains("<th>deal window (last rounds in which holdouts sell consent through side deals)</th><td>2</td>"));
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn decide_files_get_trajectories_and_predictions() {
    let input = crate::reference::root()
        .join("decide/inputs/copenhagen.csv")
        .display()
        .to_string();
    let (html, dir) = report(&input, "decide");
    check_self_contained(&html);
    let headings = check_well_formed(&html);
    insta::assert_snapshot!("copenhagen-report-headings", headings.join("\n"));
    assert_eq!(html.matches("<svg").count(), 14);
    assert!(html.contains("expected-utility") && html.contains("exchange"));
    assert!(
        html.contains("<th>capability</th>") && !html.contains("power"),
        "capability, as everywhere else"
    );
    assert!(
        !html.contains("<th>source</th>") && !html.contains("<td></td>"),
        "no column of empty sources"
    );
    for chart in html.split("<svg").skip(1) {
        let open = &chart[..chart.find('>').unwrap()];
        assert!(
            open.contains("viewBox=")
                && open.contains("width=\"100%\"")
                && !open.contains("height=\""),
            "charts scale with the page: {open}"
        );
    }
    let chart = std::fs::read_to_string(dir.join("charts/Newtreaty-exchange.svg")).unwrap();
    check_trajectory_chart(&chart, 12);
    let chart = std::fs::read_to_string(dir.join("charts/Newtreaty-expected-utility.svg")).unwrap();
    check_trajectory_chart(&chart, 12);
    browser_check(&dir.join("report.html"), "copenhagen", 14);
    std::fs::remove_dir_all(dir).ok();
}

/// Every line of a trajectory chart can be told apart (its own colour or dash pattern) and
/// carries a label at its end joined by a leader line; the axes have titles.
fn check_trajectory_chart(svg: &str, lines: usize) {
    let attribute = |element: &str, name: &str| {
        element
            .split(&format!(" {name}=\""))
            .nth(1)
            .map(|rest| rest[..rest.find('"').unwrap()].to_owned())
            .unwrap_or_default()
    };
    let styles: Vec<(String, String)> = svg
        .split("<polyline")
        .skip(1)
        .map(|p| (attribute(p, "stroke"), attribute(p, "stroke-dasharray")))
        .collect();
    assert_eq!(styles.len(), lines);
    let mut distinct = styles.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(
        distinct.len(),
        lines,
        "every line looks different: {styles:?}"
    );
    assert_eq!(svg.matches("class=\"end-label\"").count(), lines);
    assert_eq!(svg.matches("class=\"leader\"").count(), lines);
    assert!(
        svg.contains(">position (0 to 100)</text>"),
        "the y axis has a title"
    );
    assert!(svg.contains(">round</text>"), "the x axis has a title");
}

#[test]
fn a_report_that_cannot_be_written_leaves_nothing() {
    let out = akkoord(&[
        "report",
        &case("nato-2009.toml"),
        "-o",
        "/no/such/folder/report.html",
        "--runs",
        "100",
        "--lever-runs",
        "0",
    ]);
    assert_eq!(
        out.code, 2,
        "a missing folder is caught before any computing"
    );
    assert!(
        out.stderr.contains("/no/such/folder does not exist"),
        "{}",
        out.stderr
    );
}

/// Where the browser check leaves its screenshots: under the target directory, so that a
/// failure can be looked at.
fn screenshot_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Chromium, which CI installs (`.ci/run`); a missing browser fails the test rather than
/// passing it unchecked.
fn chromium() -> &'static str {
    ["chromium", "chromium-browser"]
        .into_iter()
        .find(|b| {
            std::process::Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .unwrap_or_else(|| {
            panic!(
                "the report tests need Chromium (/usr/bin/chromium) to lay the report out; \
                 install it with `apt-get install -y chromium` (CI does so in .ci/run)"
            )
        })
}

/// Runs headless Chromium on `page` in a window `width` × `height` pixels wide and tall.
fn headless(page: &Path, width: u32, height: u32, action: &str) -> std::process::Output {
    let profile = page.with_file_name(format!("chromium-profile-{width}"));
    std::process::Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--window-size={width},{height}"))
        .arg(action)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs")
}

/// Measures the report laid out in the frame: the viewport's width, the page's width and
/// height, each chart's box (`left,right,width,height`), and every table that sticks out of the
/// viewport without a scroll container around it.
const PROBE: &str = "<script>window.addEventListener('load', () => {
  const doc = document.getElementById('report').contentDocument;
  const vw = doc.documentElement.clientWidth;
  const charts = Array.from(doc.querySelectorAll('svg')).map(s => {
    const r = s.getBoundingClientRect();
    return [r.left, r.right, r.width, r.height].map(Math.round).join(',');
  });
  const loose = Array.from(doc.querySelectorAll('table')).filter(t => {
    const box = t.parentElement.closest('.scroll');
    const r = (box || t).getBoundingClientRect();
    return r.right > vw + 0.5 || (!box && t.scrollWidth > t.clientWidth);
  }).map(t => t.rows[0].textContent.trim().slice(0, 40));
  document.body.setAttribute('data-probe', [vw, doc.documentElement.scrollWidth,
    doc.documentElement.scrollHeight].join(',') + ';' + charts.join(' ') + ';' + loose.join('|'));
});</script>";

/// A page that shows `html` in a frame `width` × `height` pixels: headless Chromium will not
/// make a window narrower than 500 px, but a frame can be as narrow as a phone.
fn framed(html: &str, width: u32, height: u32, probe: &str) -> String {
    let srcdoc = html.replace('&', "&amp;").replace('"', "&quot;");
    format!(
        "<!DOCTYPE html><html><body style=\"margin:0\"><iframe id=\"report\" \
         style=\"display:block;border:0;width:{width}px;height:{height}px\" srcdoc=\"{srcdoc}\">\
         </iframe>{probe}</body></html>"
    )
}

/// Opens the report in headless Chromium at a phone's width (420 px) and a desktop's
/// (1300 px): every chart is laid out with a non-zero size inside the viewport, no table runs
/// off the page (wide ones scroll inside their container), and nothing makes the page wider
/// than the screen. Screenshots of both go to the target directory.
fn browser_check(report: &Path, name: &str, charts: usize) {
    let html = std::fs::read_to_string(report).unwrap();
    let page = report.with_file_name("framed.html");
    for width in [420, 1300] {
        std::fs::write(&page, framed(&html, width, 1000, PROBE)).unwrap();
        let out = headless(&page, width, 1000, "--dump-dom");
        let dom = String::from_utf8_lossy(&out.stdout);
        let measured = dom
            .split("data-probe=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap_or_else(|| panic!("no measurements in the DOM at {width} px: {dom:.300}"));
        let mut parts = measured.split(';');
        let sizes: Vec<u32> = parts
            .next()
            .unwrap()
            .split(',')
            .map(|n| n.parse().unwrap())
            .collect();
        let (viewport, page_width, page_height) = (sizes[0], sizes[1], sizes[2]);
        assert_eq!(viewport, width, "the frame is the viewport");
        let boxes: Vec<&str> = parts.next().unwrap().split(' ').collect();
        let loose = parts.next().unwrap();
        assert_eq!(boxes.len(), charts, "{boxes:?}");
        for b in boxes {
            let n: Vec<i64> = b.split(',').map(|n| n.parse().unwrap()).collect();
            let (left, right, w, h) = (n[0], n[1], n[2], n[3]);
            assert!(
                w > 50 && h > 20,
                "{name} at {width} px: chart laid out at {w}x{h}"
            );
            assert!(
                left >= 0 && right <= i64::from(viewport),
                "{name} at {width} px: a chart ({left} to {right}) sticks out of the {viewport} px viewport"
            );
        }
        assert!(
            loose.is_empty(),
            "{name} at {width} px: tables run off the page: {loose}"
        );
        assert!(
            page_width <= viewport,
            "{name} at {width} px: the page is {page_width} px wide in a {viewport} px viewport"
        );
        let shot = screenshot_dir().join(format!("{name}-{width}.png"));
        let height = page_height.clamp(200, 16_000);
        std::fs::write(&page, framed(&html, width, height, "")).unwrap();
        let out = headless(
            &page,
            width,
            height,
            &format!("--screenshot={}", shot.display()),
        );
        assert!(
            shot.metadata().is_ok_and(|m| m.len() > 1000),
            "no screenshot at {}: {}",
            shot.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
