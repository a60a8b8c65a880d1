//! libFuzzer entry of the `wasm_abi` target (see `crates/wasmcrypt-fuzz`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| wasmcrypt_fuzz::wasm_abi(data));
