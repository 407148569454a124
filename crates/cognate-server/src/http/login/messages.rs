//! What a person reads when a sign-in step fails: Cognito's error, said plainly.

use cognate_core::{CognitoError, ErrorKind};

pub fn friendly(e: &CognitoError) -> String {
    use ErrorKind as K;
    match e.kind {
        K::InternalError => "Something went wrong on our side. Please try again.".into(),
        K::TooManyRequests | K::LimitExceeded | K::TooManyFailedAttempts => {
            "Too many attempts. Please wait a few minutes and try again.".into()
        }
        K::CodeMismatch | K::EnableSoftwareTokenMfa => {
            "That code is not right. Check the code in your authenticator app and try again.".into()
        }
        K::ExpiredCode => "That code has expired. Please request a new one.".into(),
        K::UserNotConfirmed => {
            "Your account is not confirmed yet. Confirm it with the code we sent you.".into()
        }
        K::PasswordResetRequired => {
            "You need to reset your password before you can sign in.".into()
        }
        K::InvalidPassword => format!("That password cannot be used. {}", e.message),
        K::NotAuthorized if e.message.contains("session") => {
            "This sign-in took too long or was already used. Please sign in again.".into()
        }
        K::NotAuthorized if e.message.contains("Password attempts exceeded") => {
            "Too many wrong passwords. Your account is locked for a while; try again later.".into()
        }
        K::NotAuthorized | K::UserNotFound => "Incorrect username or password.".into(),
        _ => e.message.clone(),
    }
}

/// Whether the step's session can no longer be used (the person must start again).
pub fn session_gone(e: &CognitoError) -> bool {
    e.kind == ErrorKind::NotAuthorized && e.message.contains("session")
}
