//! libFuzzer entry of the `decoders` target (see `crates/wasmcrypt-fuzz`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| wasmcrypt_fuzz::decoders(data));
