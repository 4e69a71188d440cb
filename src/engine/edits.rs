//! Edited files whose facts stay the same keep the graph: each edited file is parsed again
//! (a caller of other files' macros also extracted again with the macros the last link gave
//! it) and compared with its old content's cached facts ([`keep_graph`]).

use super::explain::Reason;
use super::loader::Reread;
use super::{Checked, Refresh, write_warning};
use crate::cache::{self, FactsStore, FileEntry, Index, Paths};
use crate::parse::facts::FileFacts;
use crate::source::SourceTree;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::Instant;

/// Where a refresh reads and writes: the cache files, the tool and configuration they must
/// carry, and the workspace's files.
pub(super) struct Where<'a> {
    pub paths: &'a Paths,
    pub tool: &'a str,
    pub config: &'a str,
    pub root: &'a Path,
    pub source: &'a dyn SourceTree,
}

/// The index entries that keep the snapshot's graph after the edits `checked` found, when
/// [`facts_unchanged`] holds: the new contents' outcomes (and re-extractions) are cached and
/// the edited files explained as [`Reason::FactsUnchanged`].
///
/// # Errors
/// Why the graph must be linked again, and the outcomes parsed on the way.
pub(super) fn keep_graph(
    store: &FactsStore,
    index: &Index,
    checked: Checked,
    at: &Where<'_>,
    info: &mut Refresh,
) -> Result<Vec<FileEntry>, (String, Outcomes)> {
    let Checked { files, edited, .. } = checked;
    let why = format!("{} changed", files[edited[0].0].path);
    let paths_edited: HashSet<&str> = edited
        .iter()
        .map(|(i, _)| files[*i].path.as_str())
        .collect();
    let kept = facts_unchanged(store, index, edited, at, info).map_err(|parsed| (why, parsed))?;
    info.parses += kept.outcomes.len();
    info.reextractions += kept.reextractions.len();
    let outcomes = kept.outcomes.iter().map(|(k, o)| store.save_outcome(k, o));
    let reextractions = kept
        .reextractions
        .iter()
        .map(|(k, f)| store.save_reextraction(k, f));
    for e in outcomes.chain(reextractions).filter_map(Result::err) {
        info.warnings.push(write_warning(at.paths, &e));
    }
    for e in info
        .explain
        .iter_mut()
        .filter(|e| paths_edited.contains(e.path.as_str()))
    {
        e.reason = Reason::FactsUnchanged;
    }
    Ok(files)
}

/// More edited files than this (a branch switched, a formatter run) are linked again without
/// comparing their facts first: such a change rarely keeps every file's facts, and the
/// comparison reads each file's old facts for nothing.
pub const MAX_COMPARED_EDITS: usize = 64;

/// Outcomes of parsing new contents: (content hash, outcome).
pub(super) type Outcomes = Vec<(String, cache::Outcome)>;

/// What [`facts_unchanged`] parsed: the edited contents' outcomes, and the re-extractions
/// (key, facts) of those calling other files' macros.
struct Kept {
    outcomes: Outcomes,
    reextractions: Vec<(String, FileFacts)>,
}

/// An edited caller of other files' macros: the view the last link extracted it again
/// with, that view's digest for it, and its old content's re-extraction.
struct Caller<'a> {
    view: &'a HashMap<String, String>,
    /// The crate the last link extracted the file as compiled into.
    calling_crate: Option<&'a str>,
    digest: u128,
    old: FileFacts,
}

/// One edited file to compare: its old entry and facts, the new content.
struct Edited<'a> {
    old: &'a FileEntry,
    old_facts: FileFacts,
    caller: Option<Caller<'a>>,
    read: Reread,
}

/// One edited file compared: its new outcome, its new re-extraction (key, facts) when kept,
/// and whether its facts are its old content's.
struct Compared {
    key: String,
    outcome: cache::Outcome,
    reextraction: Option<(String, FileFacts)>,
    same: bool,
}

/// Whether the edited files' facts are the ones their previous contents had, so that the
/// graph (a function of all files' facts) is the snapshot's: each edited file is parsed again
/// and compared with its previous content's cached facts. A file calling another file's
/// macros is also extracted again with the macros the last link gave it (the macro views
/// written with the graph), and that must equal its previous content's re-extraction. Only
/// files whose previous and new contents both parse qualify. Parsing runs on the parser pool
/// (large stacks).
///
/// # Errors
/// The graph must be linked again; the outcomes parsed on the way (content hash → outcome),
/// for the link to use instead of parsing those contents again.
fn facts_unchanged(
    store: &FactsStore,
    index: &Index,
    edited: Vec<(usize, Reread)>,
    at: &Where<'_>,
    info: &mut Refresh,
) -> Result<Kept, Outcomes> {
    if edited.len() > MAX_COMPARED_EDITS {
        return Err(Vec::new());
    }
    let Some(views) = cache::load_macro_views(at.paths, at.tool, at.config, &index.graph_digest)
    else {
        return Err(Vec::new());
    };
    let mut pending: Vec<Edited<'_>> = Vec::with_capacity(edited.len());
    for (i, read) in edited {
        let old = &index.files[i];
        if !old.parsed || old.last_good.is_some() || read.bytes.is_err() {
            return Err(Vec::new());
        }
        let Some(cache::Outcome::Parsed(old_facts)) = store.outcome(&old.hash) else {
            return Err(Vec::new());
        };
        // A caller of other files' macros: its facts are its re-extraction's.
        let caller = match views.of_file.get(&old.path) {
            Some(&v) => {
                // A view index past the views (a forged file) is a miss, not a panic.
                let Some(view) = views.views.get(v) else {
                    return Err(Vec::new());
                };
                let calling_crate = views.crate_of.get(&old.path).map(String::as_str);
                let digest = crate::parse::macros_key(&old_facts.unexpanded, view, calling_crate);
                let old_hash = u128::from_str_radix(&old.hash, 16).unwrap_or(0);
                let key = cache::facts_store::reextract_key(old_hash, digest);
                let Some(Some(old)) = store.reextraction(&key) else {
                    return Err(Vec::new());
                };
                Some(Caller {
                    view,
                    calling_crate,
                    digest,
                    old,
                })
            }
            None => None,
        };
        pending.push(Edited {
            old,
            old_facts,
            caller,
            read,
        });
    }
    let start = Instant::now();
    let compared: Vec<Compared> = crate::parse::on_parser_pool(|| {
        use rayon::prelude::*;
        pending.into_par_iter().map(|e| compare(e, at)).collect()
    });
    info.timings.parse += start.elapsed();
    let all_same = compared.iter().all(|c| c.same);
    let mut kept = Kept {
        outcomes: Vec::new(),
        reextractions: Vec::new(),
    };
    for c in compared {
        kept.outcomes.push((c.key, c.outcome));
        kept.reextractions.extend(c.reextraction);
    }
    if all_same {
        Ok(kept)
    } else {
        Err(kept.outcomes)
    }
}

/// Parses an edited file's new content (and extracts a caller again, side by side: the
/// re-extraction's digest is the old one's, which holds when the first extractions are
/// equal) and compares with its old facts.
fn compare(e: Edited<'_>, at: &Where<'_>) -> Compared {
    let Edited {
        old,
        old_facts,
        caller,
        read,
    } = e;
    let first = || crate::parse::parse_bytes(read.bytes, &old.path);
    let again = |c: &Caller<'_>| {
        let request = crate::parse::Reextract {
            path: &at.root.join(&old.path),
            rel: &old.path,
            hash: read.hash,
            macros_key: c.digest,
            visible: c.view,
            calling_crate: c.calling_crate,
        };
        crate::parse::reextract_file(at.source, &request).flatten()
    };
    let (new, again) = match &caller {
        Some(c) => {
            let (new, again) = rayon::join(first, || again(c));
            (new, Some(again))
        }
        None => (first(), None),
    };
    let key = read.key;
    let new = match new {
        Ok(new) => new,
        Err(d) => {
            return Compared {
                key,
                outcome: cache::Outcome::Failed(d),
                reextraction: None,
                same: false,
            };
        }
    };
    let same_again = match (&caller, &again) {
        (Some(c), Some(again)) => again.as_ref() == Some(&c.old),
        _ => true,
    };
    let same = new == old_facts && same_again;
    let reextraction = caller
        .zip(again.flatten())
        .filter(|_| same)
        .map(|(c, f)| (cache::facts_store::reextract_key(read.hash, c.digest), f));
    Compared {
        key,
        outcome: cache::Outcome::Parsed(new),
        reextraction,
        same,
    }
}
