//! The dashboard's pages (docs/dashboard.md), served beside the API with its access rules: a page
//! is made of the API's own answers for the same caller (the same functions, the same numbers),
//! drawn by `impacts-web`.

mod bench;
mod center;
mod estimate;
mod home;
mod job;
mod read;

pub use bench::bench;
pub use center::{center, method};
pub use estimate::estimate;
pub use home::home;
pub use job::{job, job_of_cluster};

use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use impacts::impacts_model::quantity::fmt_num;
use impacts_accounting::summary::GroupBy;
use impacts_store::{Filter, Scope};
use impacts_web::{escape, Chrome};
use serde_json::Value;

use crate::error::ApiError;
use crate::identity::Caller;
use crate::{blocking, summary_json, Shared};

/// An error as a page: the API's status and message, in HTML.
fn page_error(e: ApiError) -> Response {
    let link = if e.status == StatusCode::UNAUTHORIZED {
        "<a href=\"/login\">Sign in with a token</a>"
    } else {
        "<a href=\"/\">My footprint</a>"
    };
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{status} — impacts</title></head><body><main><h1>{status}</h1><p>{msg}</p><p>{link}</p></main></body></html>",
        status = e.status,
        msg = escape(&match &e.field {
            Some(f) => format!("{f}: {}", e.message),
            None => e.message.clone(),
        }),
    );
    (e.status, [(header::CACHE_CONTROL, "no-store")], Html(body)).into_response()
}

/// Who looks, what they see, the method.
fn chrome(s: &Shared, who: &Caller) -> Chrome {
    let viewer = if who.is_admin() {
        format!("{} (administrator)", who.user)
    } else {
        who.user.clone()
    };
    let scope = match &who.scope {
        Scope::All => "every job".to_string(),
        Scope::Own { accounts, .. } if accounts.is_empty() => "your jobs".to_string(),
        Scope::Own { accounts, .. } => {
            format!("your jobs and those of accounts {}", accounts.join(", "))
        }
    };
    let (low, high) = (s.options.percentiles.low, s.options.percentiles.high);
    Chrome {
        viewer,
        scope,
        method: s.options.method.clone(),
        data_bundle: s.engine.bundle().hash.clone(),
        interval: format!("{} %", fmt_num(high - low)),
        admin: who.is_admin(),
    }
}

/// A page, or its error as a page.
fn page(html: Result<String, ApiError>) -> Response {
    match html {
        Ok(html) => (
            StatusCode::OK,
            [(header::CACHE_CONTROL, "private, no-store")],
            Html(html),
        )
            .into_response(),
        Err(e) => page_error(e),
    }
}

/// The users listed on `/center`.
pub(super) const TOP_USERS: usize = 20;

/// The API's summaries of `scope` and `filter` by each of `dims` (with bounds for the
/// largest groups), in one task of the querying pool; of the users, the largest
/// [`TOP_USERS`] only (what a page shows of them).
async fn summaries(
    s: &Shared,
    scope: &Scope,
    filter: &Filter,
    dims: [GroupBy; 4],
) -> Result<[Value; 4], ApiError> {
    let (s2, scope, filter) = (s.clone(), scope.clone(), filter.clone());
    let top = impacts_store::summary::MAX_TOP;
    let out = blocking(s, move || {
        dims.iter()
            .map(|g| {
                let keep = if *g == GroupBy::User {
                    TOP_USERS
                } else {
                    usize::MAX
                };
                summary_json(&s2, &scope, &filter, Some(*g), top, keep)
            })
            .collect::<Result<Vec<Value>, ApiError>>()
    })
    .await?;
    <[Value; 4]>::try_from(out).map_err(|_| ApiError::internal("a summary per dimension"))
}

/// The center the service accounts (its file resolved for the service's method and zone).
fn service_center(s: &Shared) -> Result<impacts::impacts_center::Center, ApiError> {
    s.engine
        .center(
            &s.options.center,
            &s.options.method,
            s.options.zone.as_deref(),
        )
        .map_err(ApiError::internal)
}
