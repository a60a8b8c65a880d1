//! The linker defines exactly the 78 imports of the six modules, with the de-facto ABI types.

use std::collections::BTreeMap;
use wasmcrypt_wasmtime::WasiCryptoCtx;
use wasmtime::{Engine, Extern, Linker, Store, ValType};

/// (module, function, parameter types: `i` = i32, `I` = i64); every function returns an i32 errno.
const IMPORTS: &[(&str, &[(&str, &str)])] = &[
    (
        "wasi_ephemeral_crypto_common",
        &[
            ("options_open", "ii"),
            ("options_close", "i"),
            ("options_set", "iiiii"),
            ("options_set_u64", "iiiI"),
            ("options_set_guest_buffer", "iiiii"),
            ("array_output_len", "ii"),
            ("array_output_pull", "iiii"),
            ("secrets_manager_open", "ii"),
            ("secrets_manager_close", "i"),
            ("secrets_manager_invalidate", "iiiI"),
        ],
    ),
    (
        "wasi_ephemeral_crypto_asymmetric_common",
        &[
            ("keypair_generate", "iiiii"),
            ("keypair_import", "iiiiiii"),
            ("keypair_generate_managed", "iiiiii"),
            ("keypair_store_managed", "iiii"),
            ("keypair_replace_managed", "iiii"),
            ("keypair_id", "iiiii"),
            ("keypair_from_id", "iiiIi"),
            ("keypair_from_pk_and_sk", "iii"),
            ("keypair_export", "iii"),
            ("keypair_publickey", "ii"),
            ("keypair_secretkey", "ii"),
            ("keypair_close", "i"),
            ("publickey_import", "iiiiiii"),
            ("publickey_export", "iii"),
            ("publickey_verify", "i"),
            ("publickey_from_secretkey", "ii"),
            ("publickey_close", "i"),
            ("secretkey_import", "iiiiiii"),
            ("secretkey_export", "iii"),
            ("secretkey_close", "i"),
        ],
    ),
    (
        "wasi_ephemeral_crypto_signatures",
        &[
            ("signature_export", "iii"),
            ("signature_import", "iiiiii"),
            ("signature_state_open", "ii"),
            ("signature_state_update", "iii"),
            ("signature_state_sign", "ii"),
            ("signature_state_close", "i"),
            ("signature_verification_state_open", "ii"),
            ("signature_verification_state_update", "iii"),
            ("signature_verification_state_verify", "ii"),
            ("signature_verification_state_close", "i"),
            ("signature_close", "i"),
        ],
    ),
    (
        "wasi_ephemeral_crypto_symmetric",
        &[
            ("symmetric_key_generate", "iiii"),
            ("symmetric_key_import", "iiiii"),
            ("symmetric_key_export", "ii"),
            ("symmetric_key_close", "i"),
            ("symmetric_key_generate_managed", "iiiii"),
            ("symmetric_key_store_managed", "iiii"),
            ("symmetric_key_replace_managed", "iiii"),
            ("symmetric_key_id", "iiiii"),
            ("symmetric_key_from_id", "iiiIi"),
            ("symmetric_state_open", "iiiii"),
            ("symmetric_state_options_get", "iiiiii"),
            ("symmetric_state_options_get_u64", "iiii"),
            ("symmetric_state_clone", "ii"),
            ("symmetric_state_close", "i"),
            ("symmetric_state_absorb", "iii"),
            ("symmetric_state_squeeze", "iii"),
            ("symmetric_state_squeeze_tag", "ii"),
            ("symmetric_state_squeeze_key", "iiii"),
            ("symmetric_state_max_tag_len", "ii"),
            ("symmetric_state_encrypt", "iiiiii"),
            ("symmetric_state_encrypt_detached", "iiiiii"),
            ("symmetric_state_decrypt", "iiiiii"),
            ("symmetric_state_decrypt_detached", "iiiiiiii"),
            ("symmetric_state_ratchet", "i"),
            ("symmetric_tag_len", "ii"),
            ("symmetric_tag_pull", "iiii"),
            ("symmetric_tag_verify", "iii"),
            ("symmetric_tag_close", "i"),
        ],
    ),
    ("wasi_ephemeral_crypto_kx", &[("kx_dh", "iii"), ("kx_encapsulate", "iii"), ("kx_decapsulate", "iiii")]),
    (
        "wasi_ephemeral_crypto_external_secrets",
        &[
            ("external_secret_store", "iiiIii"),
            ("external_secret_replace", "iiiIiii"),
            ("external_secret_from_id", "iiiIi"),
            ("external_secret_invalidate", "iiiI"),
            ("external_secret_encapsulate", "iiiIi"),
            ("external_secret_decapsulate", "iiii"),
        ],
    ),
];

#[test]
fn defines_all_78_imports_with_the_de_facto_abi() {
    let engine = Engine::default();
    let mut linker = Linker::<WasiCryptoCtx>::new(&engine);
    wasmcrypt_wasmtime::add_to_linker(&mut linker, |c| c).unwrap();
    let mut store = Store::new(&engine, WasiCryptoCtx::new());
    let mut defined = BTreeMap::new();
    let items: Vec<_> = linker.iter(&mut store).map(|(m, n, e)| (m.to_owned(), n.to_owned(), e)).collect();
    for (module, name, item) in items {
        let Extern::Func(f) = item else { panic!("{module}::{name} is not a function") };
        let ty = f.ty(&store);
        let params: String = ty
            .params()
            .map(|p| match p {
                ValType::I32 => 'i',
                ValType::I64 => 'I',
                other => panic!("{module}::{name}: unexpected parameter type {other:?}"),
            })
            .collect();
        let results: Vec<_> = ty.results().collect();
        assert!(matches!(results.as_slice(), [ValType::I32]), "{module}::{name} must return one i32 errno");
        defined.insert((module, name), params);
    }
    let expected: BTreeMap<_, _> = IMPORTS
        .iter()
        .flat_map(|(m, fs)| fs.iter().map(move |(n, p)| ((m.to_string(), n.to_string()), p.to_string())))
        .collect();
    assert_eq!(expected.len(), 78);
    assert_eq!(defined, expected);
}
