//! The matcher and transcriber on small rules.

use super::*;

fn expand(def: &str, call: &str) -> Option<String> {
    let rules = MacroRules::parse(def.parse().unwrap())?;
    // Compare without spaces: Display's spacing follows each punct's jointness.
    rules
        .expand(call.parse().unwrap(), Span::call_site(), None)
        .ok()
        .map(|t| t.to_string().replace(' ', ""))
}

#[test]
fn variables_of_two_matcher_repetitions_advance_together() {
    // serde_with's `schema_for_tuple!((T0 T1) (A0 A1))`.
    let def = "(( $( $ts:ident )+ ) ( $( $as:ident )+ )) => { \
               impl<$($ts,)+ $($as,)+> S<($($ts,)+)> for ($($as,)+) \
               where $( $as: S<$ts>, )+ {} };";
    assert_eq!(
        expand(def, "(T0 T1) (A0 A1)").as_deref(),
        Some("impl<T0,T1,A0,A1,>S<(T0,T1,)>for(A0,A1,)whereA0:S<T0>,A1:S<T1>,{}")
    );
    // Counts that disagree are rustc's error, and no expansion.
    assert_eq!(expand(def, "(T0 T1) (A0)"), None);
}

#[test]
fn an_optional_separator_may_leave_the_comma_to_the_next_round() {
    // minijinja's `type_erase!`: `$(,)?` at the end of a round must not take the comma
    // that starts the next one, and may take a trailing one.
    let def = "($(fn $f:ident(&self $(, $p:ident: $t:ty $(,)?)*);)*) => \
               { $(fn $f(&self $(, $p: $t)*) {})* };";
    assert_eq!(
        expand(
            def,
            "fn call(&self, state: &State, args: &[Value]); fn len(&self);"
        )
        .as_deref(),
        Some("fncall(&self,state:&State,args:&[Value]){}fnlen(&self){}")
    );
    assert_eq!(
        expand(def, "fn call(&self, state: &State,);").as_deref(),
        Some("fncall(&self,state:&State){}")
    );
}

#[test]
fn a_punctuation_token_of_several_characters_is_one_token_tree() {
    // ndarray's `impl_binary_op!(Add, +, add, +=, "addition")`.
    let def = "($trt:ident, $op:tt, $mth:ident, $iop:tt, $doc:expr) => \
               { fn $mth(a: u8, mut b: u8) -> u8 { b $iop a; a $op b } };";
    assert_eq!(
        expand(def, "Add, +, add, +=, \"addition\"").as_deref(),
        Some("fnadd(a:u8,mutb:u8)->u8{b+=a;a+b}")
    );
    assert_eq!(
        expand("($a:tt $b:tt) => { $b $a };", "&& &").as_deref(),
        Some("&&&")
    );
    // Puncts from two places are two tokens, joint or not.
    let def = "(@key $k:ident : $c:tt =) => { fn $k() {} }; \
               ($k:ident : $c:tt ,) => { m!(@key $k : $c =); };";
    let rules = MacroRules::parse(def.parse().unwrap()).unwrap();
    let once = rules
        .expand("cat : %,".parse().unwrap(), Span::call_site(), None)
        .unwrap();
    let inner = once.into_iter().nth(2).expect("the call's group");
    let TokenTree::Group(g) = inner else {
        panic!("a group")
    };
    assert!(
        rules
            .expand(g.stream(), Span::call_site(), None)
            .is_ok_and(|t| t.to_string().replace(' ', "") == "fncat(){}")
    );
    // Puncts one transcriber wrote together are one token (ndarray's `all_scalar_ops!`
    // passing `<<` on to `impl_scalar_lhs_op!`).
    let def = "(@op $o:tt) => { fn f(a: u8) -> u8 { a $o 1 } }; (go) => { m!(@op <<); };";
    let rules = MacroRules::parse(def.parse().unwrap()).unwrap();
    // A call site with a width, as a real file gives.
    let site = "call".parse::<TokenStream>().unwrap();
    let site = site.into_iter().next().unwrap().span();
    let once = rules.expand("go".parse().unwrap(), site, None).unwrap();
    let Some(TokenTree::Group(g)) = once.into_iter().nth(2) else {
        panic!("the call's group")
    };
    assert!(
        rules
            .expand(g.stream(), Span::call_site(), None)
            .is_ok_and(|t| t.to_string().replace(' ', "") == "fnf(a:u8)->u8{a<<1}")
    );
}

#[test]
fn a_matched_type_or_expression_stays_one_operand() {
    // rand's `float_impls!`: `1 as $u << precision` with `$u = u32` is a shift, not
    // `u32<…>`; the expansion must parse.
    let def = "($u:ty, $b:expr) => { fn f(p: u32) -> u32 { (1 as $u << p) + $b * 2 } };";
    let rules = MacroRules::parse(def.parse().unwrap()).unwrap();
    let tokens = rules
        .expand("u32, 1 + 1".parse().unwrap(), Span::call_site(), None)
        .unwrap();
    let file = syn::parse2::<syn::File>(tokens);
    assert!(file.is_ok(), "{:?}", file.err());
}

#[test]
fn a_path_fragment_takes_generic_arguments_and_a_trailing_separator_is_optional() {
    // time's tests: `assert_impl! { @'a; Date: Add<Duration, Output = Date>, Clone, }`.
    let def = "($(#[$meta:meta])* $($(@$l:lifetime),+ ;)? $type:ty: $($trait:path),+ $(,)?) \
               => { fn f<$($($l,)+)? T: ?Sized $(+ $trait)+>() {} };";
    assert_eq!(
        expand(
            def,
            "@'a; Date: Add<Duration, Output = Date>, Deserialize<'a>, Clone,"
        )
        .as_deref(),
        Some("fnf<'a,T:?Sized+Add<Duration,Output=Date>+Deserialize<'a>+Clone>(){}")
    );
    assert_eq!(
        expand("($p:path) => { use $p; };", "crate::a::b").as_deref(),
        Some("usecrate::a::b;")
    );
}

#[test]
fn a_lifetime_is_one_token_tree() {
    // serde's `forward_to_deserialize_any_helper!{bool<'de, V>}`.
    assert_eq!(
        expand(
            "(bool<$l:tt, $v:ident>) => { fn f<$v>(x: &$l $v) {} };",
            "bool<'de, V>"
        )
        .as_deref(),
        Some("fnf<V>(x:&'deV){}")
    );
}

#[test]
fn literal_rules_fragments_and_nested_repetitions() {
    assert_eq!(
        expand("() => { fn a() {} };", "").as_deref(),
        Some("fna(){}")
    );
    assert_eq!(
        expand(
            "($($name:ident -> $t:ty;)*) => { $(fn $name(&self) -> Option<$t> { None })* }",
            "to_i8 -> i8; to_u16 -> u16;"
        )
        .as_deref(),
        Some("fnto_i8(&self)->Option<i8>{None}fnto_u16(&self)->Option<u16>{None}")
    );
    assert_eq!(
        expand(
            "($t:ty, $($n:literal),+) => { impl X for $t { $(const N: u8 = $n;)+ } }",
            "Vec<u8>, 1, 2"
        )
        .as_deref(),
        Some("implXforVec<u8>{constN:u8=1;constN:u8=2;}")
    );
    assert_eq!(
        expand(
            "($($outer:ident [$($inner:ident)*])*) => { $($(fn $inner() {})*)* }",
            "a [b c] d [e]"
        )
        .as_deref(),
        Some("fnb(){}fnc(){}fne(){}")
    );
    assert_eq!(
        expand("(a) => { 1 }; ($e:expr) => { $crate::f($e) };", "x + 1").as_deref(),
        Some("crate::f(x+1)")
    );
    assert_eq!(expand("(a) => {};", "b"), None);
    let rules = MacroRules::parse("() => { $crate::a }".parse().unwrap()).unwrap();
    let other = rules
        .expand(TokenStream::new(), Span::call_site(), Some("numbers"))
        .unwrap();
    assert_eq!(other.to_string().replace(' ', ""), "::numbers::a");
    // Multi-character separators, in the matcher and the transcriber.
    assert_eq!(
        expand("($($e:ident)&&*) => { $($e)||* };", "a && b && c").as_deref(),
        Some("a||b||c")
    );
}

#[test]
fn a_statement_fragment_leaves_its_semicolon_to_the_matcher() {
    // itertools' benches: `{$($init:stmt;)*}` over `let v1 = black_box(vec![0; 1024]);`.
    let def = "({ $($init:stmt;)* }) => { fn f() { $($init;)* } };";
    let out = expand(def, "{ let v = vec![0; 8]; v.len(); }").unwrap();
    assert!(out.contains("letv=vec![0;8];;v.len();;"), "{out}");
    // Transcribed alone, each is still one statement.
    let def = "({ $($init:stmt;)* }) => { fn f() { $($init)* } };";
    let out = expand(def, "{ let v = vec![0; 8]; v.len(); }").unwrap();
    assert_eq!(out, "fnf(){letv=vec![0;8];v.len();}");
    // An item statement keeps the `;` it requires, as in rustc: none is left for the matcher.
    assert_eq!(expand(def, "{ struct A; }"), None);
    // A `let` without its `;` at the end of the input is a statement.
    let def = "($s:stmt) => { fn g() { $s; } };";
    assert_eq!(expand(def, "let x = 1").as_deref(), Some("fng(){letx=1;;}"));
    assert_eq!(expand(def, "let x = 1;"), None);
    // What is no statement, with or without a `;` after it, is no match.
    assert_eq!(expand(def, "=> +"), None);
    assert_eq!(expand(def, "=> ;"), None);
}
