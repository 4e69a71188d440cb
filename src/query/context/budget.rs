//! Cutting a context to its token budget, counted on the Markdown rendering.
//!
//! Greedy by priority: the fixed parts (title, removed entities, radius summary), then the
//! targets in order, their sources, then candidates by score, each while it fits with room
//! kept for the closing note. The whole document is then counted again (tokens of a
//! concatenation may differ from the sum of the parts) and the lowest-ranked pieces are
//! dropped until it fits.

use super::{Context, Entry, Section, Target, Tokenizer, markdown};
use crate::error::{Error, Result};
use std::collections::HashSet;

/// Tokens kept free for the note of what was left out.
const NOTE_ROOM: usize = 80;
/// Stop trying candidates after this many in a row did not fit.
const MAX_MISSES: usize = 64;
/// Entries the note names as next in rank.
const NEXT_SHOWN: usize = 5;

/// Fills `ctx.targets` (from `targets`), their sources and `ctx.entries` (from
/// `candidates`, highest score first) within `ctx.budget.limit` tokens, and records what was
/// left out.
///
/// # Errors
/// Usage error when the budget cannot hold the first target with the fixed parts.
pub(super) fn fit(
    ctx: &mut Context,
    candidates: Vec<Entry>,
    sources: Vec<Option<String>>,
    tok: Tokenizer,
) -> Result<()> {
    let limit = ctx.budget.limit;
    let room = limit.saturating_sub(NOTE_ROOM);
    let all_targets: Vec<Target> = std::mem::take(&mut ctx.targets);
    let mut used = tok.count(&markdown::fixed(ctx));
    let mut left: Vec<(f64, Section, String)> = Vec::new();
    for (mut t, source) in all_targets.into_iter().zip(sources) {
        let cost = tok.count(&markdown::target(&t));
        // The first target may use the note's room: without it there is no context.
        let fits = used + cost <= room || (ctx.targets.is_empty() && used + cost <= limit);
        if !fits {
            if ctx.targets.is_empty() {
                return Err(Error::Usage(format!(
                    "--budget {limit} is too small: the summary and `{}` alone take {} tokens; \
                     raise --budget",
                    t.node.path,
                    used + cost
                )));
            }
            ctx.left_out.targets.push(t.node.path.clone());
            continue;
        }
        used += cost;
        if let Some(src) = source {
            t.source = Some(src);
            let with = tok.count(&markdown::target(&t));
            let extra = with.saturating_sub(cost);
            if used + extra <= room {
                used += extra;
            } else {
                t.source = None;
                ctx.left_out.sources.push(t.node.path.clone());
            }
        }
        ctx.targets.push(t);
    }
    let mut open: HashSet<Section> = HashSet::new();
    let mut misses = 0;
    for mut e in candidates {
        if misses >= MAX_MISSES || used >= room {
            left.push((e.score, e.section, e.node.path));
            continue;
        }
        e.tokens = tok.count(&markdown::entry(&e));
        let overhead = if open.contains(&e.section) {
            0
        } else {
            tok.count(&markdown::section(e.section, ""))
        };
        if used + e.tokens + overhead <= room {
            used += e.tokens + overhead;
            open.insert(e.section);
            misses = 0;
            ctx.entries.push(e);
        } else {
            misses += 1;
            left.push((e.score, e.section, e.node.path));
        }
    }
    ctx.entries.sort_by(|a, b| {
        a.section
            .cmp(&b.section)
            .then_with(|| b.score.total_cmp(&a.score))
            .then_with(|| a.node.path.cmp(&b.node.path))
    });
    loop {
        note(ctx, &left);
        let used = tok.count(&markdown::render(ctx));
        if used <= limit {
            ctx.budget.used = used;
            return Ok(());
        }
        // Drop the lowest-ranked entry, else a source, else the last target.
        let lowest = (0..ctx.entries.len())
            .min_by(|&a, &b| ctx.entries[a].score.total_cmp(&ctx.entries[b].score));
        if let Some(i) = lowest {
            let e = ctx.entries.remove(i);
            left.push((e.score, e.section, e.node.path));
        } else if let Some(t) = ctx.targets.iter_mut().rev().find(|t| t.source.is_some()) {
            t.source = None;
            ctx.left_out.sources.push(t.node.path.clone());
        } else if ctx.targets.len() > 1 {
            let t = ctx.targets.pop().expect("more than one target");
            ctx.left_out.targets.push(t.node.path);
        } else {
            return Err(Error::Usage(format!(
                "--budget {limit} is too small: the summary and the first target take {used} \
                 tokens; raise --budget"
            )));
        }
    }
}

/// Records the left-out entries in `ctx.left_out`: counts per section and the highest
/// ranked few.
fn note(ctx: &mut Context, left: &[(f64, Section, String)]) {
    ctx.left_out.entries.clear();
    for (_, section, _) in left {
        *ctx.left_out.entries.entry(*section).or_default() += 1;
    }
    let mut ranked: Vec<&(f64, Section, String)> = left.iter().collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.2.cmp(&b.2)));
    ctx.left_out.next = ranked
        .into_iter()
        .take(NEXT_SHOWN)
        .map(|(_, _, p)| p.clone())
        .collect();
}
