//! Model-name matching: exact, then fuzzy, with a score and the alternatives.
//!
//! Names are compared token by token. Model numbers weigh more than words, a number must match
//! exactly (6248 is not 6258), and a candidate loses points for each token the query does not
//! have — more for a letter suffix glued to a model number (the R of 6248R, the X of MI250X),
//! which usually names another product. Scores run from 0 to 100; a query whose best candidates
//! are within [`AMBIGUITY_MARGIN`] points of each other is ambiguous.

use serde::{Deserialize, Serialize};

/// Minimum score of a fuzzy match.
pub const THRESHOLD: f64 = 70.0;
/// Candidates closer than this to the best are alternatives of equal standing.
pub const AMBIGUITY_MARGIN: f64 = 3.0;

const NOISE: [&str; 8] = [
    "r",
    "tm",
    "cpu",
    "processor",
    "graphics",
    "accelerator",
    "card",
    "with",
];

#[derive(Clone, Debug, PartialEq)]
struct Token {
    text: String,
    numeric: bool,
    suffix: bool,
}

fn tokens(s: &str) -> Vec<Token> {
    let s = s.split('@').next().unwrap_or(s).to_lowercase();
    let mut out = Vec::new();
    for raw in s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
    {
        let mut parts: Vec<(String, bool)> = Vec::new();
        for ch in raw.chars() {
            let digit = ch.is_ascii_digit();
            match parts.last_mut() {
                Some((p, d)) if *d == digit => p.push(ch),
                _ => parts.push((ch.to_string(), digit)),
            }
        }
        let n = parts.len();
        let mut seen_digit = false;
        for (i, (p, digit)) in parts.into_iter().enumerate() {
            let suffix = !digit && seen_digit && i + 1 == n;
            seen_digit |= digit;
            if !digit && NOISE.contains(&p.as_str()) && n == 1 {
                continue;
            }
            out.push(Token {
                text: p,
                numeric: digit,
                suffix,
            });
        }
    }
    out
}

/// The name reduced to lower-case letters and digits (for exact matching).
pub fn compact(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Levenshtein edit distance between two strings (in characters).
pub fn edit_distance(a: &str, b: &str) -> usize {
    levenshtein(a, b)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

fn similarity(q: &Token, c: &Token) -> f64 {
    if q.text == c.text {
        return 1.0;
    }
    if q.numeric || c.numeric {
        return 0.0;
    }
    let len = q.text.chars().count().max(c.text.chars().count());
    if len < 4 {
        return 0.0;
    }
    let s = 1.0 - levenshtein(&q.text, &c.text) as f64 / len as f64;
    if s >= 0.75 {
        s
    } else {
        0.0
    }
}

fn score(query: &[Token], cand: &[Token]) -> f64 {
    let weight = |t: &Token| if t.numeric { 3.0 } else { 1.0 };
    let total: f64 = query.iter().map(weight).sum();
    if total == 0.0 {
        return 0.0;
    }
    let mut used = vec![false; cand.len()];
    let mut matched = 0.0;
    for q in query {
        let mut best = (0.0, usize::MAX);
        for (j, c) in cand.iter().enumerate() {
            if used[j] {
                continue;
            }
            let s = similarity(q, c);
            if s > best.0 {
                best = (s, j);
                if s == 1.0 {
                    break;
                }
            }
        }
        if best.1 != usize::MAX {
            used[best.1] = true;
            matched += weight(q) * best.0;
        }
    }
    let extra: f64 = cand
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(c, _)| {
            if c.suffix {
                8.0
            } else if c.numeric {
                3.0
            } else {
                2.0
            }
        })
        .sum();
    (100.0 * matched / total - extra.min(30.0)).max(0.0)
}

/// A candidate name and its score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// Row index in the table the matcher was built from.
    pub index: usize,
    /// The candidate's name.
    pub name: String,
    /// Score, 0 to 100.
    pub score: f64,
}

/// The outcome of a name lookup.
#[derive(Clone, Debug, PartialEq)]
pub enum MatchOutcome {
    /// The name is in the table (ignoring case, spaces and punctuation).
    Exact(Candidate),
    /// The best fuzzy candidate, with the others above the threshold.
    Fuzzy {
        /// Best candidate.
        best: Candidate,
        /// Candidates within the ambiguity margin of the best (best excluded).
        ties: Vec<Candidate>,
        /// Other candidates above the threshold.
        others: Vec<Candidate>,
    },
    /// Nothing reaches the threshold; the closest names.
    NoMatch {
        /// Closest candidates.
        closest: Vec<Candidate>,
    },
}

/// An index of names for matching.
#[derive(Clone, Debug, Default)]
pub struct Matcher {
    names: Vec<String>,
    compact: Vec<String>,
    tokens: Vec<Vec<Token>>,
    /// Points taken from each row's fuzzy score (a prior against some rows).
    penalty: Vec<f64>,
}

impl Matcher {
    /// Indexes `names` (row order is kept: candidates refer to rows by index).
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Matcher {
        let mut m = Matcher::default();
        for n in names {
            m.names.push(n.to_string());
            m.compact.push(compact(n));
            m.tokens.push(tokens(n));
            m.penalty.push(0.0);
        }
        m
    }

    /// The same matcher with `penalty(name)` points taken from each row's fuzzy score: a prior
    /// that makes a row win only when the query names what sets it apart (exact names are
    /// unaffected).
    pub fn with_penalty(mut self, penalty: impl Fn(&str) -> f64) -> Matcher {
        self.penalty = self.names.iter().map(|n| penalty(n)).collect();
        self
    }

    /// All rows whose name equals `query` (ignoring case, spaces and punctuation).
    pub fn exact_rows(&self, query: &str) -> Vec<usize> {
        let q = compact(query);
        (0..self.names.len())
            .filter(|i| self.compact[*i] == q)
            .collect()
    }

    /// Scores every row against `query`, best first (ties by name).
    pub fn ranked(&self, query: &str) -> Vec<Candidate> {
        let q = tokens(query);
        let mut v: Vec<Candidate> = self
            .tokens
            .iter()
            .enumerate()
            .map(|(i, t)| Candidate {
                index: i,
                name: self.names[i].clone(),
                score: (score(&q, t) - self.penalty[i]).max(0.0),
            })
            .filter(|c| c.score > 0.0)
            .collect();
        v.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.name.cmp(&b.name))
        });
        v
    }

    /// Looks `query` up: exact, else fuzzy above [`THRESHOLD`], else the closest names.
    pub fn find(&self, query: &str) -> MatchOutcome {
        if let Some(&i) = self.exact_rows(query).first() {
            return MatchOutcome::Exact(Candidate {
                index: i,
                name: self.names[i].clone(),
                score: 100.0,
            });
        }
        let ranked = self.ranked(query);
        match ranked.first() {
            Some(best) if best.score >= THRESHOLD => {
                let best = best.clone();
                let mut ties = Vec::new();
                let mut others = Vec::new();
                let mut seen = std::collections::HashSet::new();
                seen.insert(compact(&best.name));
                for c in ranked
                    .into_iter()
                    .skip(1)
                    .take_while(|c| c.score >= THRESHOLD)
                {
                    if !seen.insert(compact(&c.name)) {
                        continue;
                    }
                    if best.score - c.score < AMBIGUITY_MARGIN {
                        ties.push(c);
                    } else if others.len() < 5 {
                        others.push(c);
                    }
                }
                MatchOutcome::Fuzzy { best, ties, others }
            }
            _ => MatchOutcome::NoMatch {
                closest: ranked.into_iter().take(5).collect(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m() -> Matcher {
        Matcher::new([
            "Intel Xeon Gold 6248",
            "Intel Xeon Gold 6248R",
            "Intel Xeon Gold 6258R",
            "Intel Xeon E3-1285 v6",
            "AMD EPYC 7543",
            "AMD EPYC 7543P",
            "NVIDIA H100 PCIe",
            "NVIDIA H100 SXM5",
            "NVIDIA H100 SXM5 96 GB",
            "NVIDIA H200 SXM 141 GB",
            "NVIDIA H200 NVL 141 GB",
            "NVIDIA L40",
            "NVIDIA L40S",
            "AMD Radeon Instinct MI250",
            "AMD Radeon Instinct MI250X",
        ])
    }

    #[test]
    fn exact_ignores_case_spaces_and_punctuation() {
        assert!(
            matches!(m().find("intel xeon e3-1285v6"), MatchOutcome::Exact(c) if c.name == "Intel Xeon E3-1285 v6")
        );
        assert!(
            matches!(m().find("NVIDIA H100 SXM5 96GB"), MatchOutcome::Exact(c) if c.name == "NVIDIA H100 SXM5 96 GB")
        );
    }

    #[test]
    fn a_model_number_without_its_suffix_prefers_the_plain_model() {
        match m().find("Intel 6248") {
            MatchOutcome::Fuzzy { best, ties, others } => {
                assert_eq!(best.name, "Intel Xeon Gold 6248");
                assert!(ties.is_empty(), "{ties:?}");
                assert!(others.iter().any(|c| c.name == "Intel Xeon Gold 6248R"));
                assert!(!others.iter().any(|c| c.name.contains("6258")));
            }
            o => panic!("{o:?}"),
        }
        match m().find("EPYC 7543") {
            MatchOutcome::Fuzzy { best, ties, .. } => {
                assert_eq!(best.name, "AMD EPYC 7543");
                assert!(ties.is_empty());
            }
            o => panic!("{o:?}"),
        }
    }

    #[test]
    fn cpuinfo_strings_match() {
        match m().find("Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz") {
            MatchOutcome::Fuzzy { best, .. } => assert_eq!(best.name, "Intel Xeon Gold 6248"),
            MatchOutcome::Exact(c) => assert_eq!(c.name, "Intel Xeon Gold 6248"),
            o => panic!("{o:?}"),
        }
    }

    #[test]
    fn several_variants_make_an_ambiguous_match() {
        match m().find("H200") {
            MatchOutcome::Fuzzy { best, ties, .. } => {
                let mut names = vec![best.name.clone()];
                names.extend(ties.iter().map(|c| c.name.clone()));
                names.sort();
                assert_eq!(names, ["NVIDIA H200 NVL 141 GB", "NVIDIA H200 SXM 141 GB"]);
            }
            o => panic!("{o:?}"),
        }
    }

    #[test]
    fn a_glued_suffix_is_a_different_product() {
        match m().find("L40S") {
            MatchOutcome::Fuzzy { best, ties, .. } => {
                assert_eq!(best.name, "NVIDIA L40S");
                assert!(ties.is_empty());
            }
            o => panic!("{o:?}"),
        }
        match m().find("MI250X") {
            MatchOutcome::Fuzzy { best, ties, .. } => {
                assert_eq!(best.name, "AMD Radeon Instinct MI250X");
                assert!(ties.is_empty());
            }
            o => panic!("{o:?}"),
        }
    }

    #[test]
    fn unrelated_names_do_not_match() {
        assert!(matches!(
            m().find("Ampere Altra Q80-30"),
            MatchOutcome::NoMatch { .. }
        ));
        assert!(matches!(
            m().find("Intel Xeon Gold 6226"),
            MatchOutcome::NoMatch { .. }
        ));
    }

    #[test]
    fn levenshtein_distances() {
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("nvidia", "nvidia"), 0);
    }
}
