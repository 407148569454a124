//! The user import CSV: its header (GetCSVHeader), its records, and a record as a new user.
//! Shared by import jobs and the offline `cognate import`.
//!
//! Format (Cognito's): a header row naming the columns in any order; `cognito:username` and
//! `cognito:mfa_enabled` are required, every other column must be an attribute of the pool's
//! schema; a blank value leaves the attribute unset. Fields may be quoted (RFC 4180, `""` for a
//! quote), and as Cognito documents, a comma inside an unquoted value is written `\,`.
//! An imported user has no password and status RESET_REQUIRED.

use std::collections::BTreeMap;

use crate::clock::Timestamp;
use crate::model::{MfaFactor, User, UserPool, UserStatus};
use crate::random::{Random, RandomExt};
use crate::service::common::attributes::{self, Writer};
use crate::service::ctx::new_user_record;
use crate::service::users::sign_up::username_attribute;

pub const USERNAME_COLUMN: &str = "cognito:username";
pub const MFA_COLUMN: &str = "cognito:mfa_enabled";

/// GetCSVHeader: the pool's attributes (in schema order, `sub` left out), then
/// `cognito:mfa_enabled` and `cognito:username`.
pub fn csv_header(pool: &UserPool) -> Vec<String> {
    pool.schema
        .iter()
        .filter(|a| a.name != "sub")
        .map(|a| a.name.clone())
        .chain([MFA_COLUMN.to_owned(), USERNAME_COLUMN.to_owned()])
        .collect()
}

/// The records of a CSV text, each with the line it starts on (1-based).
pub struct CsvRecords<'a> {
    rest: &'a str,
    line: u64,
}

impl<'a> CsvRecords<'a> {
    pub fn new(text: &'a str) -> Self {
        Self {
            rest: text.strip_prefix('\u{feff}').unwrap_or(text),
            line: 1,
        }
    }
}

impl Iterator for CsvRecords<'_> {
    /// The line number and the fields, or what is wrong with the record.
    type Item = (u64, Result<Vec<String>, String>);

    fn next(&mut self) -> Option<Self::Item> {
        // Blank lines between records are skipped.
        loop {
            if self.rest.is_empty() {
                return None;
            }
            let trimmed = self.rest.trim_start_matches(['\r', '\n']);
            let skipped = &self.rest[..self.rest.len() - trimmed.len()];
            self.line += skipped.matches('\n').count() as u64;
            self.rest = trimmed;
            if !self.rest.is_empty() {
                break;
            }
        }
        let start = self.line;
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut chars = self.rest.char_indices().peekable();
        let mut quoted = false;
        let mut at_field_start = true;
        let mut problem = None;
        let mut end = self.rest.len();
        while let Some((i, c)) = chars.next() {
            if quoted {
                match c {
                    '"' if matches!(chars.peek(), Some((_, '"'))) => {
                        chars.next();
                        field.push('"');
                    }
                    '"' => quoted = false,
                    '\n' => {
                        self.line += 1;
                        field.push(c);
                    }
                    _ => field.push(c),
                }
                continue;
            }
            match c {
                '"' if at_field_start => {
                    quoted = true;
                    at_field_start = false;
                }
                '\\' if matches!(chars.peek(), Some((_, ','))) => {
                    chars.next();
                    field.push(',');
                    at_field_start = false;
                }
                ',' => {
                    fields.push(std::mem::take(&mut field));
                    at_field_start = true;
                }
                '\r' if matches!(chars.peek(), Some((_, '\n'))) => {}
                '\n' => {
                    end = i + 1;
                    self.line += 1;
                    break;
                }
                _ => {
                    field.push(c);
                    at_field_start = false;
                }
            }
        }
        if quoted {
            problem = Some("A quoted value is not closed.".to_owned());
        }
        fields.push(field);
        self.rest = &self.rest[end..];
        Some((start, problem.map_or(Ok(fields), Err)))
    }
}

/// The header of an import file, checked against the pool.
#[derive(Debug, Clone)]
pub struct Columns {
    names: Vec<String>,
    username: usize,
    mfa_enabled: usize,
}

impl Columns {
    /// Checks the header row: both `cognito:` columns present, every other column an attribute
    /// of the pool (not `sub`), none twice. The error is the job's completion message.
    pub fn parse(pool: &UserPool, header: &[String]) -> Result<Self, String> {
        let names: Vec<String> = header.iter().map(|h| h.trim().to_owned()).collect();
        for (i, name) in names.iter().enumerate() {
            if names[..i].contains(name) {
                return Err(format!("The header has the column {name} twice."));
            }
            let known = name == USERNAME_COLUMN
                || name == MFA_COLUMN
                || (name != "sub" && pool.schema_attribute(name).is_some());
            if !known {
                return Err(format!(
                    "The header column {name} is not an attribute of the user pool."
                ));
            }
        }
        let position = |col: &str| {
            names
                .iter()
                .position(|n| n == col)
                .ok_or_else(|| format!("The header has no {col} column."))
        };
        Ok(Self {
            username: position(USERNAME_COLUMN)?,
            mfa_enabled: position(MFA_COLUMN)?,
            names,
        })
    }
}

/// A record as a new user (not stored), or why it cannot be imported. `sub` comes from
/// `random`; the user is created at `now`.
pub fn record_user(
    pool: &UserPool,
    columns: &Columns,
    fields: &[String],
    random: &dyn Random,
    now: Timestamp,
) -> Result<User, String> {
    if fields.len() != columns.names.len() {
        return Err(format!(
            "The record has {} values; the header has {} columns.",
            fields.len(),
            columns.names.len()
        ));
    }
    let username = fields[columns.username].trim();
    if username.is_empty() {
        return Err(format!("{USERNAME_COLUMN} is required."));
    }
    let mfa_enabled = match fields[columns.mfa_enabled]
        .trim()
        .to_ascii_lowercase()
        .as_str()
    {
        "true" => true,
        "false" => false,
        _ => return Err(format!("{MFA_COLUMN} must be true or false.")),
    };
    let written: Vec<(String, String)> = columns
        .names
        .iter()
        .zip(fields)
        .enumerate()
        .filter(|(i, _)| *i != columns.username && *i != columns.mfa_enabled)
        .map(|(_, (name, value))| (name.clone(), value.clone()))
        .collect();
    attributes::check_writes(pool, &written, Writer::Admin, true).map_err(|e| e.message)?;
    let mut attrs: BTreeMap<String, String> = attributes::initial_values(&written);
    let by_attribute = username_attribute(pool, username, &mut attrs).map_err(|e| e.message)?;
    attributes::check_required(pool, &attrs).map_err(|e| e.message)?;
    for (verified, attr) in [
        ("email_verified", "email"),
        ("phone_number_verified", "phone_number"),
    ] {
        if attrs.get(verified).map(String::as_str) == Some("true") && !attrs.contains_key(attr) {
            return Err(format!("{verified} is true but {attr} is not given."));
        }
    }
    // Cognito: each user must have one of the pool's auto-verified attributes verified, so
    // that the password reset code has somewhere to go.
    if !pool.auto_verified_attributes.is_empty()
        && !pool
            .auto_verified_attributes
            .iter()
            .any(|a| attrs.get(&format!("{a}_verified")).map(String::as_str) == Some("true"))
    {
        return Err(format!(
            "One of the auto-verified attributes ({}) must be verified (<attribute>_verified true).",
            pool.auto_verified_attributes.join(", ")
        ));
    }
    if mfa_enabled && !attrs.contains_key("phone_number") {
        return Err(format!(
            "{MFA_COLUMN} is true but the user has no phone_number."
        ));
    }
    let sub = random.uuid();
    let username = if by_attribute.is_some() {
        sub.clone()
    } else {
        username.to_owned()
    };
    let mut user = new_user_record(pool, &username, sub, attrs, UserStatus::ResetRequired, now);
    if mfa_enabled {
        user.mfa.enabled = vec![MfaFactor::SmsMfa];
    }
    Ok(user)
}

/// Records per batch: each batch is one store transaction.
pub const BATCH_SIZE: usize = 1000;

/// What one batch did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct BatchCounts {
    pub imported: i64,
    pub failed: i64,
    /// The line of each record that failed, and why (no attribute values).
    pub failures: Vec<(u64, String)>,
}

/// Imports one batch of records in one store transaction (`insert_users`). A record that
/// cannot be a user, or whose username or alias is taken, is counted as failed; the others
/// are imported. `Err` only when the store failed the whole batch.
pub async fn import_batch(
    store: &dyn crate::store::Store,
    random: &dyn Random,
    now: Timestamp,
    pool: &UserPool,
    columns: &Columns,
    records: Vec<(u64, Result<Vec<String>, String>)>,
) -> crate::Result<BatchCounts> {
    let mut counts = BatchCounts::default();
    let mut users = Vec::with_capacity(records.len());
    let mut lines = Vec::with_capacity(records.len());
    for (line, record) in records {
        match record.and_then(|fields| record_user(pool, columns, &fields, random, now)) {
            Ok(user) => {
                users.push(user);
                lines.push(line);
            }
            Err(why) => counts.failures.push((line, why)),
        }
    }
    let outcomes = store.insert_users(&users).await?;
    for (line, outcome) in lines.into_iter().zip(outcomes) {
        match outcome {
            Ok(()) => counts.imported += 1,
            Err(e @ crate::store::StoreError::Conflict { .. }) => {
                counts
                    .failures
                    .push((line, crate::service::ctx::map_user_conflict(e).message));
            }
            Err(e) => return Err(e.into()),
        }
    }
    counts.failures.sort_by_key(|(line, _)| *line);
    counts.failed = counts.failures.len() as i64;
    Ok(counts)
}
