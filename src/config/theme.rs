//! Themes: what the console looks like, by role.
//!
//! Widgets never name a colour. They ask the theme for a *scope*, a dotted role name such as
//! `ui.selection` or `finding.error.gutter`, and the theme answers with a [`Style`]. A scope
//! that is not defined falls back to its parent (`finding.error.gutter` → `finding.error` →
//! `finding`), then to `ui.text`, then to the terminal's default style, so a theme can be as
//! small as a handful of roles and a widget can ask for a finer role than any theme defines yet.
//!
//! # Format
//!
//! ```toml
//! inherits = "dark"            # optional: start from another theme (a preset or your own)
//!
//! [palette]                    # optional: named colours, usable wherever a colour is
//! blue = "#89b4fa"
//!
//! [scopes]                     # dotted names must be quoted
//! "ui.text" = { fg = "text", bg = "base" }
//! "ui.selection" = { bg = "surface1", modifiers = ["bold"] }
//! "ui.link" = "blue"           # a bare string is the foreground colour
//! ```
//!
//! A colour is a palette name or anything ratatui's `Color::from_str` takes: `#rrggbb`, an ANSI
//! name (`red`, `lightred`, `darkgray`, `white`, `reset`, …) or a 256-colour index (`0`–`255`).
//! Modifiers are `bold`, `dim`, `italic`, `underlined`, `slow_blink`, `rapid_blink`, `reversed`,
//! `hidden` and `crossed_out`.
//!
//! With `inherits`, the palettes merge (the child's names win) and the child's scopes replace the
//! parent's scope by scope; the parent's scopes are resolved with the merged palette, so changing
//! a palette colour recolours every role that uses it. A scope's style is replaced whole, not
//! mixed field by field, so what a file says for a role is all that role gets.
//!
//! The presets are `dark` (the default), `light`, `high-contrast` (bright ANSI colours only) and
//! `monochrome` (modifiers only, chosen when `NO_COLOR` is set: <https://no-color.org>). A file
//! `themes/NAME.toml` in the config directory is the theme `NAME`; it wins over a preset of that
//! name and may `inherits = "NAME"` to extend the preset. The roles the console uses are listed in
//! [`SCOPES`].

use std::collections::HashMap;
use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};
use toml::Spanned;
use toml::de::DeValue;

use super::{
    FileError, Kind, Layer, Location, Paths, Source, entries, hint, join_ticked, parse_layer,
};

/// The preset used when nothing else is asked for.
pub const DEFAULT: &str = "dark";
/// The preset used when `NO_COLOR` is set and nothing else is asked for.
pub const NO_COLOR: &str = "monochrome";

const THEMES: Kind = Kind {
    noun: "theme",
    dir: "themes",
    presets: &[
        ("dark", include_str!("../../themes/dark.toml")),
        ("light", include_str!("../../themes/light.toml")),
        (
            "high-contrast",
            include_str!("../../themes/high-contrast.toml"),
        ),
        ("monochrome", include_str!("../../themes/monochrome.toml")),
    ],
    names: &["dark", "light", "high-contrast", "monochrome"],
};

/// The roles the console asks for; every preset defines each of them (or lets it fall back on
/// purpose), and a user theme may define any other dotted name too.
pub const SCOPES: &[&str] = &[
    "ui.text",
    "ui.text.dim",
    "ui.border",
    "ui.border.focused",
    "ui.title",
    "ui.header",
    "ui.selection",
    "ui.statusbar",
    "ui.statusbar.readonly",
    "ui.statusbar.error",
    "ui.statusbar.progress",
    "ui.breadcrumb",
    "ui.tab",
    "ui.tab.active",
    "ui.help.key",
    "ui.prompt",
    "ui.popup",
    "ui.link",
    "ui.match",
    "ui.linenr",
    "ui.cursor",
    "status.ok",
    "status.warn",
    "status.bad",
    "finding.error",
    "finding.error.gutter",
    "finding.error.span",
    "finding.security-warning",
    "finding.security-warning.gutter",
    "finding.security-warning.span",
    "finding.warning",
    "finding.warning.gutter",
    "finding.warning.span",
    "finding.suggestion",
    "finding.suggestion.gutter",
    "finding.suggestion.span",
    "diff.added",
    "diff.removed",
    "list.marked",
];

const TOP_KEYS: &[&str] = &["inherits", "palette", "scopes"];
const STYLE_KEYS: &[&str] = &["fg", "bg", "modifiers"];
const MODIFIERS: &[(&str, Modifier)] = &[
    ("bold", Modifier::BOLD),
    ("dim", Modifier::DIM),
    ("italic", Modifier::ITALIC),
    ("underlined", Modifier::UNDERLINED),
    ("slow_blink", Modifier::SLOW_BLINK),
    ("rapid_blink", Modifier::RAPID_BLINK),
    ("reversed", Modifier::REVERSED),
    ("hidden", Modifier::HIDDEN),
    ("crossed_out", Modifier::CROSSED_OUT),
];
const COLOR_NAMES: &[&str] = &[
    "reset",
    "black",
    "red",
    "green",
    "yellow",
    "blue",
    "magenta",
    "cyan",
    "gray",
    "darkgray",
    "lightred",
    "lightgreen",
    "lightyellow",
    "lightblue",
    "lightmagenta",
    "lightcyan",
    "white",
];

/// A theme problem, meant to be shown to the user (the console then uses the default).
#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    #[error(transparent)]
    File(#[from] FileError),
    #[error(
        "{at}: unknown colour `{value}` (use a [palette] name, a colour name such as `blue` or \
         `lightred`, `#rrggbb`, or a number 0-255){hint}"
    )]
    UnknownColor {
        at: Location,
        value: String,
        hint: String,
    },
    #[error("{at}: unknown modifier `{value}` (expected one of {expected}){hint}")]
    UnknownModifier {
        at: Location,
        value: String,
        hint: String,
        expected: String,
    },
}

impl ThemeError {
    /// The file position, when the problem is in a file.
    pub fn location(&self) -> Option<&Location> {
        match self {
            ThemeError::File(e) => e.location(),
            ThemeError::UnknownColor { at, .. } | ThemeError::UnknownModifier { at, .. } => {
                Some(at)
            }
        }
    }
}

/// A resolved theme: a style per defined scope.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    name: String,
    styles: HashMap<String, Style>,
}

impl Theme {
    /// A preset by name.
    pub fn builtin(name: &str) -> Option<Theme> {
        // The presets are tested to load; `None` rather than a panic if one ever did not.
        resolve(THEMES.preset(name)?, None).ok()
    }

    pub fn builtin_names() -> &'static [&'static str] {
        THEMES.names
    }

    /// The theme to use when the user has not chosen one: `monochrome` when `NO_COLOR` is set
    /// to anything but the empty string, as <https://no-color.org> asks, else `dark`. Pure, so
    /// the caller reads the environment (see [`super::setup::Setup::for_options`]).
    pub fn default_name(no_color: Option<&str>) -> &'static str {
        match no_color {
            Some(v) if !v.is_empty() => NO_COLOR,
            _ => DEFAULT,
        }
    }

    /// A theme by name (the user's `themes/NAME.toml`, else a preset) or by file path.
    pub fn load(name_or_path: &str, paths: &Paths) -> Result<Theme, ThemeError> {
        resolve(THEMES.find(name_or_path, paths)?, Some(paths))
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The style for a role, falling back through its parents to `ui.text`.
    pub fn style(&self, scope: &str) -> Style {
        let mut s = scope;
        loop {
            if let Some(style) = self.styles.get(s) {
                return *style;
            }
            match s.rfind('.') {
                Some(i) => s = &s[..i],
                None => break,
            }
        }
        self.styles.get("ui.text").copied().unwrap_or_default()
    }

    /// The scopes this theme defines itself (not the ones that fall back).
    pub fn defined_scopes(&self) -> impl Iterator<Item = &str> {
        self.styles.keys().map(String::as_str)
    }
}

/// A colour reference as written: resolved once the palettes have merged.
#[derive(Debug, Clone)]
struct ColorRef {
    name: String,
    offset: usize,
}

#[derive(Debug, Clone, Default)]
struct RawStyle {
    fg: Option<ColorRef>,
    bg: Option<ColorRef>,
    modifiers: Modifier,
    offset: usize,
}

/// What one file of a theme says, with colours not yet looked up.
#[derive(Default)]
struct RawTheme {
    palette: Vec<(String, Color)>,
    scopes: Vec<(String, RawStyle)>,
}

/// Loads `root` and what it inherits, then resolves every scope against the merged palette.
/// `paths` is `None` for presets, which inherit only presets.
fn resolve(root: Source, paths: Option<&Paths>) -> Result<Theme, ThemeError> {
    let name = root.name.clone();
    let chain = THEMES.chain(root, paths, parse)?;

    // Ancestors first, so each child overrides what it inherits.
    let mut palette: HashMap<&str, Color> = HashMap::new();
    let mut scopes: HashMap<&str, (usize, &RawStyle)> = HashMap::new();
    for (i, t) in chain.iter().enumerate().rev() {
        palette.extend(t.body.palette.iter().map(|(n, c)| (n.as_str(), *c)));
        scopes.extend(t.body.scopes.iter().map(|(n, s)| (n.as_str(), (i, s))));
    }
    // Report the first bad colour of the file nearest the user.
    let mut ordered: Vec<(&str, (usize, &RawStyle))> = scopes.into_iter().collect();
    ordered.sort_by_key(|(_, (i, s))| (*i, s.offset));
    let mut styles = HashMap::with_capacity(ordered.len());
    for (scope, (i, raw)) in ordered {
        let src = &chain[i].src;
        let color = |r: &ColorRef| {
            lookup_color(&r.name, &palette).ok_or_else(|| unknown_color(src, r, &palette))
        };
        let mut style = Style::default().add_modifier(raw.modifiers);
        if let Some(fg) = &raw.fg {
            style = style.fg(color(fg)?);
        }
        if let Some(bg) = &raw.bg {
            style = style.bg(color(bg)?);
        }
        styles.insert(scope.to_owned(), style);
    }
    Ok(Theme { name, styles })
}

fn lookup_color(name: &str, palette: &HashMap<&str, Color>) -> Option<Color> {
    palette
        .get(name)
        .copied()
        .or_else(|| Color::from_str(name).ok())
}

fn unknown_color(src: &Source, r: &ColorRef, palette: &HashMap<&str, Color>) -> ThemeError {
    ThemeError::UnknownColor {
        at: src.at(r.offset),
        value: r.name.clone(),
        hint: hint(
            &r.name,
            palette.keys().copied().chain(COLOR_NAMES.iter().copied()),
        ),
    }
}

fn parse(src: Source) -> Result<Layer<RawTheme>, ThemeError> {
    parse_layer(src, |src, theme: &mut RawTheme, key, value| {
        match key.get_ref().as_ref() {
            "palette" => {
                for (name, v) in entries(src.table("palette", value)?) {
                    let text = src.string(name.get_ref(), v)?;
                    let color = Color::from_str(text).map_err(|_| ThemeError::UnknownColor {
                        at: src.at(v.span().start),
                        value: text.to_owned(),
                        hint: hint(text, COLOR_NAMES.iter().copied()),
                    })?;
                    theme.palette.push((name.get_ref().to_string(), color));
                }
            }
            "scopes" => {
                for (name, v) in entries(src.table("scopes", value)?) {
                    let style = parse_style(src, name.get_ref(), v)?;
                    theme.scopes.push((name.get_ref().to_string(), style));
                }
            }
            _ => return Err(src.unknown_key(key, TOP_KEYS).into()),
        }
        Ok(())
    })
}

fn parse_style(
    src: &Source,
    scope: &str,
    value: &Spanned<DeValue<'_>>,
) -> Result<RawStyle, ThemeError> {
    let color_ref = |v: &Spanned<DeValue<'_>>, key: &str| -> Result<ColorRef, FileError> {
        Ok(ColorRef {
            name: src.string(key, v)?.to_owned(),
            offset: v.span().start,
        })
    };
    let offset = value.span().start;
    match value.get_ref() {
        DeValue::String(_) => Ok(RawStyle {
            fg: Some(color_ref(value, scope)?),
            offset,
            ..RawStyle::default()
        }),
        DeValue::Table(t) => {
            let mut style = RawStyle {
                offset,
                ..RawStyle::default()
            };
            for (key, v) in entries(t) {
                match key.get_ref().as_ref() {
                    "fg" => style.fg = Some(color_ref(v, "fg")?),
                    "bg" => style.bg = Some(color_ref(v, "bg")?),
                    "modifiers" => {
                        for m in src.array("modifiers", v, "a list of strings")?.iter() {
                            style.modifiers |= modifier(src, m)?;
                        }
                    }
                    other => {
                        let mut e = src.unknown_key(key, STYLE_KEYS);
                        // `ui.text = "x"` unquoted is a TOML table `ui` holding `text`.
                        if let FileError::UnknownKey { hint, .. } = &mut e
                            && hint.is_empty()
                        {
                            *hint = format!(
                                "; a dotted scope name needs quotes: `\"{scope}.{other}\" = …`"
                            );
                        }
                        return Err(e.into());
                    }
                }
            }
            Ok(style)
        }
        _ => Err(src
            .wrong_type(scope, value, "a colour or a table like { fg = \"blue\" }")
            .into()),
    }
}

fn modifier(src: &Source, value: &Spanned<DeValue<'_>>) -> Result<Modifier, ThemeError> {
    let name = src.string("modifiers", value)?;
    MODIFIERS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, m)| *m)
        .ok_or_else(|| ThemeError::UnknownModifier {
            at: src.at(value.span().start),
            value: name.to_owned(),
            hint: hint(name, MODIFIERS.iter().map(|(n, _)| *n)),
            expected: join_ticked(&MODIFIERS.iter().map(|(n, _)| *n).collect::<Vec<_>>()),
        })
}

#[cfg(test)]
mod tests {
    use super::super::testing;
    use super::*;

    /// A config dir holding the given user themes.
    fn with_themes(files: &[(&str, &str)]) -> (tempfile::TempDir, Paths) {
        testing::config_dir("themes", files)
    }

    fn err(files: &[(&str, &str)], name: &str) -> ThemeError {
        let (_dir, p) = with_themes(files);
        Theme::load(name, &p).unwrap_err()
    }

    fn at(e: &ThemeError) -> String {
        testing::line_column(e.location(), e)
    }

    #[test]
    fn every_preset_loads_and_defines_every_role() {
        assert_eq!(Theme::builtin_names().len(), THEMES.presets.len());
        for name in Theme::builtin_names() {
            let src = THEMES.preset(name).unwrap();
            let theme = resolve(src, None).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(theme.name(), *name);
            // Fallback is for user themes; the presets say what each role looks like, except
            // the finer finding roles, which may fall back to their severity on purpose.
            for scope in SCOPES {
                let explicit = theme.styles.contains_key(*scope);
                let may_fall_back =
                    scope.starts_with("finding.") && scope.matches('.').count() == 2;
                assert!(explicit || may_fall_back, "{name} does not define {scope}");
            }
        }
        assert!(Theme::builtin("nope").is_none());
    }

    #[test]
    fn monochrome_has_no_colours_and_no_color_picks_it() {
        let t = Theme::builtin("monochrome").unwrap();
        for scope in SCOPES {
            let s = t.style(scope);
            assert_eq!((s.fg, s.bg), (None, None), "{scope}");
        }
        assert_ne!(t.style("ui.selection"), Style::default());
        assert_eq!(Theme::default_name(None), "dark");
        assert_eq!(Theme::default_name(Some("")), "dark");
        assert_eq!(Theme::default_name(Some("1")), "monochrome");
        assert_eq!(Theme::default_name(Some("0")), "monochrome");
    }

    /// WCAG contrast of two RGB colours.
    fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
        fn lum((r, g, b): (u8, u8, u8)) -> f64 {
            let f = |c: u8| {
                let c = f64::from(c) / 255.0;
                if c <= 0.039_28 {
                    c / 12.92
                } else {
                    ((c + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b)
        }
        let (x, y) = (lum(a), lum(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    #[test]
    fn dark_and_light_text_is_readable() {
        for name in ["dark", "light"] {
            let t = Theme::builtin(name).unwrap();
            let base = t.style("ui.text");
            for scope in SCOPES {
                let s = t.style(scope);
                let (mut fg, mut bg) = (s.fg.or(base.fg), s.bg.or(base.bg));
                if s.add_modifier.contains(Modifier::REVERSED) {
                    std::mem::swap(&mut fg, &mut bg);
                }
                let (Some(Color::Rgb(r, g, b)), Some(Color::Rgb(br, bgc, bb))) = (fg, bg) else {
                    panic!("{name} {scope}: expected RGB colours, got {fg:?} on {bg:?}");
                };
                let ratio = contrast((r, g, b), (br, bgc, bb));
                // Borders are lines, not text: WCAG's 3:1 for non-text, 2:1 for the quiet ones.
                let min = match *scope {
                    "ui.border" => 2.0,
                    "ui.border.focused" => 3.0,
                    _ => 4.5,
                };
                assert!(ratio >= min, "{name} {scope}: contrast {ratio:.2} < {min}");
            }
        }
    }

    #[test]
    fn high_contrast_uses_only_the_sixteen_ansi_colours() {
        let t = Theme::builtin("high-contrast").unwrap();
        for scope in t.defined_scopes() {
            let s = t.style(scope);
            for c in [s.fg, s.bg].into_iter().flatten() {
                assert!(
                    !matches!(c, Color::Rgb(..) | Color::Indexed(_)),
                    "{scope}: {c:?}"
                );
            }
        }
    }

    #[test]
    fn scopes_fall_back_to_parents_then_text_then_default() {
        let (_d, p) = with_themes(&[(
            "t",
            r##"
[scopes]
"ui.text" = "white"
"finding" = { fg = "red", modifiers = ["bold"] }
"finding.error" = "#ff0000"
"##,
        )]);
        let t = Theme::load("t", &p).unwrap();
        let red = Style::default().fg(Color::Rgb(255, 0, 0));
        assert_eq!(t.style("finding.error.gutter"), red);
        assert_eq!(t.style("finding.error"), red);
        assert_eq!(
            t.style("finding.warning"),
            Style::default().fg(Color::Red).add_modifier(Modifier::BOLD)
        );
        assert_eq!(t.style("diff.added"), Style::default().fg(Color::White));
        assert_eq!(t.style("ui.text.dim"), Style::default().fg(Color::White));

        let (_d, p) = with_themes(&[("bare", "")]);
        assert_eq!(
            Theme::load("bare", &p).unwrap().style("ui.text"),
            Style::default()
        );
    }

    #[test]
    fn inherits_merges_palettes_and_scopes() {
        let (_d, p) = with_themes(&[
            (
                "base",
                "[palette]\nblue = \"#0000ff\"\nred = \"#ff0000\"\n[scopes]\n\"ui.link\" = \"blue\"\n\"status.bad\" = \"red\"\n\"ui.text\" = \"white\"\n",
            ),
            (
                "child",
                "inherits = \"base\"\n[palette]\nblue = \"#000088\"\n[scopes]\n\"status.bad\" = { modifiers = [\"bold\"] }\n",
            ),
        ]);
        let t = Theme::load("child", &p).unwrap();
        assert_eq!(t.name(), "child");
        // The parent's scope uses the child's palette.
        assert_eq!(t.style("ui.link").fg, Some(Color::Rgb(0, 0, 0x88)));
        // The child's scope replaces the parent's whole.
        assert_eq!(
            t.style("status.bad"),
            Style::default().add_modifier(Modifier::BOLD)
        );
        assert_eq!(t.style("ui.text").fg, Some(Color::White));
    }

    #[test]
    fn a_user_theme_overrides_and_extends_the_preset_of_its_name() {
        let (_d, p) = with_themes(&[(
            "dark",
            "inherits = \"dark\"\n[scopes]\n\"ui.link\" = \"lightred\"\n",
        )]);
        let t = Theme::load("dark", &p).unwrap();
        assert_eq!(t.style("ui.link"), Style::default().fg(Color::LightRed));
        assert_eq!(
            t.style("ui.text"),
            Theme::builtin("dark").unwrap().style("ui.text")
        );
        assert!(
            THEMES
                .available(Some(&p))
                .iter()
                .filter(|n| *n == "dark")
                .count()
                == 1
        );

        let (_d, p) = with_themes(&[("mine", "inherits = \"light\"\n")]);
        assert_eq!(
            THEMES.available(Some(&p)).last().map(String::as_str),
            Some("mine")
        );
        // By path too, with a relative `inherits` found beside the file.
        let path = p.themes_dir().join("mine.toml");
        assert_eq!(
            Theme::load(path.to_str().unwrap(), &p).unwrap().name(),
            "mine"
        );
    }

    #[test]
    fn inheritance_cycles_are_reported_where_they_close() {
        let chain = |e: &ThemeError| match e {
            ThemeError::File(FileError::Cycle { chain, .. }) => chain.clone(),
            _ => panic!("not a cycle: {e}"),
        };
        let e = err(
            &[("a", "inherits = \"b\"\n"), ("b", "\n\ninherits = \"a\"\n")],
            "a",
        );
        assert_eq!(chain(&e), "a → b → a");
        assert_eq!(at(&e), "3:12");
        assert!(e.location().unwrap().file.ends_with("b.toml"), "{e}");

        // However a file is spelled, it is one file.
        let e = err(&[("c", "inherits = \"../themes/c.toml\"\n")], "c");
        assert_eq!(chain(&e), "c → c");
        let e = err(&[("self", "inherits = \"self\"\n")], "self");
        assert_eq!(chain(&e), "self → self");
    }

    #[test]
    fn each_error_names_the_file_and_position() {
        type Check = fn(&ThemeError) -> bool;
        let cases: &[(&str, &str, Check)] = &[
            ("[scopes\n", "1:8", |e| {
                matches!(e, ThemeError::File(FileError::Syntax { .. }))
            }),
            (
                "[scopes]\n\"ui.text\" = { fg = \"bleu\" }\n",
                "2:20",
                |e| matches!(e, ThemeError::UnknownColor { value, hint, .. } if value == "bleu" && hint.contains("blue")),
            ),
            (
                "[palette]\nx = \"nope\"\n",
                "2:5",
                |e| matches!(e, ThemeError::UnknownColor { value, .. } if value == "nope"),
            ),
            (
                "[scopes]\n\"ui.text\" = { modifiers = [\"bold\", \"blod\"] }\n",
                "2:36",
                |e| matches!(e, ThemeError::UnknownModifier { hint, .. } if hint.contains("bold")),
            ),
            (
                "inherits = \"dark\"\ncolours = 1\n",
                "2:1",
                |e| matches!(e, ThemeError::File(FileError::UnknownKey { key, .. }) if key == "colours"),
            ),
            ("[scopes]\nui.text = \"red\"\n", "2:4", |e| {
                e.to_string().contains("\"ui.text\" = ")
            }),
            (
                "inherits = \"drak\"\n",
                "1:12",
                |e| matches!(e, ThemeError::File(FileError::UnknownInherits { hint, .. }) if hint.contains("dark")),
            ),
            ("inherits = 3\n", "1:12", |e| {
                matches!(e, ThemeError::File(FileError::WrongType { .. }))
            }),
        ];
        for (text, pos, check) in cases {
            let e = err(&[("broken", text)], "broken");
            assert!(check(&e), "{text:?}: {e}");
            assert_eq!(at(&e), *pos, "{text:?}: {e}");
            let shown = e.to_string();
            assert!(shown.contains("broken.toml:"), "{shown}");
        }
    }

    /// Falling back to the default is [`super::super::setup`]'s part.
    #[test]
    fn unknown_names_are_reported_with_a_hint() {
        let (_d, p) = with_themes(&[]);
        let e = Theme::load("ligth", &p).unwrap_err();
        assert!(
            matches!(&e, ThemeError::File(FileError::NotFound { hint, .. }) if hint.contains("light")),
            "{e}"
        );
        assert_eq!(
            Theme::load("light", &p).unwrap(),
            Theme::builtin("light").unwrap()
        );
    }
}
