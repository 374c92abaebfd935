//! Structured logs: one line per event on standard error, `key=value` pairs (logfmt), values
//! quoted when they hold spaces, quotes or control characters.

use std::fmt::Write as _;
use std::io::Write as _;

/// Writes one log line: the time, then the pairs.
pub fn line(pairs: &[(&str, &str)]) {
    let mut s = format!("ts={}", jiff::Timestamp::now());
    for (k, v) in pairs {
        s.push(' ');
        s.push_str(k);
        s.push('=');
        push_value(&mut s, v);
    }
    s.push('\n');
    let _ = std::io::stderr().lock().write_all(s.as_bytes());
}

fn push_value(s: &mut String, v: &str) {
    let plain = !v.is_empty()
        && v.chars()
            .all(|c| !c.is_whitespace() && !c.is_control() && c != '"' && c != '=');
    if plain {
        s.push_str(v);
        return;
    }
    s.push('"');
    for c in v.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(s, "\\u{{{:x}}}", c as u32);
            }
            c => s.push(c),
        }
    }
    s.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_with_spaces_quotes_or_controls_are_quoted_and_escaped() {
        let mut s = String::new();
        push_value(&mut s, "a b\"\n");
        assert_eq!(s, "\"a b\\\"\\u{a}\"");
        let mut s = String::new();
        push_value(&mut s, "/api/v1/jobs");
        assert_eq!(s, "/api/v1/jobs");
    }
}
