//! `cognate totp-uri`: prints the otpauth:// key URI and a terminal QR code for a TOTP secret,
//! so a person can enrol a real authenticator app during development. (The API itself returns
//! only `SecretCode`, as Cognito does.)

use cognate_core::crypto::totp;
use qrcode::render::unicode::Dense1x2;
use qrcode::QrCode;

#[derive(Debug, Clone, clap::Args)]
pub struct TotpUriArgs {
    /// The Base32 `SecretCode` from AssociateSoftwareToken.
    #[arg(long)]
    pub secret: String,
    /// The account label shown in the app (e.g. the username or email).
    #[arg(long)]
    pub account: String,
    /// The issuer shown in the app.
    #[arg(long, default_value = "Cognate")]
    pub issuer: String,
    /// Print only the URI, no QR code.
    #[arg(long)]
    pub no_qr: bool,
}

/// The text printed: the URI, then (unless `no_qr`) the QR code.
pub fn render(args: &TotpUriArgs) -> Result<String, String> {
    let secret = args.secret.trim().to_ascii_uppercase();
    match totp::base32_decode(&secret) {
        Some(bytes) if bytes.len() >= 10 => {}
        _ => return Err("--secret must be a Base32 secret of at least 16 characters".into()),
    }
    let uri = totp::otpauth_uri(&secret, &args.account, &args.issuer);
    if args.no_qr {
        return Ok(format!("{uri}\n"));
    }
    let code = QrCode::new(uri.as_bytes()).map_err(|e| e.to_string())?;
    let qr = code
        .render::<Dense1x2>()
        .dark_color(Dense1x2::Light)
        .light_color(Dense1x2::Dark)
        .quiet_zone(true)
        .build();
    Ok(format!("{uri}\n\n{qr}\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(secret: &str, no_qr: bool) -> TotpUriArgs {
        TotpUriArgs {
            secret: secret.into(),
            account: "alice".into(),
            issuer: "MyApp".into(),
            no_qr,
        }
    }

    #[test]
    fn uri_matches_the_key_uri_format() {
        let out = render(&args(
            "H3H2MM5WYJVAJPPIYBFFPXRQC4KO54KKNO6LFDUKI7YBHJY5RWJA",
            true,
        ))
        .expect("render");
        assert_eq!(
            out.trim(),
            "otpauth://totp/MyApp:alice?secret=H3H2MM5WYJVAJPPIYBFFPXRQC4KO54KKNO6LFDUKI7YBHJY5RWJA&issuer=MyApp"
        );
        let with_qr = render(&args(
            "H3H2MM5WYJVAJPPIYBFFPXRQC4KO54KKNO6LFDUKI7YBHJY5RWJA",
            false,
        ))
        .expect("render");
        assert!(with_qr.lines().count() > 15, "a QR code follows the URI");
        assert!(with_qr.contains('█') || with_qr.contains('▀') || with_qr.contains('▄'));
    }

    #[test]
    fn rejects_bad_secrets() {
        assert!(render(&args("not base32!", true)).is_err());
        assert!(render(&args("ABC", true)).is_err());
    }
}
