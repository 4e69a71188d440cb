//! The matcher's second try, for a rule the greedy matcher rejected: every position where a
//! repetition may end is kept, as rustc's matcher runs all the positions of its automaton at
//! once. minijinja's `$(fn $f:ident(&self $(, $p:ident: $t:ty $(,)?)*) …;)*` needs it: the
//! optional comma of one round is the comma that starts the next.
//!
//! Fragments are parsed once, as in the greedy matcher. At most [`MAX_STATES`] positions are
//! followed at a time; past that the rule does not match (as before this try).

use super::{Binding, Matcher, leaf, match_fragment, same_token, starts_with_seq, var_names};
use proc_macro2::TokenTree;
use std::collections::{HashMap, HashSet};

/// Most positions followed at once.
const MAX_STATES: usize = 64;

/// A way the matcher got this far: the next input position and what it bound.
#[derive(Clone)]
struct State {
    pos: usize,
    bindings: HashMap<String, Binding>,
}

/// The bindings of the first way `pattern` matches all of `input`; `None` when none does or
/// the ways to follow exceed [`MAX_STATES`].
pub(super) fn match_all(
    pattern: &[Matcher],
    input: &[TokenTree],
) -> Option<HashMap<String, Binding>> {
    let start = State {
        pos: 0,
        bindings: HashMap::new(),
    };
    seq(pattern, input, vec![start])?
        .into_iter()
        .find(|s| s.pos == input.len())
        .map(|s| s.bindings)
}

/// The ways `pattern` continues each of `states` (positions in `input`); one per end
/// position, the first found kept. `None` past [`MAX_STATES`].
fn seq(pattern: &[Matcher], input: &[TokenTree], mut states: Vec<State>) -> Option<Vec<State>> {
    for m in pattern {
        let mut next = Vec::new();
        for s in states {
            step(m, input, s, &mut next)?;
        }
        let mut seen = HashSet::new();
        next.retain(|s| seen.insert(s.pos));
        if next.len() > MAX_STATES {
            return None;
        }
        if next.is_empty() {
            return Some(next);
        }
        states = next;
    }
    Some(states)
}

/// The ways matcher `m` continues `s`, added to `out`.
fn step(m: &Matcher, input: &[TokenTree], s: State, out: &mut Vec<State>) -> Option<()> {
    match m {
        Matcher::Token(t) => {
            if input.get(s.pos).is_some_and(|i| same_token(t, i)) {
                out.push(State {
                    pos: s.pos + 1,
                    bindings: s.bindings,
                });
            }
        }
        Matcher::Group(d, inner) => {
            let Some(TokenTree::Group(g)) = input.get(s.pos) else {
                return Some(());
            };
            if g.delimiter() != *d {
                return Some(());
            }
            let trees: Vec<TokenTree> = g.stream().into_iter().collect();
            let start = State {
                pos: 0,
                bindings: s.bindings,
            };
            if let Some(end) = seq(inner, &trees, vec![start])?
                .into_iter()
                .find(|e| e.pos == trees.len())
            {
                out.push(State {
                    pos: s.pos + 1,
                    bindings: end.bindings,
                });
            }
        }
        Matcher::Var(name, frag) => {
            if let Some(used) = match_fragment(frag, &input[s.pos..]) {
                let mut bindings = s.bindings;
                bindings.insert(name.clone(), leaf(frag, &input[s.pos..s.pos + used]));
                out.push(State {
                    pos: s.pos + used,
                    bindings,
                });
            }
        }
        Matcher::Repeat(inner, sep, op) => {
            let names = var_names(inner);
            let finish = |pos: usize, rounds: &[HashMap<String, Binding>]| {
                let mut bindings = s.bindings.clone();
                for name in &names {
                    bindings.insert(name.clone(), Binding::Seq(rounds.to_vec()));
                }
                State { pos, bindings }
            };
            // Each way to end after one more round, breadth first; the most rounds first.
            let mut ends = Vec::new();
            if *op != '+' {
                ends.push(finish(s.pos, &[]));
            }
            let mut frontier: Vec<(usize, Vec<HashMap<String, Binding>>)> =
                vec![(s.pos, Vec::new())];
            let mut reached = HashSet::from([s.pos]);
            while !frontier.is_empty() {
                let mut later = Vec::new();
                for (pos, rounds) in frontier {
                    if *op == '?' && !rounds.is_empty() {
                        continue;
                    }
                    let mut at = pos;
                    if !rounds.is_empty() && !sep.is_empty() {
                        if !starts_with_seq(&input[pos..], sep) {
                            continue;
                        }
                        at += sep.len();
                    }
                    let round = State {
                        pos: at,
                        bindings: HashMap::new(),
                    };
                    for e in seq(inner, input, vec![round])? {
                        if !reached.insert(e.pos) {
                            continue;
                        }
                        let mut more = rounds.clone();
                        more.push(e.bindings);
                        ends.push(finish(e.pos, &more));
                        later.push((e.pos, more));
                    }
                    if ends.len() > MAX_STATES {
                        return None;
                    }
                }
                frontier = later;
            }
            out.extend(ends.into_iter().rev());
        }
    }
    Some(())
}
