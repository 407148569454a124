use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TimeUnit {
    Seconds,
    Minutes,
    Hours,
    Days,
}

impl TimeUnit {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "seconds" => Some(Self::Seconds),
            "minutes" => Some(Self::Minutes),
            "hours" => Some(Self::Hours),
            "days" => Some(Self::Days),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Seconds => "seconds",
            Self::Minutes => "minutes",
            Self::Hours => "hours",
            Self::Days => "days",
        }
    }
    pub fn seconds(self, n: i64) -> i64 {
        n.saturating_mul(match self {
            Self::Seconds => 1,
            Self::Minutes => 60,
            Self::Hours => 3600,
            Self::Days => 86400,
        })
    }
}

/// A validity as configured (value and unit), so Describe echoes what was set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validity {
    pub value: i64,
    pub unit: TimeUnit,
}

impl Validity {
    pub fn seconds(self) -> i64 {
        self.unit.seconds(self.value)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppClient {
    pub pool_id: String,
    pub client_id: String,
    pub name: String,
    pub secret: Option<String>,
    pub created: Timestamp,
    pub modified: Timestamp,
    /// `ALLOW_*` flags (legacy names are normalised to their `ALLOW_` form when checked).
    pub explicit_auth_flows: Vec<String>,
    pub access_token_validity: Validity,
    pub id_token_validity: Validity,
    pub refresh_token_validity: Validity,
    /// Minutes (3–15).
    pub auth_session_validity: i64,
    pub prevent_user_existence_errors: bool,
    pub enable_token_revocation: bool,
    /// Attributes readable/writable through this client; empty means all.
    pub read_attributes: Vec<String>,
    pub write_attributes: Vec<String>,
    /// Stored and echoed, not interpreted (callback URLs, OAuth settings, ...).
    pub settings: serde_json::Map<String, serde_json::Value>,
}

impl AppClient {
    /// Whether the client allows `flow` (`ALLOW_USER_PASSWORD_AUTH` etc.), honouring legacy names.
    pub fn allows(&self, allow_flag: &str) -> bool {
        self.explicit_auth_flows.iter().any(|f| {
            f == allow_flag
                || matches!(
                    (f.as_str(), allow_flag),
                    ("ADMIN_NO_SRP_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH")
                        | ("USER_PASSWORD_AUTH", "ALLOW_USER_PASSWORD_AUTH")
                        | ("CUSTOM_AUTH_FLOW_ONLY", "ALLOW_CUSTOM_AUTH")
                )
        }) || (allow_flag == "ALLOW_REFRESH_TOKEN_AUTH"
            && self
                .explicit_auth_flows
                .iter()
                .any(|f| !f.starts_with("ALLOW_")))
    }
}
