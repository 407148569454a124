//! The pages of each sign-in step. Every form posts to `<base>/login` with the authorization
//! request's parameters, the CSRF token and the step, as hidden fields.

use axum::http::StatusCode;
use axum::response::Response;

use super::page::{alert, code_field, esc, field, form, html, layout};
use super::qr::qr_img;

/// What every page of one sign-in shares.
pub struct View {
    pub base_path: String,
    /// The authorization request's parameters and the CSRF token.
    pub carried: Vec<(String, String)>,
}

impl View {
    fn css(&self) -> String {
        format!("{}/login.css", self.base_path)
    }

    fn action(&self) -> String {
        format!("{}/login", self.base_path)
    }

    fn fields(&self, step: &str, extra: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut f = self.carried.clone();
        f.push(("step".into(), step.into()));
        f.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        f
    }

    fn page(&self, status: StatusCode, title: &str, body: &str) -> Response {
        html(status, layout(&self.css(), title, body))
    }

    fn status(error: Option<&str>) -> StatusCode {
        if error.is_some() {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::OK
        }
    }

    pub fn sign_in(&self, username: &str, error: Option<&str>) -> Response {
        self.sign_in_with(username, error, None)
    }

    /// The sign-in page with a note (after sign-up or a password reset).
    pub fn sign_in_with(
        &self,
        username: &str,
        error: Option<&str>,
        info: Option<&str>,
    ) -> Response {
        let note = info.map_or_else(String::new, |m| {
            format!("<p class=\"info\" role=\"status\">{}</p>", esc(m))
        });
        let inner = format!(
            "{note}{}{}{}",
            alert(error),
            field("username", "Username", "text", "username", username),
            field("password", "Password", "password", "current-password", ""),
        );
        let body = format!(
            "{}<p class=\"links\"><a href=\"{}\">Forgot your password?</a> · \
             <a href=\"{}\">Create an account</a></p>",
            form(
                &self.action(),
                &self.fields("password", &[]),
                &inner,
                "Sign in"
            ),
            esc(&self.link("forgotPassword")),
            esc(&self.link("signup")),
        );
        self.page(Self::status(error), "Sign in", &body)
    }

    /// A page of the managed login with the authorization request's parameters (no CSRF token:
    /// that travels in forms only).
    pub fn link(&self, page: &str) -> String {
        let pairs: Vec<(&str, &str)> = self
            .carried
            .iter()
            .filter(|(k, _)| k != super::csrf::FIELD)
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        crate::http::oauth2::web::with_query(&format!("{}/{page}", self.base_path), &pairs)
    }

    /// A form of another page (`signup`, `forgotPassword`) carrying the request's parameters.
    pub fn page_form(
        &self,
        page: &str,
        step: &str,
        extra: &[(&str, &str)],
        inner: &str,
        submit: &str,
    ) -> String {
        form(
            &format!("{}/{page}", self.base_path),
            &self.fields(step, extra),
            inner,
            submit,
        )
    }

    pub fn titled(&self, error: Option<&str>, title: &str, body: &str) -> Response {
        self.page(Self::status(error), title, body)
    }

    pub fn totp(&self, username: &str, session: &str, error: Option<&str>) -> Response {
        let inner = format!(
            "{}<p>Open your authenticator app and enter the 6-digit code it shows for this account.</p>{}",
            alert(error),
            code_field("code", "Code from your authenticator app"),
        );
        let body = form(
            &self.action(),
            &self.fields("totp", &[("username", username), ("session", session)]),
            &inner,
            "Verify",
        );
        self.page(Self::status(error), "Enter your code", &body)
    }

    /// A code sent by SMS (`SMS_MFA`) or e-mail (`EMAIL_OTP`) to `destination`, masked as the
    /// challenge gives it.
    pub fn mfa_code(
        &self,
        username: &str,
        session: &str,
        challenge: &str,
        destination: &str,
        error: Option<&str>,
    ) -> Response {
        let how = if challenge == "EMAIL_OTP" {
            "an e-mail"
        } else {
            "a text message"
        };
        let inner = format!(
            "{}<p>We sent {how} with a sign-in code to <strong id=\"code-destination\">{}</strong>. \
             Enter the code below.</p>{}",
            alert(error),
            esc(destination),
            code_field("code", "Sign-in code"),
        );
        let fields = [
            ("username", username),
            ("session", session),
            ("challenge", challenge),
            ("destination", destination),
        ];
        let body = form(
            &self.action(),
            &self.fields("mfa_code", &fields),
            &inner,
            "Verify",
        );
        self.page(Self::status(error), "Enter your code", &body)
    }

    /// SELECT_MFA_TYPE: the user has several second factors and no preferred one.
    pub fn select_mfa(
        &self,
        username: &str,
        session: &str,
        choices: &[String],
        error: Option<&str>,
    ) -> Response {
        let options: String = choices
            .iter()
            .map(|c| {
                let label = match c.as_str() {
                    "SOFTWARE_TOKEN_MFA" => "Authenticator app",
                    "SMS_MFA" => "Text message (SMS)",
                    "EMAIL_OTP" => "E-mail",
                    other => other,
                };
                format!(
                    "<label class=\"choice\"><input type=\"radio\" name=\"answer\" value=\"{}\" required> {}</label>",
                    esc(c),
                    esc(label)
                )
            })
            .collect();
        let inner = format!(
            "{}<fieldset><legend>How do you want to confirm it is you?</legend>{options}</fieldset>",
            alert(error)
        );
        let choices = choices.join(",");
        let body = form(
            &self.action(),
            &self.fields(
                "select_mfa",
                &[
                    ("username", username),
                    ("session", session),
                    ("choices", &choices),
                ],
            ),
            &inner,
            "Continue",
        );
        self.page(Self::status(error), "Choose a sign-in method", &body)
    }

    /// TOTP enrolment: `step` is `mfa_setup` inside a sign-in (MFA required) or
    /// `optional_setup` after one (MFA optional, the user chose to set it up).
    #[allow(clippy::too_many_arguments)]
    pub fn totp_setup(
        &self,
        step: &str,
        username: &str,
        session: &str,
        secret: &str,
        otpauth_uri: &str,
        error: Option<&str>,
    ) -> Response {
        let inner = format!(
            "{err}<p>This account needs an authenticator app (such as Google Authenticator, \
             Authy or 1Password). Scan the QR code with it, or type the key below, then enter \
             the code the app shows.</p>{qr}\
             <p>Key: <code class=\"secret\" id=\"totp-secret\">{secret}</code></p>{code}{device}",
            err = alert(error),
            qr = qr_img(otpauth_uri),
            secret = esc(secret),
            code = code_field("code", "Code from your authenticator app"),
            device = field("device", "Device name (optional)", "text", "off", "")
                .replace(" required>", ">"),
        );
        let body = form(
            &self.action(),
            &self.fields(
                step,
                &[
                    ("username", username),
                    ("session", session),
                    ("secret", secret),
                ],
            ),
            &inner,
            "Set up and continue",
        );
        self.page(Self::status(error), "Set up your authenticator app", &body)
    }

    /// After a sign-in in a pool where MFA is optional: offer an authenticator app.
    pub fn offer_totp(&self, username: &str) -> Response {
        let inner = "<p>Add an authenticator app to protect your account: after your password, \
                     you will also enter a code from the app.</p>\
                     <button type=\"submit\" name=\"choice\" value=\"setup\">Set up an authenticator app</button>";
        let body = form(
            &self.action(),
            &self.fields("offer", &[("username", username)]),
            inner,
            "Not now",
        )
        .replace(
            "<button type=\"submit\">Not now",
            "<button type=\"submit\" name=\"choice\" value=\"skip\" class=\"secondary\">Not now",
        );
        self.page(StatusCode::OK, "Protect your account", &body)
    }

    pub fn new_password(&self, username: &str, session: &str, error: Option<&str>) -> Response {
        let inner = format!(
            "{}<p>You need to choose a new password before you continue.</p>{}",
            alert(error),
            field(
                "new_password",
                "New password",
                "password",
                "new-password",
                ""
            ),
        );
        let body = form(
            &self.action(),
            &self.fields(
                "new_password",
                &[("username", username), ("session", session)],
            ),
            &inner,
            "Change password and sign in",
        );
        self.page(Self::status(error), "Choose a new password", &body)
    }
}
