//! The user search index behind ListUsers' `Filter`: per user, one `(attribute, value_key)`
//! row for each filterable field (`username`, `status`, `cognito:user_status`, `sub` and the
//! searchable standard attributes). The backends write these rows in the transaction that
//! writes the user, and answer [`UserStore::search_users`](super::UserStore::search_users) from
//! them in `(value_key, username)` order.
//!
//! A value key is the value as the filter compares it (the username key, the lower-cased user
//! status...), cut to [`MAX_KEY_CHARS`] characters (index entries have a size limit) with NUL
//! replaced by U+0001 (PostgreSQL's text cannot hold NUL). Both maps keep "equal" and "starts
//! with", so the index returns a superset of the matches, which the caller checks exactly.

use crate::model::User;

/// The filterable field names, as the index stores them.
pub const USERNAME: &str = "username";
pub const STATUS: &str = "status";
pub const USER_STATUS: &str = "cognito:user_status";
pub const SUB: &str = "sub";
/// Standard attributes ListUsers can filter on.
pub const SEARCHABLE_ATTRIBUTES: &[&str] = &[
    "email",
    "phone_number",
    "name",
    "given_name",
    "family_name",
    "preferred_username",
];

/// Index keys are cut to this many characters (at most 1 KiB of UTF-8).
pub const MAX_KEY_CHARS: usize = 256;

/// How the index is searched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchKey {
    /// `value_key = key`.
    Exact(String),
    /// `value_key` starts with the prefix.
    Prefix(String),
}

/// A position in the index: the last row a page read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SearchCursor {
    pub value_key: String,
    pub username: String,
}

/// A search as the index ranges a backend reads, each in one index seek: first the rest of
/// the cursor's value (`value_key = key AND username > after`, in username order), then, for a
/// prefix, the values after it (`value_key > low`, and `< end` when there is an end, in
/// `(value_key, username)` order). A single range over the pair `(value_key, username)` is not
/// used: SQLite's planner does not seek on it, and would read or sort every row of the
/// cursor's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchBounds {
    /// `(value_key, after_username)`.
    pub within: Option<(String, String)>,
    /// `(low, end)`: `value_key > low AND value_key < end`.
    pub beyond: Option<(String, Option<String>)>,
}

impl SearchBounds {
    pub fn new(key: &SearchKey, after: Option<&SearchCursor>) -> Self {
        // Usernames are never empty, so ("v", "") precedes every row of the value "v".
        let from = |low: &str| match after {
            Some(c) if c.value_key.as_str() >= low => (c.value_key.clone(), c.username.clone()),
            _ => (low.to_owned(), String::new()),
        };
        match key {
            SearchKey::Exact(k) => {
                let (value, username) = from(k);
                Self {
                    within: (value == *k).then_some((value, username)),
                    beyond: None,
                }
            }
            SearchKey::Prefix(p) => {
                let end = prefix_end(p);
                let (value, username) = from(p);
                if end.as_ref().is_some_and(|e| value >= *e) {
                    return Self {
                        within: None,
                        beyond: None,
                    };
                }
                Self {
                    within: Some((value.clone(), username)),
                    beyond: Some((value, end)),
                }
            }
        }
    }
}

/// `value` as an index key (see the module documentation).
pub fn value_key(value: &str) -> String {
    value
        .chars()
        .take(MAX_KEY_CHARS)
        .map(|c| if c == '\0' { '\u{1}' } else { c })
        .collect()
}

/// The `user_status` as the filter compares it (case-insensitively).
pub fn user_status_key(status: &str) -> String {
    status.to_lowercase()
}

/// The index rows of `user`: `(attribute, value_key)`, one per field the user has.
pub fn search_entries(user: &User) -> Vec<(&'static str, String)> {
    let mut rows = vec![
        (USERNAME, value_key(&user.keys.username)),
        (
            STATUS,
            value_key(if user.enabled { "Enabled" } else { "Disabled" }),
        ),
        (
            USER_STATUS,
            value_key(&user_status_key(user.status.as_str())),
        ),
        (SUB, value_key(&user.sub)),
    ];
    for name in SEARCHABLE_ATTRIBUTES {
        if let Some(v) = user.attributes.get(*name) {
            rows.push((name, value_key(v)));
        }
    }
    rows
}

/// The smallest string greater than every string starting with `prefix` (in code point order,
/// which is UTF-8 byte order); `None` when there is none (an empty prefix, or one made only of
/// U+10FFFF).
pub fn prefix_end(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let next = match last as u32 {
            0xD7FF => Some('\u{E000}'),
            n => char::from_u32(n + 1),
        };
        if let Some(c) = next {
            chars.push(c);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_end_is_the_next_string() {
        assert_eq!(prefix_end("abc").as_deref(), Some("abd"));
        assert_eq!(prefix_end(""), None);
        assert_eq!(prefix_end("a\u{10FFFF}").as_deref(), Some("b"));
        assert_eq!(prefix_end("\u{10FFFF}"), None);
        assert_eq!(prefix_end("x\u{D7FF}").as_deref(), Some("x\u{E000}"));
        for s in ["abc", "abc\u{1}", "abcz", "abc\u{10FFFF}\u{10FFFF}"] {
            assert!(("abc".."abd").contains(&s));
            assert!(s.as_bytes() < "abd".as_bytes());
        }
    }

    fn cursor(v: &str, u: &str) -> SearchCursor {
        SearchCursor {
            value_key: v.into(),
            username: u.into(),
        }
    }

    #[test]
    fn bounds_continue_after_the_cursor() {
        let exact = SearchKey::Exact("v".into());
        let b = SearchBounds::new(&exact, None);
        assert_eq!(b.within, Some(("v".into(), "".into())));
        assert_eq!(b.beyond, None);
        let b = SearchBounds::new(&exact, Some(&cursor("v", "bob")));
        assert_eq!(b.within, Some(("v".into(), "bob".into())));
        assert_eq!(
            SearchBounds::new(&exact, Some(&cursor("w", "a"))).within,
            None
        );
        let prefix = SearchKey::Prefix("ab".into());
        let b = SearchBounds::new(&prefix, Some(&cursor("abz", "x")));
        assert_eq!(b.within, Some(("abz".into(), "x".into())));
        assert_eq!(b.beyond, Some(("abz".into(), Some("ac".into()))));
        let b = SearchBounds::new(&prefix, Some(&cursor("a", "x")));
        assert_eq!(b.within, Some(("ab".into(), "".into())));
        let b = SearchBounds::new(&prefix, Some(&cursor("b", "x")));
        assert_eq!((b.within, b.beyond), (None, None));
        let b = SearchBounds::new(&SearchKey::Prefix("".into()), None);
        assert_eq!(b.beyond, Some(("".into(), None)));
    }

    #[test]
    fn value_keys_keep_equality_and_prefixes() {
        let long = "é".repeat(MAX_KEY_CHARS + 10);
        assert_eq!(value_key(&long).chars().count(), MAX_KEY_CHARS);
        assert!(value_key(&long).starts_with(&value_key(&long[..20])));
        assert_eq!(value_key("a\0b"), "a\u{1}b");
    }
}
