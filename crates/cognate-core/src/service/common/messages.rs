//! The text of each message: the pool's templates (verification, invitation, their e-mail
//! subjects) with `{####}` and `{username}` filled in, or Cognito's default texts where the pool
//! sets none. An e-mail template with HTML tags gives an HTML part and a plain-text part (the
//! tags removed); any other template a plain-text part only.

use crate::model::{DeliveryMedium, MessageKind, UserPool};

/// Cognito's default verification message.
pub const DEFAULT_VERIFICATION: &str = "Your verification code is {####}.";
/// Cognito's default invitation.
pub const DEFAULT_INVITATION: &str =
    "Your username is {username} and temporary password is {####}.";
/// Cognito's default subjects.
pub const DEFAULT_VERIFICATION_SUBJECT: &str = "Your verification code";
pub const DEFAULT_INVITATION_SUBJECT: &str = "Your temporary password";

/// A message ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// E-mail only.
    pub subject: Option<String>,
    pub text: String,
    /// E-mail only, when the template is HTML.
    pub html: Option<String>,
}

/// The pool's template for a message if it has one containing `{####}`, else Cognito's default.
fn template(pool: &UserPool, medium: DeliveryMedium, kind: MessageKind) -> &str {
    let t = &pool.message_templates;
    let set = match (kind.is_invitation(), medium) {
        (true, DeliveryMedium::Email) => &t.invite_email,
        (true, DeliveryMedium::Sms) => &t.invite_sms,
        (false, DeliveryMedium::Email) => &t.verification_email,
        (false, DeliveryMedium::Sms) => &t.verification_sms,
    };
    match set.as_deref().filter(|t| t.contains("{####}")) {
        Some(t) => t,
        None if kind.is_invitation() => DEFAULT_INVITATION,
        None => DEFAULT_VERIFICATION,
    }
}

fn subject(pool: &UserPool, kind: MessageKind) -> String {
    let t = &pool.message_templates;
    let (given, default) = if kind.is_invitation() {
        (&t.invite_email_subject, DEFAULT_INVITATION_SUBJECT)
    } else {
        (&t.verification_email_subject, DEFAULT_VERIFICATION_SUBJECT)
    };
    given
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or(default)
        .to_owned()
}

/// Whether a template is HTML: it has a tag (`<p>`, `<br/>`, `</b>`, `<!DOCTYPE`).
fn is_html(template: &str) -> bool {
    template.match_indices('<').any(|(i, _)| {
        let rest = &template[i + 1..];
        rest.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!')
            && rest.contains('>')
    })
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The plain-text rendering of an HTML template: line-breaking tags become new lines, other
/// tags go, the common entities are decoded.
fn html_to_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let Some(len) = rest[start..].find('>') else {
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let tag = rest[start + 1..start + len].trim().to_ascii_lowercase();
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("");
        if matches!(name, "br" | "p" | "div" | "tr" | "li" | "h1" | "h2" | "h3") {
            out.push('\n');
        }
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    let decoded = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    let lines: Vec<&str> = decoded.lines().map(str::trim).collect();
    let mut text = String::new();
    for line in lines {
        if line.is_empty() && (text.is_empty() || text.ends_with("\n\n")) {
            continue;
        }
        text.push_str(line);
        text.push('\n');
    }
    text.trim_end().to_owned()
}

/// The message of `kind` over `medium` for `username`, carrying `code` (a one-time code or a
/// temporary password).
pub fn render(
    pool: &UserPool,
    medium: DeliveryMedium,
    kind: MessageKind,
    username: &str,
    code: &str,
) -> Rendered {
    let template = template(pool, medium, kind);
    let fill =
        |t: &str, user: &str, code: &str| t.replace("{username}", user).replace("{####}", code);
    if medium == DeliveryMedium::Sms {
        return Rendered {
            subject: None,
            text: fill(template, username, code),
            html: None,
        };
    }
    let subject = Some(subject(pool, kind));
    if !is_html(template) {
        return Rendered {
            subject,
            text: fill(template, username, code),
            html: None,
        };
    }
    let html = fill(template, &escape_html(username), &escape_html(code));
    // The text part: the template's text with the values put in afterwards, as they are.
    let text = fill(&html_to_text(template), username, code);
    Rendered {
        subject,
        text,
        html: Some(html),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::common::test_support::pool;

    #[test]
    fn defaults_when_the_pool_sets_none() {
        let p = pool(false);
        let r = render(
            &p,
            DeliveryMedium::Email,
            MessageKind::SignUp,
            "bob",
            "123456",
        );
        assert_eq!(r.text, "Your verification code is 123456.");
        assert_eq!(r.subject.as_deref(), Some("Your verification code"));
        assert_eq!(r.html, None);
        let r = render(
            &p,
            DeliveryMedium::Sms,
            MessageKind::AdminCreateUser,
            "bob",
            "Pw1!",
        );
        assert_eq!(
            r.text,
            "Your username is bob and temporary password is Pw1!."
        );
        assert_eq!(r.subject, None);
    }

    #[test]
    fn pool_templates_and_subjects() {
        let mut p = pool(false);
        p.message_templates.verification_email = Some("Code: {####}".into());
        p.message_templates.verification_email_subject = Some("Welcome".into());
        p.message_templates.invite_email = Some("no placeholder".into());
        let r = render(
            &p,
            DeliveryMedium::Email,
            MessageKind::ForgotPassword,
            "b",
            "42",
        );
        assert_eq!(
            (r.text.as_str(), r.subject.as_deref()),
            ("Code: 42", Some("Welcome"))
        );
        // A template without {####} cannot carry the code: the default is used.
        let r = render(
            &p,
            DeliveryMedium::Email,
            MessageKind::AdminCreateUser,
            "b",
            "x",
        );
        assert_eq!(r.text, "Your username is b and temporary password is x.");
        assert_eq!(r.subject.as_deref(), Some("Your temporary password"));
    }

    #[test]
    fn html_templates_give_both_parts() {
        let mut p = pool(false);
        p.message_templates.invite_email =
            Some("<p>Hello <b>{username}</b>,</p><p>your password is {####}&nbsp;!</p>".into());
        let r = render(
            &p,
            DeliveryMedium::Email,
            MessageKind::AdminCreateUser,
            "a<b",
            "x&y",
        );
        assert_eq!(
            r.html.as_deref(),
            Some("<p>Hello <b>a&lt;b</b>,</p><p>your password is x&amp;y&nbsp;!</p>")
        );
        assert_eq!(r.text, "Hello a<b,\n\nyour password is x&y !");
        assert!(!is_html("code < 5 and {####}"));
        assert!(is_html("line<br/>{####}"));
    }
}
