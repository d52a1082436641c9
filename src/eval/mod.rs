//! Evaluation: rules against one document. Missing data is `none`, so a rule that
//! cannot be assessed on a report is not applicable rather than a finding; every value
//! read from the report carries its spans, so a failed comparison can label each operand.

pub mod capture;
mod table;
pub mod value;

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use crate::byteset::{positions, ByteSet};
use crate::document::{Document, NumberingStyle};
use crate::dsl::ast::{BinOp, CmpOp, Expr, ExprKind, Quantifier, UnOp};
use crate::fold::Folded;
use crate::rules::{Pack, Rule, TemplatePart};
use crate::span::{SharedStr, Span};
use value::{format_number, Date, DateVal, Evidence, MatchVal, Num, Origin, Text, Truth, Value};

/// A violation of a rule: its rendered message and what it rests on.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// The message with its placeholders filled in.
    pub message: String,
    /// Labelled report spans.
    pub evidence: Vec<Evidence>,
    /// Explanations (the computed values).
    pub notes: Vec<String>,
}

/// What evaluating one rule on one document gave.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Assessed, and it holds.
    Pass,
    /// Could not be assessed (its `when` does not hold, or the data it needs is missing).
    NotApplicable,
    /// Assessed, and it does not hold: one violation per failing case.
    Fail(Vec<Violation>),
}

/// A hasher for the per-report caches, whose keys are addresses and byte offsets: a
/// multiply-rotate mix instead of SipHash, which was 2% of a corpus run. The keys come
/// from the process and the report's layout, and a collision costs time, not results.
#[derive(Default)]
struct OffsetHasher(u64);

impl Hasher for OffsetHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(b as u64);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

type OffsetMap<K, V> = HashMap<K, V, BuildHasherDefault<OffsetHasher>>;

/// The bytes a sentence can end at: the ASCII terminators and the lead bytes of the
/// full-width ones (。 E3, ！？； EF).
struct SentenceEnds;

impl ByteSet for SentenceEnds {
    const BYTES: &'static [u8] = &[0xE3, 0xEF, b'!', b'?', b';', b'\n', b'\r'];
    const DIGITS: bool = false;
}

/// [`SentenceEnds`] and the clause breaks: `,` `:` (their full-width forms and 、
/// start with E3 or EF too).
struct ClauseEnds;

impl ByteSet for ClauseEnds {
    const BYTES: &'static [u8] = &[0xE3, 0xEF, b'!', b'?', b';', b'\n', b'\r', b',', b':'];
    const DIGITS: bool = false;
}

/// Everything evaluation needs about one report.
pub struct Ctx<'a> {
    /// The report model.
    pub doc: &'a Document,
    /// The folded text.
    pub folded: &'a Folded,
    /// The original text.
    pub source: &'a str,
    /// Pack `[let]` values: (pack, explained, name) → value.
    memo: RefCell<Vec<(usize, bool, String, Value)>>,
    /// Whether truth values carry their evidence and notes. Building labels is most of
    /// the cost of a comparison, and most comparisons hold (or sit in a `where`
    /// filter), so rules are evaluated without it and what fails is evaluated again
    /// with it. Evaluation is deterministic, so both passes agree on every truth.
    explain: Cell<bool>,
    /// `report.lines` and `report.text`, built once per report: every line-wise rule
    /// walks the same list, and building it copies each line.
    lines: RefCell<Option<Value>>,
    whole_text: RefCell<Option<Value>>,
    /// Per regex (by address; the rules outlive the context): whether it matches
    /// anywhere in the folded report. See [`Ctx::cannot_match`].
    anywhere: RefCell<OffsetMap<usize, bool>>,
    /// Regexes (by address) whose pattern has no assertions, noted as their literals
    /// are evaluated: the ones [`Ctx::cannot_match`] may answer for.
    assertion_free: RefCell<HashSet<usize, BuildHasherDefault<OffsetHasher>>>,
    /// The verdicts of quantifiers outside every other, evaluated unexplained, by
    /// expression address. See the `Quant` case of [`Ctx::eval`].
    settled: RefCell<OffsetMap<usize, bool>>,
    /// `matches(scope, re)` over a piece of the report, by (regex address, folded
    /// start, length): a failing rule's message and its explained re-evaluation ask
    /// for the same matches again.
    found: RefCell<OffsetMap<(usize, usize, usize), Value>>,
    /// `x.sentences` and `x.clauses` by (folded start, end, clauses?): several rules
    /// walk the report's sentences, and splitting copies each one.
    pieces: RefCell<OffsetMap<(usize, usize, bool), Value>>,
    /// The names of the numbering styles (`s.style`), allocated once per report.
    style_names: [SharedStr; 6],
    /// The empty list, shared, so a search that finds nothing allocates nothing.
    empty: Arc<Vec<Value>>,
}

struct Scope<'e> {
    text: &'e str,
    vars: Vec<(&'e str, Value)>,
    pack: Option<(usize, &'e Pack)>,
}

impl<'a> Ctx<'a> {
    /// A context for one report.
    pub fn new(doc: &'a Document, folded: &'a Folded, source: &'a str) -> Self {
        Ctx {
            doc,
            folded,
            source,
            memo: RefCell::new(Vec::new()),
            explain: Cell::new(false),
            lines: RefCell::new(None),
            whole_text: RefCell::new(None),
            anywhere: RefCell::default(),
            settled: RefCell::default(),
            assertion_free: RefCell::default(),
            found: RefCell::default(),
            pieces: RefCell::default(),
            // `NumberingStyle::ALL` is in declaration order, so `style as usize` indexes it.
            style_names: NumberingStyle::ALL.map(|s| SharedStr::from(style_name(s))),
            empty: Arc::new(Vec::new()),
        }
    }

    /// Whether `re` certainly has no match in the folded range `piece` of the report
    /// (`None` for text that is not part of it).
    ///
    /// A regex without look-around assertions (`^ $ \b \B \A \z \< \>`) matches a
    /// piece of text the same wherever the text stands, so if it matches nowhere in the
    /// whole folded report it matches nowhere in any part of it: one scan of the report
    /// per regex then answers `matches(line, re)` for every line that cannot match.
    /// Whether a regex has assertions comes from its syntax tree, recorded when its
    /// literal is evaluated (every regex value comes from one); unknown counts as yes.
    /// A search of the whole report answers for itself, so it is not scanned twice.
    fn cannot_match(&self, re: &Arc<regex::Regex>, piece: Option<std::ops::Range<usize>>) -> bool {
        let Some(piece) = piece else {
            return false;
        };
        let key = Arc::as_ptr(re) as usize;
        if let Some(&found) = self.anywhere.borrow().get(&key) {
            return !found;
        }
        if piece.start == 0 && piece.end >= self.folded.text.len() {
            return false;
        }
        let has_look = !self.assertion_free.borrow().contains(&key);
        let found = has_look || re.is_match(&self.folded.text);
        self.anywhere.borrow_mut().insert(key, found);
        !found
    }

    /// Evaluate `rule` (whose pack is `pack`, index `pack_index`).
    pub fn evaluate<'r>(&self, rule: &'r Rule, pack: &'r Pack, pack_index: usize) -> Outcome {
        self.explain.set(false);
        let when_scope = |w: &'r crate::rules::CompiledExpr| Scope {
            text: &w.text,
            vars: Vec::new(),
            pack: Some((pack_index, pack)),
        };
        if let Some(w) = &rule.when {
            match self.eval(&w.expr, &mut when_scope(w)) {
                Value::Bool(t) if t.holds => {}
                _ => return Outcome::NotApplicable,
            }
        }
        // What made the rule apply, explained: only needed once something fails.
        let when_cell: std::cell::OnceCell<Vec<Evidence>> = std::cell::OnceCell::new();
        let when_evidence = || {
            when_cell.get_or_init(|| match &rule.when {
                Some(w) => match self.explained(|| self.eval(&w.expr, &mut when_scope(w))) {
                    Value::Bool(t) => t.evidence,
                    _ => Vec::new(),
                },
                None => Vec::new(),
            })
        };
        let mut sc = Scope {
            text: &rule.check.text,
            vars: Vec::new(),
            pack: Some((pack_index, pack)),
        };
        let mut e = &rule.check.expr;
        // Top-level lets are visible to the message template. Evaluated explained: a
        // failing body may use their evidence.
        while let ExprKind::Let { name, value, body } = &e.kind {
            let v = self.explained(|| self.eval(value, &mut sc));
            sc.vars.push((name.name.as_str(), v));
            e = body;
        }
        let mut violations = Vec::new();
        match &e.kind {
            ExprKind::Quant {
                kind: kind @ (Quantifier::All | Quantifier::None),
                var,
                list,
                filter,
                body,
            } => {
                // One finding per failing element; nothing assessable means not applicable.
                let Value::List(items) = self.eval(list, &mut sc) else {
                    return Outcome::NotApplicable;
                };
                let mut assessed = false;
                for item in items.iter() {
                    sc.vars.push((var.name.as_str(), item.clone()));
                    let keep = self.keeps(filter.as_deref(), &mut sc);
                    if keep {
                        if let Value::Bool(t) = self.eval(body, &mut sc) {
                            assessed = true;
                            let failed = match kind {
                                Quantifier::All => !t.holds,
                                _ => t.holds,
                            };
                            if failed {
                                let mut t = self.explain_truth(body, &mut sc, t);
                                // A body that read nothing from the report (a bare
                                // `contains`) still points at the element it judged.
                                if t.evidence.is_empty() {
                                    if let Some(o) = self.element_origin(item) {
                                        t.evidence.push(Evidence {
                                            span: o.span,
                                            label: o.written.to_string(),
                                        });
                                    }
                                }
                                violations.push(self.violation(rule, &mut sc, t, when_evidence()));
                            }
                        }
                    }
                    sc.vars.pop();
                }
                if !assessed {
                    return Outcome::NotApplicable;
                }
            }
            _ => match self.eval(e, &mut sc) {
                Value::Bool(t) if !t.holds => {
                    let t = self.explain_truth(e, &mut sc, t);
                    violations.push(self.violation(rule, &mut sc, t, when_evidence()))
                }
                Value::Bool(_) => {}
                _ => return Outcome::NotApplicable,
            },
        }
        if violations.is_empty() {
            Outcome::Pass
        } else {
            Outcome::Fail(violations)
        }
    }

    /// Whether the element bound in `sc` passes a quantifier's `where` filter. A filter
    /// only selects, its evidence is never shown, so it is evaluated unexplained even
    /// in the explained pass: explaining every comparison of a sibling filter formatted
    /// thousands of discarded notes per report.
    fn keeps<'e>(&self, filter: Option<&'e Expr>, sc: &mut Scope<'e>) -> bool {
        let Some(f) = filter else { return true };
        let was = self.explain.replace(false);
        let keep = truth(&self.eval(f, sc)) == Some(true);
        self.explain.set(was);
        keep
    }

    /// Run `f` with evidence and notes built.
    fn explained<T>(&self, f: impl FnOnce() -> T) -> T {
        let was = self.explain.replace(true);
        let out = f();
        self.explain.set(was);
        out
    }

    /// `fast`, the unexplained truth of `e`, with its evidence and notes: `e` again,
    /// explained.
    fn explain_truth<'e>(&self, e: &'e Expr, sc: &mut Scope<'e>, fast: Truth) -> Truth {
        match self.explained(|| self.eval(e, sc)) {
            Value::Bool(t) if t.holds == fast.holds => t,
            // Cannot happen (evaluation is deterministic); keep the verdict regardless.
            _ => fast,
        }
    }

    fn violation<'r>(
        &self,
        rule: &'r Rule,
        sc: &mut Scope<'r>,
        t: Truth,
        when: &[Evidence],
    ) -> Violation {
        let mut message = String::new();
        for part in &rule.message {
            match part {
                TemplatePart::Text(s) => message.push_str(s),
                TemplatePart::Expr(c) => {
                    let saved = sc.text;
                    // Placeholders are their own expression texts; the variables stay.
                    let text: &str = &c.text;
                    let v = {
                        let mut inner = Scope {
                            text,
                            vars: sc.vars.clone(),
                            pack: sc.pack,
                        };
                        self.eval(&c.expr, &mut inner)
                    };
                    sc.text = saved;
                    message.push_str(&self.display(&v));
                }
            }
        }
        let mut evidence = t.evidence;
        // A finding about something absent points at what made the rule apply (the
        // title year of a report that lacks a section).
        if evidence.is_empty() {
            for w in when {
                if !evidence.iter().any(|e: &Evidence| e.span == w.span) {
                    evidence.push(w.clone());
                }
            }
            // In reading order, so the finding's location is the earliest of them.
            evidence.sort_by_key(|e| (e.span.start, e.span.end));
        }
        Violation {
            message,
            evidence,
            notes: t.notes,
        }
    }

    /// A value as a person reads it: numbers, dates and text as the report wrote them.
    pub fn display(&self, v: &Value) -> String {
        match v {
            Value::None => "—".into(),
            Value::Bool(t) => t.holds.to_string(),
            Value::Num(n) => match n.stated.and_then(|s| self.source.get(s.start..s.end)) {
                Some(w) => w.to_string(),
                None => format_number(n.value, n.percent),
            },
            Value::Text(t) => t.text.to_string(),
            Value::Date(d) => match d.stated.and_then(|s| self.source.get(s.start..s.end)) {
                Some(w) => w.to_string(),
                None => format!("{}年{}月{}日", d.date.year, d.date.month, d.date.day),
            },
            Value::Regex(r) => format!("/{}/", r.as_str()),
            Value::Report => "report".into(),
            Value::Section(i) => self.doc.sections[*i]
                .heading
                .as_ref()
                .map(|h| h.line.text.to_string())
                .unwrap_or_default(),
            Value::Paragraph(i) => self.doc.paragraphs[*i].at.text.to_string(),
            Value::Match(m) => m.text.text.to_string(),
            Value::Table(..) | Value::Row(..) | Value::Column(..) => self.table_display(v),
            Value::List(items) => items
                .iter()
                .map(|i| self.display(i))
                .collect::<Vec<_>>()
                .join("、"),
        }
    }

    fn written(&self, span: Span) -> Arc<str> {
        Arc::from(self.source.get(span.start..span.end).unwrap_or(""))
    }

    fn text_ref(&self, t: &crate::document::TextRef) -> Value {
        Value::Text(Text {
            text: t.text.clone(),
            span: Some(t.span),
            folded: Some(t.folded.clone()),
        })
    }

    /// The origin of a value read at `span` by the expression `what`: only when
    /// explaining (origins are only read to label evidence), so the common, holding
    /// evaluation allocates none.
    fn origin(&self, span: Span, what: impl FnOnce() -> Arc<str>) -> Vec<Origin> {
        self.origin_written(span, what, || self.written(span))
    }

    /// [`Ctx::origin`] with the written form given.
    fn origin_written(
        &self,
        span: Span,
        what: impl FnOnce() -> Arc<str>,
        written: impl FnOnce() -> Arc<str>,
    ) -> Vec<Origin> {
        if !self.explain.get() {
            return Vec::new();
        }
        vec![Origin {
            span,
            what: what(),
            written: written(),
        }]
    }

    fn number(&self, n: &crate::document::Number, what: &str) -> Value {
        Value::Num(Num {
            value: n.value,
            precision: n.precision,
            percent: n.percent,
            approx: n.approx,
            origins: self.origin(n.at.span, || Arc::from(what)),
            stated: Some(n.at.span),
        })
    }

    fn date(&self, d: &crate::document::Date, what: &str) -> Value {
        match DateVal::new(d.year.into(), d.month.into(), d.day.into()) {
            Some(date) => Value::Date(Date {
                date,
                origins: self.origin(d.at.span, || Arc::from(what)),
                stated: Some(d.at.span),
            }),
            None => Value::None,
        }
    }

    fn section_range(&self, i: usize) -> std::ops::Range<usize> {
        self.doc.sections[i].at.folded.clone()
    }

    /// The folded range a scope value covers (None: it has no place in the report).
    fn scope_range(&self, v: &Value) -> Option<std::ops::Range<usize>> {
        match v {
            Value::Report => Some(0..self.folded.text.len()),
            Value::Section(i) => Some(self.section_range(*i)),
            Value::Paragraph(i) => Some(self.doc.paragraphs[*i].at.folded.clone()),
            Value::Text(t) => t.folded.clone(),
            Value::Match(m) => m.text.folded.clone(),
            Value::Table(t) => self.doc.tables.get(*t).map(|t| t.at.folded.clone()),
            Value::Row(t, r) => self
                .doc
                .tables
                .get(*t)
                .and_then(|t| t.rows.get(*r))
                .map(|r| r.at.folded.clone()),
            _ => None,
        }
    }

    fn scope_text<'v>(&'v self, v: &'v Value) -> Option<(&'v str, Option<usize>)> {
        match v {
            Value::Text(t) if t.folded.is_none() => Some((&t.text, None)),
            Value::Match(m) if m.text.folded.is_none() => Some((&m.text.text, None)),
            _ => {
                let r = self.scope_range(v)?;
                Some((self.folded.text.get(r.clone())?, Some(r.start)))
            }
        }
    }

    fn sections_in(&self, scope: Option<&Value>) -> Vec<usize> {
        let all = 1..self.doc.sections.len();
        match scope.and_then(|s| self.scope_range(s)) {
            None => all.collect(),
            Some(r) => all
                .filter(|&i| {
                    let f = &self.doc.sections[i].at.folded;
                    f.start >= r.start
                        && f.end <= r.end
                        && !(matches!(scope, Some(Value::Section(s)) if *s == i))
                })
                .collect(),
        }
    }

    fn matches(&self, scope: &Value, re: &Arc<regex::Regex>) -> Value {
        let Some((hay, base)) = self.scope_text(scope) else {
            return Value::None;
        };
        if self.cannot_match(re, base.map(|b| b..b + hay.len())) {
            return Value::List(self.empty.clone());
        }
        // Only pieces of the report are remembered: other text may be gone (and its
        // address reused) by the next call.
        let key = base.map(|b| (Arc::as_ptr(re) as usize, b, hay.len()));
        if let Some(v) = key.and_then(|k| self.found.borrow().get(&k).cloned()) {
            return v;
        }
        // The group names, shared by the matches; built at the first match, as most
        // pieces searched have none.
        let named = re.capture_names().any(|n| n.is_some());
        let mut names: Vec<(usize, Arc<str>)> = Vec::new();
        let place = |r: std::ops::Range<usize>| base.map(|b| (b + r.start)..(b + r.end));
        // A match in the report shares the folded text; one in a computed text copies.
        let text_of = |r: std::ops::Range<usize>, s: &str| Text {
            text: place(r.clone()).map_or_else(|| SharedStr::from(s), |f| self.folded.text.sub(f)),
            span: place(r.clone()).map(|f| self.folded.source_span(f)),
            folded: place(r),
        };
        let mut out = Vec::new();
        if !named {
            // No named groups: the match alone, found without resolving captures
            // (the same leftmost-first matches; see docs/performance.md for the gain).
            for m in re.find_iter(hay) {
                out.push(Value::Match(Arc::new(MatchVal {
                    text: text_of(m.range(), m.as_str()),
                    groups: Vec::new(),
                })));
            }
        } else if re.is_match(hay) {
            // Only then: resolving captures sets up a slower engine even to find
            // nothing, and most pieces searched (a regex per sentence) hold no match,
            // which the DFA alone tells.
            for caps in re.captures_iter(hay) {
                let Some(m0) = caps.get(0) else { continue };
                if names.is_empty() {
                    names = re
                        .capture_names()
                        .enumerate()
                        .filter_map(|(i, n)| n.map(|n| (i, Arc::from(n))))
                        .collect();
                }
                let groups = names
                    .iter()
                    .map(|(i, name)| {
                        let v = caps
                            .get(*i)
                            .map(|g| self.capture_value(text_of(g.range(), g.as_str())));
                        (name.clone(), v)
                    })
                    .collect();
                out.push(Value::Match(Arc::new(MatchVal {
                    text: text_of(m0.range(), m0.as_str()),
                    groups,
                })));
            }
        }
        let v = Value::List(if out.is_empty() {
            self.empty.clone()
        } else {
            Arc::new(out)
        });
        if let Some(k) = key {
            self.found.borrow_mut().insert(k, v.clone());
        }
        v
    }

    /// Type a captured group by what it matched.
    fn capture_value(&self, t: Text) -> Value {
        // Always built, explaining or not: matches are remembered across both passes
        // (see `Ctx::found`), so what they hold must not depend on the pass.
        let origin = |span: Span| {
            vec![Origin {
                span,
                what: Arc::from(""),
                written: self.written(span),
            }]
        };
        if let Some(n) = capture::parse_number(&t.text) {
            return Value::Num(Num {
                value: n.value,
                precision: n.precision,
                percent: n.percent,
                approx: n.approx,
                origins: t.span.map(origin).unwrap_or_default(),
                stated: t.span,
            });
        }
        if let Some(d) = capture::parse_date(&t.text) {
            return Value::Date(Date {
                date: d,
                origins: t.span.map(origin).unwrap_or_default(),
                stated: t.span,
            });
        }
        Value::Text(t)
    }

    fn lookup<'e>(&self, name: &str, sc: &Scope<'e>) -> Value {
        if let Some((_, v)) = sc.vars.iter().rev().find(|(n, _)| *n == name) {
            return v.clone();
        }
        if name == "report" {
            return Value::Report;
        }
        let Some((pi, pack)) = sc.pack else {
            return Value::None;
        };
        let explain = self.explain.get();
        if let Some((.., v)) = self
            .memo
            .borrow()
            .iter()
            .find(|(p, x, n, _)| *p == pi && *x == explain && n == name)
        {
            return v.clone();
        }
        let Some(def) = pack.lets.iter().find(|l| l.name == name) else {
            return Value::None;
        };
        let mut inner = Scope {
            text: &def.expr.text,
            vars: Vec::new(),
            pack: sc.pack,
        };
        let v = self.eval(&def.expr.expr, &mut inner);
        self.memo
            .borrow_mut()
            .push((pi, explain, name.to_string(), v.clone()));
        v
    }

    fn eval<'e>(&self, e: &'e Expr, sc: &mut Scope<'e>) -> Value {
        match &e.kind {
            ExprKind::Bool(b) => Value::bool(*b),
            ExprKind::None => Value::None,
            ExprKind::Number { value, precision } => Value::Num(Num {
                precision: *precision,
                ..Num::exact(*value)
            }),
            ExprKind::Percent { value, precision } => Value::Num(Num {
                precision: *precision,
                percent: true,
                ..Num::exact(*value)
            }),
            ExprKind::Text(s) => Value::Text(Text {
                text: SharedStr::from(s.as_str()),
                span: None,
                folded: None,
            }),
            ExprKind::Regex(r) => match r.compiled.as_ref().and_then(|p| Some((p, p.regex()?))) {
                Some((p, re)) => {
                    if !p.has_assertions() {
                        self.assertion_free
                            .borrow_mut()
                            .insert(Arc::as_ptr(re) as usize);
                    }
                    Value::Regex(re.clone())
                }
                None => Value::None,
            },
            ExprKind::Var(id) => {
                let mut v = self.lookup(&id.name, sc);
                relabel(&mut v, sc.text, e.span);
                v
            }
            ExprKind::List(items) => {
                Value::List(Arc::new(items.iter().map(|i| self.eval(i, sc)).collect()))
            }
            ExprKind::Unary(op, inner) => match (op, self.eval(inner, sc)) {
                (UnOp::Neg, Value::Num(mut n)) => {
                    n.value = -n.value;
                    n.stated = None;
                    Value::Num(n)
                }
                (UnOp::Not, Value::Bool(mut t)) => {
                    t.holds = !t.holds;
                    Value::Bool(t)
                }
                _ => Value::None,
            },
            ExprKind::Binary(op, a, b) => self.binary(*op, a, b, sc),
            ExprKind::Compare {
                op,
                lhs,
                rhs,
                within,
            } => {
                let l = self.eval(lhs, sc);
                let r = self.eval(rhs, sc);
                let tol = within.as_ref().map(|w| self.eval(w, sc));
                self.compare(*op, (&l, lhs.span), (&r, rhs.span), tol, sc.text)
            }
            ExprKind::Member(target, name) => {
                let t = self.eval(target, sc);
                let mut v = self.member(
                    &t,
                    &name.name,
                    &sc.text[e.span.start.min(sc.text.len())..e.span.end.min(sc.text.len())],
                );
                relabel(&mut v, sc.text, e.span);
                v
            }
            ExprKind::Call { func, args } => {
                let vals: Vec<Value> = args.iter().map(|a| self.eval(a, sc)).collect();
                self.call(&func.name, vals)
            }
            ExprKind::Index(list, i) => match (self.eval(list, sc), self.eval(i, sc)) {
                (Value::List(items), Value::Num(n)) if n.value.fract() == 0.0 => {
                    let len = items.len() as i64;
                    let idx = n.value as i64;
                    let idx = if idx < 0 { len + idx } else { idx };
                    usize::try_from(idx)
                        .ok()
                        .and_then(|k| items.get(k).cloned())
                        .unwrap_or(Value::None)
                }
                _ => Value::None,
            },
            ExprKind::Quant {
                kind,
                var,
                list,
                filter,
                body,
            } => {
                // A quantifier outside every other binds nothing but its own variable,
                // so its verdict is the report's alone. When explaining, a verdict that
                // no element decided (`any` false, `all` or `none` true) has no
                // evidence to give: the one found unexplained stands, without walking
                // the list again (a failing rule is explained by a second evaluation).
                let settled_key = sc.vars.is_empty().then_some(e as *const Expr as usize);
                if let (true, Some(key)) = (self.explain.get(), settled_key) {
                    if let Some(&holds) = self.settled.borrow().get(&key) {
                        if holds != matches!(kind, Quantifier::Any) {
                            return Value::Bool(Truth {
                                holds,
                                evidence: Vec::new(),
                                notes: Vec::new(),
                            });
                        }
                    }
                }
                let v = self.quantify(*kind, var, list, filter.as_deref(), body, sc);
                if let (false, Some(key), Value::Bool(t)) = (self.explain.get(), settled_key, &v) {
                    self.settled.borrow_mut().insert(key, t.holds);
                }
                v
            }
            ExprKind::Comprehension {
                func,
                map,
                var,
                list,
                filter,
            } => {
                let Value::List(items) = self.eval(list, sc) else {
                    return Value::None;
                };
                let mut out = Vec::new();
                for item in items.iter() {
                    sc.vars.push((var.name.as_str(), item.clone()));
                    let keep = self.keeps(filter.as_deref(), sc);
                    if keep {
                        out.push(match map {
                            Some(m) => self.eval(m, sc),
                            None => item.clone(),
                        });
                    }
                    sc.vars.pop();
                }
                self.call(&func.name, vec![Value::List(Arc::new(out))])
            }
            ExprKind::Let { name, value, body } => {
                let v = self.eval(value, sc);
                sc.vars.push((name.name.as_str(), v));
                let r = self.eval(body, sc);
                sc.vars.pop();
                r
            }
            ExprKind::If {
                cond,
                then,
                otherwise,
            } => match truth(&self.eval(cond, sc)) {
                Some(true) => self.eval(then, sc),
                Some(false) => match otherwise {
                    Some(o) => self.eval(o, sc),
                    None => Value::bool(true),
                },
                None => Value::None,
            },
        }
    }

    /// `kind var in list where filter: body`.
    fn quantify<'e>(
        &self,
        kind: Quantifier,
        var: &'e crate::dsl::ast::Ident,
        list: &'e Expr,
        filter: Option<&'e Expr>,
        body: &'e Expr,
        sc: &mut Scope<'e>,
    ) -> Value {
        let Value::List(items) = self.eval(list, sc) else {
            return Value::None;
        };
        let mut evidence = Vec::new();
        let mut any_assessed = false;
        let mut decided = None;
        for item in items.iter() {
            sc.vars.push((var.name.as_str(), item.clone()));
            let keep = self.keeps(filter, sc);
            let r = if keep {
                self.eval(body, sc)
            } else {
                Value::None
            };
            sc.vars.pop();
            if let Value::Bool(t) = r {
                any_assessed = true;
                match (kind, t.holds) {
                    (Quantifier::All, false) | (Quantifier::None, true) => {
                        evidence.extend(t.evidence);
                        decided = Some(false);
                    }
                    (Quantifier::Any, true) => {
                        return Value::Bool(Truth {
                            holds: true,
                            evidence: t.evidence,
                            notes: t.notes,
                        });
                    }
                    _ => {}
                }
            }
        }
        if !items.is_empty() && !any_assessed {
            return Value::None;
        }
        let holds = decided.unwrap_or(!matches!(kind, Quantifier::Any));
        Value::Bool(Truth {
            holds,
            evidence,
            notes: Vec::new(),
        })
    }

    fn binary<'e>(&self, op: BinOp, a: &'e Expr, b: &'e Expr, sc: &mut Scope<'e>) -> Value {
        match op {
            BinOp::And | BinOp::Or | BinOp::Implies => {
                let l = self.eval(a, sc);
                let lt = as_truth(&l);
                // Short-circuit where the left side decides.
                match (op, &lt) {
                    (BinOp::And, Some(t)) if !t.holds => return l,
                    (BinOp::Or, Some(t)) if t.holds => return l,
                    (BinOp::Implies, Some(t)) if !t.holds => return Value::bool(true),
                    _ => {}
                }
                let r = self.eval(b, sc);
                let rt = as_truth(&r);
                match (op, lt, rt) {
                    (_, Some(l), Some(r)) => {
                        let holds = match op {
                            BinOp::And | BinOp::Implies => r.holds,
                            _ => l.holds || r.holds,
                        };
                        let mut evidence = l.evidence.clone();
                        evidence.extend(r.evidence.iter().cloned());
                        let mut notes = l.notes.clone();
                        notes.extend(r.notes.iter().cloned());
                        Value::Bool(Truth {
                            holds,
                            evidence,
                            notes,
                        })
                    }
                    // Unknown on one side: the other decides only when it is decisive.
                    (BinOp::And, None, Some(r)) if !r.holds => Value::Bool(r.clone()),
                    (BinOp::Or, None, Some(r)) if r.holds => Value::Bool(r.clone()),
                    (BinOp::Implies, None, Some(r)) if r.holds => Value::Bool(r.clone()),
                    _ => Value::None,
                }
            }
            _ => {
                let (l, r) = (self.eval(a, sc), self.eval(b, sc));
                arith(op, l, r)
            }
        }
    }

    fn compare(
        &self,
        op: CmpOp,
        l: (&Value, Span),
        r: (&Value, Span),
        tol: Option<Value>,
        text: &str,
    ) -> Value {
        let (lv, ls) = l;
        let (rv, rs) = r;
        let holds = match (lv, rv) {
            (Value::Num(a), Value::Num(b)) => {
                if a.approx || b.approx {
                    return Value::None; // 余/多: a lower bound is never an equality
                }
                if !a.value.is_finite() || !b.value.is_finite() {
                    return Value::None;
                }
                let eps = 1e-9 * a.value.abs().max(b.value.abs()).max(1.0);
                match op {
                    CmpOp::Eq => (a.value - b.value).abs() <= eps,
                    CmpOp::Ne => (a.value - b.value).abs() > eps,
                    CmpOp::Lt => a.value < b.value - eps,
                    CmpOp::Le => a.value <= b.value + eps,
                    CmpOp::Gt => a.value > b.value + eps,
                    CmpOp::Ge => a.value >= b.value - eps,
                    CmpOp::Approx => {
                        let t = match &tol {
                            Some(Value::Num(t)) => t.value.abs(),
                            Some(_) => return Value::None,
                            None => a.precision.max(b.precision),
                        };
                        (a.value - b.value).abs() <= t + eps
                    }
                }
            }
            (Value::Date(a), Value::Date(b)) => ordering_holds(op, a.date.cmp(&b.date)),
            (Value::Text(a), Value::Text(b)) => match op {
                CmpOp::Eq => a.text == b.text,
                CmpOp::Ne => a.text != b.text,
                _ => return Value::None,
            },
            (Value::Bool(a), Value::Bool(b)) => match op {
                CmpOp::Eq => a.holds == b.holds,
                CmpOp::Ne => a.holds != b.holds,
                _ => return Value::None,
            },
            // The checker lets lists be compared; they are equal element by element.
            (Value::List(a), Value::List(b)) => {
                let equal = a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| same(x, y));
                match op {
                    CmpOp::Eq => equal,
                    CmpOp::Ne => !equal,
                    _ => return Value::None,
                }
            }
            (Value::Section(a), Value::Section(b)) | (Value::Paragraph(a), Value::Paragraph(b)) => {
                match op {
                    CmpOp::Eq => a == b,
                    CmpOp::Ne => a != b,
                    _ => ordering_holds(op, a.cmp(b)),
                }
            }
            _ => return Value::None,
        };
        if !self.explain.get() {
            return Value::bool(holds);
        }
        let mut evidence = Vec::new();
        let percent = matches!((lv, rv), (Value::Num(a), Value::Num(b)) if a.percent || b.percent);
        // A count carries every counted element: hundreds of spans, so no quadratic
        // duplicate check.
        let (lo, ro) = (origins(lv), origins(rv));
        let mut seen: HashSet<(usize, usize), BuildHasherDefault<OffsetHasher>> =
            HashSet::with_capacity_and_hasher(lo.len() + ro.len(), Default::default());
        for os in [lo, ro] {
            for o in os.iter() {
                if !seen.insert((o.span.start, o.span.end)) {
                    continue;
                }
                let label = if o.what.is_empty() || *o.what == *o.written {
                    o.written.to_string()
                } else {
                    format!("{} = {}", o.what, o.written)
                };
                evidence.push(Evidence {
                    span: o.span,
                    label,
                });
            }
        }
        let mut notes = Vec::new();
        if !holds {
            let show = |v: &Value, s: Span| {
                let expr = text.get(s.start..s.end).unwrap_or("").trim();
                let val = match v {
                    Value::Num(n) if n.stated.is_none() => {
                        format_number(n.value, percent || n.percent)
                    }
                    other => self.display(other),
                };
                if expr == val {
                    val
                } else {
                    format!("{expr} = {val}")
                }
            };
            notes.push(format!(
                "{} {} {}",
                show(lv, ls),
                op.negated_symbol(),
                show(rv, rs)
            ));
        }
        Value::Bool(Truth {
            holds,
            evidence,
            notes,
        })
    }

    fn member(&self, t: &Value, name: &str, what: &str) -> Value {
        let doc = self.doc;
        let list = |v: Vec<Value>| Value::List(Arc::new(v));
        if let ("sentences" | "clauses", Some(range)) = (name, self.scope_range(t)) {
            let key = (range.start, range.end, name == "clauses");
            if let Some(v) = self.pieces.borrow().get(&key) {
                return v.clone();
            }
            let v = list(self.pieces(range, key.2));
            self.pieces.borrow_mut().insert(key, v.clone());
            return v;
        }
        match t {
            Value::Report => match name {
                "title" => doc
                    .title
                    .as_ref()
                    .map(|t| self.text_ref(t))
                    .unwrap_or(Value::None),
                "year" => doc
                    .year
                    .as_ref()
                    .map(|n| self.number(n, what))
                    .unwrap_or(Value::None),
                "published" => doc
                    .published
                    .as_ref()
                    .map(|d| self.date(d, what))
                    .unwrap_or(Value::None),
                "sections" => list((1..doc.sections.len()).map(Value::Section).collect()),
                "parts" => list(
                    doc.sections[0]
                        .children
                        .iter()
                        .map(|&i| Value::Section(i))
                        .collect(),
                ),
                "paragraphs" => list((0..doc.paragraphs.len()).map(Value::Paragraph).collect()),
                "numbers" => list(doc.numbers.iter().map(|n| self.number(n, "")).collect()),
                "dates" => list(doc.dates.iter().map(|d| self.date(d, "")).collect()),
                "lines" => self
                    .lines
                    .borrow_mut()
                    .get_or_insert_with(|| {
                        list(doc.lines.iter().map(|l| self.text_ref(l)).collect())
                    })
                    .clone(),
                "text" => self
                    .whole_text
                    .borrow_mut()
                    .get_or_insert_with(|| {
                        Value::Text(Text {
                            text: self.folded.text.clone(),
                            span: Some(Span::new(0, self.source.len())),
                            folded: Some(0..self.folded.text.len()),
                        })
                    })
                    .clone(),
                "tables" => list((0..doc.tables.len()).map(Value::Table).collect()),
                _ => Value::None,
            },
            Value::Section(i) => {
                let s = &doc.sections[*i];
                let range = s.at.folded.clone();
                match name {
                    "title" => s
                        .heading
                        .as_ref()
                        .map(|h| self.text_ref(&h.title))
                        .unwrap_or(Value::None),
                    "heading" => s
                        .heading
                        .as_ref()
                        .map(|h| self.text_ref(&h.line))
                        .unwrap_or(Value::None),
                    "number" => match s.heading.as_ref().and_then(|h| h.numbering.as_ref()) {
                        Some(n) => Value::Num(Num {
                            origins: self.origin(n.at.span, || Arc::from(what)),
                            stated: Some(n.at.span),
                            ..Num::exact(n.value.into())
                        }),
                        None => Value::None,
                    },
                    "style" => match s.heading.as_ref().and_then(|h| h.numbering.as_ref()) {
                        Some(n) => Value::Text(Text {
                            text: self.style_names[n.style as usize].clone(),
                            span: None,
                            folded: None,
                        }),
                        None => Value::None,
                    },
                    "level" => Value::Num(Num::exact(s.level.into())),
                    "children" => list(s.children.iter().map(|&c| Value::Section(c)).collect()),
                    "parent" => match s.parent {
                        Some(0) | None => Value::None,
                        Some(p) => Value::Section(p),
                    },
                    "siblings" => match s.parent {
                        Some(p) => list(
                            doc.sections[p]
                                .children
                                .iter()
                                .map(|&c| Value::Section(c))
                                .collect(),
                        ),
                        None => list(vec![Value::Section(*i)]),
                    },
                    // `siblings` filtered by style in one pass: the numbering rules compare
                    // each heading with its peers, and filtering in the DSL made them
                    // quadratic in interpreted steps.
                    "peers" => {
                        let style = |k: usize| {
                            doc.sections[k]
                                .heading
                                .as_ref()
                                .and_then(|h| h.numbering.as_ref())
                                .map(|n| n.style)
                        };
                        let own = style(*i);
                        match s.parent {
                            Some(p) => list(
                                doc.sections[p]
                                    .children
                                    .iter()
                                    .filter(|&&c| style(c) == own)
                                    .map(|&c| Value::Section(c))
                                    .collect(),
                            ),
                            None => list(vec![Value::Section(*i)]),
                        }
                    }
                    "paragraphs" => list(
                        doc.paragraphs
                            .iter()
                            .enumerate()
                            .filter(|(_, p)| {
                                p.at.folded.start >= range.start && p.at.folded.end <= range.end
                            })
                            .map(|(k, _)| Value::Paragraph(k))
                            .collect(),
                    ),
                    "numbers" => list(self.numbers_in(range)),
                    "dates" => list(self.dates_in(range)),
                    "text" => self.text_ref(&s.at),
                    _ => Value::None,
                }
            }
            Value::Paragraph(i) => {
                let p = &doc.paragraphs[*i];
                match name {
                    "text" => self.text_ref(&p.at),
                    "section" => match p.section {
                        0 => Value::None,
                        s => Value::Section(s),
                    },
                    "numbers" => list(self.numbers_in(p.at.folded.clone())),
                    "dates" => list(self.dates_in(p.at.folded.clone())),
                    _ => Value::None,
                }
            }
            Value::Num(n) => match name {
                "value" => Value::Num(n.clone()),
                "percent" => Value::bool(n.percent),
                "approx" => Value::bool(n.approx),
                "text" => Value::Text(Text {
                    text: SharedStr::from(self.display(t)),
                    span: n.stated,
                    folded: None,
                }),
                "unit" => n
                    .stated
                    .and_then(|s| doc.numbers.iter().find(|x| x.at.span == s))
                    .and_then(|x| x.unit.clone())
                    .map(|u| {
                        Value::Text(Text {
                            text: SharedStr::from(u.as_str()),
                            span: None,
                            folded: None,
                        })
                    })
                    .unwrap_or(Value::None),
                _ => Value::None,
            },
            Value::Date(d) => {
                let part = |v: u32| {
                    Value::Num(Num {
                        origins: d.origins.clone(),
                        ..Num::exact(v.into())
                    })
                };
                match name {
                    "year" => Value::Num(Num {
                        origins: d.origins.clone(),
                        ..Num::exact(d.date.year.into())
                    }),
                    "month" => part(d.date.month),
                    "day" => part(d.date.day),
                    "text" => Value::Text(Text {
                        text: SharedStr::from(self.display(t)),
                        span: d.stated,
                        folded: None,
                    }),
                    _ => Value::None,
                }
            }
            Value::Match(m) => match name {
                "text" => Value::Text(m.text.clone()),
                "start" => Value::Num(Num::exact(
                    m.text.folded.as_ref().map(|r| r.start).unwrap_or(0) as f64,
                )),
                _ => m
                    .groups
                    .iter()
                    .find(|(g, _)| &**g == name)
                    .and_then(|(_, v)| v.clone())
                    .unwrap_or(Value::None),
            },
            Value::Text(s) => match name {
                "length" => Value::Num(Num::exact(s.text.chars().count() as f64)),
                "numbers" => s
                    .folded
                    .clone()
                    .map(|r| list(self.numbers_in(r)))
                    .unwrap_or(Value::None),
                "dates" => s
                    .folded
                    .clone()
                    .map(|r| list(self.dates_in(r)))
                    .unwrap_or(Value::None),
                _ => Value::None,
            },
            Value::Table(..) | Value::Row(..) | Value::Column(..) => self.table_member(t, name),
            _ => Value::None,
        }
    }

    /// Where an element of a list stands in the report, for labelling a count.
    fn element_origin(&self, v: &Value) -> Option<Origin> {
        let (span, written) = match v {
            Value::Num(n) => return n.origins.first().cloned(),
            Value::Date(d) => return d.origins.first().cloned(),
            Value::Text(t) => (t.span?, self.written(t.span?)),
            Value::Match(m) => (m.text.span?, self.written(m.text.span?)),
            Value::Section(i) => {
                let h = self.doc.sections.get(*i)?.heading.as_ref()?;
                (h.line.span, Arc::from(h.line.text.as_str()))
            }
            Value::Paragraph(i) => {
                let p = self.doc.paragraphs.get(*i)?;
                (p.at.span, Arc::from(p.at.text.as_str()))
            }
            _ => return None,
        };
        Some(Origin {
            span,
            what: Arc::from(""),
            written,
        })
    }

    /// The sentences (or clauses) of a folded range, as texts with their spans. A sentence
    /// ends at 。！？；, their ASCII forms, or a line break; a clause also at ，、：.
    /// Surrounding whitespace is trimmed and empty pieces are dropped.
    fn pieces(&self, r: std::ops::Range<usize>, clauses: bool) -> Vec<Value> {
        let Some(hay) = self.folded.text.get(r.clone()) else {
            return Vec::new();
        };
        let ends = |c: char| {
            matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';' | '\n' | '\r')
                || (clauses && matches!(c, '，' | '、' | '：' | ',' | ':'))
        };
        let mut out = Vec::new();
        let mut start = 0;
        let push = |from: usize, to: usize, out: &mut Vec<Value>| {
            let piece = &hay[from..to];
            let lead = piece.len() - piece.trim_start().len();
            let piece = piece.trim();
            if piece.is_empty() {
                return;
            }
            let f = (r.start + from + lead)..(r.start + from + lead + piece.len());
            out.push(Value::Text(Text {
                text: self.folded.text.sub(f.clone()),
                span: Some(self.folded.source_span(f.clone())),
                folded: Some(f),
            }));
        };
        let bytes = hay.as_bytes();
        let digit_at = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
        // Bytes, not chars: every terminator is ASCII or starts with 0xE3 or 0xEF, and
        // neither is a continuation byte, so only those bytes are looked at (found
        // sixteen at a time) and decoded.
        let candidates: Box<dyn Iterator<Item = usize>> = if clauses {
            Box::new(positions::<ClauseEnds>(bytes, 0))
        } else {
            Box::new(positions::<SentenceEnds>(bytes, 0))
        };
        for i in candidates {
            let Some(&b) = bytes.get(i) else {
                break;
            };
            let c = match b {
                0xE3 | 0xEF => match hay.get(i..).and_then(|t| t.chars().next()) {
                    Some(c) => c,
                    None => continue,
                },
                b if b < 0x80 => b as char,
                _ => continue,
            };
            // 1,062: a thousands separator (a folded ， too) is not a clause break.
            let in_number = c == ',' && i > 0 && digit_at(i - 1) && digit_at(i + 1);
            if ends(c) && !in_number {
                // The terminator belongs to its sentence (but not to a clause).
                let end = if clauses || c == '\n' || c == '\r' {
                    i
                } else {
                    i + c.len_utf8()
                };
                push(start, end, &mut out);
                start = i + c.len_utf8();
            }
        }
        push(start, hay.len(), &mut out);
        out
    }

    fn numbers_in(&self, r: std::ops::Range<usize>) -> Vec<Value> {
        self.doc
            .numbers
            .iter()
            .filter(|n| n.at.folded.start >= r.start && n.at.folded.end <= r.end)
            .map(|n| self.number(n, ""))
            .collect()
    }

    fn dates_in(&self, r: std::ops::Range<usize>) -> Vec<Value> {
        self.doc
            .dates
            .iter()
            .filter(|d| d.at.folded.start >= r.start && d.at.folded.end <= r.end)
            .map(|d| self.date(d, ""))
            .collect()
    }

    fn call(&self, name: &str, args: Vec<Value>) -> Value {
        let list = |v: &Value| match v {
            Value::List(l) => Some(l.clone()),
            _ => None,
        };
        let num = |v: &Value| match v {
            Value::Num(n) => Some(n.clone()),
            _ => None,
        };
        match (name, args.as_slice()) {
            ("exists", [v]) => Value::bool(!v.is_missing()),
            ("missing", [v]) => Value::bool(v.is_missing()),
            ("section" | "sections", [re]) | ("section" | "sections", [_, re]) => {
                let pattern = re;
                let scope = if args.len() == 2 {
                    Some(&args[0])
                } else {
                    None
                };
                if scope.is_some_and(|s| s.is_missing()) {
                    return Value::None;
                }
                let found = self.sections_in(scope).into_iter().filter(|&i| {
                    self.doc.sections[i]
                        .heading
                        .as_ref()
                        .is_some_and(|h| match pattern {
                            Value::Regex(re) => re.is_match(&h.title.text),
                            Value::Text(t) => h.title.text.contains(&*t.text),
                            _ => false,
                        })
                });
                if name == "section" {
                    found.map(Value::Section).next().unwrap_or(Value::None)
                } else {
                    Value::List(Arc::new(found.map(Value::Section).collect()))
                }
            }
            ("matches", [Value::Regex(re)]) => self.matches(&Value::Report, re),
            ("matches", [scope, Value::Regex(re)]) => self.matches(scope, re),
            ("contains" | "starts_with" | "ends_with", [scope, pat]) => {
                let Some((hay, base)) = self.scope_text(scope) else {
                    return Value::None;
                };
                // A regex found nowhere in the report is found in no piece of it.
                let piece = base.map(|b| b..b + hay.len());
                let absent = matches!(pat, Value::Regex(re) if self.cannot_match(re, piece));
                // Where in `hay` the pattern stands, if it does.
                let found: Option<std::ops::Range<usize>> = match (name, pat) {
                    _ if absent => None,
                    ("contains", Value::Regex(re)) => re.find(hay).map(|m| m.range()),
                    ("starts_with", Value::Regex(re)) => {
                        re.find(hay).filter(|m| m.start() == 0).map(|m| m.range())
                    }
                    ("ends_with", Value::Regex(re)) => re
                        .find_iter(hay)
                        .find(|m| m.end() == hay.len())
                        .map(|m| m.range()),
                    ("contains", Value::Text(t)) => hay.find(&*t.text).map(|i| i..i + t.text.len()),
                    ("starts_with", Value::Text(t)) => {
                        hay.starts_with(&*t.text).then(|| 0..t.text.len())
                    }
                    ("ends_with", Value::Text(t)) => hay
                        .ends_with(&*t.text)
                        .then(|| hay.len() - t.text.len()..hay.len()),
                    _ => return Value::None,
                };
                // The evidence is what was found, or the scope searched in vain: a
                // failing `contains(section, …)` points at the section.
                if !self.explain.get() {
                    return Value::bool(found.is_some());
                }
                let evidence = match (&found, base) {
                    (Some(r), Some(b)) if !r.is_empty() => {
                        let span = self.folded.source_span((b + r.start)..(b + r.end));
                        Some(Evidence {
                            span,
                            label: self.written(span).to_string(),
                        })
                    }
                    (Some(_), _) => None,
                    (None, _) => self.element_origin(scope).map(|o| Evidence {
                        span: o.span,
                        label: o.written.to_string(),
                    }),
                };
                Value::Bool(Truth {
                    holds: found.is_some(),
                    evidence: evidence.into_iter().collect(),
                    notes: Vec::new(),
                })
            }
            ("count", [Value::List(l)]) => Value::Num(Num {
                // The counted elements are the evidence of a count: a failing
                // `count(m in matches(…)) == 0` labels every match.
                origins: if self.explain.get() {
                    l.iter().filter_map(|v| self.element_origin(v)).collect()
                } else {
                    Vec::new()
                },
                ..Num::exact(l.len() as f64)
            }),
            ("length" | "count", [v]) => match v {
                Value::List(l) => Value::Num(Num::exact(l.len() as f64)),
                Value::Text(t) => Value::Num(Num::exact(t.text.chars().count() as f64)),
                _ => Value::None,
            },
            ("sum", [v]) => {
                let Some(items) = list(v) else {
                    return Value::None;
                };
                let mut total = Num::exact(0.0);
                for i in items.iter() {
                    let Some(n) = num(i) else { return Value::None };
                    if n.approx {
                        return Value::None;
                    }
                    total.value += n.value;
                    total.percent = n.percent;
                    total.origins.extend(n.origins);
                }
                Value::Num(total)
            }
            ("min" | "max", [v]) => {
                let Some(items) = list(v) else {
                    return Value::None;
                };
                let mut best: Option<Num> = None;
                for i in items.iter() {
                    let Some(n) = num(i) else { return Value::None };
                    let better = best.as_ref().is_none_or(|b| {
                        if name == "min" {
                            n.value < b.value
                        } else {
                            n.value > b.value
                        }
                    });
                    if better {
                        best = Some(n);
                    }
                }
                best.map(Value::Num).unwrap_or(Value::None)
            }
            ("first", [v]) => list(v)
                .and_then(|l| l.first().cloned())
                .unwrap_or(Value::None),
            ("last", [v]) => list(v)
                .and_then(|l| l.last().cloned())
                .unwrap_or(Value::None),
            ("filter" | "map", [v]) => v.clone(),
            ("distinct", [v]) => {
                let Some(items) = list(v) else {
                    return Value::None;
                };
                let mut out: Vec<Value> = Vec::new();
                for i in items.iter() {
                    if !out.iter().any(|o| same(o, i)) {
                        out.push(i.clone());
                    }
                }
                Value::List(Arc::new(out))
            }
            ("date", [y, m, d]) => match (num(y), num(m), num(d)) {
                (Some(y), Some(m), Some(d))
                    if [y.value, m.value, d.value]
                        .iter()
                        .all(|v| v.fract() == 0.0 && v.abs() < 1e6) =>
                {
                    match DateVal::new(y.value as i64, m.value as i64, d.value as i64) {
                        Some(date) => Value::Date(Date {
                            date,
                            origins: y.origins,
                            stated: None,
                        }),
                        None => Value::None,
                    }
                }
                _ => Value::None,
            },
            ("days", [Value::Date(a), Value::Date(b)]) => {
                let mut n = Num::exact((b.date.day_number() - a.date.day_number()) as f64);
                n.origins = a.origins.iter().chain(&b.origins).cloned().collect();
                Value::Num(n)
            }
            ("abs", [Value::Num(n)]) => Value::Num(Num {
                value: n.value.abs(),
                stated: None,
                ..n.clone()
            }),
            ("text", [v]) => match v {
                Value::Text(_) => v.clone(),
                Value::None => Value::None,
                other => Value::Text(Text {
                    text: SharedStr::from(self.display(other)),
                    span: None,
                    folded: None,
                }),
            },
            ("number", [v]) => match v {
                Value::Num(_) => v.clone(),
                Value::Text(t) => {
                    let origins = t
                        .span
                        .map(|span| Origin {
                            span,
                            what: Arc::from(""),
                            written: Arc::from(t.text.as_str()),
                        })
                        .into_iter()
                        .collect();
                    let n = capture::parse_number(&t.text).or_else(|| {
                        // A Chinese numeral: 七 → 7, 十二 → 12.
                        crate::document::chinese_numeral_value(t.text.trim()).map(|v| {
                            capture::CapturedNumber {
                                value: v.into(),
                                precision: 0.5,
                                percent: false,
                                approx: false,
                            }
                        })
                    });
                    n.map(|n| {
                        Value::Num(Num {
                            value: n.value,
                            precision: n.precision,
                            percent: n.percent,
                            approx: n.approx,
                            origins,
                            stated: t.span,
                        })
                    })
                    .unwrap_or(Value::None)
                }
                _ => Value::None,
            },
            (n, _) if table::FUNCTIONS.contains(&n) => self.table_call(n, &args),
            _ => Value::None,
        }
    }
}

fn style_name(s: NumberingStyle) -> &'static str {
    match s {
        NumberingStyle::Part => "part",
        NumberingStyle::Chinese => "chinese",
        NumberingStyle::ChineseParen => "chinese-paren",
        NumberingStyle::Arabic => "arabic",
        NumberingStyle::ArabicParen => "arabic-paren",
        NumberingStyle::Circled => "circled",
    }
}

fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Num(x), Value::Num(y)) => x.value == y.value,
        (Value::Text(x), Value::Text(y)) => x.text == y.text,
        (Value::Date(x), Value::Date(y)) => x.date == y.date,
        (Value::Section(x), Value::Section(y)) | (Value::Paragraph(x), Value::Paragraph(y)) => {
            x == y
        }
        (Value::Bool(x), Value::Bool(y)) => x.holds == y.holds,
        (Value::Table(x), Value::Table(y)) => x == y,
        (Value::Row(a, b), Value::Row(c, d)) | (Value::Column(a, b), Value::Column(c, d)) => {
            (a, b) == (c, d)
        }
        _ => false,
    }
}

fn ordering_holds(op: CmpOp, o: std::cmp::Ordering) -> bool {
    use std::cmp::Ordering::*;
    match op {
        CmpOp::Eq | CmpOp::Approx => o == Equal,
        CmpOp::Ne => o != Equal,
        CmpOp::Lt => o == Less,
        CmpOp::Le => o != Greater,
        CmpOp::Gt => o == Greater,
        CmpOp::Ge => o != Less,
    }
}

fn truth(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(t) => Some(t.holds),
        _ => None,
    }
}

fn as_truth(v: &Value) -> Option<Truth> {
    match v {
        Value::Bool(t) => Some(t.clone()),
        _ => None,
    }
}

/// Borrowed where the value holds them: a count's hundreds of origins are not copied.
fn origins(v: &Value) -> std::borrow::Cow<'_, [Origin]> {
    use std::borrow::Cow;
    match v {
        Value::Num(n) => Cow::Borrowed(&n.origins),
        Value::Date(d) => Cow::Borrowed(&d.origins),
        Value::Text(t) => Cow::Owned(
            t.span
                .map(|s| Origin {
                    span: s,
                    what: Arc::from(""),
                    written: Arc::from(t.text.as_str()),
                })
                .into_iter()
                .collect(),
        ),
        _ => Cow::Borrowed(&[]),
    }
}

/// Name a value read straight from the report after the expression that read it, so a
/// label says `m.received = 497`.
/// In place: values are large, and moving every variable and member read through a
/// call that leaves nearly all of them alone (origins exist only when explaining) was
/// a percent of a run.
fn relabel(v: &mut Value, text: &str, span: Span) {
    let origin = match v {
        Value::Num(n) if n.stated.is_some() && n.origins.len() == 1 => n.origins.first_mut(),
        Value::Date(d) if d.stated.is_some() && d.origins.len() == 1 => d.origins.first_mut(),
        _ => None,
    };
    if let Some(o) = origin {
        o.what = Arc::from(text.get(span.start..span.end).unwrap_or("").trim());
    }
}

fn arith(op: BinOp, l: Value, r: Value) -> Value {
    match (l, r) {
        (Value::Num(a), Value::Num(b)) => {
            if a.approx || b.approx {
                return Value::None;
            }
            let value = match op {
                BinOp::Add => a.value + b.value,
                BinOp::Sub => a.value - b.value,
                BinOp::Mul => a.value * b.value,
                BinOp::Div => {
                    if b.value == 0.0 {
                        return Value::None; // not assessable, not infinite
                    }
                    a.value / b.value
                }
                _ => return Value::None,
            };
            if !value.is_finite() {
                return Value::None;
            }
            let mut origins = a.origins;
            origins.extend(b.origins);
            Value::Num(Num {
                value,
                precision: 0.0,
                percent: matches!(op, BinOp::Add | BinOp::Sub) && a.percent && b.percent,
                approx: false,
                origins,
                stated: None,
            })
        }
        (Value::Date(d), Value::Num(n))
            if matches!(op, BinOp::Add | BinOp::Sub)
                && n.value.fract() == 0.0
                && n.value.abs() < 1e7 =>
        {
            let delta = if op == BinOp::Add {
                n.value as i64
            } else {
                -(n.value as i64)
            };
            Value::Date(Date {
                date: DateVal::from_day_number(d.date.day_number() + delta),
                origins: d.origins,
                stated: None,
            })
        }
        (Value::Date(a), Value::Date(b)) if op == BinOp::Sub => {
            let mut n = Num::exact((a.date.day_number() - b.date.day_number()) as f64);
            n.origins = a.origins.into_iter().chain(b.origins).collect();
            Value::Num(n)
        }
        _ => Value::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_are_indexed_by_their_discriminant() {
        for (i, s) in NumberingStyle::ALL.iter().enumerate() {
            assert_eq!(*s as usize, i, "{s:?}");
        }
    }
    use crate::rules::load;

    fn outcome(check: &str, report: &str) -> Outcome {
        let toml = format!("[[rule]]\nid = \"x\"\nmessage = \"m\"\ncheck = '''{check}'''\n");
        let set = load(&[(
            "t".into(),
            vec![("t.toml".into(), Arc::from(toml.as_str()))],
        )])
        .expect("rule loads");
        let folded = Folded::new(report);
        let doc = Document::parse(&folded);
        let ctx = Ctx::new(&doc, &folded, report);
        ctx.evaluate(&set.rules[0], &set.packs[0], 0)
    }

    #[test]
    fn computed_dates_show_their_value_and_stated_dates_their_writing() {
        let toml = "[[rule]]\nid = \"x\"\ncheck = 'report.published <= date(report.year + 1, 1, 31)'\nmessage = '{date(report.year + 1, 1, 31)}|{report.published}|{report.published + 1}'\n";
        let set = load(&[("t".into(), vec![("t.toml".into(), Arc::from(toml))])]).expect("loads");
        let report = "某局2019年年度报告\n一、概述\n2020-02-15\n";
        let folded = Folded::new(report);
        let doc = Document::parse(&folded);
        let ctx = Ctx::new(&doc, &folded, report);
        match ctx.evaluate(&set.rules[0], &set.packs[0], 0) {
            Outcome::Fail(v) => {
                assert_eq!(v[0].message, "2020年1月31日|2020-02-15|2020年2月16日");
                // The computed deadline is labelled by the year it came from.
                assert!(
                    v[0].evidence
                        .iter()
                        .any(|e| e.label == "report.year = 2019"),
                    "{:?}",
                    v[0].evidence
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn peers_are_the_siblings_of_the_same_numbering_style() {
        // Under 甲, `1.条目` and `（一）子一` are siblings of different styles.
        let report = "某局2019年报告\n一、甲\n1.条目\n（一）子一\n2.条目二\n二、乙\n";
        assert_eq!(
            outcome("count(section(/条目/).siblings) == 2", report),
            Outcome::Pass
        );
        assert_eq!(
            outcome(
                "map(t.title for t in section(/条目/).peers) == [\"条目\"]",
                report
            ),
            Outcome::Pass
        );
        assert_eq!(
            outcome("count(section(/乙/).peers) == 2", report),
            Outcome::Pass
        );
        let same = "all s in report.sections where exists(s.number): \
            map(t.title for t in s.peers) \
            == map(t.title for t in s.siblings where t.style == s.style)";
        assert_eq!(outcome(same, report), Outcome::Pass);
    }

    #[test]
    fn lists_compare_element_by_element() {
        let report = "标题\n一、甲\n二、乙\n";
        assert_eq!(
            outcome("map(s.number for s in report.parts) == [1, 2]", report),
            Outcome::Pass
        );
        assert_eq!(outcome("[1, 2] != [1, 2, 3]", report), Outcome::Pass);
        assert!(matches!(
            outcome("[1, 2] == [2, 1]", report),
            Outcome::Fail(_)
        ));
    }

    #[test]
    fn number_reads_chinese_numerals_and_keeps_the_origin() {
        let report = "标题\n本报告由七部分组成。\n";
        let check = r"all m in matches(/由(?<n>\S)部分/): number(m.n) == 6";
        match outcome(check, report) {
            Outcome::Fail(v) => {
                let e = &v[0].evidence[0];
                assert_eq!(&report[e.span.start..e.span.end], "七");
            }
            other => panic!("{other:?}"),
        }
        let check = r"all m in matches(/由(?<n>\S)部分/): number(m.n) == 7";
        assert_eq!(outcome(check, report), Outcome::Pass);
        assert_eq!(
            outcome(
                r#"number("1,062") == 1062 and number("十二") == 12"#,
                report
            ),
            Outcome::Pass
        );
    }

    #[test]
    fn sentences_and_clauses_split_at_chinese_punctuation_and_keep_spans() {
        let report = "标题\n一、概述\n全年收到申请12件，办结10件；另有2件结转。网站正常！\n";
        assert_eq!(
            outcome("count(report.sentences) == 5", report),
            Outcome::Pass,
            "标题 / 一、概述 / …12件，办结10件； / 另有2件结转。 / 网站正常！"
        );
        assert_eq!(
            outcome(r#"count(section("概述").clauses) == 6"#, report),
            Outcome::Pass
        );
        assert_eq!(
            outcome(
                "count(report.clauses) == 2 and count(first(report.clauses).numbers) == 1",
                "收到申请1,062件，办结1062件\n"
            ),
            Outcome::Pass,
            "a thousands separator does not split a clause"
        );
        match outcome(
            r"all s in report.sentences where contains(s, /结转/): count(s.numbers) == 0",
            report,
        ) {
            Outcome::Fail(v) => assert_eq!(v.len(), 1),
            other => panic!("{other:?}"),
        }
        // A sentence keeps its terminator; its span points into the source.
        match outcome(r"none s in report.sentences: contains(s, /结转/)", report) {
            Outcome::Fail(v) => {
                let e = &v[0].evidence;
                assert!(e.is_empty() || report[e[0].span.start..e[0].span.end].contains("结转"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn section_lookup_accepts_plain_text() {
        let report = "标题\n一、总体情况\n正文。\n";
        assert_eq!(
            outcome(r#"exists(section("总体情况"))"#, report),
            Outcome::Pass
        );
        assert_eq!(
            outcome(r#"missing(section("其他需要报告的事项"))"#, report),
            Outcome::Pass
        );
    }

    #[test]
    fn a_failing_count_labels_every_counted_element() {
        let report = "标题\n20XX年工作。\n××街道。\n";
        match outcome(r"count(matches(/20XX年|××/)) == 0", report) {
            Outcome::Fail(v) => {
                let labelled: Vec<&str> = v[0]
                    .evidence
                    .iter()
                    .map(|e| &report[e.span.start..e.span.end])
                    .collect();
                assert_eq!(labelled, ["20XX年", "××"]);
            }
            other => panic!("{other:?}"),
        }
    }

    /// The whole-report prefilter may only skip a line when the regex has no match in
    /// the report; anchored regexes match lines the whole text does not, so they are
    /// never skipped.
    #[test]
    fn line_matches_agree_with_the_whole_report_prefilter() {
        let report = "标题\n附件:\n正文有××街道。\n末行\n";
        let line_rule = |re: &str| format!("none l in report.lines: count(matches(l, /{re}/)) > 0");
        // Matches inside one line only: found through the prefilter.
        assert!(matches!(
            outcome(&line_rule("××+"), report),
            Outcome::Fail(_)
        ));
        // Absent everywhere: every line is skipped, and the rule still holds.
        assert_eq!(outcome(&line_rule("20XX年"), report), Outcome::Pass);
        // `^…$` holds on the line 附件: but nowhere in the whole text.
        assert!(matches!(
            outcome(&line_rule("^附件:$"), report),
            Outcome::Fail(_)
        ));
        // `\b` at the edge of a line piece.
        assert!(matches!(
            outcome(&line_rule(r"\b末行"), report),
            Outcome::Fail(_)
        ));
        // `contains`, `starts_with` and `ends_with` take the same shortcut: a negated
        // class is no assertion, so an absent `[^…]` regex skips every line, and a
        // present one is still found.
        let contains = |f: &str, re: &str| format!("none l in report.lines: {f}(l, /{re}/)");
        assert_eq!(
            outcome(&contains("contains", "有[^。]{0,3}乡镇"), report),
            Outcome::Pass
        );
        assert!(matches!(
            outcome(&contains("contains", "有[^。]{0,3}街道"), report),
            Outcome::Fail(_)
        ));
        assert!(matches!(
            outcome(&contains("starts_with", "^附件:$"), report),
            Outcome::Fail(_)
        ));
        assert!(matches!(
            outcome(&contains("ends_with", "末行$"), report),
            Outcome::Fail(_)
        ));
    }
}
