//! Writing output files: whole or not at all.

use std::path::Path;

use crate::Failure;

/// Writes `bytes` to `path` through a temporary file beside it, so that a failure never leaves
/// a partial file behind: the temporary file is removed whether the write or the rename fails.
pub(crate) fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let temporary = temporary_beside(path);
    let written =
        std::fs::write(&temporary, bytes).and_then(|()| std::fs::rename(&temporary, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

/// The temporary file that [`write_whole`] writes before renaming it to `path`.
fn temporary_beside(path: &Path) -> std::path::PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.partial"))
}

/// Checks, before any computing, that a file can be written at `path`: its folder exists and
/// takes a new file.
pub(crate) fn check_writable(path: &Path) -> Result<(), Failure> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !folder.is_dir() {
        return Err(Failure::Usage(format!(
            "cannot write {}: the folder {} does not exist (create it first)",
            path.display(),
            folder.display()
        )));
    }
    if path.is_dir() {
        return Err(Failure::Usage(format!(
            "cannot write {}: it is a folder; give a file name such as {}",
            path.display(),
            path.join("report.html").display()
        )));
    }
    let probe = temporary_beside(path);
    std::fs::write(&probe, b"")
        .and_then(|()| std::fs::remove_file(&probe))
        .map_err(|e| Failure::Usage(format!("cannot write {}: {e}", path.display())))
}

/// An I/O error that names the file it happened to.
pub(crate) fn located(path: &Path, e: &std::io::Error) -> std::io::Error {
    std::io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

/// [`write_whole`], its error naming the file.
pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    write_whole(path, bytes).map_err(|e| Failure::Output(located(path, &e)))
}
