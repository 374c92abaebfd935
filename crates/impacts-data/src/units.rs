//! Parsing quantities written by people: sizes (`192GB`, `3.84 TB`, `64GiB`) and energies
//! (`1000kWh`, `3.6 GJ`).

use crate::InputError;

fn split_number(s: &str) -> Option<(f64, &str)> {
    let s = s.trim();
    let end = s
        .char_indices()
        .find(|(_, c)| {
            !(c.is_ascii_digit()
                || *c == '.'
                || *c == 'e'
                || *c == 'E'
                || *c == '+'
                || *c == '-'
                || *c == '_')
        })
        .map(|(i, _)| i)
        .unwrap_or(s.len());
    // An exponent marker followed by a letter is the start of a unit (e.g. "5EB" is not supported).
    let (num, unit) = s.split_at(end);
    let num: String = num.chars().filter(|c| *c != '_').collect();
    let v: f64 = num.parse().ok()?;
    Some((v, unit.trim()))
}

/// Parses a data size into gigabytes (decimal: 1 GB = 10^9 bytes; binary units are converted).
///
/// The unit is required: a bare number is refused (is `20` 20 GB or 20 TB?).
pub fn parse_size_gb(input: &str) -> Result<f64, InputError> {
    let bad = |what: &str| {
        InputError::invalid_value(
            input,
            format!("{what}: a number followed by B, kB, MB, GB, TB, PB, KiB, MiB, GiB, TiB or PiB (e.g. 192GB, 3.84TB)"),
        )
    };
    let (v, unit) = split_number(input).ok_or_else(|| bad("a positive size"))?;
    let factor = match unit.to_ascii_lowercase().as_str() {
        "" => return Err(bad("a size with its unit")),
        "gb" | "g" => 1.0,
        "b" => 1e-9,
        "kb" | "k" => 1e-6,
        "mb" | "m" => 1e-3,
        "tb" | "t" => 1e3,
        "pb" | "p" => 1e6,
        "kib" => 1024.0 / 1e9,
        "mib" => 1024.0f64.powi(2) / 1e9,
        "gib" => 1024.0f64.powi(3) / 1e9,
        "tib" => 1024.0f64.powi(4) / 1e9,
        "pib" => 1024.0f64.powi(5) / 1e9,
        _ => return Err(bad("a positive size")),
    };
    let gb = v * factor;
    if !gb.is_finite() || gb <= 0.0 {
        return Err(bad("a positive size"));
    }
    Ok(gb)
}

/// Parses an amount of energy into kWh. The unit is required: a bare number is refused.
pub fn parse_energy_kwh(input: &str) -> Result<f64, InputError> {
    let bad = |what: &str| {
        InputError::invalid_value(
            input,
            format!("{what}: a number followed by Wh, kWh, MWh, GWh, TWh, J, kJ, MJ, GJ or TJ (e.g. 1000kWh)"),
        )
    };
    let (v, unit) = split_number(input).ok_or_else(|| bad("a non-negative energy"))?;
    let factor = match unit {
        "" => return Err(bad("an energy with its unit")),
        "kWh" | "kwh" | "KWh" | "KWH" => 1.0,
        "Wh" | "wh" => 1e-3,
        "MWh" | "mwh" | "MWH" => 1e3,
        "GWh" | "gwh" | "GWH" => 1e6,
        "TWh" | "twh" | "TWH" => 1e9,
        "J" | "j" => 1.0 / 3.6e6,
        "kJ" | "kj" => 1.0 / 3.6e3,
        "MJ" | "mj" => 1.0 / 3.6,
        "GJ" | "gj" => 1e3 / 3.6,
        "TJ" | "tj" => 1e6 / 3.6,
        _ => return Err(bad("a non-negative energy")),
    };
    let kwh = v * factor;
    if !kwh.is_finite() || kwh < 0.0 {
        return Err(bad("a non-negative energy"));
    }
    Ok(kwh)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size_gb("192GB").unwrap(), 192.0);
        assert_eq!(parse_size_gb("3.84TB").unwrap(), 3840.0);
        assert_eq!(parse_size_gb("3.84 TB").unwrap(), 3840.0);
        assert_eq!(parse_size_gb("512MB").unwrap(), 0.512);
        assert!((parse_size_gb("64GiB").unwrap() - 68.719476736).abs() < 1e-9);
    }

    #[test]
    fn amounts_need_their_unit() {
        let e = parse_size_gb("20").unwrap_err().to_string();
        assert_eq!(
            e,
            "invalid value '20': expected a size with its unit: a number followed by B, kB, MB, GB, TB, PB, KiB, MiB, GiB, TiB or PiB (e.g. 192GB, 3.84TB)"
        );
        let e = parse_energy_kwh("10").unwrap_err().to_string();
        assert!(
            e.starts_with("invalid value '10': expected an energy with its unit"),
            "{e}"
        );
    }

    #[test]
    fn bad_sizes_name_the_input_and_the_expected_form() {
        for bad in ["12QB", "", "GB", "-3GB", "0GB", "1e400GB", "12 Q B"] {
            let e = parse_size_gb(bad).unwrap_err().to_string();
            assert!(e.contains(&format!("'{bad}'")), "{e}");
            assert!(e.contains("e.g. 192GB"), "{e}");
        }
    }

    #[test]
    fn energies() {
        assert_eq!(parse_energy_kwh("1000kWh").unwrap(), 1000.0);
        assert_eq!(parse_energy_kwh("2 MWh").unwrap(), 2000.0);
        assert!((parse_energy_kwh("3.6MJ").unwrap() - 1.0).abs() < 1e-12);
        assert_eq!(parse_energy_kwh("500Wh").unwrap(), 0.5);
        assert!(parse_energy_kwh("10 kW").is_err());
        assert!(parse_energy_kwh("-5kWh").is_err());
    }
}
