//! The binary as a person meets it: in a pseudo-terminal (made by util-linux's `script`), where
//! progress bars are drawn and colour is on, not only with its output piped.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::cli::example;

/// What a run in a pseudo-terminal printed, and its exit status.
pub(crate) struct TerminalRun {
    pub(crate) success: bool,
    pub(crate) screen: String,
}

/// Runs the akkoord binary with `args` in a pseudo-terminal with `env` set; fails the test if
/// it has not ended within `limit`.
pub(crate) fn in_terminal(args: &[&str], env: &[(&str, &str)], limit: Duration) -> TerminalRun {
    let binary = env!("CARGO_BIN_EXE_akkoord");
    let quoted: Vec<String> = std::iter::once(binary)
        .chain(args.iter().copied())
        .map(|a| format!("'{}'", a.replace('\'', r"'\''")))
        .collect();
    let script = Path::new("/usr/bin/script");
    assert!(
        script.exists(),
        "the terminal tests need util-linux's `script` (Debian: bsdutils) to make a pseudo-terminal"
    );
    let log = std::env::temp_dir().join(format!(
        "akkoord-terminal-{}-{}.log",
        std::process::id(),
        args.join("_")
            .replace(['/', ' '], "_")
            .chars()
            .take(60)
            .collect::<String>()
    ));
    let mut child = Command::new(script)
        .args(["--quiet", "--return", "--command", &quoted.join(" ")])
        .arg(&log)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("script starts");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("script can be waited for") {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            let screen = std::fs::read_to_string(&log).unwrap_or_default();
            panic!(
                "akkoord {} hung in a terminal: no end after {limit:?}; the screen so far:\n{screen}",
                args.join(" ")
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let screen = std::fs::read_to_string(&log).unwrap_or_default();
    let _ = std::fs::remove_file(&log);
    TerminalRun {
        success: status.success(),
        screen,
    }
}

#[test]
fn a_forecast_with_a_progress_bar_ends_in_a_terminal() {
    // 200,000 draws is where the progress bar appears; it draws from worker threads.
    let nato = example("nato-2023.toml");
    let run = in_terminal(
        &["forecast", &nato, "--runs", "200000", "--lever-runs", "50"],
        &[],
        Duration::from_secs(240),
    );
    assert!(run.success, "{}", run.screen);
    assert!(
        run.screen.contains("draws"),
        "no progress bar drawn:\n{}",
        run.screen
    );
    assert!(run.screen.contains("Mark Rutte"), "{}", run.screen);
}

#[test]
fn diagnostics_are_coloured_on_a_terminal_unless_no_color_is_set() {
    let bad = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../akkoord-io/tests/malformed/out-of-range.toml")
        .display()
        .to_string();
    let coloured = in_terminal(
        &["check", &bad],
        &[("NO_COLOR", "")],
        Duration::from_secs(60),
    );
    assert!(!coloured.success);
    assert!(
        coloured.screen.contains("\u{1b}["),
        "no colour:\n{}",
        coloured.screen
    );
    let plain = in_terminal(
        &["check", &bad],
        &[("NO_COLOR", "1")],
        Duration::from_secs(60),
    );
    assert!(
        !plain.screen.contains("\u{1b}["),
        "colour despite NO_COLOR:\n{}",
        plain.screen
    );
    assert!(
        plain.screen.contains("capability must be"),
        "{}",
        plain.screen
    );
}
