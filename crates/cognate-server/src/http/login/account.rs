//! The account pages of the managed login: sign-up with its confirmation code
//! (`/signup`), and forgot password with the code and a new password (`/forgotPassword`).
//! They run the API's use-cases (SignUp, ConfirmSignUp, ForgotPassword,
//! ConfirmForgotPassword) and end on the sign-in page of the same authorization request.

use std::collections::HashMap;

use axum::response::Response;
use cognate_core::crypto::secret_hash;
use cognate_core::model::AppClient;
use cognate_core::service::users::passwords::{confirm_forgot_password, forgot_password};
use cognate_core::service::users::sign_up::{confirm_sign_up, sign_up, SignUpRequest};
use cognate_core::service::Ctx;

use super::messages::friendly;
use super::page::{alert, code_field, esc, field};
use super::views::View;

pub struct Account<'a, 'c> {
    pub ctx: &'a Ctx<'c>,
    pub view: &'a View,
    pub client: &'a AppClient,
    pub form: &'a HashMap<String, String>,
}

impl Account<'_, '_> {
    fn get(&self, k: &str) -> &str {
        self.form.get(k).map(String::as_str).unwrap_or("").trim()
    }

    fn hash(&self, username: &str) -> Option<String> {
        self.client
            .secret
            .as_ref()
            .map(|s| secret_hash::compute(s, username, &self.client.client_id))
    }

    pub fn sign_up_page(&self, username: &str, email: &str, error: Option<&str>) -> Response {
        let inner = format!(
            "{}{}{}{}",
            alert(error),
            field("username", "Username", "text", "username", username),
            field("email", "Email", "email", "email", email),
            field("password", "Password", "password", "new-password", ""),
        );
        let body = self
            .view
            .page_form("signup", "signup", &[], &inner, "Create account");
        self.view.titled(error, "Create an account", &body)
    }

    fn confirm_page(&self, username: &str, error: Option<&str>, sent_to: Option<&str>) -> Response {
        let note = sent_to.map_or_else(String::new, |d| {
            format!(
                "<p class=\"info\" role=\"status\">We sent a code to {}.</p>",
                esc(d)
            )
        });
        let inner = format!(
            "{note}{}{}",
            alert(error),
            code_field("code", "Confirmation code")
        );
        let body = self.view.page_form(
            "signup",
            "confirm",
            &[("username", username)],
            &inner,
            "Confirm account",
        );
        self.view.titled(error, "Confirm your account", &body)
    }

    pub async fn sign_up_step(&self) -> Response {
        let username = self.get("username").to_owned();
        if self.get("step") == "confirm" {
            let code = self.get("code");
            let hash = self.hash(&username);
            return match confirm_sign_up(
                self.ctx,
                &self.client.client_id,
                hash.as_deref(),
                &username,
                code,
                false,
            )
            .await
            {
                Ok(()) => self.view.sign_in_with(
                    &username,
                    None,
                    Some("Your account is confirmed. You can sign in now."),
                ),
                Err(e) => self.confirm_page(&username, Some(&friendly(&e)), None),
            };
        }
        let email = self.get("email").to_owned();
        let mut attributes = Vec::new();
        if !email.is_empty() {
            attributes.push(("email".to_owned(), email.clone()));
        }
        let req = SignUpRequest {
            client_id: self.client.client_id.clone(),
            secret_hash: self.hash(&username),
            username: username.clone(),
            password: self.form.get("password").cloned().unwrap_or_default(),
            attributes,
        };
        match sign_up(self.ctx, req).await {
            Ok(r) if r.confirmed => self.view.sign_in_with(
                &username,
                None,
                Some("Your account is ready. You can sign in now."),
            ),
            Ok(r) => self.confirm_page(
                &username,
                None,
                r.delivery.as_ref().map(|d| d.destination.as_str()),
            ),
            Err(e) => self.sign_up_page(&username, &email, Some(&friendly(&e))),
        }
    }

    pub fn forgot_page(&self, username: &str, error: Option<&str>) -> Response {
        let inner = format!(
            "{}<p>Enter your username and we will send you a code to reset your password.</p>{}",
            alert(error),
            field("username", "Username", "text", "username", username),
        );
        let body = self
            .view
            .page_form("forgotPassword", "request", &[], &inner, "Send code");
        self.view.titled(error, "Reset your password", &body)
    }

    fn reset_page(&self, username: &str, error: Option<&str>, sent_to: Option<&str>) -> Response {
        let note = sent_to.map_or_else(String::new, |d| {
            format!(
                "<p class=\"info\" role=\"status\">We sent a code to {}.</p>",
                esc(d)
            )
        });
        let inner = format!(
            "{note}{}{}{}",
            alert(error),
            code_field("code", "Code"),
            field(
                "new_password",
                "New password",
                "password",
                "new-password",
                ""
            ),
        );
        let body = self.view.page_form(
            "forgotPassword",
            "confirm",
            &[("username", username)],
            &inner,
            "Change password",
        );
        self.view.titled(error, "Choose a new password", &body)
    }

    pub async fn forgot_step(&self) -> Response {
        let username = self.get("username").to_owned();
        let hash = self.hash(&username);
        if self.get("step") == "confirm" {
            let password = self.form.get("new_password").cloned().unwrap_or_default();
            return match confirm_forgot_password(
                self.ctx,
                &self.client.client_id,
                hash.as_deref(),
                &username,
                self.get("code"),
                &password,
            )
            .await
            {
                Ok(()) => self.view.sign_in_with(
                    &username,
                    None,
                    Some("Your password has been changed. You can sign in now."),
                ),
                Err(e) => self.reset_page(&username, Some(&friendly(&e)), None),
            };
        }
        match forgot_password(self.ctx, &self.client.client_id, hash.as_deref(), &username).await {
            Ok(d) => self.reset_page(&username, None, Some(&d.destination)),
            Err(e) => self.forgot_page(&username, Some(&friendly(&e))),
        }
    }
}
