//! Errors of the library: what is wrong with which input, or what failed inside.

use impacts_data::DataError;
use impacts_error::InputError;
use impacts_model::ModelError;

/// Errors of the library.
///
/// Bad input is always [`Error::Input`]: an [`InputError`] that names the input by the name the
/// requests give it (`hours`, `memory_gb`, a center file's key), the value and what was expected,
/// located in its file when it comes from one. The other variants are defects of the data bundle
/// or of the model, not of the request.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An input is wrong.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The data bundle is inconsistent (a defect of the bundle, found while using it).
    #[error(transparent)]
    Bundle(DataError),
    /// The model could not be built (a defect of the method's data or of the code).
    #[error(transparent)]
    Model(#[from] ModelError),
}

impl From<DataError> for Error {
    fn from(e: DataError) -> Self {
        match e {
            DataError::Input(e) => Error::Input(e),
            other => Error::Bundle(other),
        }
    }
}

impl Error {
    /// The input at fault, when the error is bad input.
    pub fn input(&self) -> Option<&InputError> {
        match self {
            Error::Input(e) => Some(e),
            _ => None,
        }
    }

    /// True when the error comes from an input (bad input), false for an internal problem.
    pub fn is_bad_input(&self) -> bool {
        matches!(self, Error::Input(_))
    }
}

/// `Err(InputError::invalid(..))` as a library error.
pub(crate) fn invalid<T>(
    field: &str,
    value: impl Into<String>,
    expected: &str,
) -> Result<T, Error> {
    Err(InputError::invalid(field, value, expected).into())
}
