//! The HTML report: well-formed, self-contained, the sections an analyst needs, and charts that
//! a real browser lays out with a non-zero size.

use std::path::{Path, PathBuf};

use crate::cli::{akkoord, case, example};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("akkoord-report-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

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
    let dir = temp_dir(name);
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
        "--issue-runs",
        "20",
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
    assert_eq!(html.matches("<svg").count(), 3);
    for chart in ["outcomes.svg", "timing.svg", "consensus-map.svg"] {
        assert!(
            dir.join("charts").join(chart).metadata().unwrap().len() > 500,
            "{chart}"
        );
    }
    browser_check(&dir.join("report.html"), 3);
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
    browser_check(&dir.join("report.html"), 14);
    std::fs::remove_dir_all(dir).ok();
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

/// Opens the report in headless Chromium and checks that every chart is laid out with a
/// non-zero size. CI installs Debian's chromium; elsewhere the check needs it on the PATH.
fn browser_check(report: &Path, charts: usize) {
    let Some(chromium) = ["chromium", "chromium-browser"].into_iter().find(|b| {
        std::process::Command::new(b)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    }) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have chromium (installed by .ci/run)"
        );
        eprintln!(
            "note: chromium is not installed; the browser check of {} is left out",
            report.display()
        );
        return;
    };
    // A copy with a script that writes each chart's laid-out size into the page.
    let probe = report.with_file_name("probe.html");
    let html = std::fs::read_to_string(report).unwrap();
    let script = "<script>document.body.setAttribute('data-sizes', Array.from(document.querySelectorAll('svg')).map(s => { const r = s.getBoundingClientRect(); return Math.round(r.width) + 'x' + Math.round(r.height); }).join(' '));</script></body>";
    std::fs::write(&probe, html.replace("</body>", script)).unwrap();
    let profile = report.with_file_name("chromium-profile");
    let out = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", probe.display()))
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&out.stdout);
    let sizes = dom
        .split("data-sizes=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_else(|| panic!("no sizes in the DOM: {dom:.300}"));
    let sizes: Vec<&str> = sizes.split(' ').collect();
    assert_eq!(sizes.len(), charts, "{sizes:?}");
    for size in sizes {
        let (w, h) = size.split_once('x').unwrap();
        assert!(
            w.parse::<u32>().unwrap() > 50 && h.parse::<u32>().unwrap() > 20,
            "chart laid out at {size}"
        );
    }
}
