//! Accessible charts for 对标指标 (benchmark indicators), drawn by hand as
//! inline SVG at build time.
//!
//! Two charts per indicator: [`bar_chart`] (per period, the units side by
//! side) and [`trend_chart`] (one line per unit across periods, the target as
//! a dashed line). Both carry a `<title>` and a `<desc>` with the Chinese text
//! alternative from [`describe`], referenced by `aria-labelledby` on an
//! `role="img"` root.
//!
//! Accessibility choices (WCAG 2.1 AA):
//! - every series colour has at least 4.5:1 contrast on the white background
//!   the chart paints itself (more than the 3:1 of 1.4.11, so the own unit's
//!   red also works for text);
//! - colour is never the only cue: bars differ by fill pattern (solid,
//!   diagonal hatch, dots, …), lines by dash style and marker shape (circle,
//!   square, triangle, …); the legend repeats the swatch or marker, and the own
//!   unit's name is bold;
//! - no `style` attributes (pages ship a CSP without `'unsafe-inline'`), only
//!   presentation attributes and class names (`gs-chart`, `gs-chart-bar`,
//!   `gs-chart-trend`) for themes;
//! - text is at least 12 viewBox units; the viewBox is 640 wide and the SVG
//!   scales with `width="100%"`.
//!
//! Output is deterministic: no maps, and every number is printed with a fixed
//! precision and trailing zeros stripped.
//!
//! Nice axis: steps are 1, 2, 2.5 or 5 × 10^k; the smallest such step that
//! covers the data in at most 5 intervals is taken, so an axis has 4–6
//! gridlines (0 included). Examples: max 87 → 0..100 by 20; max 0.37 → 0..0.4
//! by 0.1; max 1234 → 0..1250 by 250 (tighter than 1500 by 500, and 1400 by
//! 200 would need 8 gridlines).

use std::fmt::Write as _;

/// One unit compared: the zone itself (`own`) or a peer zone.
#[derive(Debug, Clone, PartialEq)]
pub struct Series<'a> {
    pub name: &'a str,
    pub own: bool,
    /// One value per period; `None` = no data. Non-finite values count as
    /// no data; values past the number of periods are ignored.
    pub values: Vec<Option<f64>>,
}

/// Everything a chart needs about one indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartInput<'a> {
    /// Unique per page; element ids derive from it (sanitised to `[a-z0-9-]`).
    pub id: &'a str,
    /// The indicator, e.g. "规模以上工业增加值".
    pub title: &'a str,
    /// 计量单位, e.g. "亿元", "万元/亩", "%"; may be "".
    pub unit: &'a str,
    pub periods: Vec<&'a str>,
    pub series: Vec<Series<'a>>,
    pub target: Option<f64>,
    pub higher_is_better: bool,
}

// ---------------------------------------------------------------- layout ---

const WIDTH: f64 = 640.0;
const PAD: f64 = 10.0;
const PLOT_H: f64 = 240.0;
const FONT: &str = "system-ui, sans-serif";
const TEXT: &str = "#1a1a1a";
const GRID: &str = "#d4d4d4";
const AXIS: &str = "#4d4d4d";
const TARGET: &str = "#333333";
/// Tick labels, period labels and the "暂无数据" note.
const FS_AXIS: f64 = 17.0;
const FS_LEGEND: f64 = 18.0;
/// Value labels and the unit caption.
const FS_SMALL: f64 = 15.0;
const FS_NOTE: f64 = 14.0;
const LEGEND_ROW: f64 = 30.0;
const X_LINE: f64 = 20.0;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Fill {
    Solid,
    Hatch,
    Dots,
    Cross,
    Stripes,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Marker {
    Circle,
    Square,
    Triangle,
    Diamond,
    TriangleDown,
}

struct Style {
    colour: &'static str,
    fill: Fill,
    /// `stroke-dasharray` of the trend line; `None` = solid.
    dash: Option<&'static str>,
    marker: Marker,
}

/// Style 0 goes to the own unit, the rest to peers in input order.
const STYLES: [Style; 5] = [
    Style {
        colour: "#a8171c",
        fill: Fill::Solid,
        dash: None,
        marker: Marker::Circle,
    },
    Style {
        colour: "#0b4f9c",
        fill: Fill::Hatch,
        dash: Some("9 5"),
        marker: Marker::Square,
    },
    Style {
        colour: "#3d5a40",
        fill: Fill::Dots,
        dash: Some("1 6"),
        marker: Marker::Triangle,
    },
    Style {
        colour: "#6a3d9a",
        fill: Fill::Cross,
        dash: Some("12 4 2 4"),
        marker: Marker::Diamond,
    },
    Style {
        colour: "#7a4a00",
        fill: Fill::Stripes,
        dash: Some("4 4"),
        marker: Marker::TriangleDown,
    },
];

/// Style index per series: own units first, then peers, in input order.
fn style_indexes(series: &[Series]) -> Vec<usize> {
    let mut out = vec![0; series.len()];
    let order = (0..series.len())
        .filter(|&i| series[i].own)
        .chain((0..series.len()).filter(|&i| !series[i].own));
    for (rank, i) in order.enumerate() {
        out[i] = rank % STYLES.len();
    }
    out
}

/// Element ids of one chart, all prefixed so two charts on a page never clash.
struct Ids {
    base: String,
}

impl Ids {
    fn new(id: &str, kind: &str) -> Ids {
        Ids {
            base: format!("{}-{kind}", sanitize_id(id)),
        }
    }
    fn get(&self, what: &str) -> String {
        format!("{}-{what}", self.base)
    }
}

/// `[a-z0-9-]` only, starting with a letter. Ids that lose characters (e.g.
/// Chinese ones) get a short hash of the original, so "指标一" and "指标二" stay
/// distinct.
pub(crate) fn sanitize_id(id: &str) -> String {
    let mut s = String::with_capacity(id.len());
    for ch in id.chars() {
        let ch = ch.to_ascii_lowercase();
        if ch.is_ascii_lowercase() || ch.is_ascii_digit() {
            s.push(ch);
        } else if !s.ends_with('-') {
            s.push('-');
        }
    }
    let mut s = s.trim_matches('-').to_string();
    if s != id {
        // FNV-1a, 32-bit: stable across builds and platforms.
        let hash = id.bytes().fold(0x811c_9dc5_u32, |h, b| {
            (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
        });
        if !s.is_empty() {
            s.push('-');
        }
        let _ = write!(s, "{hash:08x}");
    }
    if !s.starts_with(|c: char| c.is_ascii_lowercase()) {
        s.insert_str(0, "c-");
    }
    s
}

// --------------------------------------------------------------- numbers ---

/// Fixed precision, trailing zeros stripped, no "-0".
fn num(v: f64, decimals: usize) -> String {
    if let Some(s) = num_fast(v, decimals) {
        return s;
    }
    let mut s = format!("{v:.decimals$}");
    if s.contains('.') {
        let t = s.trim_end_matches('0').trim_end_matches('.').len();
        s.truncate(t);
    }
    if s == "-0" {
        s = "0".into();
    }
    s
}

/// [`num`] by integer arithmetic, for the common case: a chart prints
/// thousands of numbers and exact float formatting is slow. Declines (`None`)
/// where it could differ from `format!`: a scaled value within 1e-6 of a
/// rounding tie (its float error is below 1.1e-7 under 1e9), or out of range.
fn num_fast(v: f64, decimals: usize) -> Option<String> {
    let scale = [1.0, 10.0, 100.0].get(decimals)?;
    let x = v * scale;
    if !(x.abs() < 1e9) || ((x - x.trunc()).abs() - 0.5).abs() < 1e-6 {
        return None;
    }
    let r = x.round() as i64;
    if r == 0 {
        return Some("0".to_owned());
    }
    let p = 10u64.pow(decimals as u32);
    let (int, mut frac, mut digits) = (r.unsigned_abs() / p, r.unsigned_abs() % p, decimals);
    while digits > 0 && frac % 10 == 0 {
        frac /= 10;
        digits -= 1;
    }
    let mut s = String::with_capacity(12);
    if r < 0 {
        s.push('-');
    }
    let _ = write!(s, "{int}");
    if digits > 0 {
        let _ = write!(s, ".{frac:0digits$}");
    }
    Some(s)
}

/// A data value: at most 2 decimals.
fn val(v: f64) -> String {
    num(v, 2)
}

/// A coordinate: 1 decimal.
fn c(v: f64) -> String {
    num(v, 1)
}

/// A y axis from `min` to `max` by `step`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Axis {
    pub(crate) min: f64,
    pub(crate) max: f64,
    pub(crate) step: f64,
}

impl Axis {
    fn intervals(&self) -> usize {
        ((self.max - self.min) / self.step).round() as usize
    }
    fn ticks(&self) -> impl Iterator<Item = f64> + '_ {
        (0..=self.intervals()).map(|i| self.min + i as f64 * self.step)
    }
    /// Decimals that show every tick exactly (0.25 → 2, 2.5 → 1, 50 → 0).
    fn decimals(&self) -> usize {
        let mut d = 0;
        while d < 8 {
            let scaled = self.step * 10f64.powi(d as i32);
            if (scaled - scaled.round()).abs() < 1e-6 * scaled.max(1.0) {
                break;
            }
            d += 1;
        }
        d
    }
    fn label(&self, v: f64) -> String {
        num(v, self.decimals())
    }
}

/// The axis for data in `lo..=hi`, always including 0: the smallest step of
/// 1, 2, 2.5 or 5 × 10^k that covers the range in at most 5 intervals.
pub(crate) fn nice_axis(lo: f64, hi: f64) -> Axis {
    let (mut lo, mut hi) = (lo.min(0.0), hi.max(0.0));
    if !lo.is_finite() || !hi.is_finite() || hi - lo <= 0.0 {
        lo = 0.0;
        hi = 1.0;
    }
    let span = hi - lo;
    // Start one decade below, so the loop finds the smallest step that fits.
    let mut k = (span / 5.0).log10().floor() as i32 - 1;
    loop {
        for m in [1.0, 2.0, 2.5, 5.0] {
            let step = m * 10f64.powi(k);
            // Tolerate float noise: 0.4 / 0.1 = 4.000000000000001.
            let top = (hi / step - 1e-9).ceil();
            let bottom = (lo / step + 1e-9).floor();
            if top - bottom <= 5.0 {
                return Axis {
                    min: bottom * step,
                    max: top * step,
                    step,
                };
            }
        }
        k += 1;
    }
}

// ------------------------------------------------------------------ text ---

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// Estimated advance of one character, in em.
fn char_em(ch: char) -> f64 {
    match ch {
        ' ' => 0.3,
        '.' | ',' | ':' | ';' | '!' | '|' | 'i' | 'l' | 'j' => 0.3,
        '0'..='9' | '-' | '+' => 0.58,
        'A'..='Z' | '%' | 'm' | 'w' => 0.7,
        c if c.is_ascii() => 0.56,
        _ => 1.0,
    }
}

fn text_width(s: &str, size: f64) -> f64 {
    s.chars().map(char_em).sum::<f64>() * size
}

/// Breaks a label into lines no wider than `max_w`, never inside a run of
/// ASCII letters or digits nor between a number and its 年/月/季 (a token
/// wider than `max_w` gets a line of its own).
fn wrap(label: &str, max_w: f64, size: f64) -> Vec<String> {
    if text_width(label, size) <= max_w {
        return vec![label.to_string()];
    }
    let mut tokens: Vec<String> = Vec::new();
    for ch in label.chars() {
        let after_digit = tokens
            .last()
            .is_some_and(|t| t.chars().last().is_some_and(|p| p.is_ascii_digit()));
        let after_alnum = tokens
            .last()
            .is_some_and(|t| t.chars().last().is_some_and(|p| p.is_ascii_alphanumeric()));
        // "2025年" stays whole, so "2025年上半年" breaks as "2025年 / 上半年".
        let joins = (ch.is_ascii_alphanumeric() && after_alnum)
            || (matches!(ch, '年' | '月' | '日' | '季' | '期' | '%' | '.') && after_digit);
        match tokens.last_mut() {
            Some(t) if joins => t.push(ch),
            _ => tokens.push(ch.to_string()),
        }
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for t in tokens {
        if !line.is_empty() && text_width(&line, size) + text_width(&t, size) > max_w {
            lines.push(std::mem::take(&mut line));
        }
        line.push_str(&t);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A bare year "2024" reads "2024年" in running text.
fn period_text(p: &str) -> String {
    let p = p.trim();
    if p.len() == 4 && p.bytes().all(|b| b.is_ascii_digit()) {
        format!("{p}年")
    } else {
        p.to_string()
    }
}

/// A value as read in text: "12.5亿元", "8%", "无数据".
fn value_text(v: Option<f64>, unit: &str) -> String {
    match v {
        Some(v) => format!("{}{}", val(v), unit.trim()),
        None => "无数据".into(),
    }
}

// ------------------------------------------------------------------ data ---

fn value(c: &ChartInput, s: usize, p: usize) -> Option<f64> {
    c.series[s]
        .values
        .get(p)
        .copied()
        .flatten()
        .filter(|v| v.is_finite())
}

fn all_values<'c>(c: &'c ChartInput) -> impl Iterator<Item = f64> + 'c {
    (0..c.series.len()).flat_map(move |s| (0..c.periods.len()).filter_map(move |p| value(c, s, p)))
}

fn has_data(c: &ChartInput) -> bool {
    all_values(c).next().is_some()
}

fn axis_for(c: &ChartInput, with_target: bool) -> Axis {
    let target = c.target.filter(|t| with_target && t.is_finite());
    let (lo, hi) = all_values(c)
        .chain(target)
        .fold((0.0_f64, 0.0_f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    nice_axis(lo, hi)
}

/// The Chinese text alternative used in both charts' `<desc>`: the better
/// direction, each period's values with the unit, and the target.
///
/// "数值越高越好。2024年：沂源经济开发区 12.5亿元，江苏泰州港经济开发区 20亿元，青岛即墨经济开发区 18亿元。"
pub fn describe(c: &ChartInput) -> String {
    let mut s = String::from(if c.higher_is_better {
        "数值越高越好。"
    } else {
        "数值越低越好。"
    });
    if !has_data(c) {
        s.push_str("暂无数据。");
    } else {
        for (p, period) in c.periods.iter().enumerate() {
            s.push_str(&period_text(period));
            s.push('：');
            for (i, series) in c.series.iter().enumerate() {
                if i > 0 {
                    s.push('，');
                }
                let _ = write!(
                    s,
                    "{} {}",
                    series.name.trim(),
                    value_text(value(c, i, p), c.unit)
                );
            }
            s.push('。');
        }
    }
    if let Some(t) = c.target.filter(|t| t.is_finite()) {
        let _ = write!(s, "目标值 {}。", value_text(Some(t), c.unit));
    }
    s
}

// ----------------------------------------------------------------- frame ---

/// The parts both charts share: plot rectangle, axis and period slots.
struct Frame {
    axis: Axis,
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    slots: usize,
}

impl Frame {
    fn y(&self, v: f64) -> f64 {
        let Axis { min, max, .. } = self.axis;
        self.bottom - (v - min) / (max - min) * (self.bottom - self.top)
    }
    fn slot_w(&self) -> f64 {
        (self.right - self.left) / self.slots as f64
    }
    fn slot_mid(&self, p: usize) -> f64 {
        self.left + self.slot_w() * (p as f64 + 0.5)
    }
    fn height_below(&self, x_label_h: f64) -> f64 {
        self.bottom + x_label_h + PAD
    }
}

fn left_margin(axis: &Axis) -> f64 {
    let w = axis
        .ticks()
        .map(|t| text_width(&axis.label(t), FS_AXIS))
        .fold(0.0, f64::max);
    (PAD + w + 10.0).max(44.0)
}

/// One legend entry: the swatch is drawn by the caller's closure at (x, mid-y).
struct LegendItem {
    label: String,
    bold: bool,
    swatch_w: f64,
}

/// Flows legend items left to right, wrapping; returns placements (x, row).
fn legend_layout(items: &[LegendItem]) -> (Vec<(f64, usize)>, usize) {
    let mut out = Vec::with_capacity(items.len());
    let (mut x, mut row) = (PAD, 0);
    for it in items {
        let w =
            it.swatch_w + 8.0 + text_width(&it.label, FS_LEGEND) * if it.bold { 1.06 } else { 1.0 };
        if x > PAD && x + w > WIDTH - PAD {
            x = PAD;
            row += 1;
        }
        out.push((x, row));
        x += w + 22.0;
    }
    let rows = if items.is_empty() { 0 } else { row + 1 };
    (out, rows)
}

fn legend_text(out: &mut String, it: &LegendItem, x: f64, y: f64) {
    let _ = write!(
        out,
        r#"<text x="{}" y="{}"{}>{}</text>"#,
        c(x + it.swatch_w + 8.0),
        c(y + FS_LEGEND * 0.35),
        if it.bold {
            r#" font-weight="bold""#
        } else {
            ""
        },
        esc(&it.label)
    );
}

fn open_svg(out: &mut String, ids: &Ids, kind: &str, height: f64, title: &str, desc: &str) {
    let _ = write!(
        out,
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" id="{id}" class="gs-chart gs-chart-{kind}" "#,
            r#"viewBox="0 0 640 {h}" width="100%" role="img" aria-labelledby="{t} {d}" "#,
            r#"font-family="{font}" font-size="{fs}" fill="{text}">"#,
            r#"<title id="{t}">{title}</title><desc id="{d}">{desc}</desc>"#,
            r##"<rect width="640" height="{h}" fill="#fff"/>"##
        ),
        id = ids.base,
        kind = kind,
        h = c(height),
        t = ids.get("title"),
        d = ids.get("desc"),
        font = FONT,
        fs = FS_AXIS,
        text = TEXT,
        title = esc(title),
        desc = esc(desc),
    );
}

fn chart_title(c: &ChartInput, what: &str) -> String {
    let t = c.title.trim();
    if t.is_empty() {
        what.to_string()
    } else {
        format!("{t}：{what}")
    }
}

/// Unit caption above the plot, gridlines, tick labels and the zero line.
fn draw_axes(out: &mut String, f: &Frame, unit: &str, caption_y: f64) {
    if !unit.trim().is_empty() {
        let _ = write!(
            out,
            r#"<text x="{}" y="{}" font-size="{FS_SMALL}">单位：{}</text>"#,
            c(PAD),
            c(caption_y),
            esc(unit.trim())
        );
    }
    out.push_str(&format!(r#"<g stroke="{GRID}" stroke-width="1">"#));
    for t in f.axis.ticks() {
        if t.abs() < f.axis.step * 1e-6 {
            continue;
        }
        let y = c(f.y(t));
        let _ = write!(
            out,
            r#"<line x1="{}" x2="{}" y1="{y}" y2="{y}"/>"#,
            c(f.left),
            c(f.right)
        );
    }
    out.push_str("</g>");
    out.push_str(r#"<g text-anchor="end">"#);
    for t in f.axis.ticks() {
        let _ = write!(
            out,
            r#"<text x="{}" y="{}">{}</text>"#,
            c(f.left - 8.0),
            c(f.y(t) + FS_AXIS * 0.35),
            f.axis.label(t)
        );
    }
    out.push_str("</g>");
    let _ = write!(
        out,
        r#"<line x1="{}" x2="{}" y1="{y}" y2="{y}" stroke="{AXIS}" stroke-width="1.5"/>"#,
        c(f.left),
        c(f.right),
        y = c(f.y(0.0))
    );
}

/// Period labels, wrapped to the slot width; returns the markup and height.
fn x_labels(c_: &ChartInput, f: &Frame) -> (Vec<Vec<String>>, f64) {
    let max_w = (f.slot_w() - 2.0).max(FS_AXIS * 2.0);
    let lines: Vec<Vec<String>> = c_
        .periods
        .iter()
        .map(|p| wrap(p.trim(), max_w, FS_AXIS))
        .collect();
    let n = lines.iter().map(Vec::len).max().unwrap_or(1).max(1);
    (lines, 8.0 + n as f64 * X_LINE)
}

fn draw_x_labels(out: &mut String, f: &Frame, lines: &[Vec<String>]) {
    out.push_str(r#"<g text-anchor="middle">"#);
    for (p, ls) in lines.iter().enumerate() {
        let x = c(f.slot_mid(p));
        for (i, l) in ls.iter().enumerate() {
            let _ = write!(
                out,
                r#"<text x="{x}" y="{}">{}</text>"#,
                c(f.bottom + 4.0 + (i + 1) as f64 * X_LINE - 3.0),
                esc(l)
            );
        }
    }
    out.push_str("</g>");
}

fn no_data_note(out: &mut String, f: &Frame) {
    let _ = write!(
        out,
        r#"<text x="{}" y="{}" text-anchor="middle" font-size="18">暂无数据</text>"#,
        c((f.left + f.right) / 2.0),
        c((f.top + f.bottom) / 2.0)
    );
}

// ------------------------------------------------------------- bar chart ---

fn pattern_def(out: &mut String, ids: &Ids, n: usize, st: &Style) {
    let id = ids.get(&format!("p{n}"));
    let col = st.colour;
    let _ = match st.fill {
        Fill::Solid => Ok(()),
        Fill::Hatch => write!(
            out,
            r##"<pattern id="{id}" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="#fff"/><rect width="4" height="8" fill="{col}"/></pattern>"##
        ),
        Fill::Dots => write!(
            out,
            r##"<pattern id="{id}" width="7" height="7" patternUnits="userSpaceOnUse"><rect width="7" height="7" fill="#fff"/><circle cx="3.5" cy="3.5" r="2.4" fill="{col}"/></pattern>"##
        ),
        Fill::Cross => write!(
            out,
            r##"<pattern id="{id}" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="#fff"/><path d="M0 0h2.5v8h-2.5zM0 0h8v2.5h-8z" fill="{col}"/></pattern>"##
        ),
        Fill::Stripes => write!(
            out,
            r##"<pattern id="{id}" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#fff"/><rect width="6" height="3" fill="{col}"/></pattern>"##
        ),
    };
}

fn bar_fill(ids: &Ids, n: usize, st: &Style) -> String {
    match st.fill {
        Fill::Solid => st.colour.to_string(),
        _ => format!("url(#{})", ids.get(&format!("p{n}"))),
    }
}

/// Grouped bar chart: per period, the units side by side, values on top.
pub fn bar_chart(c_: &ChartInput) -> String {
    let ids = Ids::new(c_.id, "bar");
    let styles = style_indexes(&c_.series);
    let data = has_data(c_);
    let axis = axis_for(c_, false);
    let slots = c_.periods.len().max(1);
    let n = c_.series.len().max(1);

    let items: Vec<LegendItem> = c_
        .series
        .iter()
        .map(|s| LegendItem {
            label: s.name.trim().to_string(),
            bold: s.own,
            swatch_w: 22.0,
        })
        .collect();
    let (placed, rows) = legend_layout(&items);
    let legend_h = rows as f64 * LEGEND_ROW;

    let left = left_margin(&axis);
    let right = WIDTH - PAD - 4.0;
    let slot_w = (right - left) / slots as f64;
    let gap = if slot_w / n as f64 > 30.0 { 4.0 } else { 2.0 };
    let bar_w = ((slot_w * 0.82 - gap * (n as f64 - 1.0)) / n as f64).clamp(3.0, 56.0);
    let group_w = bar_w * n as f64 + gap * (n as f64 - 1.0);

    // Value labels go horizontal when they all fit the bar pitch, else upright.
    let labels: Vec<String> = all_values(c_).map(val).collect();
    let widest = labels
        .iter()
        .map(|l| text_width(l, FS_SMALL))
        .fold(0.0, f64::max);
    let upright = widest > bar_w + gap;
    let band = if upright {
        widest + 8.0
    } else {
        FS_SMALL + 8.0
    };
    // Vertical "无数据" when it does not fit across.
    let nodata_upright = text_width("无数据", FS_NOTE) > bar_w + gap;

    let caption_h = if c_.unit.trim().is_empty() {
        0.0
    } else {
        FS_SMALL + 8.0
    };
    let caption_y = PAD + legend_h + FS_SMALL;
    let top = PAD + legend_h + caption_h + band;
    let f = Frame {
        axis,
        left,
        right,
        top,
        bottom: top + PLOT_H,
        slots,
    };
    let (xl, xl_h) = x_labels(c_, &f);
    let height = f.height_below(xl_h);

    let title = chart_title(c_, "分时期对比柱状图");
    let mut out = String::with_capacity(4096);
    open_svg(&mut out, &ids, "bar", height, &title, &describe(c_));

    let mut defs = String::new();
    for (i, &si) in styles.iter().enumerate() {
        if styles[..i].contains(&si) {
            continue;
        }
        pattern_def(&mut defs, &ids, si, &STYLES[si]);
    }
    if !defs.is_empty() {
        let _ = write!(out, "<defs>{defs}</defs>");
    }

    // Legend.
    for ((it, &(x, row)), &si) in items.iter().zip(&placed).zip(&styles) {
        let y = PAD + row as f64 * LEGEND_ROW + LEGEND_ROW / 2.0;
        let st = &STYLES[si];
        let _ = write!(
            out,
            r#"<rect x="{}" y="{}" width="20" height="16" fill="{}" stroke="{}" stroke-width="2"/>"#,
            c(x + 1.0),
            c(y - 8.0),
            bar_fill(&ids, si, st),
            st.colour
        );
        legend_text(&mut out, it, x, y);
    }

    draw_axes(&mut out, &f, c_.unit, caption_y);

    if data {
        let zero = f.y(0.0);
        let mut bars = String::new();
        let mut text = String::new();
        for p in 0..c_.periods.len() {
            let x0 = f.slot_mid(p) - group_w / 2.0;
            for (s, &si) in styles.iter().enumerate() {
                let st = &STYLES[si];
                let x = x0 + s as f64 * (bar_w + gap);
                let mid = x + bar_w / 2.0;
                match value(c_, s, p) {
                    Some(v) => {
                        let yv = f.y(v);
                        // A zero still shows a sliver in the series' colour.
                        let (y, h) = if v >= 0.0 {
                            (yv, zero - yv)
                        } else {
                            (zero, yv - zero)
                        };
                        let (y, h) = if h < 2.0 { (zero - 1.0, 2.0) } else { (y, h) };
                        let _ = write!(
                            bars,
                            r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{}" stroke-width="1.5"/>"#,
                            c(x),
                            c(y),
                            c(bar_w),
                            c(h),
                            bar_fill(&ids, si, st),
                            st.colour
                        );
                        // Negative bars hang below zero; their label sits above zero.
                        let ly = if v >= 0.0 { yv - 5.0 } else { zero - 5.0 };
                        let label = val(v);
                        if upright {
                            let (lx, ly) = (mid + FS_SMALL * 0.35, ly);
                            let _ = write!(
                                text,
                                r#"<text x="{lx}" y="{ly}" text-anchor="start" transform="rotate(-90 {lx} {ly})">{label}</text>"#,
                                lx = c(lx),
                                ly = c(ly)
                            );
                        } else {
                            let _ = write!(
                                text,
                                r#"<text x="{}" y="{}">{label}</text>"#,
                                c(mid),
                                c(ly)
                            );
                        }
                    }
                    None => {
                        if nodata_upright {
                            // One character per line reads naturally in Chinese.
                            let _ = write!(
                                text,
                                r#"<text x="{}" y="{}" font-size="{FS_NOTE}">"#,
                                c(mid),
                                c(zero - 6.0 - FS_NOTE * 2.2)
                            );
                            for (i, ch) in "无数据".chars().enumerate() {
                                let _ = write!(
                                    text,
                                    r#"<tspan x="{}" dy="{}">{ch}</tspan>"#,
                                    c(mid),
                                    if i == 0 {
                                        "0".to_string()
                                    } else {
                                        c(FS_NOTE * 1.1)
                                    }
                                );
                            }
                            text.push_str("</text>");
                        } else {
                            let _ = write!(
                                text,
                                r#"<text x="{}" y="{}" font-size="{FS_NOTE}">无数据</text>"#,
                                c(mid),
                                c(zero - 6.0)
                            );
                        }
                    }
                }
            }
        }
        out.push_str(&bars);
        let _ = write!(
            out,
            r#"<g font-size="{FS_SMALL}" text-anchor="middle">{text}</g>"#
        );
    } else {
        no_data_note(&mut out, &f);
    }

    draw_x_labels(&mut out, &f, &xl);
    out.push_str("</svg>");
    out
}

// ----------------------------------------------------------- trend chart ---

fn marker(out: &mut String, m: Marker, x: f64, y: f64, colour: &str) {
    let stroke = r##"stroke="#fff" stroke-width="1.5""##;
    let _ = match m {
        Marker::Circle => write!(
            out,
            r#"<circle cx="{}" cy="{}" r="5.5" fill="{colour}" {stroke}/>"#,
            c(x),
            c(y)
        ),
        Marker::Square => {
            write!(
                out,
                r#"<rect x="{}" y="{}" width="10" height="10" fill="{colour}" {stroke}/>"#,
                c(x - 5.0),
                c(y - 5.0)
            )
        }
        Marker::Triangle => write!(
            out,
            r#"<path d="M{} {}l6.5 11h-13z" fill="{colour}" {stroke}/>"#,
            c(x),
            c(y - 7.0)
        ),
        Marker::Diamond => write!(
            out,
            r#"<path d="M{} {}l6.5 6.5l-6.5 6.5l-6.5 -6.5z" fill="{colour}" {stroke}/>"#,
            c(x),
            c(y - 6.5)
        ),
        Marker::TriangleDown => write!(
            out,
            r#"<path d="M{} {}l6.5 -11h-13z" fill="{colour}" {stroke}/>"#,
            c(x),
            c(y + 7.0)
        ),
    };
}

fn line_attrs(st: &Style, width: f64) -> String {
    let mut s = format!(
        r#"fill="none" stroke="{}" stroke-width="{}" stroke-linejoin="round""#,
        st.colour,
        c(width)
    );
    if let Some(d) = st.dash {
        let _ = write!(s, r#" stroke-dasharray="{d}" stroke-linecap="round""#);
    }
    s
}

/// Trend line chart: one line per unit across periods (broken where data is
/// missing), the target as a dashed grey line; the own unit's values labelled.
pub fn trend_chart(c_: &ChartInput) -> String {
    let ids = Ids::new(c_.id, "trend");
    let styles = style_indexes(&c_.series);
    let data = has_data(c_);
    let target = c_.target.filter(|t| t.is_finite());
    let axis = axis_for(c_, true);
    let slots = c_.periods.len().max(1);

    let mut items: Vec<LegendItem> = c_
        .series
        .iter()
        .map(|s| LegendItem {
            label: s.name.trim().to_string(),
            bold: s.own,
            swatch_w: 34.0,
        })
        .collect();
    if let Some(t) = target {
        items.push(LegendItem {
            label: format!("目标值 {}", value_text(Some(t), c_.unit)),
            bold: false,
            swatch_w: 34.0,
        });
    }
    let (placed, rows) = legend_layout(&items);
    let legend_h = rows as f64 * LEGEND_ROW;

    let caption_h = if c_.unit.trim().is_empty() {
        0.0
    } else {
        FS_SMALL + 8.0
    };
    let caption_y = PAD + legend_h + FS_SMALL;
    let band = FS_SMALL + 12.0;
    let top = PAD + legend_h + caption_h + band;
    let left = left_margin(&axis);
    let f = Frame {
        axis,
        left,
        right: WIDTH - PAD - 4.0,
        top,
        bottom: top + PLOT_H,
        slots,
    };
    let (xl, xl_h) = x_labels(c_, &f);
    let height = f.height_below(xl_h);

    let title = chart_title(c_, "趋势折线图");
    let mut out = String::with_capacity(4096);
    open_svg(&mut out, &ids, "trend", height, &title, &describe(c_));

    // Legend: a short stretch of line with its marker.
    for (i, (it, &(x, row))) in items.iter().zip(&placed).enumerate() {
        let y = c(PAD + row as f64 * LEGEND_ROW + LEGEND_ROW / 2.0);
        match styles.get(i) {
            Some(&si) => {
                let st = &STYLES[si];
                let _ = write!(
                    out,
                    r#"<path d="M{} {y}h32" {}/>"#,
                    c(x + 1.0),
                    line_attrs(st, 3.0)
                );
                marker(
                    &mut out,
                    st.marker,
                    x + 17.0,
                    PAD + row as f64 * LEGEND_ROW + LEGEND_ROW / 2.0,
                    st.colour,
                );
            }
            None => {
                let _ = write!(
                    out,
                    r#"<path d="M{} {y}h32" stroke="{TARGET}" stroke-width="2" stroke-dasharray="6 4"/>"#,
                    c(x + 1.0)
                );
            }
        }
        legend_text(
            &mut out,
            it,
            x,
            PAD + row as f64 * LEGEND_ROW + LEGEND_ROW / 2.0,
        );
    }

    draw_axes(&mut out, &f, c_.unit, caption_y);

    if let Some(t) = target {
        let y = c(f.y(t));
        let _ = write!(
            out,
            r#"<line x1="{}" x2="{}" y1="{y}" y2="{y}" stroke="{TARGET}" stroke-width="2" stroke-dasharray="6 4"/>"#,
            c(f.left),
            c(f.right)
        );
    }

    if data {
        // Peers first, own unit last so it is drawn on top.
        let mut order: Vec<usize> = (0..c_.series.len())
            .filter(|&s| !c_.series[s].own)
            .collect();
        order.extend((0..c_.series.len()).filter(|&s| c_.series[s].own));
        let mut labels = String::new();
        let widest = (0..c_.series.len())
            .filter(|&s| c_.series[s].own)
            .flat_map(|s| (0..c_.periods.len()).filter_map(move |p| value(c_, s, p)))
            .map(|v| text_width(&val(v), FS_SMALL) * 1.08)
            .fold(0.0, f64::max);
        // Labels that would run into their neighbours are left to the bar chart.
        let label_own = widest <= f.slot_w() - 6.0;
        for &s in &order {
            let st = &STYLES[styles[s]];
            let pts: Vec<Option<(f64, f64)>> = (0..c_.periods.len())
                .map(|p| value(c_, s, p).map(|v| (f.slot_mid(p), f.y(v))))
                .collect();
            let mut d = String::new();
            let mut prev = false;
            for pt in &pts {
                match pt {
                    Some((x, y)) => {
                        let _ = write!(d, "{}{} {}", if prev { "L" } else { "M" }, c(*x), c(*y));
                        prev = true;
                    }
                    None => prev = false,
                }
            }
            if d.contains('L') {
                let _ = write!(
                    out,
                    r#"<path d="{d}" {}/>"#,
                    line_attrs(st, if c_.series[s].own { 3.5 } else { 3.0 })
                );
            }
            for (p, pt) in pts.iter().enumerate() {
                if let Some((x, y)) = pt {
                    marker(&mut out, st.marker, *x, *y, st.colour);
                    if c_.series[s].own && label_own {
                        let label = val(value(c_, s, p).unwrap_or_default());
                        let half = text_width(&label, FS_SMALL) * 0.54 + 2.0;
                        let lx = x.clamp(half, WIDTH - half);
                        let _ = write!(
                            labels,
                            r#"<text x="{}" y="{}">{label}</text>"#,
                            c(lx),
                            c(y - 11.0)
                        );
                    }
                }
            }
        }
        if !labels.is_empty() {
            let own_colour = STYLES[0].colour;
            let _ = write!(
                out,
                r##"<g font-size="{FS_SMALL}" font-weight="bold" text-anchor="middle" fill="{own_colour}" stroke="#fff" stroke-width="3" paint-order="stroke">{labels}</g>"##
            );
        }
    } else {
        no_data_note(&mut out, &f);
    }

    draw_x_labels(&mut out, &f, &xl);
    out.push_str("</svg>");
    out
}

// ----------------------------------------------------------------- tests ---

#[cfg(test)]
mod tests {
    #[test]
    fn fast_numbers_match_format() {
        let mut v = -1234.5678_f64;
        while v < 1234.0 {
            for d in 0..3 {
                let mut slow = format!("{v:.d$}");
                if slow.contains('.') {
                    let t = slow.trim_end_matches('0').trim_end_matches('.').len();
                    slow.truncate(t);
                }
                if slow == "-0" {
                    slow = "0".into();
                }
                assert_eq!(super::num(v, d), slow, "{v} with {d} decimals");
            }
            v += 0.0137;
        }
    }

    use super::*;

    fn sample<'a>() -> ChartInput<'a> {
        ChartInput {
            id: "gyzjz",
            title: "规模以上工业增加值",
            unit: "亿元",
            periods: vec!["2022", "2023", "2024", "2025年上半年"],
            series: vec![
                Series {
                    name: "沂源经济开发区",
                    own: true,
                    values: vec![Some(10.2), Some(11.8), Some(12.5), Some(6.3)],
                },
                Series {
                    name: "江苏泰州港经济开发区",
                    own: false,
                    values: vec![Some(17.0), Some(18.4), Some(20.0), None],
                },
                Series {
                    name: "青岛即墨经济开发区",
                    own: false,
                    values: vec![Some(15.5), Some(16.0), Some(18.0), Some(9.1)],
                },
            ],
            target: Some(15.0),
            higher_is_better: true,
        }
    }

    fn ids_of(svg: &str) -> Vec<String> {
        svg.split(" id=\"")
            .skip(1)
            .map(|s| s[..s.find('"').unwrap()].to_string())
            .collect()
    }

    #[test]
    fn nice_axis_examples() {
        assert_eq!(
            nice_axis(0.0, 87.0),
            Axis {
                min: 0.0,
                max: 100.0,
                step: 20.0
            }
        );
        let a = nice_axis(0.0, 0.37);
        assert!(
            (a.max - 0.4).abs() < 1e-12 && (a.step - 0.1).abs() < 1e-12,
            "{a:?}"
        );
        // Documented choice: 1250 by 250 (6 gridlines), not 1500 or 1400.
        assert_eq!(
            nice_axis(0.0, 1234.0),
            Axis {
                min: 0.0,
                max: 1250.0,
                step: 250.0
            }
        );
        assert_eq!(
            nice_axis(0.0, 100.0),
            Axis {
                min: 0.0,
                max: 100.0,
                step: 20.0
            }
        );
        assert_eq!(
            nice_axis(0.0, 0.0),
            Axis {
                min: 0.0,
                max: 1.0,
                step: 0.2
            }
        );
        assert_eq!(nice_axis(0.0, 1e9).max, 1e9);
        let neg = nice_axis(-12.0, 30.0);
        assert!(
            neg.min <= -12.0 && neg.max >= 30.0 && neg.min < 0.0,
            "{neg:?}"
        );
        assert_eq!(
            nice_axis(-7.0, -2.0),
            Axis {
                min: -8.0,
                max: 0.0,
                step: 2.0
            }
        );
    }

    #[test]
    fn nice_axis_has_four_to_six_gridlines() {
        let mut v = 0.013;
        while v < 1e10 {
            for lo in [0.0, -v / 3.0] {
                let a = nice_axis(lo, v);
                let lines = a.ticks().count();
                assert!((4..=6).contains(&lines), "{lo}..{v}: {a:?}");
                assert!(a.max >= v && a.min <= lo, "{lo}..{v}: {a:?}");
                let m = a.step / 10f64.powf(a.step.log10().floor());
                assert!(
                    [1.0, 2.0, 2.5, 5.0].iter().any(|n| (n - m).abs() < 1e-9),
                    "{a:?}"
                );
            }
            v *= 1.37;
        }
    }

    #[test]
    fn tick_labels_are_compact() {
        let a = nice_axis(0.0, 0.37);
        let labels: Vec<String> = a.ticks().map(|t| a.label(t)).collect();
        assert_eq!(labels, ["0", "0.1", "0.2", "0.3", "0.4"]);
        let a = nice_axis(0.0, 11.0);
        let labels: Vec<String> = a.ticks().map(|t| a.label(t)).collect();
        assert_eq!(labels, ["0", "2.5", "5", "7.5", "10", "12.5"]);
    }

    #[test]
    fn numbers_are_fixed_and_stripped() {
        assert_eq!(val(12.5), "12.5");
        assert_eq!(val(20.0), "20");
        assert_eq!(val(1.0 / 3.0), "0.33");
        assert_eq!(val(-0.001), "0");
        assert_eq!(val(1e9), "1000000000");
        assert_eq!(val(1234567.891), "1234567.89");
    }

    #[test]
    fn root_is_an_accessible_image() {
        for svg in [bar_chart(&sample()), trend_chart(&sample())] {
            assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"));
            assert!(svg.contains(r#"role="img""#));
            assert!(svg.contains(r#"viewBox="0 0 640 "#) && svg.contains(r#"width="100%""#));
            assert!(!svg.contains("style="), "CSP forbids inline styles");
            let kind = if svg.contains("gs-chart-bar") {
                "bar"
            } else {
                "trend"
            };
            assert!(svg.contains(&format!(
                r#"aria-labelledby="gyzjz-{kind}-title gyzjz-{kind}-desc""#
            )));
            assert!(svg.contains(&format!(
                r#"<title id="gyzjz-{kind}-title">规模以上工业增加值："#
            )));
            assert!(svg.contains(&format!(
                r#"<desc id="gyzjz-{kind}-desc">数值越高越好。2022年：沂源经济开发区 10.2亿元，"#
            )));
            assert!(svg.contains("2024年：沂源经济开发区 12.5亿元，江苏泰州港经济开发区 20亿元，青岛即墨经济开发区 18亿元。"));
            assert!(svg.contains(r#"font-family="system-ui, sans-serif""#));
        }
    }

    #[test]
    fn describe_text() {
        let d = describe(&sample());
        assert_eq!(
            d,
            "数值越高越好。\
             2022年：沂源经济开发区 10.2亿元，江苏泰州港经济开发区 17亿元，青岛即墨经济开发区 15.5亿元。\
             2023年：沂源经济开发区 11.8亿元，江苏泰州港经济开发区 18.4亿元，青岛即墨经济开发区 16亿元。\
             2024年：沂源经济开发区 12.5亿元，江苏泰州港经济开发区 20亿元，青岛即墨经济开发区 18亿元。\
             2025年上半年：沂源经济开发区 6.3亿元，江苏泰州港经济开发区 无数据，青岛即墨经济开发区 9.1亿元。\
             目标值 15亿元。"
        );
        let mut c = sample();
        c.higher_is_better = false;
        c.unit = "%";
        c.target = None;
        assert!(describe(&c).starts_with("数值越低越好。2022年：沂源经济开发区 10.2%，"));
        for s in &mut c.series {
            s.values = vec![None; 4];
        }
        assert_eq!(describe(&c), "数值越低越好。暂无数据。");
    }

    #[test]
    fn deterministic() {
        assert_eq!(bar_chart(&sample()), bar_chart(&sample()));
        assert_eq!(trend_chart(&sample()), trend_chart(&sample()));
    }

    #[test]
    fn ids_are_unique_and_prefixed() {
        let mut other = sample();
        other.id = "Land Yield/亩均";
        let svgs = [
            bar_chart(&sample()),
            trend_chart(&sample()),
            bar_chart(&other),
            trend_chart(&other),
        ];
        let mut all: Vec<String> = svgs.iter().flat_map(|s| ids_of(s)).collect();
        let n = all.len();
        assert!(n >= 10, "{all:?}");
        for id in &all {
            assert!(
                id.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{id}"
            );
            assert!(
                id.starts_with("gyzjz-") || id.starts_with("land-yield-"),
                "{id}"
            );
        }
        all.sort();
        all.dedup();
        assert_eq!(all.len(), n, "duplicate ids");
        // Every url(#…) and aria reference points at an id in the same chart.
        for svg in &svgs {
            let ids = ids_of(svg);
            for r in svg.split("url(#").skip(1) {
                assert!(ids.contains(&r[..r.find(')').unwrap()].to_string()));
            }
        }
    }

    #[test]
    fn sanitize_ids() {
        assert_eq!(sanitize_id("gdp-2024"), "gdp-2024");
        assert!(sanitize_id("GDP_2024").starts_with("gdp-2024-"));
        assert_ne!(sanitize_id("指标一"), sanitize_id("指标二"));
        assert!(sanitize_id("指标一").starts_with("c-"));
        assert!(sanitize_id("2024").starts_with("c-2024"));
        assert!(sanitize_id("").starts_with("c-"));
    }

    #[test]
    fn missing_values_say_no_data() {
        // Across when it fits the bar pitch, else one character per line.
        let no_data =
            |svg: &str| svg.matches(">无数据<").count() + svg.matches(">无</tspan>").count();
        assert_eq!(no_data(&bar_chart(&sample())), 1);
        let mut one = sample();
        one.periods.truncate(1);
        one.series[0].values = vec![None];
        assert_eq!(bar_chart(&one).matches(">无数据<").count(), 1);
        // Many periods: narrow bars stack the characters upright.
        let mut c = sample();
        c.periods = vec![
            "2016", "2017", "2018", "2019", "2020", "2021", "2022", "2023", "2024", "2025",
        ];
        for s in &mut c.series {
            s.values = (0..10)
                .map(|i| {
                    if i == 3 {
                        None
                    } else {
                        Some(1000.0 + i as f64 * 37.25)
                    }
                })
                .collect();
        }
        let svg = bar_chart(&c);
        assert_eq!(svg.matches(">无</tspan>").count(), 3);
        assert!(svg.contains("rotate(-90"));
    }

    #[test]
    fn all_missing_draws_axes_and_note() {
        let mut c = sample();
        for s in &mut c.series {
            s.values = vec![None; 4];
        }
        c.target = None;
        for svg in [bar_chart(&c), trend_chart(&c)] {
            assert!(svg.contains(">暂无数据</text>"));
            assert!(svg.contains(">2022</text>"));
            assert!(svg.contains(">1</text>"), "axis 0..1");
            assert!(
                !svg.contains(">无数据<") && !svg.contains("L"),
                "no bars, labels or lines"
            );
        }
        // No periods, no series at all.
        let empty = ChartInput {
            periods: vec![],
            series: vec![],
            target: None,
            ..sample()
        };
        assert!(bar_chart(&empty).contains("暂无数据"));
        assert!(trend_chart(&empty).contains("暂无数据"));
    }

    #[test]
    fn zero_negative_and_large_values() {
        let mut c = sample();
        c.series[0].values = vec![Some(0.0), Some(-3.5), Some(1e9), Some(f64::NAN)];
        let bar = bar_chart(&c);
        assert!(bar.contains(">0</text>") && bar.contains(">-3.5</text>"));
        assert!(bar.contains("1000000000"));
        let no_data = bar.matches(">无数据<").count() + bar.matches(">无</tspan>").count();
        assert_eq!(no_data, 2, "NaN counts as missing");
        assert!(!describe(&c).contains("NaN"));
        let trend = trend_chart(&c);
        assert!(trend.contains(">-3.5</text>"));
        // Negative axis starts below zero.
        let mut c = sample();
        c.series[1].values = vec![Some(-12.0), Some(-3.0), Some(4.0), Some(8.0)];
        let svg = bar_chart(&c);
        assert!(
            svg.contains(">-15</text>") || svg.contains(">-20</text>"),
            "{svg}"
        );
    }

    #[test]
    fn one_period_and_escaping() {
        let c = ChartInput {
            id: "x",
            title: "A&B <指标>",
            unit: "万元/亩",
            periods: vec!["2024"],
            series: vec![Series {
                name: "\"甲\" & <乙>",
                own: true,
                values: vec![Some(3.2)],
            }],
            target: None,
            higher_is_better: false,
        };
        for svg in [bar_chart(&c), trend_chart(&c)] {
            assert!(svg.contains("A&amp;B &lt;指标&gt;"));
            assert!(svg.contains("&quot;甲&quot; &amp; &lt;乙&gt;"));
            assert!(!svg.contains("<乙>"));
            assert!(svg.contains("3.2万元/亩"));
        }
    }

    #[test]
    fn palette_contrast_on_white() {
        fn lum(hex: &str) -> f64 {
            let ch = |i: usize| {
                let v = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
                if v <= 0.03928 {
                    v / 12.92
                } else {
                    ((v + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * ch(1) + 0.7152 * ch(3) + 0.0722 * ch(5)
        }
        for hex in STYLES.iter().map(|s| s.colour).chain([TEXT, AXIS, TARGET]) {
            let ratio = 1.05 / (lum(hex) + 0.05);
            assert!(ratio >= 4.5, "{hex}: {ratio}");
        }
    }

    #[test]
    fn sample_is_small() {
        assert!(
            bar_chart(&sample()).len() < 6000,
            "{}",
            bar_chart(&sample()).len()
        );
        assert!(
            trend_chart(&sample()).len() < 6000,
            "{}",
            trend_chart(&sample()).len()
        );
    }

    /// `cargo test --lib chart -- --ignored` writes samples to look at.
    #[test]
    #[ignore]
    fn write_samples() {
        let dir = std::env::temp_dir();
        std::fs::write(dir.join("chart-bar.svg"), bar_chart(&sample())).unwrap();
        std::fs::write(dir.join("chart-trend.svg"), trend_chart(&sample())).unwrap();
        let mut many = sample();
        many.id = "many";
        many.periods = vec![
            "2016",
            "2017",
            "2018",
            "2019",
            "2020",
            "2021",
            "2022",
            "2023",
            "2024",
            "2025年上半年",
        ];
        for (k, s) in many.series.iter_mut().enumerate() {
            s.values = (0..10)
                .map(|i| {
                    if (i + k) % 7 == 3 {
                        None
                    } else {
                        Some(900.0 + (i * 131 + k * 257) as f64 % 600.0 - 0.25)
                    }
                })
                .collect();
        }
        many.target = Some(1300.0);
        std::fs::write(dir.join("chart-bar-many.svg"), bar_chart(&many)).unwrap();
        std::fs::write(dir.join("chart-trend-many.svg"), trend_chart(&many)).unwrap();
        let mut neg = sample();
        neg.id = "neg";
        neg.unit = "%";
        neg.periods = vec!["2024"];
        neg.series[0].values = vec![Some(-4.2)];
        neg.series[1].values = vec![Some(0.0)];
        neg.series[2].values = vec![None];
        neg.target = Some(5.0);
        neg.higher_is_better = false;
        std::fs::write(dir.join("chart-bar-neg.svg"), bar_chart(&neg)).unwrap();
        std::fs::write(dir.join("chart-trend-neg.svg"), trend_chart(&neg)).unwrap();
        let mut none = sample();
        none.id = "none";
        for s in &mut none.series {
            s.values = vec![None; 4];
        }
        std::fs::write(dir.join("chart-bar-none.svg"), bar_chart(&none)).unwrap();
        std::fs::write(dir.join("chart-trend-none.svg"), trend_chart(&none)).unwrap();
    }
}
