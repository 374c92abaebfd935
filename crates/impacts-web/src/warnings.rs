//! What each warning code means, from docs/warnings.md (compiled in: the page says what the
//! documentation says).

const DOC: &str = include_str!("../../../docs/warnings.md");

/// (meaning, what to do) of a code, from the documentation's table; None for a code it lacks.
pub fn explain(code: &str) -> Option<(String, String)> {
    let needle = format!("| `{code}` |");
    let line = DOC.lines().find(|l| l.starts_with(&needle))?;
    let mut cells = line[needle.len()..].split(" | ");
    let meaning = cells.next()?.trim().to_string();
    let action = cells
        .next()
        .map(|a| a.trim().trim_end_matches('|').trim().to_string())
        .filter(|a| a != "—")
        .unwrap_or_default();
    Some((meaning, action))
}

#[cfg(test)]
mod tests {
    #[test]
    fn codes_are_explained_from_the_documentation() {
        let (meaning, action) = super::explain("default.load").expect("documented");
        assert!(
            meaning.contains("the CPU and GPU loads are drawn from `load.cpu_unknown`"),
            "{meaning}"
        );
        assert_eq!(action, "give `--load`");
        let (_, none) = super::explain("job.measured-energy").expect("documented");
        assert_eq!(none, "", "an em dash means nothing to do");
        assert!(super::explain("no.such-code").is_none());
    }
}
