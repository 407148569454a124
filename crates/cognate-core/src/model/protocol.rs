//! Cognito's protocol values as types. The server parses them from the wire once (`parse`) and
//! writes them back (`as_str`); the core only ever matches on the variants. Stored records
//! serialise them by their wire names.

use serde::{Deserialize, Serialize};

/// A closed set of wire strings as an enum with `parse`, `as_str` and `ALL`.
macro_rules! wire_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $wire)] $variant,)+
        }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];

            pub fn parse(s: &str) -> Option<Self> {
                match s {
                    $($wire => Some(Self::$variant),)+
                    _ => None,
                }
            }

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $wire,)+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

wire_enum! {
    /// `AuthFlowType`: what InitiateAuth / AdminInitiateAuth is asked to do.
    pub enum AuthFlow {
        UserSrpAuth = "USER_SRP_AUTH",
        RefreshTokenAuth = "REFRESH_TOKEN_AUTH",
        /// Legacy alias of REFRESH_TOKEN_AUTH.
        RefreshToken = "REFRESH_TOKEN",
        CustomAuth = "CUSTOM_AUTH",
        /// Legacy alias of ADMIN_USER_PASSWORD_AUTH.
        AdminNoSrpAuth = "ADMIN_NO_SRP_AUTH",
        UserPasswordAuth = "USER_PASSWORD_AUTH",
        AdminUserPasswordAuth = "ADMIN_USER_PASSWORD_AUTH",
        UserAuth = "USER_AUTH",
    }
}

wire_enum! {
    /// `ExplicitAuthFlowsType`: the flows an app client allows (`ALLOW_*`, or the legacy values).
    pub enum ExplicitAuthFlow {
        AdminNoSrpAuth = "ADMIN_NO_SRP_AUTH",
        CustomAuthFlowOnly = "CUSTOM_AUTH_FLOW_ONLY",
        UserPasswordAuth = "USER_PASSWORD_AUTH",
        AllowAdminUserPasswordAuth = "ALLOW_ADMIN_USER_PASSWORD_AUTH",
        AllowCustomAuth = "ALLOW_CUSTOM_AUTH",
        AllowUserPasswordAuth = "ALLOW_USER_PASSWORD_AUTH",
        AllowUserSrpAuth = "ALLOW_USER_SRP_AUTH",
        AllowRefreshTokenAuth = "ALLOW_REFRESH_TOKEN_AUTH",
        AllowUserAuth = "ALLOW_USER_AUTH",
        AllowTokenExchangeDelegation = "ALLOW_TOKEN_EXCHANGE_DELEGATION",
        AllowTokenExchangeImpersonation = "ALLOW_TOKEN_EXCHANGE_IMPERSONATION",
    }
}

impl ExplicitAuthFlow {
    /// The values from before the `ALLOW_` names. A client configured with them also allows
    /// USER_SRP_AUTH and refresh, as Cognito's legacy clients do.
    pub fn is_legacy(self) -> bool {
        matches!(
            self,
            Self::AdminNoSrpAuth | Self::CustomAuthFlowOnly | Self::UserPasswordAuth
        )
    }

    /// Whether this value, on its own, allows `flow`.
    pub fn allows(self, flow: AuthFlow) -> bool {
        use AuthFlow as F;
        match self {
            Self::AllowUserSrpAuth => flow == F::UserSrpAuth,
            Self::AllowRefreshTokenAuth => matches!(flow, F::RefreshTokenAuth | F::RefreshToken),
            Self::AllowCustomAuth | Self::CustomAuthFlowOnly => flow == F::CustomAuth,
            Self::AllowUserPasswordAuth | Self::UserPasswordAuth => flow == F::UserPasswordAuth,
            Self::AllowAdminUserPasswordAuth | Self::AdminNoSrpAuth => {
                matches!(flow, F::AdminUserPasswordAuth | F::AdminNoSrpAuth)
            }
            Self::AllowUserAuth => flow == F::UserAuth,
            Self::AllowTokenExchangeDelegation | Self::AllowTokenExchangeImpersonation => false,
        }
    }
}

wire_enum! {
    /// `ChallengeNameType`: the challenges of a sign-in.
    pub enum ChallengeName {
        SmsMfa = "SMS_MFA",
        EmailOtp = "EMAIL_OTP",
        SoftwareTokenMfa = "SOFTWARE_TOKEN_MFA",
        SelectMfaType = "SELECT_MFA_TYPE",
        MfaSetup = "MFA_SETUP",
        PasswordVerifier = "PASSWORD_VERIFIER",
        CustomChallenge = "CUSTOM_CHALLENGE",
        SelectChallenge = "SELECT_CHALLENGE",
        DeviceSrpAuth = "DEVICE_SRP_AUTH",
        DevicePasswordVerifier = "DEVICE_PASSWORD_VERIFIER",
        AdminNoSrpAuth = "ADMIN_NO_SRP_AUTH",
        NewPasswordRequired = "NEW_PASSWORD_REQUIRED",
        SmsOtp = "SMS_OTP",
        Password = "PASSWORD",
        WebAuthn = "WEB_AUTHN",
        PasswordSrp = "PASSWORD_SRP",
    }
}

wire_enum! {
    /// A second factor a user can enable (`UserMFASettingList`, `PreferredMfaSetting`,
    /// `MFAS_CAN_CHOOSE`, `MFAS_CAN_SETUP`).
    pub enum MfaFactor {
        SoftwareTokenMfa = "SOFTWARE_TOKEN_MFA",
        SmsMfa = "SMS_MFA",
        EmailOtp = "EMAIL_OTP",
    }
}

impl MfaFactor {
    /// The challenge that asks for this factor's code.
    pub fn challenge(self) -> ChallengeName {
        match self {
            Self::SoftwareTokenMfa => ChallengeName::SoftwareTokenMfa,
            Self::SmsMfa => ChallengeName::SmsMfa,
            Self::EmailOtp => ChallengeName::EmailOtp,
        }
    }
}

wire_enum! {
    /// `DeliveryMediumType`: how a code reaches the user.
    pub enum DeliveryMedium {
        Sms = "SMS",
        Email = "EMAIL",
    }
}

wire_enum! {
    /// Progress of a stored challenge session. An MFA_SETUP session moves from `challenge` to
    /// `associated` (AssociateSoftwareToken) to `verified` (VerifySoftwareToken).
    pub enum SessionStage {
        Challenge = "challenge",
        Associated = "associated",
        Verified = "verified",
    }
}

wire_enum! {
    /// Why a message is sent: the operation that caused it.
    pub enum MessageKind {
        SignUp = "SignUp",
        ResendConfirmationCode = "ResendConfirmationCode",
        ForgotPassword = "ForgotPassword",
        AdminResetUserPassword = "AdminResetUserPassword",
        /// An invitation carrying a temporary password.
        AdminCreateUser = "AdminCreateUser",
        VerifyUserAttribute = "VerifyUserAttribute",
        /// An SMS_MFA or EMAIL_OTP sign-in code.
        Authentication = "Authentication",
    }
}

impl MessageKind {
    /// Invitations use the pool's invitation template; the others its verification template.
    pub fn is_invitation(self) -> bool {
        self == Self::AdminCreateUser
    }
}

wire_enum! {
    /// `RecoveryOptionNameType`: where a password-reset code may go.
    pub enum RecoveryOption {
        VerifiedEmail = "verified_email",
        VerifiedPhoneNumber = "verified_phone_number",
        AdminOnly = "admin_only",
    }
}

wire_enum! {
    /// `AttributeDataType`: the type of a user-pool schema attribute.
    pub enum AttributeDataType {
        String = "String",
        Number = "Number",
        DateTime = "DateTime",
        Boolean = "Boolean",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_round_trip() {
        for f in AuthFlow::ALL {
            assert_eq!(AuthFlow::parse(f.as_str()), Some(*f));
        }
        for c in ChallengeName::ALL {
            assert_eq!(ChallengeName::parse(c.as_str()), Some(*c));
            assert_eq!(
                serde_json::to_value(c).ok(),
                Some(serde_json::json!(c.as_str()))
            );
        }
        assert_eq!(ChallengeName::ALL.len(), 16);
        assert_eq!(ExplicitAuthFlow::ALL.len(), 11);
        assert_eq!(AuthFlow::parse("NOPE"), None);
    }

    #[test]
    fn legacy_values_map_to_their_flows() {
        use ExplicitAuthFlow as E;
        assert!(E::AdminNoSrpAuth.allows(AuthFlow::AdminUserPasswordAuth));
        assert!(E::UserPasswordAuth.allows(AuthFlow::UserPasswordAuth));
        assert!(E::CustomAuthFlowOnly.allows(AuthFlow::CustomAuth));
        assert!(!E::AllowUserSrpAuth.allows(AuthFlow::UserPasswordAuth));
        assert!(E::ALL.iter().filter(|e| e.is_legacy()).count() == 3);
    }
}
