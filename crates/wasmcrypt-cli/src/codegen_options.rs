//! wasmtime-style `-C` options of `wasmcrypt run`: `-C cache=n` turns the on-disk cache of
//! compiled code off.

use wasmtime::{Cache, CacheConfig, Config};

/// One `-C` option.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodegenOption {
    /// `-C cache=y|n`: whether compiled code is cached on disk (default: yes).
    Cache(bool),
}

impl CodegenOption {
    /// Parses one `NAME=VALUE` item of a (comma-separated) `-C` argument.
    pub fn parse(item: &str) -> Result<Self, String> {
        let (name, value) = item.split_once('=').unwrap_or((item, "y"));
        match name {
            "cache" => {
                parse_bool(value).map(Self::Cache).ok_or_else(|| format!("invalid `-C cache={value}`: expected y or n"))
            }
            _ => Err(format!("unknown -C option `{name}` (supported: `cache=y|n`)")),
        }
    }
}

fn parse_bool(value: &str) -> Option<bool> {
    match value {
        "y" | "yes" | "true" | "1" => Some(true),
        "n" | "no" | "false" | "0" => Some(false),
        _ => None,
    }
}

/// Turns on wasmtime's on-disk cache of compiled code (its default directory, for example
/// `~/.cache/wasmtime`) unless a `-C cache=n` came last. Without a usable cache directory the
/// guest still runs, compiled afresh.
pub fn configure(config: &mut Config, options: &[CodegenOption]) {
    let enabled = options.iter().map(|CodegenOption::Cache(on)| *on).next_back().unwrap_or(true);
    if enabled && let Ok(cache) = Cache::new(CacheConfig::new()) {
        config.cache(Some(cache));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_cache_switch() {
        assert_eq!(CodegenOption::parse("cache=n"), Ok(CodegenOption::Cache(false)));
        assert_eq!(CodegenOption::parse("cache=yes"), Ok(CodegenOption::Cache(true)));
        assert_eq!(CodegenOption::parse("cache"), Ok(CodegenOption::Cache(true)));
        assert!(CodegenOption::parse("cache=maybe").unwrap_err().contains("expected y or n"));
        assert!(CodegenOption::parse("opt-level=2").unwrap_err().contains("unknown -C option"));
    }
}
