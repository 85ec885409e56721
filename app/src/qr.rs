//! QR codes as inline SVG: the poster's and the complaint receipt's (made
//! on the device, offline too).

/// The QR code of `link` (error correction M), as inline SVG without an XML
/// declaration.
pub fn svg(link: &str) -> Option<String> {
    let code = qrcode::QrCode::with_error_correction_level(link, qrcode::EcLevel::M).ok()?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build();
    Some(match svg.find("<svg") {
        Some(start) => svg[start..].to_owned(),
        None => svg,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_tracking_link_becomes_an_svg_qr_code() {
        let svg = super::svg("https://suara.example/pengaduan/ABCD-EFGH-JKMN").unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("<path"), "{svg}");
        assert!(!svg.contains("<?xml"));
    }
}
