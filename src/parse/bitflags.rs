//! `bitflags!`, the bitflags crate's macro, which many crates (nix, and bitflags' own users)
//! use to declare flag types. It is not a workspace macro, so no rules expand it, and its
//! input (`pub struct Flags: u32 { const A = 1; }`) is not items; it is read the way its
//! documented expansion is written: the struct (`pub struct Flags(u32);`, with the call's
//! attributes, derives included) and an inherent associated const per flag (`pub const A:
//! Self`), each under its own attributes. The methods the macro also generates (`empty`,
//! `contains`, …) and its trait impls are not written: a path to one (`SockFlag::empty()`)
//! reaches the type, as a path to an associated item the graph does not hold does.

use proc_macro2::{Span, TokenStream};
use quote::quote_spanned;
use syn::parse::{ParseStream, Parser};
use syn::{Attribute, Expr, Ident, Item, Token, Type, Visibility, braced};

/// Whether a macro call names `bitflags!` (`bitflags!`, `bitflags::bitflags!`,
/// `::bitflags::bitflags!`).
pub(super) fn is_bitflags(mac: &syn::Macro) -> bool {
    mac.path
        .segments
        .last()
        .is_some_and(|s| s.ident == "bitflags")
}

/// One flags type of a `bitflags!` input: `struct` declares it, `impl` adds flags to a type
/// declared elsewhere (`impl Flags: u32 { … }`).
struct FlagsType {
    attrs: Vec<Attribute>,
    vis: Visibility,
    declares: bool,
    name: Ident,
    bits: Type,
    flags: Vec<(Vec<Attribute>, Ident, Expr)>,
}

/// The items a `bitflags!` call's input stands for (see the module documentation); `None`
/// when the input is not that macro's grammar. The tokens the reading writes are spanned at
/// `site` (the call), a flag's const at the flag's name.
pub(super) fn items(tokens: TokenStream, site: Span) -> Option<Vec<Item>> {
    let types = Parser::parse2(parse_types, tokens).ok()?;
    let mut out = Vec::new();
    for t in types {
        let (attrs, vis, name, bits) = (&t.attrs, &t.vis, &t.name, &t.bits);
        if t.declares {
            let item = quote_spanned! {site=> #(#attrs)* #vis struct #name(#bits); };
            out.push(syn::parse2(item).ok()?);
        }
        let consts = t.flags.iter().map(|(attrs, flag, value)| {
            quote_spanned! {flag.span()=> #(#attrs)* pub const #flag: Self = Self(#value); }
        });
        out.push(syn::parse2(quote_spanned! {site=> impl #name { #(#consts)* } }).ok()?);
    }
    Some(out)
}

/// `(#[attr]* vis struct Name: Bits { flags } | #[attr]* impl Name: Bits { flags })*`.
fn parse_types(input: ParseStream) -> syn::Result<Vec<FlagsType>> {
    let mut out = Vec::new();
    while !input.is_empty() {
        let attrs = input.call(Attribute::parse_outer)?;
        let (vis, declares) = if input.peek(Token![impl]) {
            input.parse::<Token![impl]>()?;
            (Visibility::Inherited, false)
        } else {
            let vis: Visibility = input.parse()?;
            input.parse::<Token![struct]>()?;
            (vis, true)
        };
        let name: Ident = input.parse()?;
        input.parse::<Token![:]>()?;
        let bits: Type = input.parse()?;
        let body;
        braced!(body in input);
        let mut flags = Vec::new();
        while !body.is_empty() {
            let attrs = body.call(Attribute::parse_outer)?;
            body.parse::<Token![const]>()?;
            // `const _ = !0;` (every bit is known) names no flag.
            let flag = if body.peek(Token![_]) {
                body.parse::<Token![_]>()?;
                None
            } else {
                Some(body.parse::<Ident>()?)
            };
            body.parse::<Token![=]>()?;
            let value: Expr = body.parse()?;
            body.parse::<Token![;]>()?;
            if let Some(flag) = flag {
                flags.push((attrs, flag, value));
            }
        }
        out.push(FlagsType {
            attrs,
            vis,
            declares,
            name,
            bits,
            flags,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    fn rendered(input: &str) -> Option<Vec<String>> {
        Some(
            items(input.parse().unwrap(), Span::call_site())?
                .iter()
                .map(|i| i.to_token_stream().to_string())
                .collect(),
        )
    }

    #[test]
    fn each_flags_type_is_a_struct_and_its_flags_inherent_consts() {
        let got = rendered(
            "#[derive(Copy, Clone)] pub struct SockFlag: c_int { \
                 #[cfg(linux)] const SOCK_NONBLOCK = libc::SOCK_NONBLOCK; \
                 const SOCK_CLOEXEC = libc::SOCK_CLOEXEC; const _ = !0; } \
             impl Extra: u8 { const A = 1; }",
        )
        .unwrap();
        assert_eq!(
            got,
            [
                "# [derive (Copy , Clone)] pub struct SockFlag (c_int) ;",
                "impl SockFlag { # [cfg (linux)] pub const SOCK_NONBLOCK : Self = Self (libc :: SOCK_NONBLOCK) ; pub const SOCK_CLOEXEC : Self = Self (libc :: SOCK_CLOEXEC) ; }",
                "impl Extra { pub const A : Self = Self (1) ; }",
            ]
        );
    }

    #[test]
    fn a_call_s_flags_types_are_items_it_generated() {
        let facts = crate::parse::parse_text(
            "bitflags::bitflags! {\n    pub struct Mode: u32 {\n        const READ = 4;\n    }\n}\n",
            "src/lib.rs",
        )
        .unwrap();
        let items: Vec<(&str, Option<&str>, u32)> = facts
            .module
            .items
            .iter()
            .map(|i| (i.name.as_str(), i.generated_by.as_deref(), i.span.line))
            .collect();
        // The struct is written in the input (its own span); the impl holding the flags is
        // what the macro writes, at the call.
        assert_eq!(
            items,
            [("Mode", None, 2), ("impl Mode", Some("bitflags!"), 1)]
        );
        let read = &facts.module.items[1].children[0];
        assert_eq!((read.name.as_str(), read.span.line), ("READ", 3));
        assert!(facts.macro_failures.is_empty());
    }

    #[test]
    fn other_inputs_are_not_flags() {
        assert!(rendered("fn f() {}").is_none());
        assert!(rendered("pub struct F: u8 { A = 1; }").is_none());
    }
}
