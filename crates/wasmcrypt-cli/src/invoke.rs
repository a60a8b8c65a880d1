//! `wasmcrypt run --invoke`: calls one export instead of the command's entry point, with
//! arguments parsed from the command line and results printed one per line, as `wasmtime run
//! --invoke` does. Modules take one argument per parameter (`--invoke add m.wasm 1 2`);
//! components take a call expression (`--invoke 'hash("abc")'`) whose arguments are simple
//! WAVE values: booleans, integers, floats, characters, strings and lists of these. A
//! component's function may be at the top level or inside an exported interface: named in full
//! (`--invoke 'wasi:cli/run@0.2.0#run()'`), or by its own name when exactly one exported
//! interface has it (`--invoke 'run()'`).

use wasmtime::component::types::ComponentItem;
use wasmtime::component::{self, Component, ComponentExportIndex, Type, Val as CVal};
use wasmtime::error::{Context, bail, format_err};
use wasmtime::{AsContextMut, Func, Result, Val, ValType};

/// The outcome of a call whose arguments were accepted: its results as text, or why it failed.
pub type CallOutcome = Result<Vec<String>>;

/// Calls `func` of a core module with `args` parsed by its parameter types; returns the
/// results formatted as wasmtime prints them. The outer error is a usage error (wrong
/// arguments), the inner one the call's.
pub fn call_module_func(mut store: impl AsContextMut, name: &str, func: Func, args: &[String]) -> Result<CallOutcome> {
    let ty = func.ty(&store);
    if ty.params().len() != args.len() {
        bail!("`{name}` takes {} argument(s), {} given", ty.params().len(), args.len());
    }
    let params = ty
        .params()
        .zip(args)
        .map(|(ty, arg)| core_val(&ty, arg).with_context(|| format!("invalid argument `{arg}` for `{name}`")))
        .collect::<Result<Vec<_>>>()?;
    let mut results = vec![Val::I32(0); ty.results().len()];
    Ok(func.call(&mut store, &params, &mut results).and_then(|()| results.iter().map(format_core).collect()))
}

fn core_val(ty: &ValType, arg: &str) -> Result<Val> {
    Ok(match ty {
        ValType::I32 => Val::I32(
            parse_int::<i64>(arg)
                .and_then(|v| i32::try_from(v).ok().or_else(|| u32::try_from(v).ok().map(|u| u as i32)))
                .ok_or_else(|| format_err!("expected an i32"))?,
        ),
        ValType::I64 => Val::I64(
            parse_int::<i64>(arg)
                .or_else(|| parse_int::<u64>(arg).map(|u| u as i64))
                .ok_or_else(|| format_err!("expected an i64"))?,
        ),
        ValType::F32 => Val::F32(arg.parse::<f32>().map_err(|_| format_err!("expected an f32"))?.to_bits()),
        ValType::F64 => Val::F64(arg.parse::<f64>().map_err(|_| format_err!("expected an f64"))?.to_bits()),
        other => bail!("parameters of type {other} cannot be given on the command line"),
    })
}

fn parse_int<T: std::str::FromStr>(text: &str) -> Option<T> {
    text.replace('_', "").parse().ok()
}

fn format_core(val: &Val) -> Result<String> {
    Ok(match val {
        Val::I32(v) => v.to_string(),
        Val::I64(v) => v.to_string(),
        Val::F32(bits) => f32::from_bits(*bits).to_string(),
        Val::F64(bits) => f64::from_bits(*bits).to_string(),
        _ => bail!("results of this type cannot be printed"),
    })
}

/// Splits a component call expression `name(arg, ...)` (or a bare `name`) into the name and
/// its argument texts.
pub fn parse_call(expr: &str) -> Result<(String, Vec<String>)> {
    let expr = expr.trim();
    let Some(open) = expr.find('(') else { return Ok((expr.to_owned(), Vec::new())) };
    let inner = expr[open + 1..].strip_suffix(')').ok_or_else(|| format_err!("`{expr}`: missing `)`"))?;
    Ok((expr[..open].trim().to_owned(), split_top_level(inner)?))
}

/// Splits at commas outside strings, characters and brackets.
fn split_top_level(text: &str) -> Result<Vec<String>> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let (mut depth, mut quote, mut escaped) = (0i32, None, false);
    for c in text.chars() {
        match (quote, c) {
            (Some(_), _) if escaped => escaped = false,
            (Some(_), '\\') => escaped = true,
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '(') => depth += 1,
            (None, ']' | ')') => depth -= 1,
            (None, ',') if depth == 0 => {
                parts.push(std::mem::take(&mut current).trim().to_owned());
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    if quote.is_some() || depth != 0 {
        bail!("unbalanced quotes or brackets in `{text}`");
    }
    if !current.trim().is_empty() || !parts.is_empty() {
        parts.push(current.trim().to_owned());
    }
    Ok(parts)
}

/// Finds the export index of the function `name` of `component`: a top-level function,
/// `interface#function`, or a function that exactly one exported interface has.
pub fn find_component_func(component: &Component, name: &str) -> Result<ComponentExportIndex> {
    if let Some((interface, func)) = name.rsplit_once('#') {
        let instance = component.get_export_index(None, interface);
        return instance
            .and_then(|instance| component.get_export_index(Some(&instance), func))
            .ok_or_else(|| format_err!("no exported interface `{interface}` with a function `{func}`"));
    }
    if let Some(index) = component.get_export_index(None, name) {
        return Ok(index);
    }
    let engine = component.engine();
    let candidates: Vec<String> = component
        .component_type()
        .exports(engine)
        .filter_map(|(interface, item)| match item.ty {
            ComponentItem::ComponentInstance(instance) => instance
                .exports(engine)
                .any(|(func, item)| func == name && matches!(item.ty, ComponentItem::ComponentFunc(_)))
                .then(|| interface.to_string()),
            _ => None,
        })
        .collect();
    match candidates.as_slice() {
        [] => bail!("no exported function `{name}`"),
        [interface] => find_component_func(component, &format!("{interface}#{name}")),
        _ => bail!(
            "`{name}` is exported by several interfaces; name one: {}",
            candidates.iter().map(|i| format!("{i}#{name}")).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// Calls a component function with arguments parsed by its parameter types; returns the
/// results in WAVE form (errors as for [`call_module_func`]).
pub fn call_component_func(
    mut store: impl AsContextMut,
    name: &str,
    func: component::Func,
    args: &[String],
) -> Result<CallOutcome> {
    let ty = func.ty(&store);
    if ty.params().len() != args.len() {
        bail!("`{name}` takes {} argument(s), {} given", ty.params().len(), args.len());
    }
    let params = ty
        .params()
        .zip(args)
        .map(|((param, ty), arg)| {
            component_val(&ty, arg).with_context(|| format!("invalid value `{arg}` for `{param}`"))
        })
        .collect::<Result<Vec<_>>>()?;
    let mut results = vec![CVal::Bool(false); ty.results().len()];
    Ok(func.call(&mut store, &params, &mut results).map(|()| results.iter().map(format_component).collect()))
}

fn component_val(ty: &Type, text: &str) -> Result<CVal> {
    let text = text.trim();
    macro_rules! int {
        ($variant:ident, $t:ty) => {
            CVal::$variant(parse_int::<$t>(text).ok_or_else(|| format_err!("expected {}", stringify!($t)))?)
        };
    }
    Ok(match ty {
        Type::Bool => CVal::Bool(match text {
            "true" => true,
            "false" => false,
            _ => bail!("expected true or false"),
        }),
        Type::S8 => int!(S8, i8),
        Type::U8 => int!(U8, u8),
        Type::S16 => int!(S16, i16),
        Type::U16 => int!(U16, u16),
        Type::S32 => int!(S32, i32),
        Type::U32 => int!(U32, u32),
        Type::S64 => int!(S64, i64),
        Type::U64 => int!(U64, u64),
        Type::Float32 => CVal::Float32(text.parse().map_err(|_| format_err!("expected a float"))?),
        Type::Float64 => CVal::Float64(text.parse().map_err(|_| format_err!("expected a float"))?),
        Type::Char => {
            let inner = unquote(text, '\'')?;
            let mut chars = inner.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => CVal::Char(c),
                _ => bail!("expected one character"),
            }
        }
        Type::String => CVal::String(unquote(text, '"')?),
        Type::List(list) => {
            let inner = text
                .strip_prefix('[')
                .and_then(|t| t.strip_suffix(']'))
                .ok_or_else(|| format_err!("expected a list `[...]`"))?;
            let element = list.ty();
            CVal::List(split_top_level(inner)?.iter().map(|item| component_val(&element, item)).collect::<Result<_>>()?)
        }
        _ => bail!("only booleans, numbers, characters, strings and lists can be given on the command line"),
    })
}

/// The text between quotes, with `\\`, `\"`, `\'`, `\n`, `\t` unescaped.
fn unquote(text: &str, quote: char) -> Result<String> {
    let inner = text
        .strip_prefix(quote)
        .and_then(|t| t.strip_suffix(quote))
        .ok_or_else(|| format_err!("expected a quoted value ({quote}...{quote})"))?;
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        out.push(match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('n') => '\n',
                Some('t') => '\t',
                Some(e @ ('\\' | '"' | '\'')) => e,
                _ => bail!("unsupported escape in {text}"),
            },
            (c, false) => c,
        });
    }
    Ok(out)
}

/// A value in WAVE syntax.
fn format_component(val: &CVal) -> String {
    let list = |items: &mut dyn Iterator<Item = String>| items.collect::<Vec<_>>().join(", ");
    let payload = |v: &Option<Box<CVal>>| v.as_ref().map(|v| format!("({})", format_component(v))).unwrap_or_default();
    match val {
        CVal::Bool(v) => v.to_string(),
        CVal::S8(v) => v.to_string(),
        CVal::U8(v) => v.to_string(),
        CVal::S16(v) => v.to_string(),
        CVal::U16(v) => v.to_string(),
        CVal::S32(v) => v.to_string(),
        CVal::U32(v) => v.to_string(),
        CVal::S64(v) => v.to_string(),
        CVal::U64(v) => v.to_string(),
        CVal::Float32(v) => v.to_string(),
        CVal::Float64(v) => v.to_string(),
        CVal::Char(c) => format!("{c:?}"),
        CVal::String(s) => format!("{s:?}"),
        CVal::List(items) | CVal::FixedLengthList(items) => {
            format!("[{}]", list(&mut items.iter().map(format_component)))
        }
        CVal::Tuple(items) => format!("({})", list(&mut items.iter().map(format_component))),
        CVal::Record(fields) => {
            format!("{{{}}}", list(&mut fields.iter().map(|(name, v)| format!("{name}: {}", format_component(v)))))
        }
        CVal::Map(entries) => {
            format!(
                "{{{}}}",
                list(&mut entries.iter().map(|(k, v)| format!("{}: {}", format_component(k), format_component(v))))
            )
        }
        CVal::Variant(case, v) => format!("{case}{}", payload(v)),
        CVal::Enum(case) => case.clone(),
        CVal::Option(None) => "none".to_owned(),
        CVal::Option(Some(v)) => format!("some({})", format_component(v)),
        CVal::Result(Ok(v)) => format!("ok{}", payload(v)),
        CVal::Result(Err(v)) => format!("err{}", payload(v)),
        CVal::Flags(names) => format!("{{{}}}", names.join(", ")),
        CVal::Resource(_) => "<resource>".to_owned(),
        CVal::Future(_) | CVal::Stream(_) | CVal::ErrorContext(_) => "<async value>".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_call_expressions() {
        assert_eq!(parse_call("run").unwrap(), ("run".to_owned(), vec![]));
        assert_eq!(parse_call("run()").unwrap(), ("run".to_owned(), vec![]));
        let (name, args) = parse_call(r#"hash("a, b", [1, 2], 'x')"#).unwrap();
        assert_eq!(name, "hash");
        assert_eq!(args, [r#""a, b""#, "[1, 2]", "'x'"]);
        assert!(parse_call("f(\"x)").is_err());
    }

    #[test]
    fn formats_values_as_wave() {
        let v = CVal::Result(Ok(Some(Box::new(CVal::List(vec![CVal::U8(1), CVal::U8(255)])))));
        assert_eq!(format_component(&v), "ok([1, 255])");
        assert_eq!(format_component(&CVal::Variant("invalid-key".into(), None)), "invalid-key");
        assert_eq!(format_component(&CVal::String("a\"b".into())), r#""a\"b""#);
    }

    #[test]
    fn unquotes_strings() {
        assert_eq!(unquote(r#""a\n\"b""#, '"').unwrap(), "a\n\"b");
        assert!(unquote("abc", '"').is_err());
    }
}
