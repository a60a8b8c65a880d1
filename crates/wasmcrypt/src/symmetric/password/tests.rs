//! Known answers for the byte-slice cores: RFC 9106 (with secret and associated data), RFC 7914,
//! and cross-checks against the `argon2` and `scrypt` crates.

use super::argon2::{self, Inputs, Isa, Variant};
use super::scrypt;

fn hex(s: &str) -> Vec<u8> {
    hex::decode(s).unwrap()
}

fn argon2_rfc(variant: Variant, isa: Isa) -> Vec<u8> {
    let (password, salt, secret, ad) = ([1u8; 32], [2u8; 16], [3u8; 8], [4u8; 12]);
    let inputs = Inputs {
        variant,
        passes: 3,
        lanes: 4,
        password: &password,
        salt: &salt,
        secret: &secret,
        associated_data: &ad,
    };
    // An odd offset: the scratch memory needs no alignment.
    let mut memory = vec![0u8; 32 * 1024 + 1];
    let mut tag = [0u8; 32];
    argon2::hash_with(isa, &inputs, &mut memory[1..], &mut tag);
    tag.to_vec()
}

/// Every instruction set the CPU runs computes the RFC's tags (the dispatched one, then the
/// lesser ones down to the baseline build).
#[test]
fn rfc9106_vectors() {
    for isa in Isa::available() {
        let expected = [
            (Variant::D, "512b391b6f1162975371d30919734294f868e3be3984f3c1a13a4db9fabe4acb"),
            (Variant::I, "c814d9d1dc7f37aa13f0d77f2494bda1c8de6b016dd388d29952a4c4672b6ce8"),
            (Variant::Id, "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"),
        ];
        for (variant, tag) in expected {
            assert_eq!(argon2_rfc(variant, isa), hex(tag), "{variant:?} with {isa:?}");
        }
    }
}

#[test]
fn instruction_sets_listed_best_first_down_to_the_baseline() {
    let available = Isa::available();
    assert_eq!(format!("{:?}", available[0]), format!("{:?}", Isa::detect()));
    assert!(matches!(available.last(), Some(Isa::Baseline)));
    assert_eq!(available.iter().filter(|isa| matches!(isa, Isa::Baseline)).count(), 1);
}

#[test]
fn argon2_matches_the_argon2_crate() {
    // Memory sizes that are not multiples of 4p, several lanes and passes, tag lengths around the
    // 64-byte boundary of H', and more than 128 blocks per segment (several address blocks).
    let cases: &[(Variant, u32, u32, u32, usize)] = &[
        (Variant::Id, 8, 1, 1, 32),
        (Variant::Id, 37, 2, 3, 4),
        (Variant::I, 1100, 1, 2, 65),
        (Variant::D, 70, 5, 2, 64),
        (Variant::Id, 2050, 3, 1, 100),
        (Variant::I, 64, 2, 1, 129),
    ];
    for &(variant, m, t, p, len) in cases {
        let (password, salt, secret, ad) = (b"correct horse", b"saltsaltsalt", b"pepper", b"context");
        let crate_variant = match variant {
            Variant::D => ::argon2::Algorithm::Argon2d,
            Variant::I => ::argon2::Algorithm::Argon2i,
            Variant::Id => ::argon2::Algorithm::Argon2id,
        };
        let params = ::argon2::Params::new(m, t, p, Some(len)).unwrap();
        let reference =
            ::argon2::Argon2::new_with_secret(secret, crate_variant, ::argon2::Version::V0x13, params).unwrap();
        // The argon2 crate takes the associated data through its params builder.
        let params = ::argon2::ParamsBuilder::new()
            .m_cost(m)
            .t_cost(t)
            .p_cost(p)
            .output_len(len)
            .data(::argon2::AssociatedData::new(ad).unwrap())
            .build()
            .unwrap();
        let reference_ad =
            ::argon2::Argon2::new_with_secret(secret, crate_variant, ::argon2::Version::V0x13, params).unwrap();
        let mut memory = vec![0u8; m as usize * 1024];
        for (reference, associated_data) in [(reference, &b""[..]), (reference_ad, &ad[..])] {
            let mut expected = vec![0u8; len];
            reference.hash_password_into(password, salt, &mut expected).unwrap();
            let inputs = Inputs { variant, passes: t, lanes: p, password, salt, secret, associated_data };
            for isa in Isa::available() {
                let mut tag = vec![0u8; len];
                argon2::hash_with(isa, &inputs, &mut memory, &mut tag);
                let ad_len = associated_data.len();
                assert_eq!(tag, expected, "{variant:?} m={m} t={t} p={p} len={len} ad={ad_len} {isa:?}");
            }
            let mut tag = vec![0u8; len];
            argon2::hash(&inputs, &mut memory, &mut tag);
            assert_eq!(tag, expected, "{variant:?} m={m} t={t} p={p} len={len}, dispatched");
        }
    }
}

fn scrypt_ours(password: &[u8], salt: &[u8], log_n: u32, r: u32, p: u32, len: usize) -> Vec<u8> {
    let mut memory = vec![0u8; scrypt::scratch_len(log_n, r).unwrap() + 3];
    let mut out = vec![0u8; len];
    scrypt::hash(password, salt, log_n, r, p, &mut memory[3..], &mut out);
    out
}

#[test]
fn rfc7914_scrypt_vectors() {
    assert_eq!(
        scrypt_ours(b"", b"", 4, 1, 1, 64),
        hex(
            "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906"
        )
    );
    assert_eq!(
        scrypt_ours(b"password", b"NaCl", 10, 8, 16, 64),
        hex(
            "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"
        )
    );
    assert_eq!(
        scrypt_ours(b"pleaseletmein", b"SodiumChloride", 14, 8, 1, 64),
        hex(
            "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887"
        )
    );
}

#[test]
fn scrypt_matches_the_scrypt_crate() {
    for (log_n, r, p, len) in [(1, 1, 1, 1), (5, 2, 3, 33), (8, 8, 2, 64), (3, 8, 1, 10)] {
        let params = ::scrypt::Params::new(log_n as u8, r, p).unwrap();
        let mut expected = vec![0u8; len];
        ::scrypt::scrypt(b"pw", b"salty", &params, &mut expected).unwrap();
        assert_eq!(scrypt_ours(b"pw", b"salty", log_n, r, p, len), expected, "ln={log_n} r={r} p={p}");
    }
}
