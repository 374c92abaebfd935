//! `POST /api/v1/estimate/{kind}`: the library's estimates over HTTP, the request read by
//! `impacts-api` (the same reading as the Python package's). The answer is the report, byte for
//! byte what `impacts … --format json` prints for the same request and seed.

use axum::http::StatusCode;
use impacts_api::RequestError;

use crate::error::ApiError;

pub use impacts_api::{Estimate, KINDS};

/// A request's error as the API answers it: 404 for an unknown kind, 400 for a body that is not
/// JSON, 422 naming the field for a request the library refuses, 500 otherwise.
pub fn api_error(e: RequestError) -> ApiError {
    match e {
        RequestError::UnknownKind(_) => ApiError::not_found(e.to_string()),
        RequestError::Malformed(_) => ApiError {
            status: StatusCode::BAD_REQUEST,
            code: "malformed_json",
            message: e.to_string(),
            field: None,
        },
        RequestError::Input(i) => ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "invalid_request",
            message: i.to_string(),
            field: Some(i.field.clone().unwrap_or_else(|| "body".into())),
        },
        RequestError::Failed(e) => ApiError::internal(e),
        RequestError::Other(e) => ApiError::internal(e),
    }
}

/// Runs an estimate: the report as the command line's JSON.
pub fn run(estimate: Estimate, engine: &impacts::Engine) -> Result<String, ApiError> {
    estimate
        .run(engine)
        .map_err(api_error)?
        .to_json()
        .map_err(ApiError::internal)
}
