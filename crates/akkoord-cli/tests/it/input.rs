//! How inputs are opened: standard input, files that are not regular files, and the size limit.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::cli::{akkoord, case, scratch};

/// Runs the binary with `stdin` as its standard input.
fn akkoord_with_stdin(args: &[&str], stdin: &[u8]) -> (Option<i32>, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_akkoord"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_dash_reads_standard_input() {
    let scenario = std::fs::read(case("nato-2014.toml")).unwrap();
    let (code, stdout, stderr) = akkoord_with_stdin(&["check", "-"], &scenario);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.starts_with("<stdin>: ok (toml)"), "{stdout}");
    let (code, stdout, _) = akkoord_with_stdin(&["convert", "-", "--to", "json"], &scenario);
    assert_eq!(code, Some(0));
    assert!(stdout.starts_with('{'), "{stdout}");
    let (code, _, stderr) = akkoord_with_stdin(&["check", "-"], b"format = 1\nactors = 3\n");
    assert_eq!(code, Some(1));
    assert!(stderr.contains("[<stdin>:2:"), "{stderr}");
}

#[test]
fn a_fifo_is_refused_without_waiting_for_a_writer() {
    let dir = scratch("fifo");
    let fifo = dir.join("scenario.toml");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let path = fifo.display().to_string();
    let (sender, receiver) = std::sync::mpsc::channel();
    // Opening the FIFO would block for ever, so the run happens on its own thread.
    std::thread::spawn(move || {
        let _ = sender.send(akkoord(&["check", &path]));
    });
    let out = receiver
        .recv_timeout(Duration::from_secs(20))
        .expect("check waited on a FIFO with no writer");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("named pipe (FIFO), not a regular file"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_folder_is_not_a_scenario() {
    let dir = scratch("folder");
    let out = akkoord(&["check", &dir.display().to_string()]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("it is a folder, not a regular file"),
        "{}",
        out.stderr
    );
}

#[test]
fn an_oversized_file_is_refused_with_its_real_size() {
    let dir = scratch("huge");
    let path = dir.join("huge.toml");
    // A sparse file: 20 MiB long, no disk used.
    std::fs::File::create(&path)
        .unwrap()
        .set_len(20 * 1024 * 1024)
        .unwrap();
    let out = akkoord(&["check", &path.display().to_string()]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("the file is 20971520 bytes (20.0 MiB); akkoord reads files up to 16 MiB"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("16777217"), "{}", out.stderr);
}
