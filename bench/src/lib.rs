//! What every benchmark binary shares: positional arguments, the median of a run, milliseconds.

use std::time::Duration;

/// The `n`th command-line argument (1-based) as a number, or `default` when absent or not one.
pub fn arg(n: usize, default: usize) -> usize {
    std::env::args()
        .nth(n)
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// The median sample of a run (the upper one for an even count). Medians, not means: these
/// machines are noisy and one slow sample must not move the figure.
///
/// # Panics
/// On an empty run, which is a broken benchmark.
pub fn median<T: PartialOrd + Copy>(mut v: Vec<T>) -> T {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    v[v.len() / 2]
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_takes_the_middle_sample_whatever_the_order() {
        assert_eq!(median(vec![9, 1, 5]), 5);
        assert_eq!(median(vec![2.5, 0.5, 1.5, 3.5]), 2.5);
        assert_eq!(
            median(vec![
                Duration::from_millis(30),
                Duration::from_millis(10),
                Duration::from_millis(20)
            ]),
            Duration::from_millis(20)
        );
    }
}
