//! Names that come from outside the workspace: the std prelude, derivable traits, and the
//! canonical crate (`core`, `alloc`) of std's re-exported modules.

/// Canonical path of a std prelude name (Rust 2021 prelude, with the `core::mem` functions
/// every edition's prelude has held since Rust 1.80), or `None`.
pub fn prelude(name: &str) -> Option<&'static str> {
    Some(match name {
        "Option" | "Some" | "None" => "core::option::Option",
        "Result" | "Ok" | "Err" => "core::result::Result",
        "Vec" => "alloc::vec::Vec",
        "String" => "alloc::string::String",
        "Box" => "alloc::boxed::Box",
        "ToString" => "alloc::string::ToString",
        "ToOwned" => "alloc::borrow::ToOwned",
        "Clone" => "core::clone::Clone",
        "Copy" => "core::marker::Copy",
        "Send" => "core::marker::Send",
        "Sync" => "core::marker::Sync",
        "Sized" => "core::marker::Sized",
        "Unpin" => "core::marker::Unpin",
        "Default" => "core::default::Default",
        "Drop" => "core::ops::Drop",
        "Fn" => "core::ops::Fn",
        "FnMut" => "core::ops::FnMut",
        "FnOnce" => "core::ops::FnOnce",
        "PartialEq" => "core::cmp::PartialEq",
        "Eq" => "core::cmp::Eq",
        "PartialOrd" => "core::cmp::PartialOrd",
        "Ord" => "core::cmp::Ord",
        "AsRef" => "core::convert::AsRef",
        "AsMut" => "core::convert::AsMut",
        "From" => "core::convert::From",
        "Into" => "core::convert::Into",
        "TryFrom" => "core::convert::TryFrom",
        "TryInto" => "core::convert::TryInto",
        "Iterator" => "core::iter::Iterator",
        "IntoIterator" => "core::iter::IntoIterator",
        "DoubleEndedIterator" => "core::iter::DoubleEndedIterator",
        "ExactSizeIterator" => "core::iter::ExactSizeIterator",
        "Extend" => "core::iter::Extend",
        "FromIterator" => "core::iter::FromIterator",
        "drop" => "core::mem::drop",
        "size_of" => "core::mem::size_of",
        "size_of_val" => "core::mem::size_of_val",
        "align_of" => "core::mem::align_of",
        "align_of_val" => "core::mem::align_of_val",
        _ => return None,
    })
}

/// Canonical trait path of a built-in derive (`#[derive(Debug)]` → `core::fmt::Debug`).
pub fn builtin_derive(name: &str) -> Option<&'static str> {
    Some(match name {
        "Debug" => "core::fmt::Debug",
        "Hash" => "core::hash::Hash",
        "Clone" | "Copy" | "Default" | "PartialEq" | "Eq" | "PartialOrd" | "Ord" => {
            return prelude(name);
        }
        _ => return None,
    })
}

/// Primitive type names, which never resolve to a node.
pub fn is_primitive(name: &str) -> bool {
    matches!(
        name,
        "bool"
            | "char"
            | "str"
            | "u8"
            | "u16"
            | "u32"
            | "u64"
            | "u128"
            | "usize"
            | "i8"
            | "i16"
            | "i32"
            | "i64"
            | "i128"
            | "isize"
            | "f16"
            | "f32"
            | "f64"
            | "f128"
    )
}

/// Rewrites `std::fmt::Display` to `core::fmt::Display` (and likewise for the std modules
/// that only re-export `core` or `alloc`), so one trait has one external node.
pub fn canonical(path: &str) -> String {
    const CORE: &[&str] = &[
        "fmt", "error", "hash", "ops", "iter", "convert", "cmp", "clone", "default", "marker",
        "future", "task", "pin", "any", "mem", "ptr", "option", "result", "cell", "char", "num",
    ];
    const ALLOC: &[&str] = &["vec", "string", "boxed", "rc"];
    let Some(rest) = path.strip_prefix("std::") else {
        return path.to_string();
    };
    let module = rest.split("::").next().unwrap_or("");
    if CORE.contains(&module) {
        format!("core::{rest}")
    } else if ALLOC.contains(&module) || rest == "sync::Arc" || rest == "borrow::Cow" {
        format!("alloc::{rest}")
    } else if rest == "borrow::Borrow" || rest == "borrow::BorrowMut" {
        format!("core::{rest}")
    } else {
        path.to_string()
    }
}

/// The public items of std's modules that code often imports with a glob beside another
/// glob (proptest's `use std::sync::mpsc::*; use std::sync::*;`, glam's `use core::ops::*;`
/// beside `use core::arch::wasm32::*;`), by the module's [`canonical`] path (`std::` and
/// `core::` forms); `None` for any other path. From the standard library's documentation
/// (stable items, and the nightly ones code names behind feature gates).
pub fn std_module_items(path: &str) -> Option<&'static [&'static str]> {
    Some(match path {
        "core::ops" => &[
            "Add",
            "AddAssign",
            "AsyncFn",
            "AsyncFnMut",
            "AsyncFnOnce",
            "BitAnd",
            "BitAndAssign",
            "BitOr",
            "BitOrAssign",
            "BitXor",
            "BitXorAssign",
            "Bound",
            "CoerceUnsized",
            "ControlFlow",
            "Coroutine",
            "CoroutineState",
            "Deref",
            "DerefMut",
            "DerefPure",
            "DispatchFromDyn",
            "Div",
            "DivAssign",
            "Drop",
            "Fn",
            "FnMut",
            "FnOnce",
            "FromResidual",
            "Index",
            "IndexMut",
            "Mul",
            "MulAssign",
            "Neg",
            "Not",
            "OneSidedRange",
            "Range",
            "RangeBounds",
            "RangeFrom",
            "RangeFull",
            "RangeInclusive",
            "RangeTo",
            "RangeToInclusive",
            "Rem",
            "RemAssign",
            "Residual",
            "Shl",
            "ShlAssign",
            "Shr",
            "ShrAssign",
            "Sub",
            "SubAssign",
            "Try",
            "Yeet",
        ],
        "std::sync" | "alloc::sync" => &[
            "Arc",
            "Barrier",
            "BarrierWaitResult",
            "Condvar",
            "Exclusive",
            "LazyLock",
            "LockResult",
            "MappedMutexGuard",
            "MappedRwLockReadGuard",
            "MappedRwLockWriteGuard",
            "Mutex",
            "MutexGuard",
            "ONCE_INIT",
            "Once",
            "OnceLock",
            "OnceState",
            "PoisonError",
            "ReentrantLock",
            "ReentrantLockGuard",
            "RwLock",
            "RwLockReadGuard",
            "RwLockWriteGuard",
            "TryLockError",
            "TryLockResult",
            "UniqueArc",
            "WaitTimeoutResult",
            "Weak",
            "atomic",
            "mpmc",
            "mpsc",
            "nonpoison",
            "poison",
        ],
        "std::sync::mpsc" => &[
            "IntoIter",
            "Iter",
            "Receiver",
            "RecvError",
            "RecvTimeoutError",
            "SendError",
            "Sender",
            "SyncSender",
            "TryIter",
            "TryRecvError",
            "TrySendError",
            "channel",
            "sync_channel",
        ],
        "std::sync::atomic" | "core::sync::atomic" => &[
            "ATOMIC_BOOL_INIT",
            "ATOMIC_ISIZE_INIT",
            "ATOMIC_USIZE_INIT",
            "AtomicBool",
            "AtomicI128",
            "AtomicI16",
            "AtomicI32",
            "AtomicI64",
            "AtomicI8",
            "AtomicIsize",
            "AtomicPtr",
            "AtomicU128",
            "AtomicU16",
            "AtomicU32",
            "AtomicU64",
            "AtomicU8",
            "AtomicUsize",
            "Ordering",
            "compiler_fence",
            "fence",
            "spin_loop_hint",
        ],
        "std::collections" => &[
            "BTreeMap",
            "BTreeSet",
            "BinaryHeap",
            "Bound",
            "HashMap",
            "HashSet",
            "LinkedList",
            "TryReserveError",
            "TryReserveErrorKind",
            "VecDeque",
            "binary_heap",
            "btree_map",
            "btree_set",
            "hash_map",
            "hash_set",
            "linked_list",
            "vec_deque",
        ],
        "core::cmp" => &[
            "Eq",
            "Ord",
            "Ordering",
            "PartialEq",
            "PartialOrd",
            "Reverse",
            "max",
            "max_by",
            "max_by_key",
            "min",
            "min_by",
            "min_by_key",
            "minmax",
            "minmax_by",
            "minmax_by_key",
        ],
        "core::hash" => &[
            "BuildHasher",
            "BuildHasherDefault",
            "DefaultHasher",
            "Hash",
            "Hasher",
            "RandomState",
            "SipHasher",
        ],
        _ => return None,
    })
}

/// The variants of std's public enums that code imports with a glob (`use
/// std::cmp::Ordering::*;`), by the enum's [`canonical`] path (`std::sync::atomic::Ordering`
/// also under `core::`); `None` for any other path. From the standard library's
/// documentation (stable variants).
pub fn std_enum_variants(path: &str) -> Option<&'static [&'static str]> {
    Some(match path {
        "core::cmp::Ordering" => &["Less", "Equal", "Greater"],
        "std::sync::atomic::Ordering" | "core::sync::atomic::Ordering" => {
            &["Relaxed", "Release", "Acquire", "AcqRel", "SeqCst"]
        }
        "core::option::Option" => &["None", "Some"],
        "core::result::Result" => &["Ok", "Err"],
        "core::num::FpCategory" => &["Nan", "Infinite", "Zero", "Subnormal", "Normal"],
        "core::num::IntErrorKind" => &[
            "Empty",
            "InvalidDigit",
            "PosOverflow",
            "NegOverflow",
            "Zero",
        ],
        "core::fmt::Alignment" => &["Left", "Right", "Center"],
        "core::ops::Bound" | "std::collections::Bound" => &["Included", "Excluded", "Unbounded"],
        "core::ops::ControlFlow" => &["Continue", "Break"],
        "core::task::Poll" => &["Ready", "Pending"],
        "alloc::borrow::Cow" => &["Borrowed", "Owned"],
        "std::io::SeekFrom" => &["Start", "End", "Current"],
        "std::io::ErrorKind" => &[
            "NotFound",
            "PermissionDenied",
            "ConnectionRefused",
            "ConnectionReset",
            "HostUnreachable",
            "NetworkUnreachable",
            "ConnectionAborted",
            "NotConnected",
            "AddrInUse",
            "AddrNotAvailable",
            "NetworkDown",
            "BrokenPipe",
            "AlreadyExists",
            "WouldBlock",
            "NotADirectory",
            "IsADirectory",
            "DirectoryNotEmpty",
            "ReadOnlyFilesystem",
            "StaleNetworkFileHandle",
            "InvalidInput",
            "InvalidData",
            "TimedOut",
            "WriteZero",
            "StorageFull",
            "NotSeekable",
            "QuotaExceeded",
            "FileTooLarge",
            "ResourceBusy",
            "ExecutableFileBusy",
            "Deadlock",
            "CrossesDevices",
            "TooManyLinks",
            "InvalidFilename",
            "ArgumentListTooLong",
            "Interrupted",
            "Unsupported",
            "UnexpectedEof",
            "OutOfMemory",
            "Other",
        ],
        "std::net::IpAddr"
        | "core::net::IpAddr"
        | "std::net::SocketAddr"
        | "core::net::SocketAddr" => &["V4", "V6"],
        "std::net::Shutdown" => &["Read", "Write", "Both"],
        "std::path::Component" => &["Prefix", "RootDir", "CurDir", "ParentDir", "Normal"],
        "std::env::VarError" => &["NotPresent", "NotUnicode"],
        "std::sync::mpsc::TryRecvError" => &["Empty", "Disconnected"],
        "std::sync::mpsc::RecvTimeoutError" => &["Timeout", "Disconnected"],
        "std::sync::mpsc::TrySendError" => &["Full", "Disconnected"],
        "std::sync::TryLockError" => &["Poisoned", "WouldBlock"],
        "std::collections::hash_map::Entry" | "std::collections::btree_map::Entry" => {
            &["Occupied", "Vacant"]
        }
        "std::backtrace::BacktraceStatus" => &["Unsupported", "Disabled", "Captured"],
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn std_paths_are_canonicalised_to_core_and_alloc() {
        assert_eq!(super::canonical("std::fmt::Display"), "core::fmt::Display");
        assert_eq!(super::canonical("std::sync::Arc"), "alloc::sync::Arc");
        assert_eq!(super::canonical("std::sync::Mutex"), "std::sync::Mutex");
        assert_eq!(super::canonical("std::io::Read"), "std::io::Read");
        assert_eq!(super::canonical("serde::Serialize"), "serde::Serialize");
    }

    #[test]
    fn std_enums_are_found_by_their_canonical_paths() {
        let variants = |p: &str| super::std_enum_variants(&super::canonical(p));
        assert_eq!(
            variants("std::cmp::Ordering"),
            Some(&["Less", "Equal", "Greater"][..])
        );
        assert!(
            variants("std::sync::atomic::Ordering")
                .unwrap()
                .contains(&"SeqCst")
        );
        assert!(
            variants("core::sync::atomic::Ordering")
                .unwrap()
                .contains(&"SeqCst")
        );
        assert_eq!(
            variants("std::borrow::Cow"),
            Some(&["Borrowed", "Owned"][..])
        );
        assert_eq!(variants("std::io"), None);
        assert_eq!(variants("chrono::format::Pad"), None);
    }
}
