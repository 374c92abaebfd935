//! Writing what a command produced: standard output (a write error is a failure, a closed pipe
//! is not), and the removal of temporary files when the process is interrupted.

use std::io::Write;

use crate::error::CliError;

/// Writes `text` to standard output and flushes it. A reader that went away (`| head`) is not
/// an error of ours; any other write error (a full disk) is.
pub fn to_stdout(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::cannot_write("standard output", e)),
    }
}

/// On SIGINT, SIGTERM or SIGHUP: removes the temporary files of outputs being written (they
/// would be left half-written) and ends with the shell's status for the signal (128 + its
/// number).
pub fn remove_temporary_files_on_signals() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(sig) = signals.forever().next() {
            impacts_table::remove_temporary_files();
            std::process::exit(128 + sig);
        }
    });
}
