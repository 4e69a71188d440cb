//! Per-file facts: what one source file declares and references, independent of where the
//! file sits in a crate's module tree. The linker ([`crate::graph::build`]) places facts in
//! module trees and resolves their paths.

use crate::graph::{NodeKind, Visibility};
use crate::lint::LintLevel;
use serde::{Deserialize, Serialize};

/// A position inside one file: 1-based line and column, 1-based end line. Serialised as
/// `[line, column, end_line]` (a file's facts hold one per reference).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "(u32, u32, u32)", into = "(u32, u32, u32)")]
pub struct LocalSpan {
    /// 1-based first line.
    pub line: u32,
    /// 1-based column (syn's 0-based column plus one).
    pub column: u32,
    /// 1-based last line.
    pub end_line: u32,
}

impl From<(u32, u32, u32)> for LocalSpan {
    fn from((line, column, end_line): (u32, u32, u32)) -> Self {
        LocalSpan {
            line,
            column,
            end_line,
        }
    }
}

impl From<LocalSpan> for (u32, u32, u32) {
    fn from(s: LocalSpan) -> Self {
        (s.line, s.column, s.end_line)
    }
}

/// The facts of one file: the items of its top-level module.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FileFacts {
    /// The module the file's top level forms.
    pub module: ModuleFacts,
    /// The file's `macro_rules!` definitions as (name, rules as token text), in source order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub macros: Vec<(String, String)>,
    /// Macros called (at item position, inside impl or trait bodies) that the file does not
    /// define, by the name they are looked up by: their defined name (through renaming
    /// `use`s), qualified by a crate when the call names one (`other::m`); they may be
    /// defined in another file of the workspace (see `parse_workspace`). Sorted,
    /// deduplicated.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unexpanded: Vec<String>,
    /// Calls to known `macro_rules!` macros that could not be expanded (no rule matched,
    /// too deep, too large, or the output does not parse); their items are skipped.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub macro_failures: Vec<MacroFailure>,
    /// Where items declared in the bodies of consts and statics are (structs, enums, traits,
    /// type aliases, modules: not indexed; items in a function's or method's body are, in its
    /// block scope).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unindexed_items: Vec<LocalSpan>,
}

/// A macro call that was skipped, with where it is written and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MacroFailure {
    /// The macro's name (last path segment, without `!`).
    pub name: String,
    /// The call site.
    pub span: LocalSpan,
    /// What went wrong, lower case (`no rule matched`, `expansion does not parse: …`).
    pub reason: String,
}

/// The contents of one module (a file's top level or an inline `mod x { … }`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ModuleFacts {
    /// Items in source order (including those found inside item-position macro calls).
    pub items: Vec<ItemFacts>,
    /// `use` declarations, flattened to one entry per imported name or glob.
    pub uses: Vec<UseFacts>,
    /// Lint attributes written inside the module (`#![allow(…)]` at the top of a file).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lints: Vec<LintAttr>,
    /// Item-position `include!("path")` calls with a literal path: the walker places the
    /// named file's items in this module.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub includes: Vec<IncludeFacts>,
    /// The `#[path = "…"]` written on this module when it is inline (`#[path = "d"] mod m {
    /// mod x; }`): the directory its `mod x;` children are looked up in, as written
    /// ([`crate::parse::modules::ModuleLocation::inline`] says relative to what).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dir_attr: Option<String>,
    /// What the item-position calls of macros this tool cannot expand name (their input
    /// read as expressions or tokens, as guesses): references of the module itself.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub macro_refs: Vec<RefFacts>,
    /// The `#![cfg(…)]` written at the top of a module file (num-bigint's `#![cfg(feature =
    /// "serde")]` in `bigint/serde.rs`), `all(…)`-joined when several: the module, and so
    /// every item in it, exists only where it holds. An inline module's inner attributes are
    /// its `mod` item's (syn reads them with the outer ones), so this is for files only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cfg: Option<String>,
}

/// An item-position `include!("path")` with a literal path.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncludeFacts {
    /// The path as written: relative to the directory of the file holding the call (as rustc
    /// reads it), or absolute.
    pub path: String,
    /// The call site.
    pub span: LocalSpan,
}

/// How a module's contents are given.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ModuleBody {
    /// `mod x { … }`
    Inline(ModuleFacts),
    /// The items a function's or method's body declares (`fn run() { struct Local; … }`): a block
    /// scope under the function, named after it (`krate::run::Local`), whose names shadow
    /// the enclosing module's and fall back to them.
    Block(ModuleFacts),
    /// `mod x;` with the `#[path = "…"]` value, if any.
    File {
        /// The `#[path]` attribute's value.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        path_attr: Option<String>,
        /// One of several variants of the declaration chosen by
        /// `#[cfg_attr(pred, path = "…")]`: a variant whose file is missing is a coverage note,
        /// not a missing module (some configuration need not exist).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        conditional: bool,
    },
}

/// One item (or associated item) and what it references.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemFacts {
    /// Item kind (never `External`).
    pub kind: NodeKind,
    /// Name: the identifier, or for impls the rendered header (`impl Display for Config`).
    pub name: String,
    /// Pretty-printed signature.
    pub signature: String,
    /// Declared visibility.
    #[serde(default, skip_serializing_if = "Visibility::is_private")]
    pub visibility: Visibility,
    /// First doc line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    /// cfg predicate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cfg: Option<String>,
    /// Where the item starts (the `impl` keyword for impls, the name's line otherwise is not
    /// used: the span covers the whole item including attributes' following tokens).
    pub span: LocalSpan,
    /// Names of generic parameters the item introduces (they shadow module items).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub generics: Vec<String>,
    /// Trait bounds of the item's type parameters (`<S: Sink>`, `where S: Sink`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bounds: Vec<BoundFacts>,
    /// Paths the item's signature and body name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refs: Vec<RefFacts>,
    /// Associated items (impls and traits).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<ItemFacts>,
    /// Whether a trait item provides a default.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub has_default: bool,
    /// For impls: the trait path (if a trait impl) and the self type's path (if a path type).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impl_of: Option<ImplFacts>,
    /// For traits: supertrait paths.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub supertraits: Vec<PathFacts>,
    /// `#[derive(…)]` paths.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub derives: Vec<PathFacts>,
    /// For modules: the body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub module: Option<Box<ModuleBody>>,
    /// Names bound as tuple/unit struct constructors (value namespace) besides types.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub is_value: bool,
    /// Token fingerprint ([`token_fingerprint`](super::fingerprint::token_fingerprint)) of the
    /// body of an associated item: a method's block, a const's value, a type's definition.
    /// `None` for free items and for trait items without a default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<u64>,
    /// For methods: how `self` is taken; `None` for associated functions without `self`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_param: Option<SelfParam>,
    /// For associated types of impls: the path of the type they are set to
    /// (`type Target = Inner;` → `Inner`), when it is a path type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_path: Option<PathFacts>,
    /// Lint attributes on the item (outer ones, and for inline modules the inner ones).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lints: Vec<LintAttr>,
    /// For items a `macro_rules!` call produced: the macro written at the call site (the
    /// outermost one when expansions nest). Their spans are the call site's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated_by: Option<String>,
    /// During extraction only (always `None` in finished facts): the call site of the
    /// expansion the item came out of; an item that does not start there was written in the
    /// call's input (`cfg_net! { impl … }`) and is not marked generated.
    #[serde(skip)]
    pub expansion_site: Option<LocalSpan>,
    /// For structs and unions: the fields whose types are paths. For enums: the variants'
    /// such fields, named `Variant.field` (`Number.0`, `Struct.name`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldFacts>,
    /// For enums: the variants' names, in order (what `use Enum::*;` brings into scope).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<String>,
    /// For structs and enums: the names of the projection types pin-project generates
    /// ([`pin_projections`](super::item_parts::pin_projections)), which name the item's
    /// fields and variants as the item does.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub projections: Vec<String>,
    /// For functions and methods: the written return type when it is a path type (for
    /// `async fn`, the future's output). For consts and statics: their written type. For
    /// type aliases and an impl's associated types: the type they stand for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returns: Option<TypeFacts>,
    /// For functions and methods: the parameters that take a closure (`f: impl
    /// FnOnce(&mut Rng) -> R`, or `f: F` with `F: Fn(&Item)`), with the types the closure's
    /// own parameters get, so that a closure given there (`with_rng(|r| r.seed(s))`) knows
    /// them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub closure_params: Vec<ClosureParamFacts>,
    /// For functions and methods: the type parameters an input is typed by as a whole
    /// (`value: T` in `fn guard<T, F>(value: T, dropfn: F) -> ScopeGuard<T, F>`), with that
    /// input's position, `self` counted (0-based): a call's argument there gives the
    /// parameter's type in the return type.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub generic_inputs: Vec<(String, u32)>,
    /// A test function: `#[test]`, `#[tokio::test]`, `#[rstest]`, `#[test_case(…)]`, … (any
    /// attribute whose path ends in `test`, `rstest`, `test_case` or `quickcheck`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub is_test: bool,
}

/// A function parameter that takes a closure, and what the closure's parameters are.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosureParamFacts {
    /// The parameter's position among the signature's inputs, `self` counted (0-based): the
    /// argument's position in a path call (`Type::method(x, |a| …)`).
    pub arg: u32,
    /// The closure's parameter types as the `Fn*` bound writes them, in order (an empty
    /// path where one is not a type method lookup follows).
    pub params: Vec<TypeFacts>,
    /// The signature's type parameters that those types name and that an input is typed
    /// by as a whole (`value: T` in `fn guard<T, F: FnMut(&mut T)>(value: T, dropfn: F)`):
    /// the parameter's name and that input's position, `self` counted (0-based).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub typed_by_args: Vec<(String, u32)>,
}

/// How a method takes `self`; decides which of two same-named methods `x.m()` picks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SelfParam {
    /// `self` or `mut self`
    Value,
    /// `&self`
    Ref,
    /// `&mut self`
    RefMut,
    /// `self: Box<Self>`, `self: Pin<&mut Self>`, …
    Typed,
}

/// One lint named in a level attribute.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LintAttr {
    /// The level the attribute sets.
    pub level: LintLevel,
    /// The lint, tool-prefixed as written (`dead_code`, `clippy::unwrap_used`).
    pub lint: String,
    /// The attribute's `reason = "…"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Where the attribute is written (from `#` to `]`).
    pub span: LocalSpan,
    /// For `#[cfg_attr(pred, allow(…))]`: the predicate under which the level applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cfg: Option<String>,
}

/// A path as written, with its span. Segments exclude generic arguments; a leading `::` is
/// kept as an empty first segment.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PathFacts {
    /// Identifier segments (`["crate", "net", "Config"]`).
    pub segments: Vec<String>,
    /// Where the path starts.
    pub span: LocalSpan,
}

/// The header of an impl block.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImplFacts {
    /// The implemented trait, for trait impls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trait_path: Option<PathFacts>,
    /// The self type's path when it is a path type (`Config<T>`, `&Config` → `Config`).
    pub self_path: Option<PathFacts>,
    /// The self type as written, pretty-printed (`Config<T>`, `[u8]`).
    pub self_type: String,
    /// The self type's type arguments (`Conn<Io, B>` → `Io`, `B`), for method lookup.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub self_args: Vec<TypeFacts>,
    /// `impl !Trait for X`
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub negative: bool,
    /// Whether the impl has generic parameters: declared (`impl<'a, T>`) or lifetimes its
    /// header elides (`impl Trait for &str`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub generic: bool,
    /// Whether a type or const parameter is named by the trait only, not by the self type
    /// (`impl<S> FromRequestParts<S> for HeaderMap`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub params_outside_self: bool,
}

/// How a path is used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefKind {
    /// In call position: `f(…)`, `Type::new(…)`; and a bare `Self` as a value (a unit
    /// struct's constructor, as `Self(…)` is a tuple struct's).
    Call,
    /// A type, a bound, a value path not called, a struct literal or pattern.
    Use,
    /// A method call `recv.name(…)`; `segments` holds the method name only.
    MethodCall,
}

/// A written type as far as method lookup needs it: the path (`["Arc"]`,
/// `["crate", "io", "Buffered"]`) and the type arguments (`Arc<Mutex<Inner>>` → `Mutex<Inner>`),
/// looking through references, parentheses and groups. `dyn Trait` and `impl Trait` are the
/// first trait bound's path.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TypeFacts {
    /// Path segments as written.
    pub path: Vec<String>,
    /// Type arguments (lifetimes and consts left out), in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<TypeFacts>,
    /// Written as a reference (`&T`, `&mut T`: `path` and `args` are `T`'s). A method call
    /// on a value that is no reference tries the methods taking `self` by value (a trait's
    /// included) before those taking `&self`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reference: bool,
}

/// The trait bounds written on one type parameter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoundFacts {
    /// The parameter's name.
    pub param: String,
    /// The bounding traits' paths as written, in order (lifetimes left out).
    pub traits: Vec<Vec<String>>,
}

/// One field of a struct or union with its written type; tuple fields are named `0`, `1`, ….
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldFacts {
    /// Field name.
    pub name: String,
    /// Written type, when it is a path type (or a reference to one).
    pub ty: TypeFacts,
}

/// What is known about a method call's receiver without type inference: what the receiver
/// expression starts from and the field accesses and `?`s applied to it, evaluated to a
/// type by the linker from written types (parameters, `let` annotations, fields, return
/// types). Flat: a method call inside the chain is the earlier reference of the same item
/// that records it ([`ReceiverRoot::Returned`]), so an item's facts grow linearly with a
/// chain's length and decode at any length.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Receiver {
    /// Where the chain starts.
    pub root: ReceiverRoot,
    /// What is applied to it, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<ReceiverStep>,
}

/// Where a receiver chain starts.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReceiverRoot {
    /// `self`
    SelfValue,
    /// A binding or expression whose type is written (parameter, typed `let`, struct literal).
    Typed(TypeFacts),
    /// The value a path call returns: `Config::new()`, `make()`, `Wrapper(x)`.
    Call {
        /// The called path as written.
        path: Vec<String>,
        /// The shapes of the arguments that are places (`self`, a local, a field of one),
        /// by position: a type parameter of the callee that an input is typed by is that
        /// argument's type in the return type ([`ItemFacts::generic_inputs`]: hashbrown's
        /// `guard(self, …)` returns a `ScopeGuard` of `self`'s type).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        args: Vec<(u32, Receiver)>,
    },
    /// Parameter `param` of a closure given as argument `arg` (0-based, as
    /// [`ClosureParamFacts::arg`]) to the path call `callee`: `r` in `with_rng(|r|
    /// r.seed(s))` is what the callee's signature gives its closure
    /// ([`ItemFacts::closure_params`]).
    ClosureParam {
        /// The called path as written.
        callee: Vec<String>,
        /// The argument's position.
        arg: u32,
        /// The closure parameter's position.
        param: u32,
        /// The shapes of the call's other arguments that are places (`self`, a local, a
        /// field of one), by position: a closure parameter typed by a type parameter of the
        /// callee takes the type of the argument that parameter types
        /// (`guard(self, |s| s.clear())` with `fn guard<T, F: FnMut(&mut T)>(value: T, f: F)`).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        args: Vec<(u32, Receiver)>,
    },
    /// What the method call recorded as `refs[i]` of the same item returns
    /// (`self.io.read_buf()` in `self.io.read_buf().len()`); always an earlier reference.
    Returned(u32),
    /// A path to a value that is not a local: a const or static (its written type) or a
    /// unit struct (`FLAGS`, `Self::DEFAULT`, `crate::TABLE`); only paths whose last segment
    /// starts with an upper-case letter are taken.
    Value(Vec<String>),
    /// What a pattern binds in field `field` of the struct or enum variant `path` names
    /// (`n` in `Value::Number(n)`: field `0`; `x` in `Point { x, .. }`).
    PatternField {
        /// The struct's or variant's path as written in the pattern.
        path: Vec<String>,
        /// The field's name, or its index for a tuple field.
        field: String,
    },
    /// Anything else.
    Unknown,
}

/// One step applied to a receiver.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReceiverStep {
    /// A field: `.io`, `.0`.
    Field(String),
    /// `?`: the success type of a `Result`/`Option`.
    Try,
    /// One element of a collection iterated by `for` (`for f in FLAGS.iter()`, `for x in
    /// &self.items`): the first type argument of a slice, array, `Vec`, set, deque or
    /// `Option`.
    Element,
    /// One element taken by indexing (`v[i]`, never a range): the first type argument of a
    /// slice, array, `Vec` or deque, the value type of a map.
    Index,
    /// A binary operator applied with the receiver on its left (`(rhs - self).length()`):
    /// the `Output` of the operator's trait (`Add`, `Sub`, `Mul`, `Div`, `Rem`, `BitAnd`,
    /// `BitOr`, `BitXor`, `Shl`, `Shr`) implemented for the left side's type.
    Operator(String),
}

impl Receiver {
    /// A receiver with nothing applied to `root`.
    pub fn of(root: ReceiverRoot) -> Receiver {
        Receiver {
            root,
            steps: Vec::new(),
        }
    }

    /// Nothing known.
    pub fn unknown() -> Receiver {
        Receiver::of(ReceiverRoot::Unknown)
    }

    /// Whether nothing is known (the root is unknown).
    pub fn is_unknown(&self) -> bool {
        self.root == ReceiverRoot::Unknown
    }
}

/// One reference from an item. Stored as a row, the commonest fact of a file (a third of
/// the facts' bytes as objects): `[kind, segments, span]`, then the receiver (or `null`) when
/// there is one or the reference is guessed or under a cfg, then whether it is guessed when
/// it is or is under a cfg, then the cfg predicate; kind `0` call, `1` use, `2` method call,
/// plus `4` for a path written in a function's signature, plus `8` for a name that may be a
/// pattern's binding.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RefFacts {
    /// How the path is used.
    pub kind: RefKind,
    /// The path (for method calls, the method name).
    pub path: PathFacts,
    /// For method calls, what the receiver is.
    pub receiver: Option<Receiver>,
    /// Read from the tokens of a call to a macro this tool cannot expand and does not know
    /// to evaluate its arguments (`quote!`, a proc macro): they may not be code that runs,
    /// so the edge is Medium at most.
    pub guessed: bool,
    /// Written in a function's or method's signature, in a parameter's type or the return
    /// type, outside `impl Trait` and outside an `async fn`'s return type: where rustc
    /// checks paths even after an error in the enclosing impl's header.
    pub signature: bool,
    /// The cfg predicate of the statements, match arms and field values around the
    /// reference in its body (`#[cfg(target_os = "freebsd")] { … }`), `all(…)`-joined when
    /// they nest; a reference written several times is under none when one of them is,
    /// else under `any(…)` of theirs. `None`: under no cfg of its own (the item's applies).
    pub cfg: Option<String>,
    /// A capitalised name alone in a pattern (`match e { EDOOFUS => … }`): a constant, a
    /// unit struct or a unit variant when one is in scope, as rustc reads it, else a new
    /// binding; so when it resolves to nothing it is not an unresolved path.
    pub maybe_binding: bool,
}

impl Serialize for RefFacts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let len = if self.cfg.is_some() {
            6
        } else if self.guessed {
            5
        } else if self.receiver.is_some() {
            4
        } else {
            3
        };
        let mut seq = s.serialize_seq(Some(len))?;
        let kind: u8 = match self.kind {
            RefKind::Call => 0,
            RefKind::Use => 1,
            RefKind::MethodCall => 2,
        } | if self.signature { 4 } else { 0 }
            | if self.maybe_binding { 8 } else { 0 };
        seq.serialize_element(&kind)?;
        seq.serialize_element(&self.path.segments)?;
        seq.serialize_element(&self.path.span)?;
        if len > 3 {
            seq.serialize_element(&self.receiver)?;
        }
        if len > 4 {
            seq.serialize_element(&self.guessed)?;
        }
        if let Some(cfg) = &self.cfg {
            seq.serialize_element(cfg)?;
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for RefFacts {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Row;
        impl<'de> serde::de::Visitor<'de> for Row {
            type Value = RefFacts;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a reference row [kind, segments, span, receiver?, guessed?, cfg?]")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<RefFacts, A::Error> {
                use serde::de::Error;
                let code = a
                    .next_element::<u8>()?
                    .ok_or_else(|| A::Error::invalid_length(0, &self))?;
                let kind = match code & !(4 | 8) {
                    0 => RefKind::Call,
                    1 => RefKind::Use,
                    2 => RefKind::MethodCall,
                    _ => {
                        return Err(A::Error::custom(format!("unknown reference kind {code}")));
                    }
                };
                let segments = a
                    .next_element()?
                    .ok_or_else(|| A::Error::invalid_length(1, &self))?;
                let span = a
                    .next_element()?
                    .ok_or_else(|| A::Error::invalid_length(2, &self))?;
                let receiver = a.next_element::<Option<Receiver>>()?.flatten();
                let guessed = a.next_element::<bool>()?.unwrap_or(false);
                let cfg = a.next_element::<String>()?;
                if a.next_element::<serde::de::IgnoredAny>()?.is_some() {
                    return Err(A::Error::invalid_length(7, &self));
                }
                Ok(RefFacts {
                    kind,
                    path: PathFacts { segments, span },
                    receiver,
                    guessed,
                    signature: code & 4 != 0,
                    cfg,
                    maybe_binding: code & 8 != 0,
                })
            }
        }
        d.deserialize_seq(Row)
    }
}

/// One imported name from a `use` declaration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UseFacts {
    /// Visibility of the `use` (re-exports are `pub use`).
    #[serde(default, skip_serializing_if = "Visibility::is_private")]
    pub visibility: Visibility,
    /// The full imported path (`["crate", "net", "Config"]`, or the glob's module path).
    pub path: Vec<String>,
    /// The local name (alias or last segment); `None` for globs; `"_"` for `as _`.
    pub alias: Option<String>,
    /// `use a::b::*`
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub glob: bool,
    /// Where the `use` path starts.
    pub span: LocalSpan,
    /// cfg predicate on the `use`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cfg: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_read_back_from_their_rows() {
        let path = |s: &str| PathFacts {
            segments: s.split("::").map(String::from).collect(),
            span: LocalSpan::from((3, 5, 3)),
        };
        let refs = vec![
            RefFacts {
                kind: RefKind::Call,
                path: path("crate::net::connect"),
                receiver: None,
                guessed: false,
                signature: false,
                cfg: None,
                maybe_binding: false,
            },
            RefFacts {
                kind: RefKind::MethodCall,
                path: path("flush"),
                receiver: Some(Receiver::of(ReceiverRoot::SelfValue)),
                guessed: false,
                signature: false,
                cfg: None,
                maybe_binding: false,
            },
            RefFacts {
                kind: RefKind::Use,
                path: path("Config"),
                receiver: None,
                guessed: true,
                signature: false,
                cfg: None,
                maybe_binding: false,
            },
            RefFacts {
                kind: RefKind::Use,
                path: path("Self::Service"),
                receiver: None,
                guessed: false,
                signature: true,
                cfg: None,
                maybe_binding: false,
            },
            RefFacts {
                kind: RefKind::Call,
                path: path("aio"),
                receiver: None,
                guessed: false,
                signature: false,
                cfg: Some("target_os = \"freebsd\"".to_string()),
                maybe_binding: false,
            },
        ];
        let text = serde_json::to_string(&refs).unwrap();
        assert_eq!(
            text,
            r#"[[0,["crate","net","connect"],[3,5,3]],[2,["flush"],[3,5,3],{"root":"self_value"}],[1,["Config"],[3,5,3],null,true],[5,["Self","Service"],[3,5,3]],[0,["aio"],[3,5,3],null,false,"target_os = \"freebsd\""]]"#
        );
        assert_eq!(serde_json::from_str::<Vec<RefFacts>>(&text).unwrap(), refs);
        for bad in [
            r#"[7,["x"],[1,1,1]]"#,
            r#"[0,["x"]]"#,
            r#"[0,["x"],[1,1,1],null,true,1]"#,
            r#"[0,["x"],[1,1,1],null,true,"unix",1]"#,
        ] {
            assert!(serde_json::from_str::<RefFacts>(bad).is_err(), "{bad}");
        }
    }
}
