//! The macro_rules_attribute crate's `#[apply(m)]` (and `#[macro_rules_attribute::apply(m)]`):
//! an attribute that hands the item it is on to the `macro_rules!` macro `m`. rustls writes
//! its per-provider tests so: `#[macro_rules_attribute::apply(test_for_each_provider)] mod
//! tests { … }` is `test_for_each_provider! { mod tests { … } }`.

use syn::{Attribute, Item};

/// The call an `#[apply(m)]` item stands for: `m! { item }`, the item without that
/// attribute (its other attributes, `#[cfg]` included, go into the call with it). `None`
/// for an item without one, or whose argument is not a path.
pub(super) fn applied_macro(it: &Item) -> Option<syn::ItemMacro> {
    let at = attrs(it)?.iter().position(is_apply)?;
    let macro_path: syn::Path = attrs(it)?[at].parse_args().ok()?;
    let mut item = it.clone();
    attrs_mut(&mut item)?.remove(at);
    Some(syn::ItemMacro {
        attrs: Vec::new(),
        ident: None,
        mac: syn::Macro {
            path: macro_path,
            bang_token: Default::default(),
            delimiter: syn::MacroDelimiter::Brace(Default::default()),
            tokens: quote::ToTokens::into_token_stream(item),
        },
        semi_token: None,
    })
}

/// `#[apply(…)]` or `#[macro_rules_attribute::apply(…)]`.
fn is_apply(a: &Attribute) -> bool {
    let segments: Vec<String> = a
        .path()
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    matches!(
        segments
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice(),
        ["apply"] | ["macro_rules_attribute", "apply"]
    )
}

/// The attributes of the items an `#[apply]` may be on.
fn attrs(item: &Item) -> Option<&[Attribute]> {
    Some(match item {
        Item::Const(i) => &i.attrs,
        Item::Enum(i) => &i.attrs,
        Item::Fn(i) => &i.attrs,
        Item::Impl(i) => &i.attrs,
        Item::Mod(i) => &i.attrs,
        Item::Static(i) => &i.attrs,
        Item::Struct(i) => &i.attrs,
        Item::Trait(i) => &i.attrs,
        Item::Type(i) => &i.attrs,
        Item::Union(i) => &i.attrs,
        Item::Use(i) => &i.attrs,
        _ => return None,
    })
}

/// [`attrs`], to change.
pub(crate) fn attrs_mut(item: &mut Item) -> Option<&mut Vec<Attribute>> {
    Some(match item {
        Item::Const(i) => &mut i.attrs,
        Item::Enum(i) => &mut i.attrs,
        Item::Fn(i) => &mut i.attrs,
        Item::Impl(i) => &mut i.attrs,
        Item::Mod(i) => &mut i.attrs,
        Item::Static(i) => &mut i.attrs,
        Item::Struct(i) => &mut i.attrs,
        Item::Trait(i) => &mut i.attrs,
        Item::Type(i) => &mut i.attrs,
        Item::Union(i) => &mut i.attrs,
        Item::Use(i) => &mut i.attrs,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_applied_item_is_a_call_of_the_macro_without_the_attribute() {
        let item: Item = syn::parse_quote! {
            #[cfg(test)]
            #[macro_rules_attribute::apply(for_each_provider)]
            mod tests { fn t() {} }
        };
        let call = applied_macro(&item).expect("an apply attribute");
        assert!(call.mac.path.is_ident("for_each_provider"));
        let input: Item = syn::parse2(call.mac.tokens).expect("the item");
        let Item::Mod(m) = input else {
            panic!("a module")
        };
        assert_eq!(m.attrs.len(), 1);
        assert!(m.attrs[0].path().is_ident("cfg"));
        let plain: Item = syn::parse_quote!(
            #[derive(Debug)]
            struct S;
        );
        assert!(applied_macro(&plain).is_none());
    }
}
