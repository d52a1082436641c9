//! schema/rules.schema.json agrees with the loader: it names exactly the keys the
//! loader accepts at each level, requires exactly the keys the loader requires, accepts
//! every built-in rule file and refuses the broken fixtures.
//!
//! The schema is checked by a small validator for the keywords it uses (the test
//! fails on any other keyword, so the schema cannot grow a constraint nobody checks).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{Map, Value};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn schema() -> Value {
    let text = std::fs::read_to_string(root().join("schema/rules.schema.json")).expect("schema");
    serde_json::from_str(&text).expect("schema is JSON")
}

/// Keywords the validator below understands; annotations are listed too.
const KEYWORDS: &[&str] = &[
    "$schema",
    "$id",
    "$ref",
    "title",
    "description",
    "default",
    "definitions",
    "type",
    "properties",
    "additionalProperties",
    "required",
    "items",
    "enum",
    "pattern",
];

/// Errors of `v` against `s` (empty: valid), each with a JSON-pointer-ish path.
fn validate(root: &Value, s: &Value, v: &Value, at: &str, errors: &mut Vec<String>) {
    let Some(s) = s.as_object() else {
        errors.push(format!("{at}: schema is not an object"));
        return;
    };
    for k in s.keys() {
        assert!(KEYWORDS.contains(&k.as_str()), "unsupported keyword {k}");
    }
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        let name = r.strip_prefix("#/definitions/").expect("local $ref");
        let target = &root["definitions"][name];
        assert!(!target.is_null(), "dangling $ref {r}");
        validate(root, target, v, at, errors);
    }
    if let Some(t) = s.get("type").and_then(Value::as_str) {
        let ok = match t {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "boolean" => v.is_boolean(),
            "number" => v.is_number(),
            other => panic!("unsupported type {other}"),
        };
        if !ok {
            errors.push(format!("{at}: expected {t}, found {v}"));
            return;
        }
    }
    if let Some(e) = s.get("enum").and_then(Value::as_array) {
        if !e.contains(v) {
            errors.push(format!("{at}: {v} is not one of {e:?}"));
        }
    }
    if let (Some(p), Some(text)) = (s.get("pattern").and_then(Value::as_str), v.as_str()) {
        if !regex::Regex::new(p).expect("pattern").is_match(text) {
            errors.push(format!("{at}: {text:?} does not match {p}"));
        }
    }
    if let (Some(items), Some(arr)) = (s.get("items"), v.as_array()) {
        for (i, x) in arr.iter().enumerate() {
            validate(root, items, x, &format!("{at}/{i}"), errors);
        }
    }
    if let Some(obj) = v.as_object() {
        let empty = Map::new();
        let props = s
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        for req in s
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let req = req.as_str().expect("required names");
            if !obj.contains_key(req) {
                errors.push(format!("{at}: missing {req}"));
            }
        }
        for (k, x) in obj {
            let sub = format!("{at}/{k}");
            match (props.get(k), s.get("additionalProperties")) {
                (Some(p), _) => validate(root, p, x, &sub, errors),
                (None, Some(Value::Bool(false))) => errors.push(format!("{sub}: unknown key")),
                (None, Some(extra)) if extra.is_object() => validate(root, extra, x, &sub, errors),
                (None, _) => {}
            }
        }
    }
}

fn toml_as_json(text: &str) -> Value {
    toml::from_str(text).expect("valid TOML")
}

fn schema_errors(text: &str) -> Vec<String> {
    let s = schema();
    let mut errors = Vec::new();
    validate(&s, &s, &toml_as_json(text), "", &mut errors);
    errors
}

/// The loader's messages for `text` as a one-file pack.
fn load_errors(text: &str) -> Vec<String> {
    match reportlint::rules::load(&[("t".into(), vec![("t.toml".into(), Arc::from(text))])]) {
        Ok(_) => Vec::new(),
        Err(e) => e.errors.into_iter().map(|e| e.message).collect(),
    }
}

/// The keys the loader accepts where `text` puts `zz_unknown`: read from its own
/// "unknown field" message, so the list cannot drift from its serde structs.
fn accepted_keys(text: &str) -> BTreeSet<String> {
    let errors = load_errors(text);
    let msg = errors
        .iter()
        .find(|m| m.contains("unknown field `zz_unknown`"))
        .unwrap_or_else(|| panic!("no unknown-field error: {errors:?}"));
    let expected = msg.split_once("expected").expect("lists expectations").1;
    expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(String::from)
        .collect()
}

fn schema_keys(s: &Value) -> BTreeSet<String> {
    s["properties"]
        .as_object()
        .expect("properties")
        .keys()
        .cloned()
        .collect()
}

const RULE: &str = "id = \"x\"\nmessage = \"m\"\ncheck = 'true'\n";
const TEST: &str = "expect = \"pass\"\nreport = \"标题\"\n";

#[test]
fn schema_names_every_key_the_loader_accepts() {
    let s = schema();
    let top = accepted_keys("zz_unknown = 1\n");
    assert_eq!(top, schema_keys(&s), "top level");
    let rule = accepted_keys(&format!("[[rule]]\n{RULE}zz_unknown = 1\n"));
    assert_eq!(rule, schema_keys(&s["definitions"]["rule"]), "[[rule]]");
    let test = accepted_keys(&format!(
        "[[rule]]\n{RULE}[[rule.test]]\n{TEST}zz_unknown = 1\n"
    ));
    assert_eq!(
        test,
        schema_keys(&s["definitions"]["test"]),
        "[[rule.test]]"
    );
    // Every key is documented.
    for def in [&s, &s["definitions"]["rule"], &s["definitions"]["test"]] {
        for (k, v) in def["properties"].as_object().expect("properties") {
            assert!(v["description"].is_string(), "{k} has no description");
        }
    }
}

#[test]
fn schema_requires_what_the_loader_requires() {
    let s = schema();
    let full_rule = "id = \"x\"\nseverity = \"info\"\ntitle = \"t\"\nmessage = \"m\"\nhelp = \"h\"\nreference = \"r\"\nregime = \"all\"\nwhen = 'true'\ncheck = 'true'\nwaivable = false\n";
    let full_test = "expect = \"pass\"\nreport = \"标题\"\nlabels = []\n";
    for (def, table, body, tail) in [
        ("rule", "[[rule]]\n", full_rule, ""),
        ("test", "[[rule.test]]\n", full_test, ""),
    ] {
        let required: BTreeSet<&str> = s["definitions"][def]["required"]
            .as_array()
            .expect("required")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        for line in body.lines() {
            let key = line.split(' ').next().expect("key");
            let without: String = body
                .lines()
                .filter(|l| *l != line)
                .map(|l| format!("{l}\n"))
                .collect();
            let text = if def == "rule" {
                format!("{table}{without}{tail}")
            } else {
                format!("[[rule]]\n{RULE}{table}{without}")
            };
            let loader_missing = load_errors(&text)
                .iter()
                .any(|m| m.contains(&format!("missing field `{key}`")));
            assert_eq!(
                loader_missing,
                required.contains(key),
                "{def}.{key}: loader requires it = {loader_missing}"
            );
            assert_eq!(
                !schema_errors(&text).is_empty(),
                required.contains(key),
                "{def}.{key}: schema requires it"
            );
        }
    }
}

#[test]
fn schema_enums_match_the_loader() {
    let s = schema();
    for sev in s["definitions"]["rule"]["properties"]["severity"]["enum"]
        .as_array()
        .expect("enum")
    {
        let text = format!("[[rule]]\n{RULE}severity = {sev}\n");
        assert_eq!(load_errors(&text), Vec::<String>::new(), "severity {sev}");
    }
    for exp in s["definitions"]["test"]["properties"]["expect"]["enum"]
        .as_array()
        .expect("enum")
    {
        let text = format!("[[rule]]\n{RULE}[[rule.test]]\nexpect = {exp}\nreport = \"x\"\n");
        assert_eq!(load_errors(&text), Vec::<String>::new(), "expect {exp}");
    }
}

fn toml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            toml_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "toml") {
            out.push(p);
        }
    }
}

#[test]
fn schema_accepts_every_built_in_rule_file() {
    let mut files = Vec::new();
    toml_files(&root().join("rules"), &mut files);
    assert!(!files.is_empty());
    for f in files {
        let errors = schema_errors(&std::fs::read_to_string(&f).expect("read"));
        assert!(errors.is_empty(), "{}: {errors:?}", f.display());
    }
}

#[test]
fn schema_refuses_the_broken_fixtures_it_can_see() {
    // Mistakes the schema can see (the rest need the DSL checker).
    for case in [
        "unknown_key",
        "missing_key",
        "bad_severity",
        "unknown_expect",
    ] {
        let f = root().join(format!("tests/fixtures/bad_rules/{case}/rules.toml"));
        let errors = schema_errors(&std::fs::read_to_string(&f).expect("read"));
        assert!(!errors.is_empty(), "{case} passes the schema");
    }
}

#[test]
fn schema_accepts_the_rule_files_in_the_docs() {
    // Whole rule files shown in the docs: ```toml blocks holding [[rule]] (not taplo's
    // own config, not the tutorial's `append=` fragments).
    let mut n = 0;
    for doc in ["docs/dsl.md", "docs/tutorial.md"] {
        let text = std::fs::read_to_string(root().join(doc)).expect("doc");
        let mut block: Option<(usize, String, String)> = None;
        for (i, line) in text.lines().enumerate() {
            match (&mut block, line.strip_prefix("```")) {
                (None, Some(info)) => block = Some((i + 1, info.trim().to_string(), String::new())),
                (Some((at, info, body)), Some("")) => {
                    let whole_file = (info == "toml" || info.starts_with("toml file="))
                        && body.contains("[[rule]]");
                    if whole_file {
                        let errors = schema_errors(body);
                        assert!(errors.is_empty(), "{doc}:{at}: {errors:?}");
                        n += 1;
                    }
                    block = None;
                }
                (Some((_, _, body)), _) => {
                    body.push_str(line);
                    body.push('\n');
                }
                (None, None) => {}
            }
        }
    }
    assert!(n >= 5, "only {n} rule files found in the docs");
}
