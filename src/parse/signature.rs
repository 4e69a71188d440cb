//! Readable signatures: items pretty-printed with prettyplease, attributes and bodies removed.

use syn::{Item, Type};

/// Pretty-prints `item` as a one-item file and trims the trailing newline.
fn unparse(item: Item) -> String {
    let file = syn::File {
        shebang: None,
        frontmatter: None,
        attrs: Vec::new(),
        items: vec![item],
    };
    prettyplease::unparse(&file).trim_end().to_string()
}

/// Removes a trailing empty body `{}` (and the whitespace before it) from rendered text.
fn strip_empty_body(text: String) -> String {
    match text.strip_suffix("{}") {
        Some(head) => head.trim_end().to_string(),
        None => text,
    }
}

/// A function or method signature without its body: `pub fn f<T>(x: T) -> U where …`.
pub fn function(vis: &syn::Visibility, sig: &syn::Signature) -> String {
    let item = syn::ItemFn {
        attrs: Vec::new(),
        vis: vis.clone(),
        modifiers: Default::default(),
        sig: sig.clone(),
        block: Box::new(syn::Block {
            brace_token: Default::default(),
            stmts: Vec::new(),
        }),
    };
    strip_empty_body(unparse(Item::Fn(item)))
}

/// A type as written, pretty-printed: `Vec<Box<dyn Error + Send>>`.
pub fn ty(ty: &Type) -> String {
    let alias = syn::ItemType {
        attrs: Vec::new(),
        vis: syn::Visibility::Inherited,
        modifiers: Default::default(),
        type_token: Default::default(),
        ident: syn::Ident::new("__T", proc_macro2::Span::call_site()),
        generics: Default::default(),
        eq_token: Default::default(),
        ty: Box::new(ty.clone()),
        semi_token: Default::default(),
        where_clause_placement: syn::WhereClausePlacement::Early,
    };
    let text = unparse(Item::Type(alias));
    text.strip_prefix("type __T = ")
        .and_then(|t| t.strip_suffix(';'))
        .map(|t| t.to_string())
        .unwrap_or(text)
}

/// A struct, enum, union or type alias, with fields and variants but without attributes.
pub fn data(item: &Item) -> String {
    let mut item = item.clone();
    match &mut item {
        Item::Struct(s) => {
            s.attrs.clear();
            strip_field_attrs(&mut s.fields);
        }
        Item::Enum(e) => {
            e.attrs.clear();
            for v in &mut e.variants {
                v.attrs.clear();
                strip_field_attrs(&mut v.fields);
            }
        }
        Item::Union(u) => {
            u.attrs.clear();
            for f in &mut u.fields.named {
                f.attrs.clear();
            }
        }
        Item::Type(t) => t.attrs.clear(),
        _ => {}
    }
    unparse(item)
}

fn strip_field_attrs(fields: &mut syn::Fields) {
    for f in fields.iter_mut() {
        f.attrs.clear();
    }
}

/// A trait header with supertraits and where clause, items omitted.
pub fn trait_header(item: &syn::ItemTrait) -> String {
    // Field by field: cloning the whole trait would copy every item's body to drop it.
    let item = syn::ItemTrait {
        attrs: Vec::new(),
        vis: item.vis.clone(),
        modifiers: item.modifiers.clone(),
        unsafety: item.unsafety,
        trait_token: item.trait_token,
        ident: item.ident.clone(),
        generics: item.generics.clone(),
        colon_token: item.colon_token,
        supertraits: item.supertraits.clone(),
        brace_token: item.brace_token,
        items: Vec::new(),
    };
    strip_empty_body(unparse(Item::Trait(item)))
}

/// An impl header: `impl<T: Display> Display for Config<T> where …`.
pub fn impl_header(item: &syn::ItemImpl) -> String {
    // Field by field: cloning the whole impl would copy every method's body to drop it.
    let item = syn::ItemImpl {
        attrs: Vec::new(),
        modifiers: item.modifiers.clone(),
        unsafety: item.unsafety,
        impl_token: item.impl_token,
        generics: item.generics.clone(),
        trait_: item.trait_.clone(),
        self_ty: item.self_ty.clone(),
        brace_token: item.brace_token,
        items: Vec::new(),
    };
    strip_empty_body(unparse(Item::Impl(item)))
}

/// A trait's associated type as rustfmt prints it, on one line, without attributes:
/// `type Future: Future<Output = io::Result<Self::Iter>> + Send + 'static = Ready`.
pub fn assoc_type(item: &syn::TraitItemType) -> String {
    let mut item = item.clone();
    item.attrs.clear();
    let holder = syn::ItemTrait {
        attrs: Vec::new(),
        vis: syn::Visibility::Inherited,
        modifiers: Default::default(),
        unsafety: None,
        trait_token: Default::default(),
        ident: syn::Ident::new("__T", proc_macro2::Span::call_site()),
        generics: Default::default(),
        colon_token: None,
        supertraits: Default::default(),
        brace_token: Default::default(),
        items: vec![syn::TraitItem::Type(item)],
    };
    let text = unparse(Item::Trait(holder));
    let inner = text
        .split_once('{')
        .and_then(|(_, rest)| rest.rsplit_once('}'))
        .map_or(text.as_str(), |(inner, _)| inner);
    inner
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches(';')
        .to_string()
}

/// A const or static: `pub const MAX: u16` (the value is left out).
pub fn value(vis: &syn::Visibility, keyword: &str, name: &str, ty_: &Type) -> String {
    let vis = visibility_prefix(vis);
    format!("{vis}{keyword} {name}: {}", ty(ty_))
}

/// `pub ` / `pub(crate) ` / `` for a visibility.
pub fn visibility_prefix(vis: &syn::Visibility) -> String {
    match vis {
        syn::Visibility::Inherited => String::new(),
        other => format!("{} ", quote::quote!(#other))
            .replace(" (", "(")
            .replace("( ", "(")
            .replace(" :: ", "::")
            .replace(" )", ")"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_function_with_where_clause() {
        let f: syn::ItemFn = syn::parse_quote!(
            pub fn f<T>(x: T) -> Vec<T>
            where
                T: Clone,
            {
                vec![x]
            }
        );
        assert_eq!(
            function(&f.vis, &f.sig),
            "pub fn f<T>(x: T) -> Vec<T>\nwhere\n    T: Clone,"
        );
    }

    #[test]
    fn renders_impl_header_and_types() {
        let i: syn::ItemImpl = syn::parse_quote!(
            impl<T> std::fmt::Display for Config<T> {}
        );
        assert_eq!(impl_header(&i), "impl<T> std::fmt::Display for Config<T>");
        let t: Type = syn::parse_quote!(&'a mut Vec<Box<dyn Error + Send>>);
        assert_eq!(ty(&t), "&'a mut Vec<Box<dyn Error + Send>>");
        let v: syn::Visibility = syn::parse_quote!(pub(crate));
        assert_eq!(visibility_prefix(&v), "pub(crate) ");
        let v: syn::Visibility = syn::parse_quote!(pub(in crate::runtime::time));
        assert_eq!(visibility_prefix(&v), "pub(in crate::runtime::time) ");
        let t: syn::TraitItemType = syn::parse_quote!(
            /// Doc.
            type Future: Future<Output = io::Result<Self::Iter>> + Send + 'static;
        );
        assert_eq!(
            assoc_type(&t),
            "type Future: Future<Output = io::Result<Self::Iter>> + Send + 'static"
        );
    }
}
