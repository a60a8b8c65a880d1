//! States of the [`DigestAlgorithm`]s: one [`Engine`] per state, built by the family's module
//! (`keccak`, `blake`) or here (SHA-3 and Ascon on RustCrypto's `digest` traits, CMAC).

use super::algorithm::{DigestAlgorithm, KeyUse, Output};
use super::tag::TagBytes;
use crate::error::{CryptoError, Result};
use crate::options::SymmetricOptions;
use digest::{Digest, ExtendableOutput, Update, XofReader};

/// The work of one digest state.
pub(crate) trait Engine: Send + Sync {
    /// Absorbs data; `invalid_operation` for a stream that was already squeezed.
    fn absorb(&mut self, data: &[u8]) -> Result<()>;
    /// Squeezes per the algorithm's [`Output`] rule.
    fn squeeze(&mut self, out: &mut [u8]) -> Result<()>;
    /// The tag of everything absorbed so far (`invalid_operation` if there is none).
    fn tag(&self) -> Result<TagBytes>;
    /// An independent copy.
    fn box_clone(&self) -> Box<dyn Engine>;
}

/// A fixed-length hash from RustCrypto's `Digest`: the digest of everything absorbed so far,
/// truncated; the state stays usable.
#[derive(Clone)]
struct FixedDigest<H>(H);

impl<H: Digest + Clone + Send + Sync + 'static> Engine for FixedDigest<H> {
    fn absorb(&mut self, data: &[u8]) -> Result<()> {
        Digest::update(&mut self.0, data);
        Ok(())
    }

    fn squeeze(&mut self, out: &mut [u8]) -> Result<()> {
        let digest = self.0.clone().finalize();
        out.copy_from_slice(digest.get(..out.len()).ok_or(CryptoError::InvalidLength)?);
        Ok(())
    }

    fn tag(&self) -> Result<TagBytes> {
        Err(CryptoError::InvalidOperation)
    }

    fn box_clone(&self) -> Box<dyn Engine> {
        Box::new(self.clone())
    }
}

/// An XOF in one of its two phases.
#[derive(Clone)]
pub(crate) enum Stream<H: ExtendableOutput> {
    /// Absorbing input.
    Absorbing(H),
    /// Squeezing output; no more input.
    Squeezing(H::Reader),
    /// Between the two (only while switching).
    Switching,
}

impl<H> Stream<H>
where
    H: ExtendableOutput + Update,
    H::Reader: XofReader,
{
    /// Absorbs, or `invalid_operation` once squeezing.
    pub(crate) fn absorb(&mut self, data: &[u8]) -> Result<()> {
        match self {
            Self::Absorbing(h) => {
                h.update(data);
                Ok(())
            }
            Self::Squeezing(_) | Self::Switching => Err(CryptoError::InvalidOperation),
        }
    }

    /// Continues the output stream, finishing the input on the first call.
    pub(crate) fn squeeze(&mut self, out: &mut [u8]) -> Result<()> {
        if let Self::Absorbing(_) = self
            && let Self::Absorbing(h) = std::mem::replace(self, Self::Switching)
        {
            *self = Self::Squeezing(h.finalize_xof());
        }
        match self {
            Self::Squeezing(reader) => {
                reader.read(out);
                Ok(())
            }
            Self::Absorbing(_) | Self::Switching => Err(CryptoError::InternalError),
        }
    }
}

/// An XOF from RustCrypto's traits (SHAKE, cSHAKE, KT, Ascon-XOF128).
struct Xof<H: ExtendableOutput>(Stream<H>);

impl<H> Engine for Xof<H>
where
    H: ExtendableOutput + Update + Clone + Send + Sync + 'static,
    H::Reader: XofReader + Clone + Send + Sync,
{
    fn absorb(&mut self, data: &[u8]) -> Result<()> {
        self.0.absorb(data)
    }

    fn squeeze(&mut self, out: &mut [u8]) -> Result<()> {
        self.0.squeeze(out)
    }

    fn tag(&self) -> Result<TagBytes> {
        Err(CryptoError::InvalidOperation)
    }

    fn box_clone(&self) -> Box<dyn Engine> {
        Box::new(Self(self.0.clone()))
    }
}

/// AES-CMAC (RustCrypto `cmac`): tags only.
#[derive(Clone)]
struct Cmac<C: cmac::digest::Mac + Clone>(C);

impl<C: cmac::digest::Mac + Clone + Send + Sync + 'static> Engine for Cmac<C> {
    fn absorb(&mut self, data: &[u8]) -> Result<()> {
        cmac::digest::Mac::update(&mut self.0, data);
        Ok(())
    }

    fn squeeze(&mut self, _out: &mut [u8]) -> Result<()> {
        Err(CryptoError::InvalidOperation)
    }

    fn tag(&self) -> Result<TagBytes> {
        Ok(TagBytes::new(&self.0.clone().finalize().into_bytes()))
    }

    fn box_clone(&self) -> Box<dyn Engine> {
        Box::new(self.clone())
    }
}

fn cmac<C: cmac::digest::Mac + cmac::digest::KeyInit + Clone + Send + Sync + 'static>(
    key: &[u8],
) -> Result<Box<dyn Engine>> {
    let mac = <C as cmac::digest::KeyInit>::new_from_slice(key).map_err(|_| CryptoError::InvalidKey)?;
    Ok(Box::new(Cmac(mac)))
}

fn xof<H>(h: H) -> Box<dyn Engine>
where
    H: ExtendableOutput + Update + Clone + Send + Sync + 'static,
    H::Reader: XofReader + Clone + Send + Sync,
{
    Box::new(Xof(Stream::Absorbing(h)))
}

/// A bound on the heap memory of an engine besides the bytes it copies (the largest, KT256's
/// two Keccak states and buffers, is well below it).
const ENGINE_FOOTPRINT: usize = 2048;

/// A digest state: the algorithm, whether it is keyed, and its engine.
pub(crate) struct DigestState {
    alg: DigestAlgorithm,
    keyed: bool,
    engine: Box<dyn Engine>,
    /// Bytes the engine keeps a copy of (KT's customisation string, kept until the end).
    held: usize,
}

impl DigestState {
    /// Opens a state: `key_required`/`key_not_supported` per the algorithm's [`KeyUse`], and the
    /// option checks of the family (`invalid_length` for a `context` or `salt` value the
    /// algorithm cannot take, `unsupported_option` for an integer option out of its range).
    pub(crate) fn open(alg: DigestAlgorithm, key: Option<&[u8]>, options: &SymmetricOptions) -> Result<Self> {
        match (alg.key_use(), key) {
            (KeyUse::None, Some(_)) => return Err(CryptoError::KeyNotSupported),
            (KeyUse::Required, None) => return Err(CryptoError::KeyRequired),
            (KeyUse::None, None) | (KeyUse::Optional, _) | (KeyUse::Required, Some(_)) => {}
        }
        let context = options.context().unwrap_or(&[]);
        use DigestAlgorithm as D;
        let engine: Box<dyn Engine> = match alg {
            D::Sha3_256 => Box::new(FixedDigest(sha3::Sha3_256::new())),
            D::Sha3_384 => Box::new(FixedDigest(sha3::Sha3_384::new())),
            D::Sha3_512 => Box::new(FixedDigest(sha3::Sha3_512::new())),
            D::AsconHash256 => Box::new(FixedDigest(ascon_hash::AsconHash256::new())),
            D::Shake128 => xof(shake::Shake128::default()),
            D::Shake256 => xof(shake::Shake256::default()),
            D::AsconXof128 => xof(ascon_hash::AsconXof128::default()),
            D::CShake128 => xof(cshake::CShake128::new_with_function_name(&[], context)),
            D::CShake256 => xof(cshake::CShake256::new_with_function_name(&[], context)),
            D::Kt128 => xof(<k12::CustomKt128 as digest::CustomizedInit>::new_customized(context)),
            D::Kt256 => xof(<k12::CustomKt256 as digest::CustomizedInit>::new_customized(context)),
            D::TurboShake128 | D::TurboShake256 => super::keccak::turboshake(alg, options)?,
            D::TupleHash128 | D::TupleHash256 | D::TupleHashXof128 | D::TupleHashXof256 => {
                super::keccak::tuple_hash(alg, context)
            }
            D::Kmac128 | D::Kmac256 => super::keccak::kmac(alg, key.unwrap_or(&[]), context),
            D::Blake2b256 | D::Blake2b512 => super::blake::blake2b(alg, key, options)?,
            D::Blake3 => super::blake::blake3(key, options)?,
            D::Aes128Cmac => cmac::<cmac::Cmac<aes::Aes128>>(key.unwrap_or(&[]))?,
            D::Aes256Cmac => cmac::<cmac::Cmac<aes::Aes256>>(key.unwrap_or(&[]))?,
        };
        let held = if matches!(alg, D::Kt128 | D::Kt256) { context.len() } else { 0 };
        Ok(Self { alg, keyed: key.is_some(), engine, held })
    }

    /// An independent copy.
    pub(crate) fn try_clone(&self) -> Self {
        Self { alg: self.alg, keyed: self.keyed, engine: self.engine.box_clone(), held: self.held }
    }

    /// The heap memory the state holds, charged with its handle.
    pub(crate) fn footprint(&self) -> usize {
        size_of::<Self>() + ENGINE_FOOTPRINT + self.held
    }

    /// `absorb`.
    pub(crate) fn absorb(&mut self, data: &[u8]) -> Result<()> {
        self.engine.absorb(data)
    }

    /// `squeeze`, per the algorithm's [`Output`] rule.
    pub(crate) fn squeeze(&mut self, out: &mut [u8]) -> Result<()> {
        match self.alg.output() {
            Output::None => Err(CryptoError::InvalidOperation),
            Output::Digest(len) if out.len() > len => Err(CryptoError::InvalidLength),
            Output::Digest(_) | Output::Sized | Output::Stream => self.engine.squeeze(out),
        }
    }

    /// Whether `squeeze_key` may draw from the output: streams only.
    pub(crate) fn is_stream(&self) -> bool {
        self.alg.output() == Output::Stream
    }

    /// `squeeze_tag`.
    pub(crate) fn tag(&self) -> Result<TagBytes> {
        self.max_tag_len()?;
        self.engine.tag()
    }

    /// The tag length (`invalid_operation` for states without tags).
    pub(crate) fn max_tag_len(&self) -> Result<usize> {
        self.alg.tag_len(self.keyed).ok_or(CryptoError::InvalidOperation)
    }
}
