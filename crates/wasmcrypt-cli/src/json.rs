//! A minimal JSON writer for `--json` output.

/// A JSON value.
pub enum Json {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An unsigned integer.
    Number(u64),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object, keys in order.
    Object(Vec<(&'static str, Json)>),
}

impl Json {
    /// A string value.
    pub fn string(s: impl Into<String>) -> Self {
        Self::String(s.into())
    }

    /// An object from pairs.
    pub fn object<const N: usize>(pairs: [(&'static str, Json); N]) -> Self {
        Self::Object(pairs.into_iter().collect())
    }

    fn write(&self, out: &mut String) {
        match self {
            Self::Null => out.push_str("null"),
            Self::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Self::Number(n) => out.push_str(&n.to_string()),
            Self::String(s) => write_string(s, out),
            Self::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Self::Object(pairs) => {
                out.push('{');
                for (i, (key, value)) in pairs.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_string(key, out);
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Prints a value on one line.
pub fn print_json(value: &Json) {
    let mut out = String::new();
    value.write(&mut out);
    println!("{out}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_escaped_compact_json() {
        let value = Json::object([
            ("id", Json::string("a\"b\\c\n\u{1}é")),
            ("n", Json::Number(u64::MAX)),
            ("list", Json::Array(vec![Json::Null, Json::Bool(true), Json::Bool(false)])),
        ]);
        let mut out = String::new();
        value.write(&mut out);
        assert_eq!(out, r#"{"id":"a\"b\\c\n\u0001é","n":18446744073709551615,"list":[null,true,false]}"#);
    }
}
