//! The managed login's HTML: one layout, escaped text, the forms of each step. Plain
//! server-rendered HTML and one stylesheet; no script.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A whole page: `title` in the tab and as the heading, `body` already HTML.
pub fn layout(css_href: &str, title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"referrer\" content=\"no-referrer\">\
         <title>{t}</title><link rel=\"stylesheet\" href=\"{css}\"></head>\
         <body><main class=\"card\"><h1>{t}</h1>\n{body}\n</main></body></html>\n",
        t = esc(title),
        css = esc(css_href),
    )
}

/// An HTML answer that is never cached and never framed.
pub fn html(status: StatusCode, page: String) -> Response {
    let mut r = (status, Html(page)).into_response();
    let h = r.headers_mut();
    h.insert("cache-control", "no-store".parse().expect("static header"));
    h.insert("x-frame-options", "DENY".parse().expect("static header"));
    h.insert(
        "content-security-policy",
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self' http: https:; frame-ancestors 'none'"
            .parse()
            .expect("static header"),
    );
    r
}

/// A page that only explains what went wrong.
pub fn error_page(status: StatusCode, title: &str, message: &str) -> Response {
    let body = format!("<p class=\"error\" role=\"alert\">{}</p>", esc(message));
    html(status, layout("/login.css", title, &body))
}

/// An alert paragraph, or nothing.
pub fn alert(message: Option<&str>) -> String {
    message.map_or_else(String::new, |m| {
        format!(
            "<p class=\"error\" role=\"alert\" id=\"error\">{}</p>",
            esc(m)
        )
    })
}

/// Hidden inputs.
pub fn hidden(fields: &[(String, String)]) -> String {
    fields
        .iter()
        .map(|(k, v)| {
            format!(
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                esc(k),
                esc(v)
            )
        })
        .collect()
}

/// A labelled input.
pub fn field(name: &str, label: &str, kind: &str, autocomplete: &str, value: &str) -> String {
    format!(
        "<label for=\"{n}\">{l}</label>\
         <input id=\"{n}\" name=\"{n}\" type=\"{k}\" autocomplete=\"{a}\" value=\"{v}\" required>",
        n = esc(name),
        l = esc(label),
        k = esc(kind),
        a = esc(autocomplete),
        v = esc(value),
    )
}

/// A one-time-code input (digits, the phone's numeric keypad).
pub fn code_field(name: &str, label: &str) -> String {
    format!(
        "<label for=\"{n}\">{l}</label>\
         <input id=\"{n}\" name=\"{n}\" type=\"text\" inputmode=\"numeric\" pattern=\"[0-9]*\" \
         autocomplete=\"one-time-code\" maxlength=\"6\" required>",
        n = esc(name),
        l = esc(label),
    )
}

/// A form posting to `action` with the hidden fields, the inner HTML and a submit button.
pub fn form(action: &str, hidden_fields: &[(String, String)], inner: &str, submit: &str) -> String {
    format!(
        "<form method=\"post\" action=\"{a}\">{h}{inner}<button type=\"submit\">{s}</button></form>",
        a = esc(action),
        h = hidden(hidden_fields),
        s = esc(submit),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            esc("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        let h = hidden(&[("state".into(), "\"><script>".into())]);
        assert!(!h.contains("<script>"));
    }
}
