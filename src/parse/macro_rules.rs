//! A `macro_rules!` expander over proc-macro2 token trees: enough of rustc's matcher and
//! transcriber for the macros workspaces call inside impl bodies (literal tokens, every
//! fragment specifier, `$(…) sep op` repetitions, nested, `$crate`).
//!
//! Matching is greedy and does not backtrack into a fragment once syn has parsed it, which
//! is how rustc behaves for unambiguous macros; when the greedy matcher finds no match,
//! every way the repetitions may end is tried (`every_way`), within a bound. A macro rustc
//! would call ambiguous may expand differently here or not at all (then the call expands to
//! nothing).

use proc_macro2::{Delimiter, Group, Ident, Spacing, Span, TokenStream, TokenTree};
use std::collections::HashMap;

mod every_way;

/// Largest expansion accepted, in token trees (counted recursively).
pub const MAX_OUTPUT_TOKENS: usize = 200_000;

/// One macro: its rules in order.
#[derive(Clone, Debug)]
pub struct MacroRules {
    rules: Vec<(Vec<Matcher>, TokenStream)>,
}

#[derive(Clone, Debug)]
enum Matcher {
    /// A token that must appear as is (punctuation compared by character).
    Token(TokenTree),
    /// A delimited group.
    Group(Delimiter, Vec<Matcher>),
    /// `$name:fragment`
    Var(String, String),
    /// `$( … ) sep? op`; the separator is one token, punctuation possibly several joint
    /// characters (`&&`), empty when absent.
    Repeat(Vec<Matcher>, Vec<TokenTree>, char),
}

#[derive(Clone, Debug)]
enum Binding {
    Leaf(Vec<TokenTree>),
    Seq(Vec<HashMap<String, Binding>>),
}

impl MacroRules {
    /// Parses the body of `macro_rules! name { (…) => {…}; … }`; `None` when it is not
    /// a list of rules.
    pub fn parse(body: TokenStream) -> Option<MacroRules> {
        let trees: Vec<TokenTree> = body.into_iter().collect();
        let mut rules = Vec::new();
        let mut i = 0;
        while i < trees.len() {
            let TokenTree::Group(m) = &trees[i] else {
                return None;
            };
            let arrow = matches!((trees.get(i + 1), trees.get(i + 2)),
                (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) if a.as_char() == '=' && b.as_char() == '>');
            let Some(TokenTree::Group(t)) = trees.get(i + 3).filter(|_| arrow) else {
                return None;
            };
            rules.push((parse_matcher(m.stream())?, t.stream()));
            i += 4;
            if matches!(trees.get(i), Some(TokenTree::Punct(p)) if p.as_char() == ';') {
                i += 1;
            }
        }
        Some(MacroRules { rules })
    }

    /// Expands a call with arguments `input` by the first rule that matches. Tokens the
    /// rule writes get the span `site` (the call site, as rustc reports items a macro
    /// writes); tokens taken from `input` keep theirs. `$crate` becomes `::dollar_crate`
    /// for a macro of another crate, `crate` when `dollar_crate` is `None`.
    ///
    /// # Errors
    /// [`ExpandError::NoMatch`] when no rule matches, [`ExpandError::TooLarge`] when the
    /// output would exceed [`MAX_OUTPUT_TOKENS`], [`ExpandError::Malformed`] when the
    /// matching rule's transcriber cannot be applied.
    pub fn expand(
        &self,
        input: TokenStream,
        site: Span,
        dollar_crate: Option<&str>,
    ) -> Result<TokenStream, ExpandError> {
        let input: Vec<TokenTree> = input.into_iter().collect();
        for (matcher, transcriber) in &self.rules {
            let mut bindings = HashMap::new();
            let greedy = match_seq(matcher, &input, &mut bindings) == Some(input.len());
            // Where the greedy matcher ends a repetition too late (minijinja's `$(, $p:ident:
            // $t:ty $(,)?)*`, whose optional comma takes the next round's), every way the
            // repetitions may end is tried, as rustc's matcher does.
            let bindings = if greedy {
                Some(bindings)
            } else {
                every_way::match_all(matcher, &input)
            };
            if let Some(bindings) = bindings {
                let mut out = Vec::new();
                let mut budget = MAX_OUTPUT_TOKENS;
                let mut t = Transcription {
                    site,
                    dollar_crate,
                    out: &mut out,
                    budget: &mut budget,
                };
                t.transcribe(transcriber.clone(), &[&bindings])?;
                return Ok(out.into_iter().collect());
            }
        }
        Err(ExpandError::NoMatch)
    }
}

/// Why a call did not expand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpandError {
    /// No rule's matcher accepts the call's tokens.
    NoMatch,
    /// The transcription exceeds [`MAX_OUTPUT_TOKENS`] token trees.
    TooLarge,
    /// The matching rule's transcriber repeats `$( … )` with no repeated variable in it.
    Malformed,
}

impl std::fmt::Display for ExpandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ExpandError::NoMatch => "no rule matched",
            ExpandError::TooLarge => "expansion larger than the output limit",
            ExpandError::Malformed => "a repetition in the transcriber has no repeated variable",
        })
    }
}

fn is_punct(t: Option<&TokenTree>, c: char) -> bool {
    matches!(t, Some(TokenTree::Punct(p)) if p.as_char() == c)
}

fn parse_matcher(stream: TokenStream) -> Option<Vec<Matcher>> {
    let trees: Vec<TokenTree> = stream.into_iter().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < trees.len() {
        match &trees[i] {
            TokenTree::Punct(p) if p.as_char() == '$' => match trees.get(i + 1) {
                Some(TokenTree::Ident(name)) if is_punct(trees.get(i + 2), ':') => {
                    let Some(TokenTree::Ident(frag)) = trees.get(i + 3) else {
                        return None;
                    };
                    out.push(Matcher::Var(name.to_string(), frag.to_string()));
                    i += 4;
                }
                Some(TokenTree::Ident(name)) if name == "crate" => {
                    out.push(Matcher::Token(trees[i + 1].clone()));
                    i += 2;
                }
                Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis => {
                    let inner = parse_matcher(g.stream())?;
                    let (sep, op, used) = repetition_tail(&trees, i + 2)?;
                    out.push(Matcher::Repeat(inner, sep, op));
                    i = used;
                }
                _ => return None,
            },
            TokenTree::Group(g) => {
                out.push(Matcher::Group(g.delimiter(), parse_matcher(g.stream())?));
                i += 1;
            }
            t => {
                out.push(Matcher::Token(t.clone()));
                i += 1;
            }
        }
    }
    Some(out)
}

/// After `$( … )`: an optional separator (one token; `&&`, `=>` and other multi-character
/// punctuation arrive as joint characters) and the operator; returns the index after them.
fn repetition_tail(trees: &[TokenTree], at: usize) -> Option<(Vec<TokenTree>, char, usize)> {
    let op = |t: Option<&TokenTree>| match t {
        Some(TokenTree::Punct(p)) if matches!(p.as_char(), '*' | '+' | '?') => Some(p.as_char()),
        _ => None,
    };
    for n in 0..=3 {
        let Some(c) = op(trees.get(at + n)) else {
            continue;
        };
        let sep = trees.get(at..at + n)?;
        let one_token = n <= 1
            || sep.iter().enumerate().all(|(k, t)| {
                matches!(t, TokenTree::Punct(p) if k + 1 == n || p.spacing() == Spacing::Joint)
            });
        if one_token {
            return Some((sep.to_vec(), c, at + n + 1));
        }
    }
    None
}

/// Whether `input` starts with the tokens of `sep`.
fn starts_with_seq(input: &[TokenTree], sep: &[TokenTree]) -> bool {
    input.len() >= sep.len() && sep.iter().zip(input).all(|(s, i)| same_token(s, i))
}

fn same_token(a: &TokenTree, b: &TokenTree) -> bool {
    match (a, b) {
        (TokenTree::Ident(x), TokenTree::Ident(y)) => x == y,
        (TokenTree::Punct(x), TokenTree::Punct(y)) => x.as_char() == y.as_char(),
        (TokenTree::Literal(x), TokenTree::Literal(y)) => x.to_string() == y.to_string(),
        _ => false,
    }
}

/// Matches `pattern` against a prefix of `input`; returns how many token trees it used.
fn match_seq(
    pattern: &[Matcher],
    input: &[TokenTree],
    bindings: &mut HashMap<String, Binding>,
) -> Option<usize> {
    let mut pos = 0;
    for (k, m) in pattern.iter().enumerate() {
        match m {
            Matcher::Token(t) => {
                if !input.get(pos).is_some_and(|i| same_token(t, i)) {
                    return None;
                }
                pos += 1;
            }
            Matcher::Group(d, inner) => {
                let Some(TokenTree::Group(g)) = input.get(pos) else {
                    return None;
                };
                if g.delimiter() != *d {
                    return None;
                }
                let trees: Vec<TokenTree> = g.stream().into_iter().collect();
                if match_seq(inner, &trees, bindings)? != trees.len() {
                    return None;
                }
                pos += 1;
            }
            Matcher::Var(name, frag) => {
                let used = match_fragment(frag, &input[pos..])?;
                bindings.insert(name.clone(), leaf(frag, &input[pos..pos + used]));
                pos += used;
            }
            Matcher::Repeat(inner, sep, op) => {
                let next = pattern.get(k + 1);
                let mut rounds = Vec::new();
                loop {
                    let rest = &input[pos..];
                    if rest.is_empty() || (*op == '?' && !rounds.is_empty()) {
                        break;
                    }
                    // Stop before a literal token that follows the repetition.
                    if let (Some(Matcher::Token(t)), Some(first)) = (next, rest.first())
                        && same_token(t, first)
                        && sep.first().is_none_or(|s| !same_token(s, first))
                        && !starts_with_token(inner, first)
                    {
                        break;
                    }
                    let mut start = 0;
                    if !rounds.is_empty() && !sep.is_empty() {
                        if !starts_with_seq(rest, sep) {
                            break;
                        }
                        start = sep.len();
                    }
                    let mut round = HashMap::new();
                    match match_seq(inner, &rest[start..], &mut round) {
                        Some(used) if used > 0 || start > 0 => {
                            pos += start + used;
                            rounds.push(round);
                        }
                        _ => break,
                    }
                }
                if *op == '+' && rounds.is_empty() {
                    return None;
                }
                for name in var_names(inner) {
                    bindings.insert(name, Binding::Seq(rounds.clone()));
                }
            }
        }
    }
    Some(pos)
}

/// What fragment `frag` matching `tokens` binds. As rustc does, a matched type or expression
/// stays one operand where it is transcribed: `1 as $t << n` with `$t = u32` is
/// `(1 as u32) << n`, not generic arguments. syn reads the invisible group as `Type::Group`
/// / `Expr::Group`.
///
/// A `stmt` (matched without its `;`) is one statement where it is transcribed too, so
/// `$($init)*` over `let a = 1` and `let b = 2` writes both: a statement that is no item
/// gets its `;` back (rustc keeps the parsed statement whole; the facts do not depend on
/// whether a block's last expression is its value).
fn leaf(frag: &str, tokens: &[TokenTree]) -> Binding {
    if frag == "stmt" && !is_punct(tokens.last(), ';') {
        let stream: TokenStream = tokens.iter().cloned().collect();
        if !matches!(syn::parse2::<syn::Stmt>(stream), Ok(syn::Stmt::Item(_))) {
            let mut closed = tokens.to_vec();
            let mut semi = proc_macro2::Punct::new(';', Spacing::Alone);
            if let Some(last) = tokens.last() {
                semi.set_span(last.span());
            }
            closed.push(TokenTree::Punct(semi));
            return Binding::Leaf(closed);
        }
    }
    if !tokens.is_empty()
        && matches!(frag, "ty" | "expr" | "expr_2021")
        && !block_like(frag, tokens)
    {
        let mut g = proc_macro2::Group::new(Delimiter::None, tokens.iter().cloned().collect());
        g.set_span(tokens[0].span());
        Binding::Leaf(vec![TokenTree::Group(g)])
    } else {
        Binding::Leaf(tokens.to_vec())
    }
}

/// Whether an `expr` fragment's tokens are a block-like expression (`{ … }`, `if`, `match`,
/// `loop`, `while`, `for`, `unsafe { … }`): one operand wherever it is transcribed, and, as
/// rustc parses an interpolated one, a statement without a `;` (h2's `probe_loop!` writes
/// `$body $probe_var += 1;` with `$body` a block). Left out of the invisible group, which
/// syn would read as an expression needing its `;`.
fn block_like(frag: &str, tokens: &[TokenTree]) -> bool {
    if frag == "ty" {
        return false;
    }
    match tokens {
        [TokenTree::Group(g)] => g.delimiter() == Delimiter::Brace,
        [TokenTree::Ident(first), .., TokenTree::Group(last)]
            if last.delimiter() == Delimiter::Brace
                && matches!(
                    first.to_string().as_str(),
                    "if" | "match" | "loop" | "while" | "for" | "unsafe"
                ) =>
        {
            matches!(
                syn::parse2::<syn::Expr>(tokens.iter().cloned().collect()),
                Ok(syn::Expr::If(_)
                    | syn::Expr::Match(_)
                    | syn::Expr::Loop(_)
                    | syn::Expr::While(_)
                    | syn::Expr::ForLoop(_)
                    | syn::Expr::Unsafe(_))
            )
        }
        _ => false,
    }
}

fn starts_with_token(pattern: &[Matcher], t: &TokenTree) -> bool {
    matches!(pattern.first(), Some(Matcher::Token(p)) if same_token(p, t))
}

fn var_names(pattern: &[Matcher]) -> Vec<String> {
    let mut out = Vec::new();
    for m in pattern {
        match m {
            Matcher::Var(n, _) => out.push(n.clone()),
            Matcher::Group(_, inner) | Matcher::Repeat(inner, _, _) => out.extend(var_names(inner)),
            Matcher::Token(_) => {}
        }
    }
    out
}

/// How many token trees of `input` the fragment `frag` takes.
fn match_fragment(frag: &str, input: &[TokenTree]) -> Option<usize> {
    match frag {
        // A lifetime (`'de`) is one token tree to rustc, two to proc-macro2.
        "tt" if is_punct(input.first(), '\'')
            && matches!(input.get(1), Some(TokenTree::Ident(_))) =>
        {
            Some(2)
        }
        "tt" => (!input.is_empty()).then(|| joint_operator_len(input)),
        "ident" => matches!(input.first(), Some(TokenTree::Ident(_))).then_some(1),
        "lifetime" => (is_punct(input.first(), '\'')
            && matches!(input.get(1), Some(TokenTree::Ident(_))))
        .then_some(2),
        "literal" => match input.first() {
            Some(TokenTree::Literal(_)) => Some(1),
            Some(TokenTree::Ident(i)) if i == "true" || i == "false" => Some(1),
            Some(TokenTree::Punct(p))
                if p.as_char() == '-' && matches!(input.get(1), Some(TokenTree::Literal(_))) =>
            {
                Some(2)
            }
            _ => None,
        },
        _ => syn_prefix(frag, input),
    }
}

/// rustc's punctuation tokens of several characters (one token tree to rustc).
const JOINT_OPERATORS: &[&str] = &[
    "<<=", ">>=", "...", "..=", "&&", "||", "<<", ">>", "+=", "-=", "*=", "/=", "%=", "^=", "&=",
    "|=", "==", "!=", ">=", "<=", "..", "::", "->", "=>",
];

/// How many of proc-macro2's token trees the first of `input` is to rustc: a punctuation
/// token of several characters (ndarray's `impl_binary_op!(Add, +, add, +=, …)` binds
/// `$iop:tt` to `+=`) is as many joint puncts; anything else is one.
fn joint_operator_len(input: &[TokenTree]) -> usize {
    let mut chars = String::new();
    let mut before: Option<Span> = None;
    for t in input.iter().take(3) {
        let TokenTree::Punct(p) = t else { break };
        // Joint and written together: next to each other in a file, or both by one
        // transcriber (which spans what it writes at the call site and keeps the spacing of
        // the definition). A `%` of the call's input followed by a `=` a transcriber wrote
        // (log's `$key:tt :$capture:tt =`) are two tokens.
        let (start, end) = (p.span().start(), p.span().end());
        if before.is_some_and(|b| b.end() != start && (b.start(), b.end()) != (start, end)) {
            break;
        }
        chars.push(p.as_char());
        if p.spacing() == Spacing::Alone {
            break;
        }
        before = Some(p.span());
    }
    JOINT_OPERATORS
        .iter()
        .filter(|op| chars.starts_with(**op))
        .map(|op| op.len())
        .max()
        .unwrap_or(1)
}

/// Lets syn parse the longest `frag` at the start of `input`; returns the token trees used.
fn syn_prefix(frag: &str, input: &[TokenTree]) -> Option<usize> {
    use syn::parse::{ParseStream, Parser};
    let stream: TokenStream = input.iter().cloned().collect();
    let frag_name = frag;
    let frag = frag.to_string();
    // rustc's `stmt` is a statement without its trailing `;` (an item's own aside), which
    // syn's `Stmt` takes: `$($init:stmt;)*` matches `let v = vec![0; 8];` (itertools' benches).
    let parser = move |s: ParseStream| -> syn::Result<usize> {
        let mut given_back = 0;
        match frag.as_str() {
            "ty" => {
                s.parse::<syn::Type>()?;
            }
            // A type-style path, as rustc's `path` fragment is: generic arguments need no
            // turbofish (`Add<Rhs, Output = T>`).
            "path" => {
                s.parse::<syn::Path>()
                    .or_else(|_| s.call(syn::Path::parse_mod_style))?;
            }
            "expr" | "expr_2021" => {
                s.parse::<syn::Expr>()?;
            }
            "pat" | "pat_param" => {
                s.call(syn::Pat::parse_multi_with_leading_vert)?;
            }
            "block" => {
                s.parse::<syn::Block>()?;
            }
            "item" => {
                s.parse::<syn::Item>()?;
            }
            "vis" => {
                s.parse::<syn::Visibility>()?;
            }
            "meta" => {
                s.parse::<syn::Meta>()?;
            }
            "stmt" => {
                let semi = match s.parse::<syn::Stmt>()? {
                    syn::Stmt::Local(_) => true,
                    syn::Stmt::Expr(_, semi) => semi.is_some(),
                    syn::Stmt::Macro(m) => m.semi_token.is_some(),
                    syn::Stmt::Item(_) => false,
                };
                given_back = usize::from(semi);
            }
            _ => return Err(s.error("unknown fragment")),
        }
        let rest: TokenStream = s.parse()?;
        Ok(rest.into_iter().count() + given_back)
    };
    match parser.parse2(stream) {
        Ok(rest) => Some(input.len() - rest),
        // `let x = 1` at the end of the input is a statement too (syn's wants its `;`);
        // tried once: the closed input ends with `;`.
        Err(_) if frag_name == "stmt" && !is_punct(input.last(), ';') => {
            let mut closed = input.to_vec();
            closed.push(TokenTree::Punct(proc_macro2::Punct::new(
                ';',
                proc_macro2::Spacing::Alone,
            )));
            let used = syn_prefix(frag_name, &closed)?;
            (used <= input.len()).then_some(used)
        }
        Err(_) => None,
    }
}

/// The output of one expansion under way.
struct Transcription<'o> {
    /// Span given to the tokens the transcriber writes.
    site: Span,
    /// The crate `$crate` names (`None`: the calling crate).
    dollar_crate: Option<&'o str>,
    out: &'o mut Vec<TokenTree>,
    /// Token trees still allowed.
    budget: &'o mut usize,
}

impl Transcription<'_> {
    /// `t` (a token of the transcriber) spanned at the call site.
    fn at_site(&self, t: &TokenTree) -> TokenTree {
        let mut t = t.clone();
        t.set_span(self.site);
        t
    }

    /// A punctuation character written by the transcriber.
    fn punct(&self, c: char, spacing: Spacing) -> TokenTree {
        let mut p = proc_macro2::Punct::new(c, spacing);
        p.set_span(self.site);
        TokenTree::Punct(p)
    }

    fn spend(&mut self, n: usize) -> Result<(), ExpandError> {
        *self.budget = self.budget.checked_sub(n).ok_or(ExpandError::TooLarge)?;
        Ok(())
    }

    /// Writes the transcription of `stream`. `scopes` are the bindings from the outermost
    /// level inwards (one per enclosing repetition round).
    fn transcribe(
        &mut self,
        stream: TokenStream,
        scopes: &[&HashMap<String, Binding>],
    ) -> Result<(), ExpandError> {
        let trees: Vec<TokenTree> = stream.into_iter().collect();
        let mut i = 0;
        while i < trees.len() {
            self.spend(1)?;
            match &trees[i] {
                TokenTree::Punct(p) if p.as_char() == '$' => match trees.get(i + 1) {
                    Some(TokenTree::Ident(name)) if name == "crate" => {
                        match self.dollar_crate {
                            Some(k) => {
                                let path = [
                                    self.punct(':', Spacing::Joint),
                                    self.punct(':', Spacing::Alone),
                                    TokenTree::Ident(Ident::new(k, self.site)),
                                ];
                                self.out.extend(path);
                            }
                            None => self
                                .out
                                .push(TokenTree::Ident(Ident::new("crate", self.site))),
                        }
                        i += 2;
                    }
                    Some(TokenTree::Ident(name)) => {
                        match lookup(scopes, &name.to_string()) {
                            Some(Binding::Leaf(tokens)) => {
                                self.spend(tokens.len())?;
                                self.out.extend(tokens.iter().cloned());
                            }
                            _ => {
                                let (a, b) = (self.at_site(&trees[i]), self.at_site(&trees[i + 1]));
                                self.out.extend([a, b]);
                            }
                        }
                        i += 2;
                    }
                    Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis => {
                        let (sep, _, next) =
                            repetition_tail(&trees, i + 2).ok_or(ExpandError::Malformed)?;
                        // Every variable repeating here advances together (rustc requires
                        // their counts to agree): `$( $as: Trait<$ts>, )+` with `$ts` and
                        // `$as` from two repetitions of the matcher.
                        let sequences =
                            repetition_rounds(g.stream(), scopes).ok_or(ExpandError::Malformed)?;
                        for r in 0..sequences[0].len() {
                            if r > 0 {
                                let sep: Vec<TokenTree> =
                                    sep.iter().map(|t| self.at_site(t)).collect();
                                self.out.extend(sep);
                            }
                            let mut inner: Vec<&HashMap<String, Binding>> = scopes.to_vec();
                            inner.extend(sequences.iter().map(|rounds| &rounds[r]));
                            self.transcribe(g.stream(), &inner)?;
                        }
                        i = next;
                    }
                    _ => {
                        let t = self.at_site(&trees[i]);
                        self.out.push(t);
                        i += 1;
                    }
                },
                TokenTree::Group(g) => {
                    let mut inner = Vec::new();
                    Transcription {
                        site: self.site,
                        dollar_crate: self.dollar_crate,
                        out: &mut inner,
                        budget: &mut *self.budget,
                    }
                    .transcribe(g.stream(), scopes)?;
                    let mut group = Group::new(g.delimiter(), inner.into_iter().collect());
                    group.set_span(self.site);
                    self.out.push(TokenTree::Group(group));
                    i += 1;
                }
                TokenTree::Punct(p)
                    if p.spacing() == Spacing::Joint && is_punct(trees.get(i + 1), '$') =>
                {
                    // `<$t>`: the `<` was joint with `$`, not with what `$t` becomes.
                    let q = self.punct(p.as_char(), Spacing::Alone);
                    self.out.push(q);
                    i += 1;
                }
                t => {
                    let t = self.at_site(t);
                    self.out.push(t);
                    i += 1;
                }
            }
        }
        Ok(())
    }
}

fn lookup<'b>(scopes: &[&'b HashMap<String, Binding>], name: &str) -> Option<&'b Binding> {
    scopes.iter().rev().find_map(|s| s.get(name))
}

/// The sequence bindings the variables inside a `$( … )` transcriber name (innermost first
/// per name), each as its rounds; `None` when none repeats or their counts disagree.
fn repetition_rounds<'b>(
    stream: TokenStream,
    scopes: &[&'b HashMap<String, Binding>],
) -> Option<Vec<&'b Vec<HashMap<String, Binding>>>> {
    let mut names = Vec::new();
    collect_vars(stream, &mut names);
    names.sort();
    names.dedup();
    let sequences: Vec<&Vec<HashMap<String, Binding>>> = names
        .iter()
        .filter_map(|n| match lookup(scopes, n) {
            Some(Binding::Seq(rounds)) => Some(rounds),
            _ => None,
        })
        .collect();
    let count = sequences.first()?.len();
    sequences
        .iter()
        .all(|s| s.len() == count)
        .then_some(sequences)
}

fn collect_vars(stream: TokenStream, names: &mut Vec<String>) {
    let trees: Vec<TokenTree> = stream.into_iter().collect();
    for (i, t) in trees.iter().enumerate() {
        match t {
            TokenTree::Punct(p) if p.as_char() == '$' => {
                if let Some(TokenTree::Ident(n)) = trees.get(i + 1) {
                    names.push(n.to_string());
                }
            }
            TokenTree::Group(g) => collect_vars(g.stream(), names),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests;
