//! Numbers in text: as many digits as their uncertainty deserves.
//!
//! Per-item results are estimates whose bounds are tens of percent apart; 17 digits would be
//! noise, and would make files larger and slower to write. Text formats write
//! [`SIGNIFICANT_DIGITS`] significant digits (relative rounding error at most 5·10⁻⁶, far below
//! the spread of any result), whole numbers as integers; Parquet keeps every bit.

/// Significant digits of numbers in CSV and JSON Lines.
pub const SIGNIFICANT_DIGITS: i32 = 6;

/// Powers of ten from 10⁰ to 10²², exact in f64.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// 10^e: exact from the table within ±22, else from `powi` (close enough to compare with).
fn pow10(e: i32) -> f64 {
    match POW10.get(e.unsigned_abs() as usize) {
        Some(x) if e >= 0 => *x,
        Some(x) => 1.0 / x,
        None => 10f64.powi(e),
    }
}

/// The decimal exponent of a positive, finite, normal `a`: 10^e ≤ a < 10^(e+1).
fn exponent10(a: f64) -> i32 {
    let e2 = ((a.to_bits() >> 52) & 0x7ff) as i32 - 1023;
    // ⌊e2 · log10 2⌋ is e or e − 1: one comparison with 10^(e+1) decides.
    let e = (e2 * 78_913) >> 18;
    if a >= pow10(e + 1) {
        e + 1
    } else {
        e
    }
}

/// `v` rounded to `digits` significant digits: the f64 nearest to that decimal, so that its
/// shortest representation is at most `digits` digits long.
pub fn round_significant(v: f64, digits: i32) -> f64 {
    if v == 0.0 || !v.is_finite() || !v.is_normal() {
        return v;
    }
    let a = v.abs();
    let e = exponent10(a);
    let k = digits - 1 - e;
    let r = if (0..=22).contains(&k) {
        (a * POW10[k as usize]).round() / POW10[k as usize]
    } else if (-22..0).contains(&k) {
        (a / POW10[(-k) as usize]).round() * POW10[(-k) as usize]
    } else {
        // Scales beyond 10^22 are not exact: round through the decimal text (rare, slower).
        let text = format!("{:.*e}", (digits - 1).max(0) as usize, a);
        text.parse().unwrap_or(a)
    };
    if !r.is_finite() {
        return v;
    }
    r.copysign(v)
}

/// Appends a finite number with [`SIGNIFICANT_DIGITS`] significant digits, trailing zeros
/// dropped: positional from 10⁻⁹ to 10¹⁶ (`1234.57`, `0.000123457`, `123457000`), scientific
/// beyond (`2.5e-30`). Whole numbers below a million are written exactly. Digits are produced
/// from one scaled integer (no shortest-representation search): this is the per-row hot path.
pub(crate) fn push_number(buf: &mut Vec<u8>, x: f64) {
    let a = x.abs();
    // (Casts, not trunc and round: those are calls into libm on baseline x86-64.)
    if a < 1e6 && (a as i64) as f64 == a {
        push_integer(buf, x as i64);
        return;
    }
    if !a.is_normal() {
        push_scientific(buf, x);
        return;
    }
    let mut e = exponent10(a);
    let k = SIGNIFICANT_DIGITS - 1 - e;
    if !(-9..=16).contains(&e) || !(-22..=22).contains(&k) {
        push_scientific(buf, x);
        return;
    }
    let scaled = if k >= 0 {
        a * POW10[k as usize]
    } else {
        a / POW10[(-k) as usize]
    };
    let mut m = (scaled + 0.5) as u64;
    if m >= 1_000_000 {
        // 999999.5 rounds to a seventh digit: one more power of ten.
        m /= 10;
        e += 1;
    }
    if x < 0.0 {
        buf.push(b'-');
    }
    let mut d = [b'0'; 6];
    for slot in d.iter_mut().rev() {
        *slot = b'0' + (m % 10) as u8;
        m /= 10;
    }
    let significant = d.iter().rposition(|c| *c != b'0').map_or(1, |i| i + 1);
    if e >= 5 {
        buf.extend_from_slice(&d);
        buf.resize(buf.len() + (e - 5) as usize, b'0');
    } else if e >= 0 {
        let int = e as usize + 1;
        buf.extend_from_slice(&d[..int]);
        if significant > int {
            buf.push(b'.');
            buf.extend_from_slice(&d[int..significant]);
        }
    } else {
        buf.extend_from_slice(b"0.");
        buf.resize(buf.len() + (-e - 1) as usize, b'0');
        buf.extend_from_slice(&d[..significant]);
    }
}

/// Appends a finite number with every digit it needs to read back as the same `f64` (the
/// shortest such text): whole numbers below 10¹⁶ as integers, positional from 10⁻⁹, scientific
/// beyond (`1e-12`, `2.5e20`).
pub(crate) fn push_exact(buf: &mut Vec<u8>, x: f64) {
    use std::io::Write;
    let a = x.abs();
    if a < 1e16 && (a as i64) as f64 == a {
        push_integer(buf, x as i64);
    } else if (1e-9..1e16).contains(&a) {
        let _ = write!(buf, "{x}");
    } else {
        let _ = write!(buf, "{x:e}");
    }
}

/// Appends `x` in scientific notation with [`SIGNIFICANT_DIGITS`] digits, trailing zeros
/// dropped (`2.5e-30`).
fn push_scientific(buf: &mut Vec<u8>, x: f64) {
    let text = format!("{:.*e}", (SIGNIFICANT_DIGITS - 1) as usize, x);
    match text.split_once('e') {
        Some((mantissa, exp)) => {
            let mantissa = if mantissa.contains('.') {
                mantissa.trim_end_matches('0').trim_end_matches('.')
            } else {
                mantissa
            };
            buf.extend_from_slice(mantissa.as_bytes());
            buf.push(b'e');
            buf.extend_from_slice(exp.as_bytes());
        }
        None => buf.extend_from_slice(text.as_bytes()),
    }
}

/// Appends an integer.
pub(crate) fn push_integer(buf: &mut Vec<u8>, v: i64) {
    if v < 0 {
        buf.push(b'-');
    }
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut u = v.unsigned_abs();
    loop {
        i -= 1;
        digits[i] = b'0' + (u % 10) as u8;
        u /= 10;
        if u == 0 {
            break;
        }
    }
    buf.extend_from_slice(&digits[i..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(x: f64) -> String {
        let mut s = Vec::new();
        push_number(&mut s, x);
        String::from_utf8(s).unwrap()
    }

    #[test]
    fn six_significant_digits_and_integers_as_integers() {
        assert_eq!(text(1234.56789), "1234.57");
        assert_eq!(text(0.000123456789), "0.000123457");
        assert_eq!(text(-98.7654321), "-98.7654");
        assert_eq!(text(42.0), "42");
        assert_eq!(text(999999.5), "1000000");
        assert_eq!(text(123456789.4), "123457000");
        assert_eq!(text(2.5e-30), "2.5e-30");
        assert_eq!(text(2.2630329609367885e22), "2.26303e22");
        assert_eq!(text(1.5e-7), "0.00000015");
        assert_eq!(text(-0.5), "-0.5");
        assert_eq!(text(1e6), "1000000");
        assert_eq!(text(1.000004e6), "1000000");
        assert_eq!(text(7.770474652420824e15), "7770470000000000");
        assert_eq!(text(0.1 + 0.2), "0.3");
    }

    /// The text is the value rounded to 6 significant digits, as Rust's exact formatting rounds.
    #[test]
    fn the_text_reads_back_as_the_rounded_value() {
        let mut x: f64 = -9.876_543_21e-12;
        while x.abs() < 1e25 {
            let t = text(x);
            let exact: f64 = format!("{x:.5e}").parse().unwrap();
            let back: f64 = t.parse().unwrap();
            assert_eq!(back, exact, "{x} → {t}");
            x *= -3.3;
        }
    }

    #[test]
    fn rounding_is_within_half_a_unit_of_the_sixth_digit() {
        let mut x = 1.234_567_891e-290;
        while x < 1e290 {
            let r = round_significant(x, SIGNIFICANT_DIGITS);
            assert!(((r - x) / x).abs() <= 5e-6, "{x} → {r}");
            x *= 3.7;
        }
    }

    fn exact(x: f64) -> String {
        let mut s = Vec::new();
        push_exact(&mut s, x);
        String::from_utf8(s).unwrap()
    }

    /// A three-second job is 1/1200 h: six digits would give 2.9999988 s back.
    #[test]
    fn exact_numbers_read_back_bit_for_bit() {
        assert_eq!(exact(3.0 / 3600.0), "0.0008333333333333334");
        assert_eq!(exact(42.0), "42");
        assert_eq!(exact(-1.5), "-1.5");
        assert_eq!(exact(1e-12), "1e-12");
        assert_eq!(exact(2.5e20), "2.5e20");
        let mut x: f64 = -9.876_543_21e-12;
        while x.abs() < 1e25 {
            let back: f64 = exact(x).parse().unwrap();
            assert_eq!(back.to_bits(), x.to_bits(), "{x} → {}", exact(x));
            x *= -3.3;
        }
    }

    #[test]
    fn exponents_are_exact_at_powers_of_ten() {
        for e in -20..20 {
            let p: f64 = format!("1e{e}").parse().unwrap();
            assert_eq!(exponent10(p), e, "10^{e}");
            assert_eq!(exponent10(p * 0.999_999), e - 1, "below 10^{e}");
        }
    }
}
