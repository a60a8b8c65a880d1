//! A `WasiCryptoCtx` always works on the memory of the instance that calls it, even when it is
//! shared by two instances of one store in turn or moved to another store.

use wasmcrypt_wasmtime::WasiCryptoCtx;
use wasmtime::{Engine, Instance, Linker, Module, Store, TypedFunc};

/// A section: id, then its length (under 128 bytes here) and contents.
fn section(id: u8, contents: &[u8]) -> Vec<u8> {
    assert!(contents.len() < 128);
    let mut s = vec![id, contents.len() as u8];
    s.extend_from_slice(contents);
    s
}

/// A name: its length (under 128) and bytes.
fn name(text: &str) -> Vec<u8> {
    let mut n = vec![text.len() as u8];
    n.extend_from_slice(text.as_bytes());
    n
}

/// A module that imports `options_open(alg_type, out) -> errno` and exports
/// `open(out) -> errno`, which calls it with the symmetric algorithm type, and, if
/// `memory_export` is given, its one-page memory under that name.
fn options_open_module(memory_export: Option<&str>) -> Vec<u8> {
    let mut m = b"\0asm\x01\0\0\0".to_vec();
    // Types: 0 = (i32, i32) -> i32, 1 = (i32) -> i32.
    m.extend(section(1, &[2, 0x60, 2, 0x7f, 0x7f, 1, 0x7f, 0x60, 1, 0x7f, 1, 0x7f]));
    let mut import = vec![1];
    import.extend(name("wasi_ephemeral_crypto_common"));
    import.extend(name("options_open"));
    import.extend([0, 0]);
    m.extend(section(2, &import));
    m.extend(section(3, &[1, 1]));
    m.extend(section(5, &[1, 0, 1]));
    let mut exports = vec![1];
    exports.extend(name("open"));
    exports.extend([0, 1]);
    if let Some(memory) = memory_export {
        exports[0] = 2;
        exports.extend(name(memory));
        exports.extend([2, 0]);
    }
    m.extend(section(7, &exports));
    // open: i32.const 1, local.get 0, call 0, end.
    m.extend(section(10, &[1, 8, 0, 0x41, 1, 0x20, 0, 0x10, 0, 0x0b]));
    m
}

const OUT: usize = 100;
const SENTINEL: [u8; 4] = [0xde, 0xad, 0xbe, 0xef];

struct Host {
    crypto: WasiCryptoCtx,
}

fn linker(engine: &Engine) -> Linker<Host> {
    let mut linker = Linker::new(engine);
    wasmcrypt_wasmtime::add_to_linker(&mut linker, |h: &mut Host| &mut h.crypto).unwrap();
    linker
}

/// Instantiates `module` and puts the sentinel at its out-pointer.
fn instantiate(linker: &Linker<Host>, store: &mut Store<Host>, module: &Module) -> (Instance, TypedFunc<i32, i32>) {
    let instance = linker.instantiate(&mut *store, module).unwrap();
    if let Some(memory) = instance.get_memory(&mut *store, "memory") {
        memory.data_mut(&mut *store)[OUT..OUT + 4].copy_from_slice(&SENTINEL);
    }
    let open = instance.get_typed_func(&mut *store, "open").unwrap();
    (instance, open)
}

/// The 4 bytes at the out-pointer of `instance`'s memory.
fn out(store: &mut Store<Host>, instance: Instance) -> [u8; 4] {
    let memory = instance.get_memory(&mut *store, "memory").unwrap();
    memory.data(&*store)[OUT..OUT + 4].try_into().unwrap()
}

#[test]
fn two_instances_of_one_store_take_turns_on_one_context() {
    let engine = Engine::default();
    let module = Module::new(&engine, options_open_module(Some("memory"))).unwrap();
    let linker = linker(&engine);
    let mut store = Store::new(&engine, Host { crypto: WasiCryptoCtx::new() });
    let (a, open_a) = instantiate(&linker, &mut store, &module);
    let (b, open_b) = instantiate(&linker, &mut store, &module);
    let mut written = Vec::new();
    for (round, (instance, open, other)) in [(a, &open_a, b), (b, &open_b, a), (a, &open_a, b)].into_iter().enumerate()
    {
        let before = out(&mut store, other);
        assert_eq!(open.call(&mut store, OUT as i32).unwrap(), 0, "round {round}");
        let handle = out(&mut store, instance);
        assert_ne!(handle, SENTINEL, "round {round}: the caller's memory was not written");
        assert_eq!(out(&mut store, other), before, "round {round}: the other instance's memory was written");
        written.push(handle);
    }
    // Three distinct handles, all open in the one shared context.
    assert!(written[0] != written[1] && written[1] != written[2] && written[0] != written[2], "{written:?}");
    assert_eq!(store.data_mut().crypto.core().open_handles(), 3);
}

#[test]
fn a_context_moved_to_another_store_uses_the_new_callers_memory() {
    let engine = Engine::default();
    let module = Module::new(&engine, options_open_module(Some("memory"))).unwrap();
    let linker = linker(&engine);
    let mut first = Store::new(&engine, Host { crypto: WasiCryptoCtx::new() });
    let (a, open_a) = instantiate(&linker, &mut first, &module);
    assert_eq!(open_a.call(&mut first, OUT as i32).unwrap(), 0);
    assert_ne!(out(&mut first, a), SENTINEL);

    let crypto = std::mem::take(&mut first.data_mut().crypto);
    let mut second = Store::new(&engine, Host { crypto });
    let (b, open_b) = instantiate(&linker, &mut second, &module);
    assert_eq!(open_b.call(&mut second, OUT as i32).unwrap(), 0);
    assert_ne!(out(&mut second, b), SENTINEL);
    assert_eq!(second.data_mut().crypto.core().open_handles(), 2);
}

#[test]
fn a_module_without_a_memory_export_gets_guest_error() {
    const GUEST_ERROR: i32 = 1;
    let engine = Engine::default();
    let linker = linker(&engine);
    let mut store = Store::new(&engine, Host { crypto: WasiCryptoCtx::new() });
    let with = Module::new(&engine, options_open_module(Some("memory"))).unwrap();
    let without = Module::new(&engine, options_open_module(Some("mem"))).unwrap();
    // The context has served a module with a `memory` export; one without still gets nothing.
    let (a, open_a) = instantiate(&linker, &mut store, &with);
    assert_eq!(open_a.call(&mut store, OUT as i32).unwrap(), 0);
    let before = out(&mut store, a);
    let (c, open_c) = instantiate(&linker, &mut store, &without);
    assert_eq!(open_c.call(&mut store, OUT as i32).unwrap(), GUEST_ERROR);
    let unexported = c.get_memory(&mut store, "mem").unwrap();
    assert_eq!(unexported.data(&store)[OUT..OUT + 4], [0; 4]);
    assert_eq!(out(&mut store, a), before);
    assert_eq!(store.data_mut().crypto.core().open_handles(), 1);
    let (_, open_none) = instantiate(&linker, &mut store, &Module::new(&engine, options_open_module(None)).unwrap());
    assert_eq!(open_none.call(&mut store, OUT as i32).unwrap(), GUEST_ERROR);
}

#[test]
fn a_context_made_for_one_module_serves_instances_of_it_and_of_others() {
    let engine = Engine::default();
    let module = Module::new(&engine, options_open_module(Some("memory"))).unwrap();
    // The same bytes compiled again: another module, whose export indices the context does not know.
    let other = Module::new(&engine, options_open_module(Some("memory"))).unwrap();
    let linker = linker(&engine);
    let mut store = Store::new(&engine, Host { crypto: WasiCryptoCtx::new().with_module(&module) });
    let (a, open_a) = instantiate(&linker, &mut store, &module);
    let (b, open_b) = instantiate(&linker, &mut store, &module);
    let (c, open_c) = instantiate(&linker, &mut store, &other);
    let instances = [a, b, c];
    for (caller, open) in [(0, &open_a), (1, &open_b), (2, &open_c), (0, &open_a)] {
        let before = instances.map(|i| out(&mut store, i));
        assert_eq!(open.call(&mut store, OUT as i32).unwrap(), 0);
        let after = instances.map(|i| out(&mut store, i));
        let changed: Vec<usize> = (0..3).filter(|&i| before[i] != after[i]).collect();
        assert_eq!(changed, [caller], "only the caller's memory is written");
    }
    assert_eq!(store.data_mut().crypto.core().open_handles(), 4);
}
