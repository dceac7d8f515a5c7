//! The `akkoord` binary: everything happens in [`akkoord_cli::run`].

fn main() -> std::process::ExitCode {
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
    std::process::ExitCode::from(akkoord_cli::run(
        std::env::args_os(),
        &mut stdout,
        &mut stderr,
    ))
}
