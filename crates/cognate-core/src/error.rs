//! One error type whose kinds mirror the AWS exception names clients match on.

use std::fmt;

/// The AWS exception a client sees. `code()` is the `__type` on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    AliasExists,
    CodeDeliveryFailure,
    CodeMismatch,
    ConcurrentModification,
    DuplicateProvider,
    EnableSoftwareTokenMfa,
    ExpiredCode,
    GroupExists,
    InternalError,
    InvalidParameter,
    InvalidPassword,
    InvalidOAuthFlow,
    InvalidUserPoolConfiguration,
    LimitExceeded,
    NotAuthorized,
    PasswordHistoryPolicyViolation,
    PasswordResetRequired,
    PreconditionNotMet,
    ResourceNotFound,
    ScopeDoesNotExist,
    SoftwareTokenMfaNotFound,
    TooManyFailedAttempts,
    TooManyRequests,
    Unauthorized,
    UnsupportedOperation,
    UnsupportedUserState,
    UnsupportedTokenType,
    UserNotConfirmed,
    UserNotFound,
    UsernameExists,
}

impl ErrorKind {
    pub fn code(self) -> &'static str {
        use ErrorKind::*;
        match self {
            AliasExists => "AliasExistsException",
            CodeDeliveryFailure => "CodeDeliveryFailureException",
            CodeMismatch => "CodeMismatchException",
            ConcurrentModification => "ConcurrentModificationException",
            DuplicateProvider => "DuplicateProviderException",
            EnableSoftwareTokenMfa => "EnableSoftwareTokenMFAException",
            ExpiredCode => "ExpiredCodeException",
            GroupExists => "GroupExistsException",
            InternalError => "InternalErrorException",
            InvalidParameter => "InvalidParameterException",
            InvalidPassword => "InvalidPasswordException",
            InvalidOAuthFlow => "InvalidOAuthFlowException",
            InvalidUserPoolConfiguration => "InvalidUserPoolConfigurationException",
            LimitExceeded => "LimitExceededException",
            NotAuthorized => "NotAuthorizedException",
            PasswordHistoryPolicyViolation => "PasswordHistoryPolicyViolationException",
            PasswordResetRequired => "PasswordResetRequiredException",
            PreconditionNotMet => "PreconditionNotMetException",
            ResourceNotFound => "ResourceNotFoundException",
            ScopeDoesNotExist => "ScopeDoesNotExistException",
            SoftwareTokenMfaNotFound => "SoftwareTokenMFANotFoundException",
            TooManyFailedAttempts => "TooManyFailedAttemptsException",
            TooManyRequests => "TooManyRequestsException",
            Unauthorized => "UnauthorizedException",
            UnsupportedOperation => "UnsupportedOperationException",
            UnsupportedUserState => "UnsupportedUserStateException",
            UnsupportedTokenType => "UnsupportedTokenTypeException",
            UserNotConfirmed => "UserNotConfirmedException",
            UserNotFound => "UserNotFoundException",
            UsernameExists => "UsernameExistsException",
        }
    }
}

/// A failed use-case. Client errors carry the message sent on the wire; internal errors carry
/// a description that is logged and never sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CognitoError {
    pub kind: ErrorKind,
    pub message: String,
}

pub type Result<T, E = CognitoError> = std::result::Result<T, E>;

impl CognitoError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }
    pub fn internal(detail: impl fmt::Display) -> Self {
        Self::new(ErrorKind::InternalError, detail.to_string())
    }
    pub fn invalid_parameter(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidParameter, message)
    }
    pub fn not_authorized(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotAuthorized, message)
    }
    pub fn resource_not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::ResourceNotFound, message)
    }
    pub fn user_not_found() -> Self {
        Self::new(ErrorKind::UserNotFound, "User does not exist.")
    }
    pub fn pool_not_found(pool_id: &str) -> Self {
        Self::resource_not_found(format!("User pool {pool_id} does not exist."))
    }
    pub fn client_not_found(client_id: &str) -> Self {
        Self::resource_not_found(format!("User pool client {client_id} does not exist."))
    }
    /// The server is at capacity for CPU-heavy work: refused at once, nothing was done, the
    /// caller may retry. "Too many requests" is what Cognito itself answers when it throttles.
    pub fn too_many_requests() -> Self {
        Self::new(ErrorKind::TooManyRequests, "Too many requests")
    }
    pub fn incorrect_credentials() -> Self {
        Self::not_authorized("Incorrect username or password.")
    }
    pub fn is_internal(&self) -> bool {
        self.kind == ErrorKind::InternalError
    }
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }
}

impl fmt::Display for CognitoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.code(), self.message)
    }
}

impl std::error::Error for CognitoError {}
