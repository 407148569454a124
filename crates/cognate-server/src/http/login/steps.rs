//! `POST /login`: one sign-in step per post, each through the same use-case as the API
//! (InitiateAuth, RespondToAuthChallenge, AssociateSoftwareToken, VerifySoftwareToken), so
//! lockout, attempt limits and TOTP replay rules are the API's.

use std::collections::{BTreeMap, HashMap};

use axum::response::Response;
use cognate_core::crypto::{secret_hash, totp};
use cognate_core::model::{AppClient, AuthFlow, ChallengeName, MfaConfiguration};
use cognate_core::service::mfa::mfa_preferences::{
    admin_set_user_mfa_preference, FactorSetting, MfaPreference,
};
use cognate_core::service::mfa::software_token::{
    associate_software_token, verify_software_token, Caller,
};
use cognate_core::service::oauth2::login_session;
use cognate_core::service::sign_in::flow::{Api, AuthOutcome};
use cognate_core::service::sign_in::initiate_auth::initiate_auth;
use cognate_core::service::sign_in::respond_to_auth_challenge::respond_to_auth_challenge;
use cognate_core::service::Ctx;
use cognate_core::Result;

use super::messages::{friendly, session_gone};
use super::views::View;
use crate::http::oauth2::authorize::{finish, AuthorizeRequest, SESSION_COOKIE};
use crate::http::oauth2::domain::Domain;
use crate::http::oauth2::web::set_cookie;

pub struct Step<'a, 'c> {
    pub ctx: &'a Ctx<'c>,
    pub domain: &'a Domain,
    pub req: &'a AuthorizeRequest,
    pub view: &'a View,
    pub client: &'a AppClient,
    pub form: &'a HashMap<String, String>,
    /// The managed-login session cookie, if the browser has one.
    pub session_cookie: Option<String>,
}

impl Step<'_, '_> {
    fn get(&self, k: &str) -> &str {
        self.form.get(k).map(String::as_str).unwrap_or("")
    }

    /// The parameters every step sends: USERNAME and, for a client with a secret, SECRET_HASH
    /// (the managed login knows the secret, as Cognito's does).
    fn base(&self) -> BTreeMap<String, String> {
        let username = self.get("username").trim();
        let mut m = BTreeMap::new();
        m.insert("USERNAME".into(), username.to_owned());
        if let Some(secret) = &self.client.secret {
            m.insert(
                "SECRET_HASH".into(),
                secret_hash::compute(secret, username, &self.client.client_id),
            );
        }
        m
    }

    pub async fn run(&self) -> Response {
        match self.get("step") {
            "totp" => self.totp().await,
            "mfa_setup" => self.mfa_setup().await,
            "new_password" => self.new_password().await,
            "mfa_code" => self.mfa_code().await,
            "select_mfa" => self.select_mfa().await,
            "offer" => self.offer().await,
            "optional_setup" => self.optional_setup().await,
            _ => self.password().await,
        }
    }

    async fn password(&self) -> Response {
        let username = self.get("username").trim();
        let mut params = self.base();
        params.insert("PASSWORD".into(), self.get("password").to_owned());
        let r = initiate_auth(
            self.ctx,
            Api::ManagedLogin,
            &self.client.client_id,
            AuthFlow::UserPasswordAuth,
            &params,
        )
        .await;
        match r {
            Ok(outcome) => self.outcome(outcome).await,
            Err(e) => self.view.sign_in(username, Some(&friendly(&e))),
        }
    }

    async fn respond(
        &self,
        name: ChallengeName,
        session: &str,
        extra: &[(&str, &str)],
    ) -> Result<AuthOutcome> {
        let mut responses = self.base();
        for (k, v) in extra {
            responses.insert(k.to_string(), v.to_string());
        }
        respond_to_auth_challenge(
            self.ctx,
            Api::ManagedLogin,
            &self.client.client_id,
            name,
            Some(session),
            &responses,
        )
        .await
    }

    /// A failed challenge step: the same page again, or the sign-in page if the session is gone.
    fn retry(
        &self,
        e: &cognate_core::CognitoError,
        again: impl FnOnce(&str) -> Response,
    ) -> Response {
        if session_gone(e) {
            self.view.sign_in(self.get("username"), Some(&friendly(e)))
        } else {
            again(&friendly(e))
        }
    }

    async fn totp(&self) -> Response {
        let (username, session) = (self.get("username"), self.get("session"));
        let code = self.get("code").trim().to_owned();
        match self
            .respond(
                ChallengeName::SoftwareTokenMfa,
                session,
                &[("SOFTWARE_TOKEN_MFA_CODE", &code)],
            )
            .await
        {
            Ok(outcome) => self.outcome(outcome).await,
            Err(e) => self.retry(&e, |m| self.view.totp(username, session, Some(m))),
        }
    }

    /// The SMS or e-mail code of an SMS_MFA / EMAIL_OTP challenge.
    async fn mfa_code(&self) -> Response {
        let (username, session) = (self.get("username"), self.get("session"));
        let (challenge, destination) = (self.get("challenge"), self.get("destination"));
        let (name, key) = match challenge {
            "EMAIL_OTP" => (ChallengeName::EmailOtp, "EMAIL_OTP_CODE"),
            _ => (ChallengeName::SmsMfa, "SMS_MFA_CODE"),
        };
        let code = self.get("code").trim().to_owned();
        match self.respond(name, session, &[(key, &code)]).await {
            Ok(outcome) => self.outcome(outcome).await,
            Err(e) => self.retry(&e, |m| {
                self.view
                    .mfa_code(username, session, name.as_str(), destination, Some(m))
            }),
        }
    }

    /// The answer to SELECT_MFA_TYPE, then the chosen factor's challenge.
    async fn select_mfa(&self) -> Response {
        let (username, session) = (self.get("username"), self.get("session"));
        let answer = self.get("answer").to_owned();
        let choices: Vec<String> = self
            .get("choices")
            .split(',')
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect();
        match self
            .respond(
                ChallengeName::SelectMfaType,
                session,
                &[("ANSWER", &answer)],
            )
            .await
        {
            Ok(outcome) => self.outcome(outcome).await,
            Err(e) => self.retry(&e, |m| {
                self.view.select_mfa(username, session, &choices, Some(m))
            }),
        }
    }

    async fn mfa_setup(&self) -> Response {
        let (username, session, secret) = (
            self.get("username"),
            self.get("session"),
            self.get("secret"),
        );
        let code = self.get("code").trim().to_owned();
        let device = Some(self.get("device").trim()).filter(|d| !d.is_empty());
        let again = |m: &str| {
            self.view.totp_setup(
                "mfa_setup",
                username,
                session,
                secret,
                &self.otpauth_uri(secret),
                Some(m),
            )
        };
        let next =
            match verify_software_token(self.ctx, Caller::Session(session), &code, device).await {
                Ok(Some(next)) => next,
                Ok(None) => return self.view.sign_in(username, None),
                Err(e) => return self.retry(&e, again),
            };
        match self.respond(ChallengeName::MfaSetup, &next, &[]).await {
            Ok(outcome) => self.outcome(outcome).await,
            Err(e) => self.view.sign_in(username, Some(&friendly(&e))),
        }
    }

    async fn new_password(&self) -> Response {
        let (username, session) = (self.get("username"), self.get("session"));
        let password = self.get("new_password").to_owned();
        match self
            .respond(
                ChallengeName::NewPasswordRequired,
                session,
                &[("NEW_PASSWORD", &password)],
            )
            .await
        {
            Ok(outcome) => self.outcome(outcome).await,
            Err(e) => self.retry(&e, |m| self.view.new_password(username, session, Some(m))),
        }
    }

    /// Whether to offer TOTP after a sign-in: the pool's MFA is OPTIONAL with TOTP enabled, and
    /// the user has no authenticator yet.
    async fn offers_totp(&self, username: &str) -> bool {
        let Ok(pool) = self.ctx.pool(&self.domain.pool_id).await else {
            return false;
        };
        if pool.mfa_configuration != MfaConfiguration::Optional || !pool.mfa_factors.software_token
        {
            return false;
        }
        matches!(self.ctx.find_user(&pool, username).await, Ok(Some(u)) if u.mfa.software_token.is_none())
    }

    /// The signed-in user of this browser's managed-login session.
    async fn signed_in(&self) -> Option<login_session::LoginSession> {
        let cookie = self.session_cookie.as_deref()?;
        login_session::find(self.ctx, &self.domain.pool_id, cookie)
            .await
            .ok()
            .flatten()
    }

    /// The answer to the offer: set up an authenticator app now, or go on to the app.
    async fn offer(&self) -> Response {
        let Some(s) = self.signed_in().await else {
            return self
                .view
                .sign_in(self.get("username"), Some("Please sign in again."));
        };
        if self.get("choice") != "setup" {
            return finish(
                self.ctx,
                self.domain,
                self.req,
                &s.username,
                s.auth_time,
                Vec::new(),
            )
            .await;
        }
        let caller = Caller::SignedIn {
            pool_id: &self.domain.pool_id,
            username: &s.username,
        };
        match associate_software_token(self.ctx, caller).await {
            Ok((secret, _)) => self.view.totp_setup(
                "optional_setup",
                self.get("username"),
                "",
                &secret,
                &self.otpauth_uri(&secret),
                None,
            ),
            Err(e) => self.view.sign_in(self.get("username"), Some(&friendly(&e))),
        }
    }

    /// TOTP enrolment after a sign-in: verify the code, make TOTP the user's MFA, go on.
    async fn optional_setup(&self) -> Response {
        let Some(s) = self.signed_in().await else {
            return self
                .view
                .sign_in(self.get("username"), Some("Please sign in again."));
        };
        let (username, secret) = (self.get("username"), self.get("secret"));
        let code = self.get("code").trim().to_owned();
        let device = Some(self.get("device").trim()).filter(|d| !d.is_empty());
        let caller = Caller::SignedIn {
            pool_id: &self.domain.pool_id,
            username: &s.username,
        };
        if let Err(e) = verify_software_token(self.ctx, caller, &code, device).await {
            let m = friendly(&e);
            return self.view.totp_setup(
                "optional_setup",
                username,
                "",
                secret,
                &self.otpauth_uri(secret),
                Some(&m),
            );
        }
        let on = FactorSetting {
            enabled: Some(true),
            preferred: Some(true),
        };
        let pref = MfaPreference {
            software_token: Some(on),
            ..MfaPreference::default()
        };
        if let Err(e) =
            admin_set_user_mfa_preference(self.ctx, &self.domain.pool_id, &s.username, pref).await
        {
            return self.view.sign_in(username, Some(&friendly(&e)));
        }
        finish(
            self.ctx,
            self.domain,
            self.req,
            &s.username,
            s.auth_time,
            Vec::new(),
        )
        .await
    }

    fn otpauth_uri(&self, secret: &str) -> String {
        totp::otpauth_uri(secret, self.get("username"), &self.domain.name)
    }

    /// What follows a successful step: the next challenge's page, or the app with a code.
    async fn outcome(&self, outcome: AuthOutcome) -> Response {
        let username = self.get("username");
        match outcome {
            AuthOutcome::Tokens(tokens) => {
                let cookie =
                    match login_session::start(self.ctx, &self.domain.pool_id, &tokens).await {
                        Ok(c) => c,
                        Err(e) => return self.view.sign_in(username, Some(&friendly(&e))),
                    };
                let set = set_cookie(
                    self.domain,
                    SESSION_COOKIE,
                    &cookie,
                    login_session::SESSION_VALIDITY_SECS,
                );
                if self.offers_totp(&tokens.username).await {
                    let mut page = self.view.offer_totp(username);
                    page.headers_mut()
                        .append(axum::http::header::SET_COOKIE, set);
                    return page;
                }
                finish(
                    self.ctx,
                    self.domain,
                    self.req,
                    &tokens.username,
                    tokens.auth_time,
                    vec![set],
                )
                .await
            }
            AuthOutcome::Challenge {
                name,
                session,
                parameters,
            } => match name {
                ChallengeName::SoftwareTokenMfa => self.view.totp(username, &session, None),
                ChallengeName::SmsMfa | ChallengeName::EmailOtp => {
                    let destination = parameters
                        .get("CODE_DELIVERY_DESTINATION")
                        .map_or("", String::as_str);
                    self.view
                        .mfa_code(username, &session, name.as_str(), destination, None)
                }
                ChallengeName::SelectMfaType => {
                    let choices: Vec<String> = parameters
                        .get("MFAS_CAN_CHOOSE")
                        .and_then(|s| serde_json::from_str(s).ok())
                        .unwrap_or_default();
                    self.view.select_mfa(username, &session, &choices, None)
                }
                ChallengeName::NewPasswordRequired => {
                    self.view.new_password(username, &session, None)
                }
                ChallengeName::MfaSetup => {
                    match associate_software_token(self.ctx, Caller::Session(&session)).await {
                        Ok((secret, Some(next))) => self.view.totp_setup(
                            "mfa_setup",
                            username,
                            &next,
                            &secret,
                            &self.otpauth_uri(&secret),
                            None,
                        ),
                        Ok((_, None)) => self.view.sign_in(username, None),
                        Err(e) => self.view.sign_in(username, Some(&friendly(&e))),
                    }
                }
                _ => self.view.sign_in(
                    username,
                    Some("This account needs a sign-in step this page does not offer yet."),
                ),
            },
        }
    }
}
