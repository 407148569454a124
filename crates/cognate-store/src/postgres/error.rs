//! PostgreSQL errors as store errors. PostgreSQL names the constraint a write violated; every
//! constraint in `migrations/postgres` is named, and [`constraint_named`] is the one place a
//! name becomes a typed [`Constraint`].

use cognate_core::store::{Constraint, StoreError};
use tokio_postgres::error::SqlState;

/// Why one attempt of a store call failed: a database error (kept whole, so that a
/// serialization failure can be retried) or a store error already decided.
#[derive(Debug)]
pub(crate) enum Failure {
    Db(tokio_postgres::Error),
    Store(StoreError),
}

pub(crate) type Attempt<T> = Result<T, Failure>;

impl From<tokio_postgres::Error> for Failure {
    fn from(e: tokio_postgres::Error) -> Self {
        Self::Db(e)
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Self::Store(e)
    }
}

/// The typed constraint behind a constraint name of the schema.
fn constraint_named(name: &str) -> Constraint {
    match name {
        "pools_pkey" => Constraint::Pool,
        "clients_pkey" => Constraint::Client,
        "users_pkey" | "users_by_key" => Constraint::Username,
        "users_by_sub" => Constraint::Sub,
        "groups_pkey" => Constraint::Group,
        "signing_keys_pkey" => Constraint::SigningKey,
        "resources_pkey" | "resources_domain_key" => Constraint::Resource,
        _ => Constraint::Unique,
    }
}

/// A constraint violation as `Conflict`, anything else as `Other`.
pub(crate) fn store_error(e: &tokio_postgres::Error) -> StoreError {
    if let Some(db) = e.as_db_error() {
        if *db.code() == SqlState::UNIQUE_VIOLATION {
            return StoreError::Conflict {
                constraint: constraint_named(db.constraint().unwrap_or("")),
            };
        }
        if *db.code() == SqlState::FOREIGN_KEY_VIOLATION {
            return StoreError::Conflict {
                constraint: Constraint::Reference,
            };
        }
        return StoreError::Other(format!("database: {} ({})", db.message(), db.code().code()));
    }
    StoreError::Other(format!("database: {e}"))
}

/// Whether running the whole transaction again may succeed: a serialization failure
/// (CockroachDB's answer to contention, PostgreSQL's under SERIALIZABLE) or a deadlock.
pub(crate) fn retryable(e: &tokio_postgres::Error) -> bool {
    matches!(
        e.code(),
        Some(c) if *c == SqlState::T_R_SERIALIZATION_FAILURE || *c == SqlState::T_R_DEADLOCK_DETECTED
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_map_to_constraints() {
        assert_eq!(constraint_named("users_by_key"), Constraint::Username);
        assert_eq!(constraint_named("users_by_sub"), Constraint::Sub);
        assert_eq!(constraint_named("resources_pkey"), Constraint::Resource);
        assert_eq!(constraint_named("something_else"), Constraint::Unique);
    }

    #[test]
    fn every_mapped_name_is_in_the_schema() {
        let schema: String = crate::migrations::POSTGRES.iter().map(|m| m.sql).collect();
        for name in [
            "pools_pkey",
            "clients_pkey",
            "users_pkey",
            "users_by_key",
            "users_by_sub",
            "groups_pkey",
            "signing_keys_pkey",
            "resources_pkey",
            "user_aliases_pkey",
        ] {
            assert!(
                schema.contains(&format!("CONSTRAINT {name} ")),
                "{name} not in the schema"
            );
        }
    }
}
