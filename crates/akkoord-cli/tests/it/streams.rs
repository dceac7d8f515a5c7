//! The binary as a process: a reader that goes away, a disk that fills up.

use std::process::{Command, Stdio};

use crate::cli::example;

#[test]
fn a_reader_that_stops_early_ends_the_run_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_akkoord"))
        .args(["forecast", &example("nato-2023.toml"), "--runs", "2000"])
        .args(["--format", "csv"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Close the reading end before akkoord writes anything, as `| head -0` would.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
}

#[test]
fn a_report_that_fails_while_being_written_leaves_no_file() {
    let folder = std::env::temp_dir().join(format!("akkoord-full-disk-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let output = folder.join("r.html");
    // A file-size limit of a few KB makes the write fail partway with "File too large"
    // (the signal that would otherwise end the process is ignored, as a shell may do).
    let command = format!(
        "trap '' XFSZ; ulimit -f 8; exec '{}' report '{}' -o '{}' --runs 300 --lever-runs 0",
        env!("CARGO_BIN_EXE_akkoord"),
        example("nato-2023.toml"),
        output.display()
    );
    let out = Command::new("sh").args(["-c", &command]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let left: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    let _ = std::fs::remove_dir_all(&folder);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("r.html"), "{stderr}");
    assert!(left.is_empty(), "left behind: {left:?}");
}
