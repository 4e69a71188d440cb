//! Cutting an answer to a token budget: the answer's main list keeps its first `n` rows for
//! the largest `n` whose structured JSON and text rendering together fit, and the answer
//! says what was left out and how to narrow.

use crate::query::context::Tokenizer;
use rmcp::model::{CallToolResult, ContentBlock};
use serde::Serialize;
use serde_json::Value;

/// An answer and its parts for cutting.
pub(super) struct Answer<T> {
    /// The full result.
    pub result: T,
    /// Rows in its main list.
    pub rows: usize,
    /// Keeps the first `n` rows of a copy.
    pub cut: fn(&mut T, usize),
    /// The compact text rendering.
    pub render: fn(&T) -> String,
    /// How to narrow the question when the answer is cut (`pass a longer path`, …).
    pub narrow: &'static str,
    /// Rows the call's `limit` already left out (counted in `left_out`).
    pub limited: usize,
}

/// The tool result for `answer` within `max_tokens`: `structuredContent` is the (cut)
/// result with `truncated`, `left_out` and `narrow` added when rows were left out; the text
/// content is its rendering with a last line saying so.
pub(super) fn fit<T: Serialize + Clone>(answer: Answer<T>, max_tokens: usize) -> CallToolResult {
    let tokenizer = Tokenizer::Cl100k;
    let build = |n: usize| -> (Value, String) {
        let mut r = answer.result.clone();
        if n < answer.rows {
            (answer.cut)(&mut r, n);
        }
        let mut value = serde_json::to_value(&r).unwrap_or(Value::Null);
        let mut text = (answer.render)(&r);
        let cut_here = answer.rows - n.min(answer.rows) + answer.limited;
        if cut_here > 0 {
            text.push_str(&format!(
                "truncated: {cut_here} more not shown (by `limit`, or to fit max_tokens {max_tokens}); {}\n",
                answer.narrow
            ));
        }
        mark_truncation(&mut value, cut_here, answer.narrow);
        (value, text)
    };
    let cost = |(value, text): &(Value, String)| {
        tokenizer.count(&value.to_string()) + tokenizer.count(text)
    };
    let whole = build(answer.rows);
    let chosen = if cost(&whole) <= max_tokens {
        whole
    } else {
        // The largest prefix that fits (0 rows always does, as far as it can).
        let (mut lo, mut hi) = (0usize, answer.rows);
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            if cost(&build(mid)) <= max_tokens {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        build(lo)
    };
    let (value, text) = chosen;
    let mut result = CallToolResult::structured(value);
    result.content = vec![ContentBlock::text(text)];
    result
}

/// Says in `value` what an answer leaves out: `truncated` (a bool), `left_out` (rows cut to
/// fit the tokens plus rows a query's own `limit` left out, which it reports as a number in
/// `truncated`) and `narrow` (how to ask for less). Untouched when nothing was left out.
pub(super) fn mark_truncation(value: &mut Value, cut: usize, narrow: &str) {
    let Value::Object(map) = value else { return };
    let by_limit = map.get("truncated").and_then(Value::as_u64).unwrap_or(0) as usize;
    let left_out = by_limit + cut;
    if map.get("truncated").is_some_and(Value::is_number) || left_out > 0 {
        map.insert("truncated".into(), Value::Bool(left_out > 0));
    }
    if left_out > 0 {
        map.insert("left_out".into(), Value::from(left_out));
        map.insert("narrow".into(), Value::from(narrow));
    }
}

/// A tool error the agent can act on: `isError`, the message (what went wrong and what to
/// do) as text and as `{"error": …}`.
pub(super) fn error(message: impl Into<String>) -> CallToolResult {
    let message = message.into();
    let mut result = CallToolResult::structured_error(serde_json::json!({ "error": message }));
    result.content = vec![ContentBlock::text(message)];
    result
}

/// A name that is ambiguous or unknown: a normal answer, with the candidates or near
/// matches the message lists, so the agent can ask again.
pub(super) fn not_found(message: impl Into<String>) -> CallToolResult {
    let message = message.into();
    let candidates: Vec<String> = message
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .chain(
            message
                .split_once("did you mean: ")
                .map(|(_, rest)| {
                    rest.split(", ")
                        .map(|s| s.trim().to_string())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default(),
        )
        .collect();
    let mut result = CallToolResult::structured(serde_json::json!({
        "found": false,
        "message": message,
        "candidates": candidates,
    }));
    result.content = vec![ContentBlock::text(message)];
    result
}
