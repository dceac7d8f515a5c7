//! The `akkoord` binary: everything happens in [`akkoord_cli::run`].

fn main() -> std::process::ExitCode {
    let mut stdout = std::io::stdout().lock();
    // Standard error stays unlocked: the progress bar draws on it from worker threads while a
    // command runs, and a lock held here for the whole run would make them wait forever.
    let mut stderr = std::io::stderr();
    std::process::ExitCode::from(akkoord_cli::run(
        std::env::args_os(),
        &mut stdout,
        &mut stderr,
    ))
}
