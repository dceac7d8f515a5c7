//! `akkoord serve`: the web workbench on a file or folder, on the loopback interface unless
//! another is asked for.

use std::io::Write;
use std::net::SocketAddr;

use akkoord_web::ServedFolder;

use crate::Failure;
use crate::args::ServeArgs;

pub(crate) fn run(args: &ServeArgs, stderr: &mut dyn Write) -> Result<(), Failure> {
    let folder = ServedFolder::new(&args.path)
        .map_err(|e| Failure::Usage(format!("cannot serve {}: {e}", args.path.display())))?;
    if !args.bind.is_loopback() {
        writeln!(
            stderr,
            "warning: listening on {}: anyone who can reach this machine can read and overwrite the scenarios in {}",
            args.bind,
            folder.root().display()
        )?;
    }
    let address = SocketAddr::new(args.bind, args.port);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_io()
        .build()
        .map_err(|e| Failure::Usage(format!("cannot start the server: {e}")))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .map_err(|e| Failure::Usage(format!("cannot listen on {address}: {e}")))?;
        // The port actually bound (`--port 0` asks the system for a free one).
        let bound = listener.local_addr()?;
        writeln!(
            stderr,
            "akkoord workbench on http://{bound}/ (Ctrl-C stops it)"
        )?;
        stderr.flush()?;
        akkoord_web::serve(folder, listener)
            .await
            .map_err(|e| Failure::Usage(format!("the server on {bound} stopped: {e}")))
    })
}
