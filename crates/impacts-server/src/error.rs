//! Errors of the API: `{"error": {"code", "message", "field"?}}` with the status of their kind.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use impacts_store::StoreError;
use serde_json::json;

/// An error answered to a client.
#[derive(Debug)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// A stable code (`invalid_parameter`, `unauthenticated`, `not_found`…).
    pub code: &'static str,
    /// What happened, in words.
    pub message: String,
    /// The parameter or JSON field at fault.
    pub field: Option<String>,
}

impl ApiError {
    /// A parameter that is not acceptable (400), naming it.
    pub fn invalid(field: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            code: "invalid_parameter",
            message: message.into(),
            field: Some(field.to_string()),
        }
    }

    /// No identity (401).
    pub fn unauthenticated() -> ApiError {
        ApiError {
            status: StatusCode::UNAUTHORIZED,
            code: "unauthenticated",
            message:
                "no identity: the request carries neither a user set by a trusted proxy nor a token"
                    .into(),
            field: None,
        }
    }

    /// Not allowed (403).
    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::FORBIDDEN,
            code: "forbidden",
            message: message.into(),
            field: None,
        }
    }

    /// Unknown, or not visible to the caller (404): existence is not revealed.
    pub fn not_found(what: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            code: "not_found",
            message: what.into(),
            field: None,
        }
    }

    /// A failure that is not the client's (500); the detail goes to the log, not the client.
    pub fn internal(detail: impl std::fmt::Display) -> ApiError {
        crate::log::line(&[("event", "error"), ("detail", &detail.to_string())]);
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "internal",
            message: "the service failed to answer (the detail is in its log)".into(),
            field: None,
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::Input(i) => ApiError {
                status: StatusCode::BAD_REQUEST,
                code: "invalid_parameter",
                message: i.to_string(),
                field: i.field.clone(),
            },
            e => ApiError::internal(e),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = json!({"code": self.code, "message": self.message});
        if let Some(f) = self.field {
            body["field"] = json!(f);
        }
        (self.status, Json(json!({ "error": body }))).into_response()
    }
}
