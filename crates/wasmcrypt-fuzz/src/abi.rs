//! `wasm_abi`: the 78 wasm imports through the real linker, with arbitrary pointers and lengths.
//!
//! A module generated from the linker's own definitions (so nothing is listed by hand) imports
//! every function and re-exports it as `f<i>` next to a one-page memory; it is compiled once
//! per process. Each input gets a fresh store and instance, then runs a sequence of memory
//! writes and calls with arbitrary arguments. Every call must return (no trap) a valid errno
//! other than `internal_error`; the budget invariant is checked after every call, and at the
//! end every handle the calls wrote to memory is closed and nothing may stay open or charged
//! (unless the guest overwrote a handle itself, with overlapping `kx_encapsulate` outputs).

use crate::api::{BUDGETS, HANDLE_CAPS, NO_KEY_STORE, SPECIAL_U64, is_rsa};
use crate::input::Input;
use crate::{Checked, Trace, algorithm_names, check_budget};
use std::fmt::Write as _;
use std::sync::{Arc, OnceLock};
use wasmcrypt::secrets::MemoryStore;
use wasmcrypt::{AlgorithmType, CryptoCtx, CryptoError};
use wasmcrypt_wasmtime::WasiCryptoCtx;
use wasmtime::{Config, Engine, Extern, Func, InstancePre, Linker, Module, ModuleExport, Store, Val, ValType};

/// The size of the guest memory (one page, not growable).
pub const MEMORY_SIZE: usize = 65_536;
/// The most operations one input runs.
pub const MAX_OPS: usize = 64;

/// Operation tags (first byte of an operation): below [`WRITE_NAME`], a memory write
/// (`u16` offset, then a byte string); below [`CALL`], an algorithm name written at an offset
/// (name index byte, `u16` offset); from [`CALL`] on, a call (function index byte, then one
/// argument per parameter, see [`Run::i32`] and [`Run::i64`]).
pub const WRITE_NAME: u8 = 0x20;
/// See [`WRITE_NAME`].
pub const CALL: u8 = 0x30;

/// The index into [`algorithm_names`] of a name written by tag `tag` (in `WRITE_NAME..CALL`)
/// and index byte `byte`: the tag's offset from [`WRITE_NAME`] is the high byte, so that 4096
/// names are reachable (taken modulo the number of names).
pub fn name_index(tag: u8, byte: u8) -> usize {
    ((usize::from(tag.saturating_sub(WRITE_NAME)) << 8) | usize::from(byte)) % algorithm_names().len()
}

/// One import: module, name and parameter types.
pub struct Import {
    /// The import module.
    pub module: String,
    /// The function name.
    pub name: String,
    /// The parameter types (i32 or i64); every function returns one i32.
    pub params: Vec<ValType>,
}

/// The engine and the linked module shared by every input.
pub struct Abi {
    engine: Engine,
    pre: InstancePre<WasiCryptoCtx>,
    /// Every import, sorted by module and name; `f<i>` re-exports `imports[i]`.
    pub imports: Vec<Import>,
    /// The export `f<i>` of each import.
    exports: Vec<ModuleExport>,
    memory: ModuleExport,
}

/// The process-wide [`Abi`], built on first use.
pub fn abi() -> &'static Abi {
    static ABI: OnceLock<Abi> = OnceLock::new();
    ABI.get_or_init(|| build().expect("building the wasm_abi module"))
}

fn build() -> wasmtime::Result<Abi> {
    // A small memory needs no 4 GiB reservation and guard: instantiation stays cheap.
    let mut config = Config::new();
    config.memory_reservation(MEMORY_SIZE as u64).memory_guard_size(0).memory_reservation_for_growth(0);
    let engine = Engine::new(&config)?;
    let mut linker = Linker::<WasiCryptoCtx>::new(&engine);
    wasmcrypt_wasmtime::add_to_linker(&mut linker, |c| c)?;
    let mut store = Store::new(&engine, WasiCryptoCtx::new());
    let defined: Vec<(String, String, Extern)> =
        linker.iter(&mut store).map(|(m, n, e)| (m.to_owned(), n.to_owned(), e)).collect();
    let mut imports = Vec::new();
    for (module, name, item) in defined {
        let Extern::Func(f) = item else { continue };
        let params = f.ty(&store).params().collect();
        imports.push(Import { module, name, params });
    }
    imports.sort_by(|a, b| (&a.module, &a.name).cmp(&(&b.module, &b.name)));
    let wat = wat_of(&imports);
    let module = Module::new(&engine, wat::parse_str(&wat)?)?;
    let export = |name: &str| module.get_export_index(name).ok_or_else(|| wasmtime::format_err!("no export {name}"));
    let exports = (0..imports.len()).map(|i| export(&format!("f{i}"))).collect::<wasmtime::Result<_>>()?;
    let memory = export("memory")?;
    let pre = linker.instantiate_pre(&module)?;
    Ok(Abi { engine, pre, imports, exports, memory })
}

/// The text of the module that re-exports every import.
fn wat_of(imports: &[Import]) -> String {
    let mut wat = String::from("(module\n");
    let sig = |params: &[ValType]| {
        let p: Vec<&str> = params.iter().map(|t| if matches!(t, ValType::I64) { "i64" } else { "i32" }).collect();
        format!("(param {}) (result i32)", p.join(" "))
    };
    for (i, f) in imports.iter().enumerate() {
        let _ = writeln!(wat, "  (import \"{}\" \"{}\" (func $i{i} {}))", f.module, f.name, sig(&f.params));
    }
    wat.push_str("  (memory (export \"memory\") 1 1)\n");
    for (i, f) in imports.iter().enumerate() {
        let args: String = (0..f.params.len()).map(|j| format!(" (local.get {j})")).collect();
        let _ = writeln!(wat, "  (func (export \"f{i}\") {} (call $i{i}{args}))", sig(&f.params));
    }
    wat.push(')');
    wat
}

/// The index of the function `name` (in any module).
pub fn function_index(name: &str) -> Option<u8> {
    abi().imports.iter().position(|f| f.name == name).and_then(|i| u8::try_from(i).ok())
}

/// Special `i32` arguments (tag bytes from 0xF0 on).
pub const SPECIAL_I32: [i32; 8] = [
    -1,
    i32::MIN,
    i32::MAX,
    MEMORY_SIZE as i32,
    MEMORY_SIZE as i32 - 1,
    MEMORY_SIZE as i32 - 4,
    MEMORY_SIZE as i32 - 8,
    8,
];

/// The state of one input.
struct Run<'a> {
    input: Input<'a>,
    /// Values written by successful calls through their pointer arguments (handles among
    /// them): arguments pick from them, and the leak check closes them.
    seen: Vec<u32>,
}

impl Run<'_> {
    /// An `i32` argument: below 0x80 the byte itself (handles, lengths, encodings); below 0xC0
    /// a value written by an earlier call; below 0xE0 a `u16` (an address); below 0xF0 a raw
    /// `u32`; above, [`SPECIAL_I32`].
    fn i32(&mut self) -> i32 {
        let b = self.input.u8();
        match b {
            0..0x80 => i32::from(b),
            0x80..0xC0 if self.seen.is_empty() => i32::from(b & 0x7F),
            0x80..0xC0 => self.seen[usize::from(b - 0x80) % self.seen.len()] as i32,
            0xC0..0xE0 => i32::from(self.input.u16()),
            0xE0..0xF0 => self.input.u32() as i32,
            _ => SPECIAL_I32[usize::from(b - 0xF0) % SPECIAL_I32.len()],
        }
    }

    /// An `i64` argument: the byte, or 0xF0 and a raw `u64`, or [`SPECIAL_U64`].
    fn i64(&mut self) -> i64 {
        let b = self.input.u8();
        match b {
            0..0xF0 => i64::from(b),
            0xF0 => self.input.u64() as i64,
            _ => SPECIAL_U64[usize::from(b - 0xF1) % SPECIAL_U64.len()] as i64,
        }
    }
}

/// The guest bytes at (`ptr`, `len`), if in bounds.
fn guest_slice(memory: &[u8], ptr: i32, len: i32) -> Option<&[u8]> {
    let start = ptr as u32 as usize;
    memory.get(start..start.checked_add(len as u32 as usize)?)
}

/// Whether a call would generate an RSA key (too slow to fuzz): a `*generate*` function with a
/// (pointer, length) argument pair naming an RSA algorithm.
fn generates_rsa(name: &str, args: &[Val], memory: &[u8]) -> bool {
    name.contains("generate")
        && args.windows(2).any(|w| match (w[0].i32(), w[1].i32()) {
            (Some(p), Some(l)) => guest_slice(memory, p, l)
                .and_then(|s| std::str::from_utf8(s).ok())
                .is_some_and(|s| is_rsa(AlgorithmType::Signatures, s)),
            _ => false,
        })
}

/// Runs one `wasm_abi` input. Panics on a violated invariant.
pub fn run(data: &[u8]) {
    run_traced(data, false);
}

/// Runs one `wasm_abi` input and returns the calls it made, with their errors.
pub fn trace(data: &[u8]) -> Trace {
    run_traced(data, true)
}

fn run_traced(data: &[u8], traced: bool) -> Trace {
    let mut trace = Trace::new();
    let abi = abi();
    let mut input = Input::new(data);
    let config = input.u8();
    let cap = HANDLE_CAPS[usize::from((config >> 2) & 3)];
    let mut builder = CryptoCtx::builder()
        .max_buffered_bytes(BUDGETS[usize::from(config & 3)])
        .max_handles(cap)
        .max_password_work(crate::api::MAX_PASSWORD_WORK);
    if config & NO_KEY_STORE == 0 {
        builder = builder.key_store(Arc::new(MemoryStore::new().expect("memory store")));
    }
    let mut store = Store::new(&abi.engine, WasiCryptoCtx::from_core(builder.build()));
    let instance = abi.pre.instantiate(&mut store).expect("instantiating the wasm_abi module");
    let Some(Extern::Memory(memory)) = instance.get_module_export(&mut store, &abi.memory) else {
        panic!("memory export")
    };
    let mut funcs: Vec<Option<Func>> = vec![None; abi.imports.len()];
    let mut run = Run { input, seen: Vec::new() };
    let mut lost_handles = false;
    let names = algorithm_names();
    let mut ops = 0;
    while !run.input.is_empty() && ops < MAX_OPS {
        ops += 1;
        let tag = run.input.u8();
        if tag < WRITE_NAME {
            let offset = usize::from(run.input.u16());
            let bytes = run.input.data(&[]);
            let mem = memory.data_mut(&mut store);
            let n = bytes.len().min(MEMORY_SIZE - offset);
            mem[offset..offset + n].copy_from_slice(&bytes[..n]);
            continue;
        }
        if tag < CALL {
            let name = names[name_index(tag, run.input.u8())].as_bytes();
            let offset = usize::from(run.input.u16());
            let mem = memory.data_mut(&mut store);
            let n = name.len().min(MEMORY_SIZE - offset);
            mem[offset..offset + n].copy_from_slice(&name[..n]);
            continue;
        }
        let i = usize::from(run.input.u8()) % abi.imports.len();
        let import = &abi.imports[i];
        let args: Vec<Val> = import
            .params
            .iter()
            .map(|t| if matches!(t, ValType::I64) { Val::I64(run.i64()) } else { Val::I32(run.i32()) })
            .collect();
        if generates_rsa(&import.name, &args, memory.data(&store)) {
            continue;
        }
        let func = match funcs[i] {
            Some(f) => f,
            None => match instance.get_module_export(&mut store, &abi.exports[i]) {
                Some(Extern::Func(f)) => *funcs[i].insert(f),
                _ => panic!("export f{i}"),
            },
        };
        let mut result = [Val::I32(0)];
        if let Err(trap) = func.call(&mut store, &args, &mut result) {
            panic!("{}: trapped: {trap:?}", import.name);
        }
        let errno = result[0].i32().expect("an i32 errno");
        let known = u16::try_from(errno)
            .ok()
            .and_then(|e| if e == 0 { Some(None) } else { CryptoError::from_errno(e).map(Some) });
        match known {
            None => panic!("{}: returned {errno}, not an errno", import.name),
            Some(Some(CryptoError::InternalError)) => panic!("{}: internal_error", import.name),
            Some(error) if traced => trace.push((import.name.clone(), error)),
            _ => {}
        }
        if errno == 0 {
            // `kx_encapsulate` writes two handles: if the guest made their out-pointers overlap,
            // it overwrote one itself and the leak check cannot know it.
            if let [_, Some(a), Some(b)] = args.iter().map(Val::i32).collect::<Vec<_>>()[..] {
                lost_handles |= import.name == "kx_encapsulate" && (a as u32).abs_diff(b as u32) < 4;
            }
            let mem = memory.data(&store);
            for p in args.iter().filter_map(Val::i32) {
                if let Some(b) = guest_slice(mem, p, 4) {
                    run.seen.push(u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
                }
            }
        }
        let core = store.data_mut().core();
        check_budget(core, &import.name);
        assert!(core.open_handles() <= cap, "{}: {} handles open, cap {cap}", import.name, core.open_handles());
    }
    let core = std::mem::take(store.data_mut().core());
    Checked::new(core).close_all_known(&run.seen, !lost_handles);
    trace
}
