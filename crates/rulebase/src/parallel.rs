//! Work split over two threads.
//!
//! The target machine has two cores, and a run's work comes in independent
//! pieces (topic files to parse, topics to evaluate, topics to render), so
//! the pieces are split in two by weight and the second half goes to one
//! scoped thread. Results come back in the pieces' order, so the output is
//! the same whatever the machine: parallelism changes only the time.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Which items go to a second thread so that each thread gets about half
/// of the weight: largest first, each to the lighter side (`true`: the
/// second thread). `already` is weight the first thread carries anyway.
pub fn split_in_two(weights: &[usize], already: usize) -> Vec<bool> {
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(weights[i]));
    let (mut mine, mut theirs) = (already, 0);
    let mut to_worker = vec![false; weights.len()];
    for i in order {
        if theirs <= mine {
            to_worker[i] = true;
            theirs += weights[i];
        } else {
            mine += weights[i];
        }
    }
    to_worker
}

/// How many threads can run at once; asked once (on Linux it reads the
/// cgroup files each time).
pub fn cores() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, std::num::NonZero::get))
}

/// `f` over the items, in their order; on two threads when there are two
/// cores, two items and at least `min_weight` in all, since a thread costs
/// tens to hundreds of microseconds. The threads take the items one at a
/// time, heaviest first, so a piece that turns out slow (a topic whose
/// sensitivity analysis has to try pairs of changes) does not hold up the
/// rest.
pub fn on_two_threads<I: Sync, T: Send>(
    items: &[I],
    weight: impl Fn(&I) -> usize,
    min_weight: usize,
    f: impl Fn(&I) -> T + Sync,
) -> Vec<T> {
    let weights: Vec<usize> = items.iter().map(&weight).collect();
    let total: usize = weights.iter().sum();
    // Cores last: asking costs a dozen system calls (the cgroup files),
    // more than small work takes.
    if items.len() < 2 || total < min_weight || cores() < 2 {
        return items.iter().map(f).collect();
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(weights[i]));
    let next = AtomicUsize::new(0);
    let run = || -> Vec<(usize, T)> {
        let mut done = Vec::new();
        while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
            done.push((i, f(&items[i])));
        }
        done
    };
    let mut all: Vec<(usize, T)> = std::thread::scope(|scope| {
        let handle = scope.spawn(run);
        let mut local = run();
        // A panicking worker would be a bug; redo what it did not return.
        match handle.join() {
            Ok(theirs) => local.extend(theirs),
            Err(_) => {
                let have: Vec<usize> = local.iter().map(|(i, _)| *i).collect();
                let missing = (0..items.len()).filter(|i| !have.contains(i));
                let redone: Vec<(usize, T)> = missing.map(|i| (i, f(&items[i]))).collect();
                local.extend(redone);
            }
        }
        local
    });
    all.sort_by_key(|(i, _)| *i);
    all.into_iter().map(|(_, o)| o).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_items_order() {
        let items: Vec<usize> = (0..50).collect();
        let out = on_two_threads(&items, |i| *i, 0, |i| i * 2);
        assert_eq!(out, items.iter().map(|i| i * 2).collect::<Vec<_>>());
    }

    #[test]
    fn the_split_balances_the_weight() {
        let to_worker = split_in_two(&[5, 4, 3, 3, 1], 0);
        let theirs: usize = [5, 4, 3, 3, 1]
            .iter()
            .zip(&to_worker)
            .filter(|(_, w)| **w)
            .map(|(x, _)| x)
            .sum();
        assert!((7..=9).contains(&theirs), "{theirs} of 16");
    }
}
