//! Translating the model's Java regular expressions to the `regex` crate.

use super::*;

// --------------------------------------------------------------------------------------
// Java regex -> regex crate
// --------------------------------------------------------------------------------------

/// Java's `\s` (ASCII whitespace), as class items.
pub(super) const JAVA_SPACE: &str = r"\t\n\x0B\x0C\r ";
/// Java's `.` without DOTALL: anything but a line terminator.
pub(super) const JAVA_DOT: &str = r"[^\n\r\x{85}\x{2028}\x{2029}]";

/// Translates a Java pattern to an anchored `regex`-crate pattern. Returns the translation
/// and whether its meaning-bearing syntax had to be rewritten (as opposed to only anchored
/// and re-escaped).
pub(super) fn translate_pattern(java: &str) -> Result<(String, bool), String> {
    if let Some((_, rust)) = PATTERN_OVERRIDES.iter().find(|(j, _)| *j == java) {
        return Ok((format!("^(?:{rust})$"), true));
    }
    let mut t = Translator {
        chars: java.chars().collect(),
        pos: 0,
        out: String::with_capacity(java.len() * 2),
        dotall: false,
        rewritten: false,
    };
    t.run()?;
    Ok((format!("^(?:{})$", t.out), t.rewritten))
}

pub(super) struct Translator {
    chars: Vec<char>,
    pos: usize,
    out: String,
    dotall: bool,
    rewritten: bool,
}

/// One parsed item inside a character class.
pub(super) enum ClassItem {
    Char(char),
    /// Already-translated text (a nested class, `\p{..}`, a shorthand class).
    Set(String),
}

impl Translator {
    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).copied()
    }

    fn next(&mut self) -> Result<char, String> {
        let c = self.peek(0).ok_or("unexpected end of pattern")?;
        self.pos += 1;
        Ok(c)
    }

    fn run(&mut self) -> Result<(), String> {
        while let Some(c) = self.peek(0) {
            self.pos += 1;
            match c {
                '\\' => {
                    let item = self.escape(false)?;
                    self.push_outside(item);
                }
                '[' => {
                    let class = self.class()?;
                    self.out.push_str(&class);
                }
                '.' => {
                    if self.dotall {
                        self.out.push_str("(?s:.)");
                    } else {
                        self.out.push_str(JAVA_DOT);
                        self.rewritten = true;
                    }
                }
                '(' => self.group()?,
                '*' | '+' | '?' | '}' => {
                    self.out.push(c);
                    if self.peek(0) == Some('+') {
                        // Possessive quantifier: not supported; the greedy form accepts the
                        // same whole-string matches for the model's patterns.
                        self.pos += 1;
                        self.rewritten = true;
                    }
                }
                _ => self.out.push(c),
            }
        }
        Ok(())
    }

    fn push_outside(&mut self, item: ClassItem) {
        match item {
            ClassItem::Char(c) => self
                .out
                .push_str(&regex::escape(c.encode_utf8(&mut [0; 4]))),
            ClassItem::Set(s) => self.out.push_str(&s),
        }
    }

    /// After `(`: groups and inline flags.
    fn group(&mut self) -> Result<(), String> {
        if self.peek(0) != Some('?') {
            self.out.push('(');
            return Ok(());
        }
        match (self.peek(1), self.peek(2)) {
            (Some(':'), _) => {
                self.pos += 2;
                self.out.push_str("(?:");
                Ok(())
            }
            (Some('='), _) | (Some('!'), _) | (Some('>'), _) => {
                Err("lookahead/atomic groups are not supported".to_owned())
            }
            (Some('<'), Some('=')) | (Some('<'), Some('!')) => {
                Err("lookbehind is not supported".to_owned())
            }
            (Some('<'), _) => {
                // Named group: same syntax.
                self.pos += 2;
                self.out.push_str("(?<");
                Ok(())
            }
            _ => {
                // Inline flags `(?flags)` or `(?flags:`.
                self.pos += 1;
                let mut flags = String::new();
                while let Some(c) = self.peek(0) {
                    if c == ')' || c == ':' {
                        break;
                    }
                    if !(c.is_ascii_alphabetic() || c == '-') {
                        return Err(format!("unsupported group syntax near {c:?}"));
                    }
                    flags.push(c);
                    self.pos += 1;
                }
                let end = self.next()?;
                if let Some(on) = flags.split('-').next() {
                    if on.contains('s') && end == ')' {
                        self.dotall = true;
                    }
                }
                if flags.split('-').nth(1).is_some_and(|off| off.contains('s')) && end == ')' {
                    self.dotall = false;
                }
                // Java-only flags (d, u, U, x with Java semantics) are rejected by the
                // regex crate, which surfaces as a compile failure.
                let _ = write!(self.out, "(?{flags}{end}");
                Ok(())
            }
        }
    }

    /// After a `\`: a literal character or a class-like escape.
    fn escape(&mut self, in_class: bool) -> Result<ClassItem, String> {
        let c = self.next()?;
        let negated = |body: &str| format!("[^{body}]");
        let set = |body: &str| format!("[{body}]");
        Ok(match c {
            'w' | 'W' | 'd' | 'D' | 's' | 'S' => {
                // Java's shorthands are ASCII-only (without UNICODE_CHARACTER_CLASS).
                self.rewritten = true;
                let body = match c.to_ascii_lowercase() {
                    'w' => "0-9A-Za-z_",
                    'd' => "0-9",
                    _ => JAVA_SPACE,
                };
                ClassItem::Set(if c.is_ascii_uppercase() {
                    negated(body)
                } else {
                    set(body)
                })
            }
            'p' | 'P' => {
                let mut s = format!("\\{c}");
                match self.next()? {
                    '{' => {
                        s.push('{');
                        loop {
                            let d = self.next()?;
                            s.push(d);
                            if d == '}' {
                                break;
                            }
                        }
                    }
                    d => s.push(d),
                }
                ClassItem::Set(s)
            }
            'b' | 'B' | 'A' | 'z' if !in_class => ClassItem::Set(format!("\\{c}")),
            't' => ClassItem::Char('\t'),
            'n' => ClassItem::Char('\n'),
            'r' => ClassItem::Char('\r'),
            'f' => ClassItem::Char('\x0C'),
            'a' => ClassItem::Char('\x07'),
            'e' => ClassItem::Char('\x1B'),
            'x' => {
                let hex: String = if self.peek(0) == Some('{') {
                    self.pos += 1;
                    let mut h = String::new();
                    loop {
                        match self.next()? {
                            '}' => break,
                            d => h.push(d),
                        }
                    }
                    h
                } else {
                    let a = self.next()?;
                    let b = self.next()?;
                    [a, b].iter().collect()
                };
                ClassItem::Char(parse_hex_char(&hex)?)
            }
            'u' => {
                let mut h = String::new();
                for _ in 0..4 {
                    h.push(self.next()?);
                }
                ClassItem::Char(parse_hex_char(&h)?)
            }
            c if c.is_ascii_alphanumeric() => {
                return Err(format!("unsupported escape \\{c}"));
            }
            c => ClassItem::Char(c),
        })
    }

    /// After `[`: a character class, returned translated (including brackets).
    fn class(&mut self) -> Result<String, String> {
        let mut out = String::from("[");
        if self.peek(0) == Some('^') {
            self.pos += 1;
            out.push('^');
        }
        let mut first = true;
        loop {
            let c = self.next()?;
            match c {
                ']' if !first => break,
                '[' => {
                    let nested = self.class()?;
                    out.push_str(&nested);
                }
                '&' if self.peek(0) == Some('&') => {
                    self.pos += 1;
                    out.push_str("&&");
                }
                _ => {
                    let lo = if c == '\\' {
                        self.escape(true)?
                    } else {
                        ClassItem::Char(c)
                    };
                    let lo = match lo {
                        ClassItem::Set(s) => {
                            out.push_str(&s);
                            first = false;
                            continue;
                        }
                        ClassItem::Char(lo) => lo,
                    };
                    push_class_char(&mut out, lo);
                    // Java: `-` makes a range only between two single characters; elsewhere
                    // (`[\w-]`, `[0-9-_]`, `[a-]`) it is a literal.
                    if self.peek(0) == Some('-') && !matches!(self.peek(1), None | Some(']' | '['))
                    {
                        self.pos += 1;
                        let hi_c = self.next()?;
                        let hi = if hi_c == '\\' {
                            self.escape(true)?
                        } else {
                            ClassItem::Char(hi_c)
                        };
                        match hi {
                            ClassItem::Char(hi) if hi >= lo => {
                                out.push('-');
                                push_class_char(&mut out, hi);
                            }
                            _ => return Err("invalid range in character class".to_owned()),
                        }
                    } else if lo == '-' {
                        self.rewritten = true;
                    }
                }
            }
            first = false;
        }
        if out.ends_with('[') || out == "[^" {
            return Err("empty character class".to_owned());
        }
        out.push(']');
        Ok(out)
    }
}

/// Appends a literal character to a class, escaped so the regex crate cannot read it as
/// syntax (`-`, `[`, `&&`, `~~`, ...).
pub(super) fn push_class_char(out: &mut String, c: char) {
    if c.is_alphanumeric() || c == '_' || c == ' ' {
        out.push(c);
    } else if c.is_ascii_punctuation() {
        out.push('\\');
        out.push(c);
    } else {
        let _ = write!(out, "\\x{{{:X}}}", u32::from(c));
    }
}

pub(super) fn parse_hex_char(hex: &str) -> Result<char, String> {
    u32::from_str_radix(hex, 16)
        .ok()
        .and_then(char::from_u32)
        .ok_or_else(|| format!("invalid hex escape {hex}"))
}
