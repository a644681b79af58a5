//! In what order, and how many at a time, test launches start.
//!
//! Why: while servers start, a test run is bound by the processor (interpreters loading their
//! modules). Seven servers started together on a laptop with two cores each get a fraction of a
//! core, so the slowest start (often a Python server, a second alone) is stretched the most and
//! ends the run late. Starting the servers that took longest last time first, and only as many
//! at once as there are cores, ends the run sooner (longest-first scheduling) and keeps each
//! server's measured start, which we compare with Claude's start-up timeout, close to its start
//! on a quiet machine.
//!
//! A start holds a slot until the server's last answer: the shutdown grace that follows is
//! waiting, not work. A server that has not answered within the lease is waiting on something
//! other than the processor (a download, the network, a hang), so its slot goes to the next one;
//! its own timeout is not affected. Servers that are not started here (remote ones, the ones a
//! client holds back, entries with no command) take no slot at all.

use std::sync::Mutex;
use std::time::Duration;
use tokio::sync::OwnedSemaphorePermit;

/// How many servers start at the same time by default: one per core, at least 2 (a hung server
/// must not stall a run until its lease ends), at most 8.
pub fn default_concurrency() -> usize {
    std::thread::available_parallelism()
        .map(usize::from)
        .unwrap_or(2)
        .clamp(2, 8)
}

/// The order in which to start servers whose last start took `expected` (`None`: never timed).
/// Untimed ones come first (they may be the slowest; starting one early costs nothing), then the
/// longest first; ties keep the order of the file.
pub fn start_order(expected: &[Option<Duration>]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..expected.len()).collect();
    // Stable: equal keys keep the file's order.
    order.sort_by_key(|&i| match expected[i] {
        None => (0, Duration::ZERO),
        Some(d) => (1, Duration::MAX - d),
    });
    order
}

/// A start's claim on one of the run's slots, given back once (whichever comes first: the last
/// answer, the lease running out, the end of the probe).
#[derive(Debug, Default)]
pub struct Slot(Mutex<Option<OwnedSemaphorePermit>>);

impl Slot {
    pub fn new(permit: Option<OwnedSemaphorePermit>) -> Slot {
        Slot(Mutex::new(permit))
    }

    /// Let the next server start. Later calls do nothing.
    pub fn release(&self) {
        // A poisoned lock still holds the permit: take it all the same.
        let permit = match self.0.lock() {
            Ok(mut p) => p.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        };
        drop(permit);
    }

    pub fn is_held(&self) -> bool {
        match self.0.lock() {
            Ok(p) => p.is_some(),
            Err(poisoned) => poisoned.into_inner().is_some(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use tokio::sync::Semaphore;

    fn ms(n: u64) -> Option<Duration> {
        Some(Duration::from_millis(n))
    }

    #[test]
    fn the_untimed_come_first_then_the_longest_and_ties_keep_the_file_order() {
        assert_eq!(
            start_order(&[ms(300), None, ms(1200), ms(300), None, ms(40)]),
            [1, 4, 2, 0, 3, 5]
        );
        assert_eq!(start_order(&[]), Vec::<usize>::new());
        assert_eq!(start_order(&[ms(5), ms(5), ms(5)]), [0, 1, 2]);
    }

    #[test]
    fn a_slot_is_given_back_once() {
        let gate = Arc::new(Semaphore::new(1));
        let slot = Slot::new(gate.clone().try_acquire_owned().ok());
        assert!(slot.is_held());
        assert_eq!(gate.available_permits(), 0);
        slot.release();
        slot.release();
        assert!(!slot.is_held());
        assert_eq!(gate.available_permits(), 1, "one permit back, not two");
    }

    #[test]
    fn at_least_two_start_at_once_whatever_the_machine() {
        assert!((2..=8).contains(&default_concurrency()));
    }
}
