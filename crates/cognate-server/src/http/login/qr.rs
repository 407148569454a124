//! The TOTP enrolment QR code, rendered on the server as an SVG `data:` image.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use qrcode::render::svg;
use qrcode::QrCode;

/// An `<img>` of the QR code of `uri`, or nothing if it cannot be encoded.
pub fn qr_img(uri: &str) -> String {
    let Ok(code) = QrCode::new(uri.as_bytes()) else {
        return String::new();
    };
    let svg = code
        .render::<svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    format!(
        "<img class=\"qr\" alt=\"QR code for your authenticator app\" src=\"data:image/svg+xml;base64,{}\">",
        STANDARD.encode(svg)
    )
}
