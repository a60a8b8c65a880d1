//! wasmtime-style `-W` options of `wasmcrypt run` (`-W timeout=2s,fuel=1000000`), and the
//! parsers of durations and byte sizes shared with the limit flags.

use std::fmt;
use std::time::Duration;

/// The `-W` options: name, value syntax, description. Printed by `-W help`.
const HELP: &[(&str, &str, &str)] = &[
    (
        "timeout",
        "DURATION",
        "Stops the guest after DURATION of wall time (epoch interruption): `2s`, `500ms`, `1m`, `1m30s`; a \
         plain number is seconds.",
    ),
    ("fuel", "N", "Stops the guest after it has consumed N units of fuel (about one per wasm instruction)."),
    (
        "max-memory-size",
        "BYTES",
        "Caps the size of each linear memory: `65536`, `64KiB`, `16M`, `1GiB` (K, M, G are powers of 1024).",
    ),
    ("help", "", "Prints these options."),
];

/// One `-W` option.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WasmOption {
    /// `-W timeout=DURATION`.
    Timeout(Duration),
    /// `-W fuel=N`.
    Fuel(u64),
    /// `-W max-memory-size=BYTES`.
    MaxMemorySize(usize),
    /// `-W help`.
    Help,
}

impl WasmOption {
    /// Parses one `NAME=VALUE` item of a (comma-separated) `-W` argument.
    pub fn parse(item: &str) -> Result<Self, String> {
        let (name, value) = match item.split_once('=') {
            Some((name, value)) => (name, Some(value)),
            None => (item, None),
        };
        let needs = |kind: &str| value.ok_or_else(|| format!("`-W {name}` needs a value: `-W {name}={kind}`"));
        match name {
            "timeout" => parse_duration(needs("DURATION")?).map(Self::Timeout),
            "fuel" => {
                let v = needs("N")?;
                parse_number(v).map(Self::Fuel).ok_or_else(|| format!("invalid fuel `{v}`: expected a number"))
            }
            "max-memory-size" => parse_size(needs("BYTES")?).map(Self::MaxMemorySize),
            "help" if value.is_none() => Ok(Self::Help),
            _ => Err(format!("unknown -W option `{name}` (`-W help` lists the supported ones)")),
        }
    }
}

/// The text printed by `-W help`.
pub fn help() -> String {
    let mut text =
        String::from("Available -W options (repeatable, or comma-separated: `-W timeout=2s,fuel=1000000`):\n\n");
    for (name, value, description) in HELP {
        let head = if value.is_empty() { format!("-W {name}") } else { format!("-W {name}={value}") };
        text.push_str(&format!("  {head:<28} {description}\n"));
    }
    text
}

/// A decimal number, optionally with `_` separators (`1_000_000`).
fn parse_number(text: &str) -> Option<u64> {
    let digits: String = text.chars().filter(|&c| c != '_').collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Parses a duration as wasmtime does: a plain number is seconds, else one or more
/// `<number><unit>` parts with units `ns`, `us`, `ms`, `s`, `m`/`min`, `h` (`1m30s`).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let invalid = || format!("invalid duration `{text}`: expected e.g. `2s`, `500ms`, `1m` or a number of seconds");
    if let Some(secs) = parse_number(text) {
        return Ok(Duration::from_secs(secs));
    }
    let mut total = Duration::ZERO;
    let mut rest = text.trim();
    if rest.is_empty() {
        return Err(invalid());
    }
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        let unit_len = rest[digits..].find(|c: char| c.is_ascii_digit()).unwrap_or(rest.len() - digits);
        let (number, unit) = (&rest[..digits], rest[digits..digits + unit_len].trim());
        let n = parse_number(number).ok_or_else(invalid)?;
        let part = match unit {
            "ns" => Duration::from_nanos(n),
            "us" | "µs" => Duration::from_micros(n),
            "ms" => Duration::from_millis(n),
            "s" | "sec" => Duration::from_secs(n),
            "m" | "min" => Duration::from_secs(n.checked_mul(60).ok_or_else(invalid)?),
            "h" => Duration::from_secs(n.checked_mul(3600).ok_or_else(invalid)?),
            _ => return Err(invalid()),
        };
        total = total.checked_add(part).ok_or_else(invalid)?;
        rest = &rest[digits + unit_len..];
    }
    Ok(total)
}

/// Parses a byte size: a number of bytes, optionally followed by `K`, `M` or `G` (powers of
/// 1024; also written `KiB`, `KB`, `MiB`, …, case-insensitive): `1048576`, `64KiB`, `16M`.
pub fn parse_size(text: &str) -> Result<usize, String> {
    let invalid = || format!("invalid size `{text}`: expected a number of bytes, e.g. `1048576`, `64KiB` or `16M`");
    let split = text.find(|c: char| !c.is_ascii_digit() && c != '_').unwrap_or(text.len());
    let n = parse_number(&text[..split]).ok_or_else(invalid)?;
    let shift = match text[split..].trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        _ => return Err(invalid()),
    };
    n.checked_mul(1 << shift).and_then(|b| usize::try_from(b).ok()).ok_or_else(invalid)
}

/// A duration as a user would write it (`2s`, `500ms`, `1m30s`), for messages.
pub struct HumanDuration(pub Duration);

impl fmt::Display for HumanDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        if d.subsec_nanos() == 0 {
            let s = d.as_secs();
            return match (s / 3600, s % 3600 / 60, s % 60) {
                (0, 0, s) => write!(f, "{s}s"),
                (0, m, 0) => write!(f, "{m}m"),
                (0, m, s) => write!(f, "{m}m{s}s"),
                _ => write!(f, "{s}s"),
            };
        }
        if d.subsec_nanos().is_multiple_of(1_000_000) {
            return write!(f, "{}ms", d.as_millis());
        }
        write!(f, "{d:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_follow_wasmtime() {
        assert_eq!(parse_duration("2"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_duration("2s"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("1m"), Ok(Duration::from_secs(60)));
        assert_eq!(parse_duration("1m30s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("1h"), Ok(Duration::from_secs(3600)));
        assert_eq!(parse_duration("250us"), Ok(Duration::from_micros(250)));
        for bad in ["", "s", "2 seconds", "-1s", "1.5s", "2x", "99999999999999999999h"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn sizes_are_binary() {
        assert_eq!(parse_size("1048576"), Ok(1 << 20));
        assert_eq!(parse_size("64MiB"), Ok(64 << 20));
        assert_eq!(parse_size("16M"), Ok(16 << 20));
        assert_eq!(parse_size("16m"), Ok(16 << 20));
        assert_eq!(parse_size("64KiB"), Ok(64 << 10));
        assert_eq!(parse_size("1G"), Ok(1 << 30));
        assert_eq!(parse_size("4096B"), Ok(4096));
        assert_eq!(parse_size("1_000"), Ok(1000));
        for bad in ["", "M", "12T", "-1", "1.5M", "99999999999999999999"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn options() {
        assert_eq!(WasmOption::parse("timeout=2s"), Ok(WasmOption::Timeout(Duration::from_secs(2))));
        assert_eq!(WasmOption::parse("fuel=1_000"), Ok(WasmOption::Fuel(1000)));
        assert_eq!(WasmOption::parse("max-memory-size=16M"), Ok(WasmOption::MaxMemorySize(16 << 20)));
        assert_eq!(WasmOption::parse("help"), Ok(WasmOption::Help));
        assert!(WasmOption::parse("timeout").unwrap_err().contains("needs a value"));
        assert!(WasmOption::parse("fuel=lots").unwrap_err().contains("invalid fuel"));
        assert!(WasmOption::parse("nan-canonicalization=y").unwrap_err().contains("unknown -W option"));
        assert!(help().contains("-W max-memory-size=BYTES"));
    }

    #[test]
    fn human_durations() {
        let show = |d| HumanDuration(d).to_string();
        assert_eq!(show(Duration::from_secs(2)), "2s");
        assert_eq!(show(Duration::from_secs(60)), "1m");
        assert_eq!(show(Duration::from_secs(90)), "1m30s");
        assert_eq!(show(Duration::from_secs(7200)), "7200s");
        assert_eq!(show(Duration::from_millis(500)), "500ms");
        assert_eq!(show(Duration::from_micros(250)), "250µs");
    }
}
