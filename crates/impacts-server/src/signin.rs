//! Signing in to the dashboard with a token, for a service that does not sit behind the site's
//! authenticating proxy: `POST /login` checks a token of the store (`impacts token create`) and
//! keeps it in a cookie; reading requests carry it back as if it were their bearer token.
//!
//! The cookie is `HttpOnly` (the page's scripts cannot read it) and `SameSite=Strict` (a browser
//! sends it on no request another site starts), and only `GET` and `HEAD` requests are identified
//! by it: what changes the store (`POST /api/v1/jobs`) or computes on demand still needs a header
//! or a proxy. It holds the token itself, as a bearer header would: revoking the token signs the
//! browser out.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

use crate::error::ApiError;
use crate::{blocking, Shared};

/// The cookie's name.
pub const COOKIE: &str = "impacts_token";

/// The longest token accepted (as in the `Authorization` header).
const MAX_TOKEN: usize = 256;

/// The token in a request's cookies, if any (the first `impacts_token`).
pub fn token_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.trim().to_string())
        .filter(|t| plausible(t))
}

/// A token as `impacts token create` makes them: letters, digits, `-` and `_`, not too long.
fn plausible(token: &str) -> bool {
    !token.is_empty()
        && token.len() <= MAX_TOKEN
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Middleware: a reading request without an `Authorization` header and with the token cookie is
/// identified by that token, as if it had sent it as its bearer.
pub async fn cookie_identity(mut req: Request, next: Next) -> Response {
    let reading = matches!(*req.method(), Method::GET | Method::HEAD);
    if reading && !req.headers().contains_key(header::AUTHORIZATION) {
        if let Some(token) = token_cookie(req.headers()) {
            if let Ok(v) = HeaderValue::from_str(&format!("Bearer {token}")) {
                req.headers_mut().insert(header::AUTHORIZATION, v);
            }
        }
    }
    next.run(req).await
}

/// `GET /login`: the form.
pub async fn login_form() -> Response {
    page(StatusCode::OK, "")
}

/// `POST /login` (a form: `token=…`): a known token sets the cookie and goes to *My footprint*;
/// another is a 401 with the form again.
pub async fn login(State(s): State<Shared>, headers: HeaderMap, body: String) -> Response {
    if !same_origin(&headers) {
        // Another site's form would sign the browser in as someone else (login CSRF).
        return page(
            StatusCode::FORBIDDEN,
            "a sign-in from another site's page is refused",
        );
    }
    let Some(token) = form_token(&body) else {
        return page(
            StatusCode::BAD_REQUEST,
            "token: paste the token you were given",
        );
    };
    let (store, hash) = (s.store.clone(), impacts_store::token::hash(&token));
    let now = jiff::Timestamp::now().as_second();
    match blocking(&s, move || Ok(store.token(&hash, now)?)).await {
        Ok(Some(_)) => {
            let secure = forwarded_https(&headers);
            let cookie = format!(
                "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{}",
                if secure { "; Secure" } else { "" }
            );
            redirect("/", &cookie)
        }
        Ok(None) => page(
            StatusCode::UNAUTHORIZED,
            "this token is unknown, revoked or expired",
        ),
        Err(e) => e.into_response(),
    }
}

/// `POST /logout`: forgets the cookie.
pub async fn logout() -> Response {
    redirect(
        "/login",
        &format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"),
    )
}

/// The token of a form body (`application/x-www-form-urlencoded`), when plausible.
fn form_token(body: &str) -> Option<String> {
    body.split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(name, _)| *name == "token")
        .map(|(_, v)| percent_decode(v))
        .map(|t| t.trim().to_string())
        .filter(|t| plausible(t))
}

/// `+` as a space and `%XX` as its byte; a malformed escape is kept as it is (and then refused as
/// a token).
fn percent_decode(v: &str) -> String {
    let bytes = v.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |j: usize| {
            bytes
                .get(j)
                .and_then(|b| (*b as char).to_digit(16))
                .map(|d| d as u8)
        };
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if hex(i + 1).is_some() && hex(i + 2).is_some() => {
                out.push(hex(i + 1).unwrap_or(0) * 16 + hex(i + 2).unwrap_or(0));
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// False when the browser says the form came from another origin than this service's host.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin_host = origin.split_once("://").map(|(_, h)| h);
    host.is_some() && origin_host == host
}

/// True when the trusted proxy in front says the browser used HTTPS (the cookie is then `Secure`).
fn forwarded_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|p| p.eq_ignore_ascii_case("https"))
}

fn page(status: StatusCode, message: &str) -> Response {
    let html = impacts_web::LoginPage {
        message: message.to_string(),
    }
    .html();
    (status, [(header::CACHE_CONTROL, "no-store")], Html(html)).into_response()
}

/// A 303 to `to` (a path of this service) setting `cookie`.
fn redirect(to: &'static str, cookie: &str) -> Response {
    match HeaderValue::from_str(cookie) {
        Ok(c) => (
            StatusCode::SEE_OTHER,
            [
                (header::LOCATION, HeaderValue::from_static(to)),
                (header::SET_COOKIE, c),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
        )
            .into_response(),
        Err(_) => ApiError::internal("a cookie that is not a header value").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_read_from_the_cookies_and_the_form() {
        let mut h = HeaderMap::new();
        h.append(
            header::COOKIE,
            HeaderValue::from_static("a=1; impacts_token=abc-DEF_9"),
        );
        assert_eq!(token_cookie(&h).as_deref(), Some("abc-DEF_9"));
        let mut bad = HeaderMap::new();
        bad.append(
            header::COOKIE,
            HeaderValue::from_static("impacts_token=a b;"),
        );
        assert_eq!(token_cookie(&bad), None, "a token has no spaces");
        assert_eq!(form_token("x=1&token=ab%2Dc").as_deref(), Some("ab-c"));
        assert_eq!(form_token("token=%ZZ"), None);
        assert_eq!(form_token(&format!("token={}", "a".repeat(300))), None);
    }

    #[test]
    fn a_form_of_another_site_is_not_this_service_s() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(same_origin(&h), "no Origin: a browser that does not say");
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://127.0.0.1:8080"),
        );
        assert!(same_origin(&h));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://evil.example"),
        );
        assert!(!same_origin(&h));
    }
}
