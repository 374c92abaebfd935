//! Query parameters, parsed strictly: an unknown parameter, a repeated one or a malformed value
//! is a 400 naming it.

use impacts_accounting::summary::GroupBy;
use impacts_store::{Filter, JobOrder, MAX_PAGE};

use crate::error::ApiError;

/// The parameters of `GET /api/v1/jobs`.
pub const JOBS: [&str; 10] = [
    "user",
    "account",
    "partition",
    "state",
    "from",
    "to",
    "limit",
    "cursor",
    "order",
    "format",
];

/// The parameters of `GET /api/v1/summary`.
pub const SUMMARY: [&str; 9] = [
    "group_by",
    "user",
    "account",
    "partition",
    "state",
    "from",
    "to",
    "top",
    "format",
];

/// What each parameter is, for the OpenAPI document: (name, schema type, description).
pub const DESCRIPTIONS: [(&str, &str, &str); 12] = [
    (
        "user",
        "string",
        "Jobs of this user (within what the caller may see)",
    ),
    ("account", "string", "Jobs of this account"),
    ("partition", "string", "Jobs estimated on this partition"),
    (
        "state",
        "string",
        "Jobs in this final state (COMPLETED, FAILED, TIMEOUT, …)",
    ),
    (
        "from",
        "string",
        "Jobs dated (start, else end) at or after this instant (RFC 3339) or date (midnight UTC)",
    ),
    ("to", "string", "Jobs dated before this instant or date"),
    ("limit", "integer", "Jobs per page, 1 to 1000 (100)"),
    ("cursor", "string", "The next_cursor of the previous page"),
    (
        "group_by",
        "string",
        "Groups: user, account, partition, state, day or month",
    ),
    (
        "top",
        "integer",
        "Groups whose bounds are computed, largest first, 1 to 100 (20)",
    ),
    (
        "order",
        "string",
        "newest (stored last first, pages follow next_cursor) or largest (climate change, one page)",
    ),
    ("format", "string", "json (default) or csv"),
];

/// The longest value of a parameter.
pub const MAX_VALUE_LEN: usize = 1024;

/// Parameters of a request, checked against the names the endpoint knows.
pub struct Params<'a> {
    pairs: Vec<(String, String)>,
    known: &'a [&'a str],
}

impl<'a> Params<'a> {
    /// Parses a query string; refuses names outside `known`, repeated names and long values.
    pub fn parse(query: Option<&str>, known: &'a [&'a str]) -> Result<Params<'a>, ApiError> {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (k, v) in form_pairs(query.unwrap_or(""))? {
            if !known.contains(&k.as_str()) {
                return Err(ApiError::invalid(
                    &k,
                    format!(
                        "unknown parameter; this endpoint takes {}",
                        known.join(", ")
                    ),
                ));
            }
            if pairs.iter().any(|(n, _)| *n == k) {
                return Err(ApiError::invalid(
                    &k,
                    "the parameter is given more than once",
                ));
            }
            if v.len() > MAX_VALUE_LEN {
                return Err(ApiError::invalid(
                    &k,
                    format!("at most {MAX_VALUE_LEN} bytes"),
                ));
            }
            pairs.push((k, v));
        }
        Ok(Params { pairs, known })
    }

    /// The value of a parameter (an empty value counts as absent).
    pub fn get(&self, name: &str) -> Option<&str> {
        debug_assert!(self.known.contains(&name));
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// The filters every list and summary takes.
    pub fn filter(&self) -> Result<Filter, ApiError> {
        let text = |n: &str| self.get(n).map(str::to_string);
        let f = Filter {
            user: text("user"),
            account: text("account"),
            partition: text("partition"),
            state: self.get("state").map(|s| s.to_ascii_uppercase()),
            from: self.get("from").map(|v| instant("from", v)).transpose()?,
            to: self.get("to").map(|v| instant("to", v)).transpose()?,
        };
        if let (Some(a), Some(b)) = (f.from, f.to) {
            if a > b {
                return Err(ApiError::invalid("to", "`to` is before `from`"));
            }
        }
        Ok(f)
    }

    /// `limit`: 1 to [`MAX_PAGE`], 100 by default.
    pub fn limit(&self) -> Result<usize, ApiError> {
        match self.get("limit") {
            None => Ok(100),
            Some(v) => v
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=MAX_PAGE).contains(n))
                .ok_or_else(|| {
                    ApiError::invalid("limit", format!("a whole number from 1 to {MAX_PAGE}"))
                }),
        }
    }

    /// `cursor`: the `next_cursor` of the previous page.
    pub fn cursor(&self) -> Result<Option<i64>, ApiError> {
        self.get("cursor")
            .map(|v| {
                v.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| {
                    ApiError::invalid("cursor", "the next_cursor of a previous page")
                })
            })
            .transpose()
    }

    /// `group_by`: one of the summary's dimensions.
    pub fn group_by(&self) -> Result<Option<GroupBy>, ApiError> {
        self.get("group_by")
            .map(|v| {
                GroupBy::parse(v).ok_or_else(|| {
                    ApiError::invalid(
                        "group_by",
                        "one of user, account, partition, state, day, month",
                    )
                })
            })
            .transpose()
    }

    /// `top`: how many groups of a summary get bounds (1 to
    /// [`impacts_store::summary::MAX_TOP`], 20 by default).
    pub fn top(&self) -> Result<usize, ApiError> {
        let max = impacts_store::summary::MAX_TOP;
        match self.get("top") {
            None => Ok(20),
            Some(v) => v
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=max).contains(n))
                .ok_or_else(|| ApiError::invalid("top", format!("a whole number from 1 to {max}"))),
        }
    }

    /// `order`: the jobs' order; `largest` takes no cursor (it is one page).
    pub fn order(&self) -> Result<JobOrder, ApiError> {
        match self.get("order") {
            None | Some("newest") => Ok(JobOrder::Newest),
            Some("largest") if self.get("cursor").is_some() => Err(ApiError::invalid(
                "cursor",
                "no cursor with order=largest: the largest jobs are one page (limit up to 1000)",
            )),
            Some("largest") => Ok(JobOrder::Largest),
            Some(_) => Err(ApiError::invalid("order", "newest or largest")),
        }
    }

    /// `format`: true for `csv`, false for `json` (the default).
    pub fn csv(&self) -> Result<bool, ApiError> {
        match self.get("format") {
            None | Some("json") => Ok(false),
            Some("csv") => Ok(true),
            Some(_) => Err(ApiError::invalid("format", "json or csv")),
        }
    }

    /// A yes/no parameter.
    pub fn flag(&self, name: &str) -> Result<bool, ApiError> {
        match self.get(name) {
            None | Some("false") | Some("0") => Ok(false),
            Some("true") | Some("1") => Ok(true),
            Some(_) => Err(ApiError::invalid(name, "true or false")),
        }
    }
}

/// An instant: RFC 3339 (`2024-03-15T20:24:16Z`, any offset) or a date (its midnight UTC).
pub fn instant(field: &str, v: &str) -> Result<i64, ApiError> {
    if let Ok(t) = v.parse::<jiff::Timestamp>() {
        return Ok(t.as_second());
    }
    if let Ok(d) = v.parse::<jiff::civil::Date>() {
        let midnight = d.to_datetime(jiff::civil::Time::midnight());
        if let Ok(t) = jiff::tz::TimeZone::UTC.to_timestamp(midnight) {
            return Ok(t.as_second());
        }
    }
    Err(ApiError::invalid(
        field,
        format!("an instant such as 2024-03-15T20:24:16Z or a date such as 2024-03-15, not '{v}'"),
    ))
}

/// Decodes `a=1&b=x%20y` into pairs (`+` is a space), refusing malformed percent escapes and
/// text that is not UTF-8.
fn form_pairs(q: &str) -> Result<Vec<(String, String)>, ApiError> {
    let mut out = Vec::new();
    for part in q.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        let k = decode(k).ok_or_else(|| ApiError::invalid("query", "malformed parameter name"))?;
        let v = decode(v).ok_or_else(|| ApiError::invalid(&k, "malformed percent-encoding"))?;
        out.push((k, v));
    }
    Ok(out)
}

fn decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_repeated_and_malformed_parameters_are_named() {
        let known = [
            "user",
            "account",
            "partition",
            "state",
            "from",
            "to",
            "limit",
        ];
        let e = Params::parse(Some("usr=alice"), &known).err().unwrap();
        assert_eq!(e.field.as_deref(), Some("usr"));
        let e = Params::parse(Some("user=a&user=b"), &known).err().unwrap();
        assert_eq!(e.field.as_deref(), Some("user"));
        let e = Params::parse(Some("user=%zz"), &known).err().unwrap();
        assert_eq!(e.field.as_deref(), Some("user"));
        let p = Params::parse(Some("limit=0"), &known).unwrap();
        assert_eq!(p.limit().unwrap_err().field.as_deref(), Some("limit"));
        let p = Params::parse(Some("from=yesterday"), &known).unwrap();
        assert_eq!(p.filter().err().unwrap().field.as_deref(), Some("from"));
    }

    #[test]
    fn values_are_decoded_and_instants_read() {
        let known = ["user", "account", "partition", "state", "from", "to"];
        let p = Params::parse(
            Some("user=a%20b+c&from=2024-03-15&to=2024-03-15T01:00:00%2B01:00"),
            &known,
        )
        .unwrap();
        assert_eq!(p.get("user"), Some("a b c"));
        let f = p.filter().unwrap();
        // 2024-03-15T00:00:00Z is 1710460800 s (date -u -d 2024-03-15 +%s); 01:00+01:00 is the same instant.
        assert_eq!(f.from, Some(1_710_460_800));
        assert_eq!(f.to, Some(1_710_460_800));
    }
}
