//! reportlint.toml: discovery, --config, --isolated, precedence, pack parameters,
//! errors with spans, `config show`.

mod cli_common;
use cli_common::*;

/// A clean report published 2018-02-20: inside the default deadline (3月31日), outside
/// a 1月31日 one.
const FEB: &str = "2017年度某区政府信息公开工作年度报告\n一、概述\n收到群众咨询共计400件,回复处理400件,回复率为100%。\n二、主动公开政府信息情况\n全年主动公开信息120条。\n三、依申请公开政府信息情况\n本年度未收到政府信息公开申请。\n四、收费及减免情况\n本年度未收取任何费用。\n五、行政复议和行政诉讼情况\n本年度未发生行政复议和行政诉讼。\n六、存在的主要问题及改进措施\n部分栏目更新不及时，公开内容不够全面。下一步将完善目录，加强培训。\n某区人民政府办公室\n2018年2月20日\n";

#[test]
fn discovered_from_a_subdirectory_and_ignored_when_isolated() {
    let d = tmp();
    write(
        d.path(),
        &[
            ("reportlint.toml", "ignore = [\"ogi/reply-rate\"]\n"),
            ("reports/2017/a.txt", BAD_RATE),
        ],
    );
    let sub = d.path().join("reports/2017");
    let (code, v, _) = json(&sub, &["a.txt"]);
    assert_eq!(found(&v), ["a.txt:ogi/fees-section"]);
    assert_eq!(code, 1);
    let (_, v, _) = json(&sub, &["--isolated", "a.txt"]);
    assert_eq!(
        found(&v),
        ["a.txt:ogi/fees-section", "a.txt:ogi/reply-rate"]
    );
}

#[test]
fn an_explicit_config_wins_over_discovery() {
    let d = tmp();
    write(
        d.path(),
        &[
            ("reportlint.toml", "ignore = [\"ogi/reply-rate\"]\n"),
            ("other.toml", "select = [\"ogi/reply-rate\"]\n"),
            ("a.txt", BAD_RATE),
        ],
    );
    let (_, v, _) = json(d.path(), &["--config", "other.toml", "a.txt"]);
    assert_eq!(found(&v), ["a.txt:ogi/reply-rate"]);
    let (code, _, err) = run_in(d.path(), &["check", "--config", "missing.toml", "a.txt"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("no configuration file at missing.toml"),
        "{err}"
    );
}

#[test]
fn command_line_flags_take_precedence() {
    let d = tmp();
    write(
        d.path(),
        &[
            (
                "reportlint.toml",
                "select = [\"ogi/fees-section\"]\nfail-on = \"error\"\n[severity]\n\"ogi/\" = \"warning\"\n",
            ),
            ("a.txt", BAD_RATE),
        ],
    );
    // The file: only fees-section, demoted to a warning, and warnings do not fail.
    let (code, v, _) = json(d.path(), &["a.txt"]);
    assert_eq!(found(&v), ["a.txt:ogi/fees-section"]);
    assert_eq!(v["files"][0]["findings"][0]["severity"], "warning");
    assert_eq!(code, 0);
    // The flags: another selection and a lower failing severity.
    let (code, v, _) = json(
        d.path(),
        &[
            "--select",
            "ogi/reply-rate",
            "--fail-on",
            "warning",
            "a.txt",
        ],
    );
    assert_eq!(found(&v), ["a.txt:ogi/reply-rate"]);
    assert_eq!(code, 1);
}

#[test]
fn per_file_ignores_match_paths_relative_to_the_config() {
    let d = tmp();
    write(
        d.path(),
        &[
            (
                "reportlint.toml",
                "[per-file-ignores]\n\"legacy/**\" = [\"ogi/fees-section\"]\n",
            ),
            ("legacy/a.txt", BAD_RATE),
            ("new/a.txt", BAD_RATE),
        ],
    );
    let (_, v, _) = json(d.path(), &["legacy", "new"]);
    assert_eq!(
        found(&v),
        [
            "a.txt:ogi/reply-rate",
            "a.txt:ogi/fees-section",
            "a.txt:ogi/reply-rate"
        ]
    );
    let legacy = &v["files"][0];
    assert!(legacy["path"].as_str().unwrap_or("").contains("legacy"));
}

#[test]
fn pack_parameters_override_a_let() {
    let d = tmp();
    write(
        d.path(),
        &[
            (
                "reportlint.toml",
                "[packs.ogi]\ndeadline = 'date(report.year + 1, 1, 31)'\n",
            ),
            ("a.txt", FEB),
        ],
    );
    let (code, v, _) = json(d.path(), &["--isolated", "a.txt"]);
    assert_eq!(found(&v), Vec::<String>::new());
    assert_eq!(code, 0);
    let (code, v, _) = json(d.path(), &["a.txt"]);
    assert_eq!(found(&v), ["a.txt:ogi/publication-year"]);
    assert_eq!(code, 1);
}

#[test]
fn pack_parameters_are_checked_like_rule_expressions() {
    let d = tmp();
    let text = "[packs.ogi]\ndeadline = 'report.year + 1'\ndeadlin = 'report.year'\n";
    write(d.path(), &[("reportlint.toml", text), ("a.txt", FEB)]);
    let (code, _, err) = run_in(d.path(), &["check", "a.txt"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("expected date, found number"), "{err}");
    assert!(
        err.contains("pack `ogi` has no parameter `deadlin`"),
        "{err}"
    );
    assert!(err.contains("reportlint.toml:2:13"), "{err}");
}

#[test]
fn unknown_keys_are_errors_with_spans() {
    let d = tmp();
    write(
        d.path(),
        &[
            ("reportlint.toml", "select = []\nfail_on = \"error\"\n"),
            ("a.txt", FEB),
        ],
    );
    let (code, _, err) = run_in(d.path(), &["check", "a.txt"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown field `fail_on`"), "{err}");
    assert!(err.contains("reportlint.toml:2:1"), "{err}");
    write(
        d.path(),
        &[(
            "reportlint.toml",
            "[severity]\n\"ogi/replyrate\" = \"info\"\n",
        )],
    );
    let (code, _, err) = run_in(d.path(), &["check", "a.txt"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `ogi/reply-rate`?"), "{err}");
}

#[test]
fn config_show_prints_the_merged_configuration() {
    let d = tmp();
    write(
        d.path(),
        &[(
            "reportlint.toml",
            "ignore = [\"ogi/fees-section\"]\n[packs.ogi]\ndeadline = 'date(report.year + 1, 1, 31)'\n[limits]\nmax-findings-per-file = 5\n",
        )],
    );
    let (code, out, err) = run_in(
        d.path(),
        &[
            "config",
            "show",
            "--ignore",
            "ogi/reply-rate",
            "--fail-on",
            "error",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("reportlint.toml"), "{out}");
    assert!(
        out.contains("ignore = [\"ogi/fees-section\", \"ogi/reply-rate\"]"),
        "{out}"
    );
    assert!(out.contains("fail-on = \"error\""), "{out}");
    assert!(
        out.contains("deadline = \"date(report.year + 1, 1, 31)\""),
        "{out}"
    );
    assert!(out.contains("max-findings-per-file = 5"), "{out}");
    // What it prints is itself a valid configuration.
    let body: String = out
        .lines()
        .filter(|l| !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    write(d.path(), &[("shown.toml", &body)]);
    let (code, _, err) = run_in(d.path(), &["config", "show", "--config", "shown.toml"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn the_config_file_itself_is_not_checked_as_a_report() {
    let d = tmp();
    write(
        d.path(),
        &[("reportlint.toml", "include = []\n"), ("a.txt", FEB)],
    );
    let (_, v, _) = json(d.path(), &["."]);
    assert_eq!(v["summary"]["files"], 1);
}

/// How a configuration mistake looks to a person (miette, no colour).
fn rendered(diag: &dyn miette::Diagnostic) -> String {
    let mut out = String::new();
    miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
        .with_width(100)
        .render_report(&mut out, diag)
        .expect("render");
    out
}

#[test]
fn config_error_snapshot() {
    let text = "select = [\"ogi/\"]\n[severity]\n\"ogi/reply-rate\" = \"fatal\"\n";
    let err = reportlint::config::parse(std::path::Path::new("reportlint.toml"), text)
        .expect_err("a bad severity");
    insta::assert_snapshot!(rendered(&err));
}

#[test]
fn pack_parameter_error_snapshot() {
    let text = "[packs.ogi]\ndeadline = 'report.year >= 2019'\n";
    let cfg = reportlint::config::parse(std::path::Path::new("reportlint.toml"), text)
        .expect("valid syntax");
    let err = reportlint::rules::load_with(
        &reportlint::rules::builtin_sources(),
        &cfg.param_overrides(),
        &reportlint::limits::Limits::default(),
    )
    .expect_err("a boolean is not a date");
    insta::assert_snapshot!(rendered(&err));
}

#[test]
fn input_encoding_decides_how_files_without_a_bom_are_read() {
    let d = tmp();
    let gbk = encoding_rs::GBK.encode(FEB).0.into_owned();
    std::fs::write(d.path().join("a.txt"), &gbk).expect("write");
    let encoding = |v: &serde_json::Value| v["files"][0]["encoding"].clone();
    let first_label = |v: &serde_json::Value| {
        v["files"][0]["findings"][0]["labels"][0]["text"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    // No declaration: detected, the clean report has no findings.
    let (code, v, err) = json(d.path(), &["a.txt"]);
    assert_eq!((code, encoding(&v)), (0, "GB18030".into()), "{err}");
    assert_eq!(found(&v), Vec::<String>::new());
    // Declared Big5: the same bytes read as Big5, which is not the report's text.
    write(
        d.path(),
        &[("reportlint.toml", "[input]\nencoding = \"big5\"\n")],
    );
    let (_, v, err) = json(d.path(), &["a.txt"]);
    assert_eq!(encoding(&v), "Big5", "{err}");
    let label = first_label(&v);
    assert!(!label.is_empty() && !FEB.contains(&label), "{label}: {v:#}");
    // The flag wins over the file.
    let (_, v, err) = json(d.path(), &["--encoding", "gbk", "a.txt"]);
    assert_eq!(encoding(&v), "GBK", "{err}");
    assert_eq!(found(&v), Vec::<String>::new());
    // `config show` prints the encoding in force.
    let (code, out, err) = run_in(d.path(), &["config", "show"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("[input]\nencoding = \"big5\"\n"), "{out}");
    let (_, out, _) = run_in(d.path(), &["config", "show", "--encoding", "GB2312"]);
    assert!(out.contains("[input]\nencoding = \"gbk\"\n"), "{out}");
    let (_, out, _) = run_in(d.path(), &["config", "show", "--isolated"]);
    assert!(out.contains("[input]\nencoding = \"auto\"\n"), "{out}");
}

#[test]
fn an_unknown_encoding_is_a_run_error() {
    let d = tmp();
    write(
        d.path(),
        &[
            ("reportlint.toml", "[input]\nencoding = \"big-5\"\n"),
            ("a.txt", FEB),
        ],
    );
    let (code, out, err) = run_in(d.path(), &["check", "--format", "json", "a.txt"]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(out, "");
    assert!(err.contains("unknown encoding `big-5`"), "{err}");
    assert!(err.contains("reportlint.toml:2:12"), "{err}");
    assert!(err.contains("did you mean `big5`?"), "{err}");
    // On the command line: clap's error, before the file is even read.
    let (code, _, err) = run_in(d.path(), &["check", "--encoding", "gbkk", "a.txt"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("invalid value 'gbkk' for '--encoding <LABEL>': unknown encoding `gbkk`"),
        "{err}"
    );
    assert!(err.contains("did you mean `gbk`?"), "{err}");
}

#[test]
fn encoding_error_snapshot() {
    let text = "[input]\nencoding = \"utf8-bom\"\n";
    let err = reportlint::config::parse(std::path::Path::new("reportlint.toml"), text)
        .expect_err("not a label");
    insta::assert_snapshot!(rendered(&err));
}
