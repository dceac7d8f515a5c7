//! Counter-based random numbers keyed by what is drawn, and truncated normals.
//!
//! Each uncertain value of a Monte Carlo draw gets its random number from a hash of the seed,
//! the draw's index and a *key* made from the ids of what is drawn (an actor's and a
//! candidate's id, never their positions in the file). Reordering actors, candidates or issues
//! in a scenario file therefore changes no draw, and a value's deviate does not depend on how
//! many values were drawn before it. This is the counter-based design of Salmon, Moraes, Dror
//! & Shaw, "Parallel random numbers: as easy as 1, 2, 3" (SC 2011), with the `SplitMix64`
//! finaliser (Steele, Lea & Flood, OOPSLA 2014) as the mixing function.
//!
//! **Invariant:** [`Noise::uniform`] depends only on `(seed, draw, key)`.

/// The `SplitMix64` finaliser: a bijection on `u64` with full avalanche.
pub(crate) fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A stable 64-bit key of a list of names (FNV-1a over the names, each followed by a 0 byte,
/// then mixed).
pub(crate) fn key(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01B3);
        }
    }
    mix(h)
}

/// Combines two keys into one (order matters).
pub(crate) fn combine(a: u64, b: u64) -> u64 {
    mix(a ^ mix(b.rotate_left(17)))
}

/// The random numbers of one Monte Carlo draw.
#[derive(Clone, Copy, Debug)]
pub struct Noise {
    base: u64,
}

impl Noise {
    /// The numbers of draw `draw` under `seed`.
    pub fn new(seed: u64, draw: u64) -> Self {
        Self {
            base: mix(mix(seed) ^ mix(draw.wrapping_add(0x5851_F42D_4C95_7F2D))),
        }
    }

    /// A uniform number in the open interval (0, 1) for `key`.
    pub fn uniform(self, key: u64) -> f64 {
        let bits = mix(self.base ^ key) >> 11;
        (bits as f64 + 0.5) / (1u64 << 53) as f64
    }

    /// A standard normal deviate for `key` (by the inverse distribution function).
    pub fn normal(self, key: u64) -> f64 {
        inverse_normal_cdf(self.uniform(key))
    }
}

/// The complementary error function, with fractional error below 1.2e-7 everywhere
/// (Press et al., *Numerical Recipes*, 3rd ed., section 6.2, Chebyshev fit `erfcc`).
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let r = t
        * (-z * z - 1.265_512_23
            + t * (1.000_023_68
                + t * (0.374_091_96
                    + t * (0.096_784_18
                        + t * (-0.186_288_06
                            + t * (0.278_868_07
                                + t * (-1.135_203_98
                                    + t * (1.488_515_87
                                        + t * (-0.822_152_23 + t * 0.170_872_77)))))))))
            .exp();
    if x >= 0.0 { r } else { 2.0 - r }
}

/// The standard normal distribution function Φ.
pub fn normal_cdf(x: f64) -> f64 {
    0.5 * erfc(-x / std::f64::consts::SQRT_2)
}

/// The standard normal density φ.
pub fn normal_pdf(x: f64) -> f64 {
    (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

/// Φ⁻¹(p) for p in (0, 1), by Acklam's rational approximation (relative error below 1.2e-9).
pub fn inverse_normal_cdf(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    const LOW: f64 = 0.024_25;
    let p = p.clamp(1e-300, 1.0 - 1e-16);
    if p < LOW {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - LOW {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = (-2.0 * (1.0 - p).ln()).sqrt();
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    }
}

/// A normal distribution `N(mean, sd²)` truncated to `[low, high]`, sampled by the inverse
/// distribution function: no value piles up at a bound.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TruncatedNormal {
    mean: f64,
    sd: f64,
    low: f64,
    high: f64,
    cdf_low: f64,
    cdf_high: f64,
}

impl TruncatedNormal {
    /// The distribution; `sd` must be positive and `low < high`.
    pub fn new(mean: f64, sd: f64, low: f64, high: f64) -> Self {
        Self {
            mean,
            sd,
            low,
            high,
            cdf_low: normal_cdf((low - mean) / sd),
            cdf_high: normal_cdf((high - mean) / sd),
        }
    }

    /// The value at the quantile `u` in (0, 1) of the truncated distribution.
    pub fn quantile(&self, u: f64) -> f64 {
        let mass = self.cdf_high - self.cdf_low;
        if mass < 1e-12 {
            // The whole mass lies beyond a bound: the nearest bound is the only value left.
            return self.mean.clamp(self.low, self.high);
        }
        let x = self.mean + self.sd * inverse_normal_cdf(self.cdf_low + u * mass);
        // Rounding can step a hair outside the support; the bound is then the true value.
        x.clamp(self.low, self.high)
    }

    /// The mean of the truncated distribution.
    pub fn mean(&self) -> f64 {
        let (a, b) = (
            (self.low - self.mean) / self.sd,
            (self.high - self.mean) / self.sd,
        );
        self.mean + self.sd * (normal_pdf(a) - normal_pdf(b)) / (self.cdf_high - self.cdf_low)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_inverse_undoes_the_distribution_function() {
        for &x in &[-4.0, -2.5, -1.0, -0.1, 0.0, 0.3, 1.7, 3.2] {
            assert!((inverse_normal_cdf(normal_cdf(x)) - x).abs() < 1e-5, "{x}");
        }
    }

    #[test]
    #[allow(clippy::float_cmp)] // distinct keys give distinct numbers, exactly
    fn uniforms_are_uniform_and_depend_on_the_key() {
        let noise = Noise::new(7, 3);
        let n = 20_000;
        let mean: f64 = (0..n).map(|k| noise.uniform(mix(k))).sum::<f64>() / n as f64;
        assert!((mean - 0.5).abs() < 0.01, "{mean}");
        assert_ne!(noise.uniform(1), noise.uniform(2));
        assert_ne!(Noise::new(7, 4).uniform(1), noise.uniform(1));
    }
}
