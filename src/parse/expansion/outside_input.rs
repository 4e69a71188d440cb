//! The input of a macro call that no rules expand, read as items where it holds them:
//! `thread_local!`/`lazy_static!` statics, `@marker`-led item lists, items handed over in
//! brace groups.

use proc_macro2::{TokenStream, TokenTree};

/// Whether a macro input declares a static at its top level (`thread_local!`,
/// `lazy_static!`): the inputs [`parse_items_lenient`] reads.
pub(in crate::parse) fn declares_static(tokens: &TokenStream) -> bool {
    tokens
        .clone()
        .into_iter()
        .any(|tt| matches!(&tt, TokenTree::Ident(i) if i == "static"))
}

/// The items of a macro input that is not items but hands items over in brace groups at its
/// top level (ppv-lite86's `dispatch!(m, Mach, { fn refill_wide(…) { … } })`, radium's
/// `if_atomic!(if atomic(8) { impl BitStore for AtomicU8 { … } })`), in order. `None` unless
/// there is such a group and every one parses as items that are neither empty nor verbatim
/// tokens (mockall's `mock! { pub Foo { fn x(&self); } }` hands over no items), and none
/// uses a name given as an argument beside it (`dispatch!`'s `m` and `Mach`, which the macro
/// binds in the function it writes: not followed).
pub(in crate::parse) fn items_in_brace_groups(tokens: &TokenStream) -> Option<Vec<syn::Item>> {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    let arguments: Vec<String> = trees
        .windows(2)
        .filter_map(|w| match w {
            [TokenTree::Ident(name), TokenTree::Punct(p)] if p.as_char() == ',' => {
                Some(name.to_string())
            }
            _ => None,
        })
        .collect();
    let mut items = Vec::new();
    for tt in trees {
        let TokenTree::Group(g) = tt else { continue };
        if g.delimiter() != proc_macro2::Delimiter::Brace {
            continue;
        }
        if names_any(g.stream(), &arguments) {
            return None;
        }
        let file = syn::parse2::<syn::File>(g.stream()).ok()?;
        if file.items.is_empty()
            || file
                .items
                .iter()
                .any(|i| matches!(i, syn::Item::Verbatim(_) | syn::Item::Macro(_)))
        {
            return None;
        }
        items.extend(file.items);
    }
    (!items.is_empty()).then_some(items)
}

/// Whether `tokens` hold one of `names` as an identifier, at any depth.
fn names_any(tokens: TokenStream, names: &[String]) -> bool {
    !names.is_empty()
        && tokens.into_iter().any(|tt| match tt {
            TokenTree::Ident(i) => names.iter().any(|n| i == n),
            TokenTree::Group(g) => names_any(g.stream(), names),
            _ => false,
        })
}

/// A macro input read as items, the last one's `;` allowed to be missing
/// (`thread_local!(static KEY: u8 = 0)`), `static ref` read as `static`
/// (`lazy_static! { static ref MAP: Map = Map::new(); }`) and a leading `@name` marker left
/// out (`quickcheck! { @as_items … }`).
pub(in crate::parse) fn parse_items_lenient(tokens: &TokenStream) -> syn::Result<syn::File> {
    // `quickcheck! { @as_items fn a() {} … }`: an internal rule's marker, then items.
    let mut trees = tokens.clone().into_iter();
    if let (Some(TokenTree::Punct(at)), Some(TokenTree::Ident(_))) = (trees.next(), trees.next())
        && at.as_char() == '@'
        && let Ok(file) = syn::parse2::<syn::File>(trees.collect())
    {
        return Ok(file);
    }
    syn::parse2::<syn::File>(tokens.clone()).or_else(|e| {
        // Both forms declare statics: anything else is not tried again.
        if !declares_static(tokens) {
            return Err(e);
        }
        let mut cleaned = TokenStream::new();
        let mut after_static = false;
        for tt in tokens.clone() {
            let is_static = matches!(&tt, TokenTree::Ident(i) if i == "static");
            if !(after_static && matches!(&tt, TokenTree::Ident(i) if i == "ref")) {
                cleaned.extend([tt]);
            }
            after_static = is_static;
        }
        if let Ok(file) = syn::parse2::<syn::File>(cleaned.clone()) {
            return Ok(file);
        }
        cleaned.extend([TokenTree::Punct(proc_macro2::Punct::new(
            ';',
            proc_macro2::Spacing::Alone,
        ))]);
        syn::parse2::<syn::File>(cleaned).map_err(|_| e)
    })
}
