//! The `impacts` command: arguments ([`args`]) to commands ([`commands`]), whose one error type
//! ([`error::CliError`]) decides the exit status once ([`error::ExitStatus`]).

mod args;
mod commands;
mod error;
mod output;
mod render;
#[cfg(test)]
mod tests;

use std::process::ExitCode;

use clap::Parser;

use crate::error::{CliError, ExitStatus};

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    // The service shuts down gracefully on its own signal handlers.
    if !matches!(cli.cmd, args::Cmd::Serve(_)) {
        output::remove_temporary_files_on_signals();
    }
    let flags = commands::flags(&cli.cmd);
    let result = impacts::Engine::new()
        .map_err(CliError::from)
        .and_then(|engine| commands::run(&engine, &cli.cmd))
        .and_then(|text| output::to_stdout(&text));
    match result {
        Ok(()) => ExitCode::from(ExitStatus::Success as u8),
        Err(e) => {
            eprintln!("error: {}", e.message(flags));
            ExitCode::from(e.status() as u8)
        }
    }
}
