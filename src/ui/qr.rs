//! The QR code a virtual MFA device is enrolled with (the `otpauth://totp/…` URI of
//! [`crate::iam::totp::otpauth_uri`]), drawn in the terminal with half blocks: one text cell is
//! one module wide and two modules tall (`▀` top, `▄` bottom, `█` both, space neither).
//!
//! # Colours
//!
//! Terminals mostly draw light text on a dark background, and a QR code must be dark modules on
//! a light background to scan with every reader. So the glyphs here are ink for the *dark*
//! modules and must be drawn with explicit colours: [`STYLE`], black ink on a white background.
//! [`qr_widget_lines`] applies it, so its lines scan whatever the theme (even `monochrome`: the
//! code is function, not decoration). [`STYLE`] uses the 256-colour cube's black (16) and white
//! (231), which themes do not redefine as they do the 16 ANSI colours, and clears every modifier
//! (a `REVERSED` inherited from a surrounding style would swap the colours). A caller that cannot
//! set colours and knows the terminal draws light on dark can ask [`qr_lines_with`] for
//! `invert = true`: the glyphs then ink the *light* modules, left in the terminal's own light
//! foreground over its dark background.
//!
//! # Size and error correction
//!
//! A version-`v` code is `17 + 4v` modules square; with a quiet zone of `q` modules each side it
//! takes `17 + 4v + 2q` columns and `ceil((17 + 4v + 2q) / 2)` lines. The encoder (the `qrcode`
//! crate: optimal numeric/alphanumeric/byte segments, so the Base32 secret packs as
//! alphanumerics) is given the smallest version that holds the data at level L, then the most
//! robust level (H, Q, M, L in that order) that still fits that same version: never a bigger code
//! than needed, and the spare capacity of that size goes to error correction.
//!
//! Measured: the console's enrolment URI (`otpauth://totp/AWS:alice%40123456789012?secret=…
//! &issuer=AWS` with IAM's 64-character seed and the format's default algorithm, digits and
//! period left out: 122 characters) is version 6, 39×20 cells at quiet zone 1 and 41×21 at quiet
//! zone 2, so it fits an 80×24 terminal with its text beside it. The same URI with the issuer
//! `Amazon Web Services` and the default parameters written out (196 characters) needs version
//! 8: 53×27, more than 24 rows. Callers should check [`qr_size`] against their area and, when it
//! does not fit, offer the secret as text rather than draw a clipped code, which does not scan.
//!
//! Caveat: `▀▄█` are East Asian "ambiguous" width; a terminal set to draw those as two columns
//! (some CJK setups) distorts the code. ratatui counts them as one column.

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};

use qrcode::{EcLevel, QrCode};

pub use qrcode::types::QrError;

/// The standard quiet zone (ISO/IEC 18004) in modules.
pub const STANDARD_QUIET: u32 = 4;
/// A larger quiet zone is clamped to this (it only adds blank cells).
pub const MAX_QUIET: u32 = 16;

/// How [`qr_lines`] must be drawn to scan: black ink (dark modules) on white (light modules),
/// palette-fixed colours, no modifiers.
pub const STYLE: Style = Style::new()
    .fg(Color::Indexed(16))
    .bg(Color::Indexed(231))
    .remove_modifier(Modifier::all());

/// The QR code of `data` as lines of text (half blocks), with a quiet zone of `quiet` modules
/// (4 is the standard; 2 is usually enough on a dark terminal). The glyphs ink the dark
/// modules: draw them with [`STYLE`] (black on white), or use [`qr_widget_lines`].
pub fn qr_lines(data: &str, quiet: u32) -> Result<Vec<String>, QrError> {
    qr_lines_with(data, quiet, false)
}

/// [`qr_lines`], or with `invert` the glyphs ink the *light* modules instead: for drawing in the
/// terminal's own colours when they are known to be light on dark.
pub fn qr_lines_with(data: &str, quiet: u32, invert: bool) -> Result<Vec<String>, QrError> {
    let code = encode(data)?;
    Ok(render(&code, quiet.min(MAX_QUIET), invert))
}

/// [`qr_lines`] as ratatui lines already styled with [`STYLE`], so they scan on any theme.
pub fn qr_widget_lines(data: &str, quiet: u32) -> Result<Vec<Line<'static>>, QrError> {
    Ok(qr_lines(data, quiet)?
        .into_iter()
        .map(|s| Line::from(Span::styled(s, STYLE)))
        .collect())
}

/// The size in cells (width, height) of [`qr_lines`] — to decide whether it fits an area.
pub fn qr_size(data: &str, quiet: u32) -> Result<(u16, u16), QrError> {
    let modules = encode(data)?.width() as u32 + 2 * quiet.min(MAX_QUIET);
    // At most 177 + 32 modules: fits u16.
    Ok((modules as u16, modules.div_ceil(2) as u16))
}

/// The smallest code for `data`, at the most robust level that keeps that size.
fn encode(data: &str) -> Result<QrCode, QrError> {
    let smallest = QrCode::with_error_correction_level(data, EcLevel::L)?;
    for level in [EcLevel::H, EcLevel::Q, EcLevel::M] {
        if let Ok(code) = QrCode::with_error_correction_level(data, level)
            && code.version() == smallest.version()
        {
            return Ok(code);
        }
    }
    Ok(smallest)
}

fn render(code: &QrCode, quiet: u32, invert: bool) -> Vec<String> {
    let n = code.width();
    let q = quiet as usize;
    let size = n + 2 * q;
    let dark: Vec<bool> = code
        .to_colors()
        .into_iter()
        .map(|c| c == qrcode::Color::Dark)
        .collect();
    // Whether the module at (x, y) of the code with its quiet zone is inked; the half row below
    // an odd-sized code is never inked.
    let ink = |x: usize, y: usize| -> bool {
        if y >= size {
            return false;
        }
        let is_dark =
            (q..q + n).contains(&x) && (q..q + n).contains(&y) && { dark[(y - q) * n + (x - q)] };
        is_dark != invert
    };
    (0..size.div_ceil(2))
        .map(|row| {
            (0..size)
                .map(|x| match (ink(x, 2 * row), ink(x, 2 * row + 1)) {
                    (false, false) => ' ',
                    (true, false) => '▀',
                    (false, true) => '▄',
                    (true, true) => '█',
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::totp::otpauth_uri;

    const SECRET_64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    /// Pixels per module side in the decoded bitmap.
    const SCALE: usize = 4;

    /// What the console's MFA enrolment encodes.
    fn typical() -> String {
        otpauth_uri("AWS", "alice@123456789012", SECRET_64)
    }

    /// Draws the lines as a terminal would (glyph ink in `ink_luma`, the rest in `paper_luma`),
    /// SCALE×SCALE pixels a module, with a white margin, and decodes the one QR code in it.
    fn scan(lines: &[String], ink_luma: u8, paper_luma: u8) -> String {
        let cols = lines[0].chars().count();
        assert!(lines.iter().all(|l| l.chars().count() == cols), "ragged");
        let cells: Vec<Vec<char>> = lines.iter().map(|l| l.chars().collect()).collect();
        let margin = 8 * SCALE;
        let (w, h) = (
            cols * SCALE + 2 * margin,
            lines.len() * 2 * SCALE + 2 * margin,
        );
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |px, py| {
            if px < margin || py < margin || px >= w - margin || py >= h - margin {
                return 255;
            }
            let (mx, my) = ((px - margin) / SCALE, (py - margin) / SCALE);
            let inked = match (cells[my / 2][mx], my % 2 == 0) {
                ('█', _) | ('▀', true) | ('▄', false) => true,
                (' ', _) | ('▀', false) | ('▄', true) => false,
                (c, _) => panic!("unexpected glyph {c:?}"),
            };
            if inked { ink_luma } else { paper_luma }
        });
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1, "one QR code in the image");
        grids[0].decode().expect("decodes").1
    }

    fn uris() -> Vec<String> {
        vec![
            otpauth_uri("AWS", "bob", "JBSWY3DPEHPK3PXP"),
            typical(),
            otpauth_uri(
                "Amazon Web Services",
                "a-very-long-user-name-for-testing@123456789012",
                SECRET_64,
            ),
            otpauth_uri(
                "Amazon Web Services",
                "service-account.with+plus=and,comma@sub.example.org@210987654321",
                &SECRET_64.repeat(2),
            ),
        ]
    }

    #[test]
    fn the_code_scans_back_to_the_uri() {
        for uri in uris() {
            for quiet in [1, 2, STANDARD_QUIET] {
                let lines = qr_lines(&uri, quiet).unwrap();
                // Black ink on white paper, as STYLE draws it.
                assert_eq!(scan(&lines, 0, 255), uri, "quiet {quiet}");
                let (w, h) = qr_size(&uri, quiet).unwrap();
                assert_eq!(usize::from(h), lines.len());
                assert_eq!(usize::from(w), lines[0].chars().count());
            }
        }
    }

    #[test]
    fn inverted_lines_scan_in_light_on_dark_colours() {
        for uri in uris() {
            let lines = qr_lines_with(&uri, 2, true).unwrap();
            // Light ink (the terminal's foreground) on its dark background.
            assert_eq!(scan(&lines, 230, 20), uri);
        }
    }

    #[test]
    fn sizes_and_levels_are_the_documented_ones() {
        let short = otpauth_uri("AWS", "bob", "JBSWY3DPEHPK3PXP");
        assert_eq!(qr_size(&short, 2).unwrap(), (37, 19));
        // The console's enrolment URI (issuer AWS, a 64-character secret, the defaults left
        // out): small enough to draw on an 80×24 terminal at quiet zone 1, beside its text.
        let uri = typical();
        let (w, h) = qr_size(&uri, 1).unwrap();
        assert!(h <= 23 && w <= 47, "{w}x{h}");
        assert_eq!(qr_size(&uri, 2).unwrap(), (41, 21));
        // Spare capacity goes to error correction without growing the code.
        // (18 bytes: L needs v2, whose Q level holds 20.)
        let code = encode("otpauth://totp/xyz").unwrap();
        assert_eq!(code.error_correction_level(), EcLevel::Q);
        assert_eq!(code.version(), qrcode::Version::Normal(2));
        // A quiet zone beyond MAX_QUIET only adds blank cells and is clamped.
        assert_eq!(qr_size(&short, u32::MAX).unwrap(), (33 + 32, 17 + 16));
    }

    #[test]
    fn widget_lines_are_black_on_white() {
        let uri = typical();
        let lines = qr_widget_lines(&uri, 2).unwrap();
        let plain = qr_lines(&uri, 2).unwrap();
        assert_eq!(lines.len(), plain.len());
        for (line, text) in lines.iter().zip(&plain) {
            assert_eq!(line.spans.len(), 1);
            assert_eq!(line.spans[0].content, text.as_str());
            assert_eq!(line.spans[0].style, STYLE);
        }
        // The quiet zone is blank (paper), the top-left finder pattern's corner inked.
        assert!(plain[0].chars().all(|c| c == ' '));
        assert_eq!(plain[1].chars().nth(2), Some('█'));
    }

    #[test]
    fn too_long_data_is_an_error_not_a_panic() {
        let huge = "x".repeat(10_000);
        assert!(matches!(qr_lines(&huge, 2), Err(QrError::DataTooLong)));
        assert!(matches!(qr_size(&huge, 2), Err(QrError::DataTooLong)));
        assert!(qr_widget_lines(&huge, 2).is_err());
        // Just past version 40-L's byte capacity (2953).
        assert!(qr_lines(&"x".repeat(2954), 0).is_err());
        assert!(qr_lines(&"x".repeat(2953), 0).is_ok());
    }
}
