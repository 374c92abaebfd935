//! The command line's one error type, which decides the exit status once.
//!
//! Library errors name inputs as the requests do (`hours`, `memory_gb`); the command that ran
//! gives its [`Flags`], which turn those names into its own (`--hours`, `--memory`) when the
//! error is shown. Errors located in a file keep the file's own names (a center file's keys, a
//! record's columns).

use std::borrow::Cow;
use std::fmt;

use impacts::InputError;

/// How `impacts` ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// Done.
    Success = 0,
    /// Something failed that is not the input's fault (writing an output, a defect).
    Failure = 1,
    /// Bad input: a flag, a file's content.
    Input = 2,
}

/// Library names of inputs and the flags that give them, for one command.
pub type Flags = &'static [(&'static str, &'static str)];

/// Why a command failed.
#[derive(Debug)]
pub enum CliError {
    /// An input is wrong, as the library says it.
    Input(InputError),
    /// The arguments are wrong, as the command line itself says it (flags that go together).
    Usage(String),
    /// Something failed that is not the input's fault.
    Failure(String),
}

impl CliError {
    /// A usage error.
    pub fn usage(message: impl Into<String>) -> CliError {
        CliError::Usage(message.into())
    }

    /// A failure (exit 1).
    pub fn failure(message: impl Into<String>) -> CliError {
        CliError::Failure(message.into())
    }

    /// Writing `what` failed.
    pub fn cannot_write(what: &str, e: impl fmt::Display) -> CliError {
        CliError::Failure(format!("cannot write {what}: {e}"))
    }

    /// The exit status that says what failed.
    pub fn status(&self) -> ExitStatus {
        match self {
            CliError::Input(_) | CliError::Usage(_) => ExitStatus::Input,
            CliError::Failure(_) => ExitStatus::Failure,
        }
    }

    /// The message, with the inputs the library names given as the command's flags.
    pub fn message(&self, flags: Flags) -> String {
        match self {
            CliError::Input(e) if e.location.is_none() => e.render(&|field| flag_of(flags, field)),
            CliError::Input(e) => e.to_string(),
            CliError::Usage(m) | CliError::Failure(m) => m.clone(),
        }
    }
}

/// Flags every estimate has, by the library's name of what they give.
const COMMON_FLAGS: Flags = &[
    ("method", "--method"),
    ("samples", "--samples"),
    ("seed", "--seed"),
    ("percentiles", "--percentiles"),
];

/// The flag of a library field (the command's, then the common ones), or the field itself when
/// the command has none for it.
pub fn flag_of(flags: Flags, field: &str) -> Cow<'static, str> {
    match flags.iter().chain(COMMON_FLAGS).find(|(f, _)| *f == field) {
        Some((_, flag)) => Cow::Borrowed(flag),
        None => Cow::Owned(field.to_string()),
    }
}

impl From<InputError> for CliError {
    fn from(e: InputError) -> Self {
        CliError::Input(e)
    }
}

impl From<impacts::Error> for CliError {
    fn from(e: impacts::Error) -> Self {
        match e {
            impacts::Error::Input(e) => CliError::Input(e),
            other => CliError::Failure(other.to_string()),
        }
    }
}

impl From<impacts::impacts_data::DataError> for CliError {
    fn from(e: impacts::impacts_data::DataError) -> Self {
        impacts::Error::from(e).into()
    }
}

impl From<impacts_accounting::accountant::AccountingError> for CliError {
    fn from(e: impacts_accounting::accountant::AccountingError) -> Self {
        use impacts_accounting::accountant::AccountingError as A;
        match e {
            A::Read(r) => CliError::Input(r.error),
            A::Engine(e) => e.into(),
            A::Write(impacts_table::TableError::Input(e)) => CliError::Input(e),
            A::Write(e) => CliError::failure(e.to_string()),
            A::Partial(e) => CliError::Input(e.into()),
        }
    }
}

impl From<impacts_workflow::Error> for CliError {
    fn from(e: impacts_workflow::Error) -> Self {
        match e {
            impacts_workflow::Error::File(e) => CliError::Input(e),
            impacts_workflow::Error::Stage { stage, source } => match source {
                impacts::Error::Input(e) => CliError::Usage(format!("stage {stage}: {e}")),
                other => CliError::Failure(format!("stage {stage}: {other}")),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_are_named_by_the_commands_flags_unless_they_come_from_a_file() {
        const FLAGS: Flags = &[("memory_gb", "--memory"), ("hours", "--hours")];
        let e = CliError::from(InputError::invalid("memory_gb", "12QB", "a size"));
        assert_eq!(e.message(FLAGS), "invalid --memory '12QB': expected a size");
        assert_eq!(e.status(), ExitStatus::Input);
        let located = InputError::invalid("hours", "-1", "a positive number")
            .at(impacts::Location::at("w.toml", 3, Some(1)));
        assert_eq!(
            CliError::from(located).message(FLAGS),
            "w.toml:3:1: invalid hours '-1': expected a positive number"
        );
        assert_eq!(CliError::failure("disk full").status(), ExitStatus::Failure);
    }
}
