use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;
use crate::model::{AuthFlow, ExplicitAuthFlow};

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

/// A token validity in effect: the value and its unit (the one given, else the default unit:
/// hours for access and ID tokens, days for refresh tokens).
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
    /// `ALLOW_*` values, or legacy ones (see [`AppClient::allows`]).
    pub explicit_auth_flows: Vec<ExplicitAuthFlow>,
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
    /// Which of the settings above the request gave; the rest are Cognito's defaults.
    #[serde(default)]
    pub given: GivenSettings,
}

/// The settings a Create/UpdateUserPoolClient request named. DescribeUserPoolClient shows
/// these members only when they were given, as Cognito does (a client created with a name only
/// has `TokenValidityUnits: {}` and no ExplicitAuthFlows, AccessTokenValidity, IdTokenValidity
/// or PreventUserExistenceErrors), while the defaults apply all the same.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GivenSettings {
    pub explicit_auth_flows: bool,
    pub access_token_validity: bool,
    pub id_token_validity: bool,
    /// The `TokenValidityUnits` members given.
    pub access_token_unit: Option<TimeUnit>,
    pub id_token_unit: Option<TimeUnit>,
    pub refresh_token_unit: Option<TimeUnit>,
    pub prevent_user_existence_errors: bool,
}

impl AppClient {
    /// Whether the client allows `flow`. A client configured with legacy values (which cannot
    /// be mixed with `ALLOW_*` ones) also allows USER_SRP_AUTH and refresh, as Cognito's do.
    pub fn allows(&self, flow: AuthFlow) -> bool {
        let legacy = self.explicit_auth_flows.iter().any(|f| f.is_legacy());
        self.explicit_auth_flows.iter().any(|f| f.allows(flow))
            || (legacy
                && matches!(
                    flow,
                    AuthFlow::UserSrpAuth | AuthFlow::RefreshTokenAuth | AuthFlow::RefreshToken
                ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(flows: &[ExplicitAuthFlow]) -> AppClient {
        let mut c: AppClient = serde_json::from_value(serde_json::json!({
            "pool_id": "p", "client_id": "c", "name": "c", "secret": null,
            "created": 0, "modified": 0, "explicit_auth_flows": [],
            "access_token_validity": {"value": 60, "unit": "Minutes"},
            "id_token_validity": {"value": 60, "unit": "Minutes"},
            "refresh_token_validity": {"value": 30, "unit": "Days"},
            "auth_session_validity": 3, "prevent_user_existence_errors": false,
            "enable_token_revocation": true, "read_attributes": [], "write_attributes": [],
            "settings": {}
        }))
        .expect("client json");
        c.explicit_auth_flows = flows.to_vec();
        c
    }

    #[test]
    fn legacy_flows_also_allow_srp_and_refresh() {
        use AuthFlow as F;
        use ExplicitAuthFlow as E;
        for legacy in [
            E::AdminNoSrpAuth,
            E::UserPasswordAuth,
            E::CustomAuthFlowOnly,
        ] {
            let c = client(&[legacy]);
            assert!(c.allows(F::UserSrpAuth), "{legacy}");
            assert!(c.allows(F::RefreshTokenAuth), "{legacy}");
            assert!(c.allows(F::RefreshToken), "{legacy}");
            assert!(!c.allows(F::UserAuth), "{legacy}");
        }
        assert!(client(&[E::AdminNoSrpAuth]).allows(F::AdminUserPasswordAuth));
        assert!(!client(&[E::AdminNoSrpAuth]).allows(F::UserPasswordAuth));
        assert!(client(&[E::UserPasswordAuth]).allows(F::UserPasswordAuth));
        assert!(client(&[E::CustomAuthFlowOnly]).allows(F::CustomAuth));
        let modern = client(&[E::AllowUserPasswordAuth]);
        assert!(modern.allows(F::UserPasswordAuth));
        assert!(!modern.allows(F::UserSrpAuth));
        assert!(!modern.allows(F::RefreshTokenAuth));
    }
}
