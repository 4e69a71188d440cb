//! What method lookup knows of std's types: wrappers that reach their argument's methods,
//! collections and what iterating or indexing them gives, methods that give back the
//! receiver's type or its argument, and the inherent methods of slices and `str` that no
//! workspace trait method shadows, and the names of every method std, core and alloc
//! document.

use std::sync::LazyLock;

/// The method names std, core and alloc document, sorted by bytes (from
/// `std_method_names.txt`, which `benches/support/std_method_names.sh` regenerates from the
/// toolchain's rustdoc pages; lines starting with `#` are comments).
static STD_METHOD_NAMES: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut names: Vec<&str> = include_str!("std_method_names.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    names.sort_unstable();
    names
});

/// Whether some type or trait of std, core or alloc has a method named `name` (`len`,
/// `push`, `poll_next`): a call of it on a receiver of unknown type may be std's.
pub(super) fn is_std_method_name(name: &str) -> bool {
    STD_METHOD_NAMES.binary_search(&name).is_ok()
}

/// Wrappers that auto-deref to their first type argument.
pub(super) const DEREF_WRAPPERS: &[&str] = &[
    "Box",
    "Arc",
    "Rc",
    "Pin",
    "Ref",
    "RefMut",
    "MutexGuard",
    "RwLockReadGuard",
    "RwLockWriteGuard",
    "Cow",
    "ManuallyDrop",
];

/// std types whose methods give their first type argument (`lock()`, `borrow()`, `get()`),
/// besides [`DEREF_WRAPPERS`].
pub(super) const INNER_WRAPPERS: &[&str] =
    &["Mutex", "RwLock", "RefCell", "Cell", "OnceCell", "OnceLock"];

/// Inherent methods of std's slices, which a workspace trait's method of the same name
/// never shadows.
pub(super) const SLICE_METHODS: &[&str] = &[
    "len",
    "is_empty",
    "iter",
    "iter_mut",
    "as_ptr",
    "as_mut_ptr",
    "get",
    "get_mut",
    "first",
    "last",
    "to_vec",
    "contains",
    "starts_with",
    "ends_with",
    "split_at",
    "split_at_mut",
    "chunks",
    "chunks_exact",
    "windows",
    "copy_from_slice",
    "clone_from_slice",
    "fill",
    "swap",
    "reverse",
    "sort",
    "sort_unstable",
    "sort_by",
    "sort_by_key",
    "binary_search",
    "concat",
    "join",
    "into_vec",
    "split_first",
    "split_last",
    "as_chunks",
    "repeat",
];

/// Inherent methods of `str`, as [`SLICE_METHODS`] are of slices.
pub(super) const STR_METHODS: &[&str] = &[
    "len",
    "is_empty",
    "as_bytes",
    "as_ptr",
    "chars",
    "char_indices",
    "bytes",
    "lines",
    "split",
    "split_whitespace",
    "trim",
    "trim_start",
    "trim_end",
    "starts_with",
    "ends_with",
    "contains",
    "find",
    "rfind",
    "parse",
    "to_lowercase",
    "to_uppercase",
    "replace",
    "get",
    "split_at",
    "strip_prefix",
    "strip_suffix",
    "repeat",
    "is_char_boundary",
];

/// Types `?` and `unwrap` look into (their first type argument is the success value);
/// a workspace alias named `Result` counts too.
pub(super) const SUCCESS_WRAPPERS: &[&str] = &["Option", "Result", "LockResult", "Poll"];

/// Collections whose first type argument is what iterating them yields (and what the
/// closures of their `map`, `filter`, … take); `[]` is a slice or array
/// ([`crate::parse::item_parts::SLICE`]). A `Result` yields its `Ok` value.
pub(super) const COLLECTIONS: &[&str] = &[
    crate::parse::item_parts::SLICE,
    "Vec",
    "VecDeque",
    "LinkedList",
    "HashSet",
    "BTreeSet",
    "BinaryHeap",
    "Option",
    "Result",
    "SmallVec",
];

/// Collections whose index expression (`v[i]`) gives their first type argument.
pub(super) const INDEXED: &[&str] = &[
    crate::parse::item_parts::SLICE,
    "Vec",
    "VecDeque",
    "SmallVec",
    "ArrayVec",
];

/// Maps whose index expression (`m[&k]`) gives their second type argument, the value.
pub(super) const MAPS: &[&str] = &["HashMap", "BTreeMap", "IndexMap", "FxHashMap"];

/// Methods outside the workspace that give back the receiver's own type (std's), or a value
/// with the receiver's fields under the same names: the projections `pin_project!` and
/// `#[pin_project]` write (`let this = self.project(); this.queue.push(x)`), whose fields are
/// the struct's, pinned or borrowed.
pub(super) const SAME_TYPE: &[&str] = &[
    "clone",
    "to_owned",
    "as_ref",
    "as_mut",
    "by_ref",
    "as_deref",
    "as_deref_mut",
    "project",
    "project_ref",
];

/// std methods that give the first type argument: `cell.borrow()`, `mutex.lock()`.
pub(super) const INNER_TYPE: &[&str] = &[
    "borrow",
    "borrow_mut",
    "lock",
    "read",
    "write",
    "get_mut",
    "get_ref",
    "deref",
    "deref_mut",
    "unwrap",
    "expect",
    "unwrap_or_default",
    "unwrap_or",
    "unwrap_or_else",
    "unwrap_unchecked",
];
