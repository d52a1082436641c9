//! Finding the bytes of a small class in a text, sixteen bytes at a time.
//!
//! Nearly all of a report is three-byte Han characters, so scans that look for a few
//! ASCII or lead bytes (digits, sentence ends) spend their time on bytes that are none
//! of them. [`positions`] tests sixteen bytes with vector compares (SSE2 on x86-64,
//! where the portable loop does not vectorise well; that loop elsewhere) and yields
//! only the flagged ones.

/// Bytes tested at once.
const CHUNK: usize = 16;

/// A class of bytes: some exact values, and optionally the ASCII digits. Constants,
/// so each class gets its own scan loop with the compares unrolled.
pub trait ByteSet {
    /// The exact values. NUL must not be one: it pads the last chunk.
    const BYTES: &'static [u8];
    /// Whether `0`..=`9` belong too.
    const DIGITS: bool;

    /// Whether `b` is in the class.
    fn contains(b: u8) -> bool {
        (Self::DIGITS && b.is_ascii_digit()) || Self::BYTES.contains(&b)
    }
}

/// Bit j set when byte j of `chunk` is in the class `S`.
#[cfg(target_arch = "x86_64")]
#[inline]
fn flags<S: ByteSet>(chunk: &[u8; CHUNK]) -> u16 {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8, _mm_setzero_si128, _mm_sub_epi8,
    };
    // SAFETY: SSE2 is part of every x86-64 CPU (the baseline target enables it),
    // and the unaligned load reads exactly the 16 bytes `chunk` holds.
    let mask = unsafe {
        let v = _mm_loadu_si128(chunk.as_ptr().cast::<__m128i>());
        let mut hit = _mm_setzero_si128();
        if S::DIGITS {
            // b - '0' ≤ 9 unsigned: min(d, 9) == d.
            let d = _mm_sub_epi8(v, _mm_set1_epi8(b'0' as i8));
            hit = _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d);
        }
        for &b in S::BYTES {
            hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8)));
        }
        _mm_movemask_epi8(hit)
    };
    mask as u16
}

/// The portable form of the x86-64 `flags`.
#[cfg(not(target_arch = "x86_64"))]
#[inline]
fn flags<S: ByteSet>(chunk: &[u8; CHUNK]) -> u16 {
    let mut mask = 0u16;
    for (j, &b) in chunk.iter().enumerate() {
        mask |= u16::from(S::contains(b)) << j;
    }
    mask
}

/// The offsets of the bytes of class `S` in `bytes` from `from` on, in order.
pub fn positions<S: ByteSet>(bytes: &[u8], from: usize) -> Positions<'_, S> {
    Positions {
        bytes,
        class: std::marker::PhantomData,
        next: from,
        base: from,
        mask: 0,
    }
}

/// The iterator of [`positions`].
#[derive(Debug, Clone)]
pub struct Positions<'a, S> {
    bytes: &'a [u8],
    class: std::marker::PhantomData<S>,
    /// Start of the next chunk to test.
    next: usize,
    /// Start of the current chunk.
    base: usize,
    /// Flagged bytes of the current chunk not yet yielded (bit j for byte j).
    mask: u16,
}

impl<S: ByteSet> Iterator for Positions<'_, S> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        loop {
            if self.mask != 0 {
                let at = self.base + self.mask.trailing_zeros() as usize;
                self.mask &= self.mask - 1;
                return Some(at);
            }
            let start = self.next;
            let rest = self.bytes.get(start..).filter(|r| !r.is_empty())?;
            self.mask = match rest.first_chunk::<CHUNK>() {
                Some(chunk) => flags::<S>(chunk),
                // The last, shorter chunk, padded with NUL (never in the set).
                None => {
                    let mut chunk = [0u8; CHUNK];
                    chunk[..rest.len()].copy_from_slice(rest);
                    flags::<S>(&chunk)
                }
            };
            self.base = start;
            self.next = start + CHUNK;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Digits;
    impl ByteSet for Digits {
        const BYTES: &'static [u8] = &[];
        const DIGITS: bool = true;
    }
    struct DigitsAnd;
    impl ByteSet for DigitsAnd {
        const BYTES: &'static [u8] = &[0xB4, 0xBC];
        const DIGITS: bool = true;
    }
    struct Ends;
    impl ByteSet for Ends {
        const BYTES: &'static [u8] = &[0xE3, 0xEF, b'!', b'?', b';', b'\n', b'\r'];
        const DIGITS: bool = false;
    }
    struct Odd;
    impl ByteSet for Odd {
        const BYTES: &'static [u8] = &[0xFF, 0x80, 0x7F, 0x01, b'/', b':'];
        const DIGITS: bool = false;
    }

    fn check<S: ByteSet>(texts: &[Vec<u8>]) {
        for text in texts {
            for from in 0..=text.len() + 1 {
                let got: Vec<usize> = positions::<S>(text, from).collect();
                let want: Vec<usize> = (from..text.len())
                    .filter(|&i| S::contains(text[i]))
                    .collect();
                assert_eq!(got, want, "{text:?} from {from}");
            }
        }
    }

    #[test]
    fn positions_are_the_bytes_of_the_set() {
        // Every byte value, at every offset against the chunks, and texts of every
        // length around the chunk size.
        let all: Vec<u8> = (0..=255u8).chain(0..=255).collect();
        let mut texts: Vec<Vec<u8>> = (0..=2 * CHUNK + 1)
            .map(|n| all.iter().copied().skip(40).take(n).collect())
            .collect();
        texts.push(all);
        texts.push(
            "共收到497件。回复率100%；２０１７年!\r\n"
                .as_bytes()
                .to_vec(),
        );
        check::<Digits>(&texts);
        check::<DigitsAnd>(&texts);
        check::<Ends>(&texts);
        check::<Odd>(&texts);
    }
}
