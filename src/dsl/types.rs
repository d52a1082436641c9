//! Static types of the rule language, the members each type has, and the built-in
//! functions. One table serves the checker, the evaluator's dispatch and the docs.

use std::fmt;
use std::sync::Arc;

/// The static type of an expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Type {
    /// true / false
    Bool,
    /// A number (counts, amounts, fractions, years).
    Number,
    /// Text.
    Text,
    /// A calendar date.
    Date,
    /// A regex.
    Regex,
    /// The whole report.
    Report,
    /// A section of the report.
    Section,
    /// A paragraph of the report.
    Paragraph,
    /// A table of the report.
    Table,
    /// A data row of a table.
    Row,
    /// A data column of a table.
    Column,
    /// A regex match; the names are the regex's named groups (None: not known statically).
    Match(Option<Arc<Vec<String>>>),
    /// A list of elements of a type.
    List(Box<Type>),
    /// Not known statically: a regex group (number, date or text, decided by what matched).
    Any,
}

impl Type {
    /// A list of `t`.
    pub fn list(t: Type) -> Type {
        Type::List(Box::new(t))
    }

    /// Whether a value of type `self` may stand where `want` is expected.
    pub fn fits(&self, want: &Type) -> bool {
        match (self, want) {
            (Type::Any, _) | (_, Type::Any) => true,
            (Type::List(a), Type::List(b)) => a.fits(b),
            (Type::Match(_), Type::Match(_)) => true,
            (a, b) => a == b,
        }
    }

    /// Whether this type can be searched with a regex or read as text.
    pub fn is_scope(&self) -> bool {
        matches!(
            self,
            Type::Report
                | Type::Section
                | Type::Paragraph
                | Type::Table
                | Type::Row
                | Type::Text
                | Type::Match(_)
                | Type::Any
        )
    }

    /// The element type of a list (Any for Any).
    pub fn element(&self) -> Option<Type> {
        match self {
            Type::List(t) => Some((**t).clone()),
            Type::Any => Some(Type::Any),
            _ => None,
        }
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Bool => write!(f, "bool"),
            Type::Number => write!(f, "number"),
            Type::Text => write!(f, "text"),
            Type::Date => write!(f, "date"),
            Type::Regex => write!(f, "regex"),
            Type::Report => write!(f, "report"),
            Type::Section => write!(f, "section"),
            Type::Paragraph => write!(f, "paragraph"),
            Type::Table => write!(f, "table"),
            Type::Row => write!(f, "row"),
            Type::Column => write!(f, "column"),
            Type::Match(_) => write!(f, "match"),
            Type::List(t) => write!(f, "list of {t}"),
            Type::Any => write!(f, "value"),
        }
    }
}

/// A member of a type: `report.year`, `section.title`, ...
#[derive(Debug, Clone, Copy)]
pub struct MemberDoc {
    /// Its name.
    pub name: &'static str,
    /// What it is.
    pub doc: &'static str,
}

/// The members of a type, with their types.
pub fn members(t: &Type) -> Vec<(MemberDoc, Type)> {
    use Type::*;
    let m = |name, doc, t| (MemberDoc { name, doc }, t);
    let sentences = || {
        m(
            "sentences",
            "its sentences (ending at 。！？； or a line break), as texts",
            Type::list(Text),
        )
    };
    let clauses = || {
        m(
            "clauses",
            "its clauses (sentences also split at ，、：), as texts",
            Type::list(Text),
        )
    };
    let text_members = vec![
        m("length", "number of characters", Number),
        m(
            "numbers",
            "the numbers inside it (none for text that is not from the report)",
            Type::list(Number),
        ),
        m(
            "dates",
            "the dates inside it (none for text that is not from the report)",
            Type::list(Date),
        ),
        sentences(),
        clauses(),
    ];
    match t {
        Report => vec![
            m("title", "the title: the first non-empty line", Text),
            m("year", "the report year stated in the title", Number),
            m("published", "the publication date", Date),
            m("sections", "every headed section, in document order", Type::list(Section)),
            m("parts", "the top-level sections", Type::list(Section)),
            m("paragraphs", "every paragraph", Type::list(Paragraph)),
            m("numbers", "every number", Type::list(Number)),
            m("dates", "every date", Type::list(Date)),
            m("lines", "every non-empty line", Type::list(Text)),
            m("tables", "every table, in document order", Type::list(Table)),
            m("text", "the whole (folded) text", Text),
            sentences(),
            clauses(),
        ],
        Table => vec![
            m("caption", "the nearest non-empty line before the table", Text),
            m("section", "the innermost section holding the table", Section),
            m("rows", "the data rows (header rows excluded)", Type::list(Row)),
            m("columns", "the data columns (row-label columns excluded)", Type::list(Column)),
            m("width", "number of data columns", Number),
            m("height", "number of data rows", Number),
            m("uncertain", "whether the shape was guessed (some row lacks cells)", Bool),
            m("text", "the table's whole text", Text),
        ],
        Row => vec![
            m("label", "the label path, nested by numbering (三、本年度办理结果/(三)不予公开/1.属于国家秘密)", Text),
            m("cells", "one number per data column; blank, /, - and 无 read as 0, other text as none", Type::list(Number)),
            m("index", "position among the data rows (0-based)", Number),
            m("table", "the table holding it", Table),
            m("text", "the row's whole line", Text),
        ],
        Column => vec![
            m("label", "the header path joined with / (申请人情况/法人或其他组织/商业企业); empty without a header", Text),
            m("cells", "one number per data row, as for row.cells", Type::list(Number)),
            m("index", "position among the data columns (0-based)", Number),
            m("table", "the table holding it", Table),
        ],
        Section => vec![
            m("title", "the heading's title, without its numbering", Text),
            m("heading", "the whole heading line", Text),
            m("number", "the numbering value (二、 → 2); none when unnumbered", Number),
            m("style", "the numbering style: part, chinese, chinese-paren, arabic, arabic-paren, circled; none when unnumbered", Text),
            m("level", "depth in the section tree (top level = 1)", Number),
            m("children", "the sub-sections", Type::list(Section)),
            m("parent", "the enclosing section (none at top level)", Section),
            m("siblings", "the sections with the same parent, this one included", Type::list(Section)),
            m("peers", "the siblings with the same numbering style (unnumbered: the unnumbered siblings), this one included", Type::list(Section)),
            m("paragraphs", "the paragraphs inside it (sub-sections included)", Type::list(Paragraph)),
            m("numbers", "the numbers inside it", Type::list(Number)),
            m("dates", "the dates inside it", Type::list(Date)),
            m("text", "its whole text, heading included", Text),
            sentences(),
            clauses(),
        ],
        Paragraph => vec![
            m("text", "its text", Text),
            m("section", "the innermost section holding it", Section),
            m("numbers", "the numbers inside it", Type::list(Number)),
            m("dates", "the dates inside it", Type::list(Date)),
            sentences(),
            clauses(),
        ],
        Number => vec![
            m("value", "the number itself", Number),
            m("unit", "the unit word after it (件, 条, 元 ...)", Text),
            m("percent", "whether it was written as a percentage", Bool),
            m("approx", "whether it was marked 余/多 (a lower bound)", Bool),
            m("text", "the number as written", Text),
        ],
        Date => vec![
            m("year", "the year", Number),
            m("month", "the month", Number),
            m("day", "the day", Number),
            m("text", "the date as written", Text),
        ],
        Match(_) => vec![
            m("text", "the whole matched text", Text),
            m("start", "byte offset of the match in the folded text", Number),
        ],
        Text => text_members,
        _ => vec![],
    }
}

/// A built-in function's documentation and arity.
#[derive(Debug, Clone, Copy)]
pub struct FunctionDoc {
    /// Its name.
    pub name: &'static str,
    /// How it is called.
    pub signature: &'static str,
    /// What it does.
    pub doc: &'static str,
    /// Fewest arguments.
    pub min_args: usize,
    /// Most arguments.
    pub max_args: usize,
}

/// Every built-in function.
pub const FUNCTIONS: &[FunctionDoc] = &[
    FunctionDoc { name: "exists", signature: "exists(x)", doc: "true unless x is none or an empty list", min_args: 1, max_args: 1 },
    FunctionDoc { name: "missing", signature: "missing(x)", doc: "true when x is none or an empty list", min_args: 1, max_args: 1 },
    FunctionDoc { name: "section", signature: "section([scope,] /re/ | \"text\")", doc: "the first section whose title matches the regex or contains the text (none if there is none)", min_args: 1, max_args: 2 },
    FunctionDoc { name: "sections", signature: "sections([scope,] /re/ | \"text\")", doc: "every section whose title matches the regex or contains the text", min_args: 1, max_args: 2 },
    FunctionDoc { name: "matches", signature: "matches([scope,] /re/)", doc: "every match of the regex in the scope's folded text (the report by default); named groups become typed members", min_args: 1, max_args: 2 },
    FunctionDoc { name: "contains", signature: "contains(scope, /re/ | \"text\")", doc: "whether the scope's text contains a match or the text", min_args: 2, max_args: 2 },
    FunctionDoc { name: "starts_with", signature: "starts_with(text, \"prefix\" | /re/)", doc: "whether the text starts with the prefix (or the regex matches at its start)", min_args: 2, max_args: 2 },
    FunctionDoc { name: "ends_with", signature: "ends_with(text, \"suffix\")", doc: "whether the text ends with the suffix", min_args: 2, max_args: 2 },
    FunctionDoc { name: "length", signature: "length(text | list)", doc: "number of characters, or of elements", min_args: 1, max_args: 1 },
    FunctionDoc { name: "count", signature: "count(list) | count(x in list where cond)", doc: "number of elements", min_args: 1, max_args: 1 },
    FunctionDoc { name: "sum", signature: "sum(list) | sum(expr for x in list where cond)", doc: "sum of numbers (none if any is none)", min_args: 1, max_args: 1 },
    FunctionDoc { name: "min", signature: "min(list)", doc: "smallest number (none for an empty list)", min_args: 1, max_args: 1 },
    FunctionDoc { name: "max", signature: "max(list)", doc: "largest number (none for an empty list)", min_args: 1, max_args: 1 },
    FunctionDoc { name: "first", signature: "first(list)", doc: "first element (none for an empty list)", min_args: 1, max_args: 1 },
    FunctionDoc { name: "last", signature: "last(list)", doc: "last element (none for an empty list)", min_args: 1, max_args: 1 },
    FunctionDoc { name: "distinct", signature: "distinct(list)", doc: "the elements without repeats (by value), in order", min_args: 1, max_args: 1 },
    FunctionDoc { name: "filter", signature: "filter(x in list where cond)", doc: "the elements for which cond holds", min_args: 1, max_args: 1 },
    FunctionDoc { name: "map", signature: "map(expr for x in list)", doc: "expr for every element", min_args: 1, max_args: 1 },
    FunctionDoc { name: "date", signature: "date(year, month, day)", doc: "a date (none if it is not a valid date)", min_args: 3, max_args: 3 },
    FunctionDoc { name: "days", signature: "days(date_a, date_b)", doc: "days from a to b (negative if b is earlier)", min_args: 2, max_args: 2 },
    FunctionDoc { name: "abs", signature: "abs(n)", doc: "absolute value", min_args: 1, max_args: 1 },
    FunctionDoc { name: "text", signature: "text(x)", doc: "x as text, as the report wrote it", min_args: 1, max_args: 1 },
    FunctionDoc { name: "table", signature: "table([scope,] /re/)", doc: "the first table whose caption, or the title of a section holding it, matches (none if there is none)", min_args: 1, max_args: 2 },
    FunctionDoc { name: "tables", signature: "tables([scope,] /re/)", doc: "every table whose caption or enclosing section title matches", min_args: 1, max_args: 2 },
    FunctionDoc { name: "cell", signature: "table.cell(row, column) | row.cell(column)", doc: "the number in a cell; row and column are a regex over the label (first match), a row/column, or a 0-based index; blank, /, - and 无 read as 0, text as none. Labels `row·column = value`", min_args: 2, max_args: 3 },
    FunctionDoc { name: "row", signature: "table.row(/re/ | index)", doc: "the first data row whose label path matches (or the row at an index)", min_args: 2, max_args: 2 },
    FunctionDoc { name: "rows", signature: "table.rows(/re/)", doc: "every data row whose label path matches", min_args: 2, max_args: 2 },
    FunctionDoc { name: "column", signature: "table.column(/re/ | index)", doc: "the first data column whose label matches (or the column at an index)", min_args: 2, max_args: 2 },
    FunctionDoc { name: "number", signature: "number(x)", doc: "x read as a number, Arabic (1,062, 91.7%, 4470余) or Chinese (七, 十二); none if it is not one", min_args: 1, max_args: 1 },
];

/// Look up a built-in function.
pub fn function(name: &str) -> Option<&'static FunctionDoc> {
    FUNCTIONS.iter().find(|f| f.name == name)
}

/// Functions that take a list and may be written as comprehensions.
pub const LIST_FUNCTIONS: &[&str] = &[
    "count", "sum", "min", "max", "first", "last", "distinct", "filter", "map", "exists", "missing",
];

/// The closest candidate to `name` (edit distance ≤ 2, or ≤ a third of its length).
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        let names = FUNCTIONS.iter().map(|f| f.name);
        assert_eq!(did_you_mean("exsits", names.clone()), Some("exists"));
        assert_eq!(did_you_mean("sectoin", names.clone()), Some("section"));
        assert_eq!(did_you_mean("zzzzzz", names), None);
    }

    #[test]
    fn fits() {
        assert!(Type::Any.fits(&Type::Number));
        assert!(Type::list(Type::Number).fits(&Type::list(Type::Any)));
        assert!(!Type::Text.fits(&Type::Number));
    }
}
