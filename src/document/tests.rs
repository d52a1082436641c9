//! Tests of the whole document model, on small texts and on the seed reports.

use super::*;
use crate::span::LineIndex;

fn doc(text: &str) -> Document {
    Document::parse(&Folded::new(text))
}

/// The seed report whose file name starts with `prefix` ("002").
fn seed(prefix: &str) -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/reports");
    let entry = std::fs::read_dir(&dir)
        .expect("seed directory")
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().starts_with(prefix))
        .expect("seed file");
    std::fs::read_to_string(entry.path()).expect("seed text")
}

#[track_caller]
fn close(a: f64, b: f64) {
    assert!((a - b).abs() <= b.abs() * 1e-12, "{a} != {b}");
}

/// Every `TextRef` in the document.
fn all_refs(d: &Document) -> Vec<&TextRef> {
    let mut refs: Vec<&TextRef> = Vec::new();
    refs.extend(d.title.iter());
    refs.extend(d.year.iter().map(|n| &n.at));
    refs.extend(d.published.iter().map(|x| &x.at));
    for s in &d.sections {
        refs.push(&s.at);
        if let Some(h) = &s.heading {
            refs.push(&h.title);
            refs.push(&h.line);
            refs.extend(h.numbering.iter().map(|n| &n.at));
        }
    }
    refs.extend(d.paragraphs.iter().map(|p| &p.at));
    refs.extend(d.numbers.iter().map(|n| &n.at));
    refs.extend(d.dates.iter().map(|x| &x.at));
    refs.extend(d.lines.iter());
    refs
}

/// With the identity fold, each span slices the source to the item's own text.
#[track_caller]
fn assert_spans_match(source: &str, d: &Document) {
    let folded = crate::fold::Folded::new(source);
    for r in all_refs(d) {
        // The span slices the source; folding that slice gives the item's text.
        let slice = source
            .get(r.span.start..r.span.end)
            .map(crate::fold::fold_str);
        assert_eq!(
            slice.as_deref(),
            Some(r.text.as_ref()),
            "span {:?} does not match",
            r
        );
        assert_eq!(folded.text.get(r.folded.clone()), Some(r.text.as_ref()));
    }
}

fn section_titles(d: &Document, ids: &[usize]) -> Vec<(Option<u32>, String)> {
    ids.iter()
        .filter_map(|&i| d.section(i))
        .map(|s| {
            (
                s.numbering().map(|n| n.value),
                s.title().map(|t| t.text.to_string()).unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn lines_are_trimmed_and_crlf_handled() {
    let text = "标题\r\n\r\n  第二行  \r\n\u{3000}第三行\n";
    let d = doc(text);
    let lines: Vec<&str> = d.lines.iter().map(|l| l.text.as_ref()).collect();
    assert_eq!(lines, ["标题", "第二行", "第三行"]);
    assert_eq!(d.title.as_ref().map(|t| t.text.as_ref()), Some("标题"));
    assert_spans_match(text, &d);
}

#[test]
fn empty_text() {
    let d = doc("");
    assert_eq!(d.title, None);
    assert_eq!(d.sections.len(), 1);
    assert!(d.paragraphs.is_empty());
    let d = doc("\n \r\n");
    assert!(d.lines.is_empty());
}

#[test]
fn numbers_in_a_document() {
    let text = "标题\n共收到497件,其中1,062件已办,资金37417.1548万元,回复率91.7%,办结率100%。\n\
                累计4470余条,发放1600多份,2014 年开展,全年１００％完成。";
    let d = doc(text);
    let got: Vec<(&str, f64, Option<&str>)> = d
        .numbers
        .iter()
        .map(|n| (n.at.text.as_ref(), n.value, n.unit.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            ("497", 497.0, Some("件")),
            ("1,062", 1062.0, Some("件")),
            ("37417.1548万", 374_171_548.0, Some("元")),
            ("91.7%", 0.917, None),
            ("100%", 1.0, None),
            ("4470余", 4470.0, Some("条")),
            ("1600多", 1600.0, Some("份")),
            ("2014", 2014.0, Some("年")),
            ("100%", 1.0, None),
        ]
    );
    let n = &d.numbers;
    close(n[2].precision, 0.5);
    close(n[3].precision, 0.0005);
    close(n[4].precision, 0.005);
    assert!(n[3].percent && n[4].percent && n[8].percent);
    assert!(n[5].approx && n[6].approx && !n[0].approx);
    assert_spans_match(text, &d);
}

#[test]
fn huge_number_does_not_panic() {
    let text = format!("标题\n共{}件\n", "9".repeat(400));
    let d = doc(&text);
    assert_eq!(d.numbers.len(), 1);
    assert!(d.numbers[0].value.is_infinite() || d.numbers[0].value > 1e300);
}

#[test]
fn numbers_inside_dates_are_not_numbers() {
    let d = doc("标题\n于2018年1月23日印发,共3件。\n截至二〇一八年一月二十三日,共5件。");
    let values: Vec<f64> = d.numbers.iter().map(|n| n.value).collect();
    assert_eq!(values, [3.0, 5.0]);
    assert_eq!(d.dates.len(), 2);
    assert_eq!(&*d.dates[1].at.text, "二〇一八年一月二十三日");
}

#[test]
fn dates_in_a_document() {
    let text = "标题\n2018年1月23日、2018 年 1 月 23 日、2020-09-14、2020/9/14、2020.09.14、\
                二〇一八年一月二十三日、二○一一年十二月二日、2017年13月45日、2017年2月30日";
    let d = doc(text);
    let got: Vec<(i32, u32, u32, &str)> = d
        .dates
        .iter()
        .map(|x| (x.year, x.month, x.day, x.at.text.as_ref()))
        .collect();
    assert_eq!(
        got,
        [
            (2018, 1, 23, "2018年1月23日"),
            (2018, 1, 23, "2018 年 1 月 23 日"),
            (2020, 9, 14, "2020-09-14"),
            (2020, 9, 14, "2020/9/14"),
            (2020, 9, 14, "2020.09.14"),
            (2018, 1, 23, "二〇一八年一月二十三日"),
            (2011, 12, 2, "二○一一年十二月二日"),
        ]
    );
    assert_spans_match(text, &d);
}

#[test]
fn year_from_title() {
    let d = doc("2014 年某县政府信息公开工作年度报告\n正文。");
    let y = d.year.expect("year");
    assert_eq!(y.value, 2014.0);
    assert_eq!(&*y.at.text, "2014");
    assert_eq!(y.unit.as_deref(), Some("年"));
    close(y.precision, 0.5);
    let d = doc("某县二〇一六年政府信息公开工作年度报告");
    assert_eq!(
        d.year.map(|y| (y.value, y.at.text)),
        Some((2016.0, "二〇一六".into()))
    );
    let d = doc("某县二○一六年报告");
    assert_eq!(d.year.map(|y| y.value), Some(2016.0));
    assert_eq!(doc("政务公开五公开内容").year, None);
    // The year comes from the title only.
    assert_eq!(doc("报告\n2016年").year, None);
}

#[test]
fn published_date_priority() {
    // A standalone date near the end beats the page's 发布时间.
    let d = doc("标题\n发布时间:2020-09-14\n正文一。\n正文二。\n某办公室\n2018年1月23日");
    assert_eq!(d.published.as_ref().map(|p| p.year), Some(2018));
    // 成文日期 beats a standalone date.
    let d = doc("标题\n成文日期:2018年2月1日\n正文。\n正文。\n2018年1月23日");
    assert_eq!(d.published.as_ref().map(|p| (p.month, p.day)), Some((2, 1)));
    // 发布时间 when nothing else; a date inside a sentence is not a publication date.
    let d = doc("标题\n發(fā)布時間:2020-09-14 來源\n于2018年1月23日召开会议。");
    assert_eq!(d.published.as_ref().map(|p| p.year), Some(2020));
    // A standalone date early in the text is not one either.
    let d = doc("标题\n2018年1月23日\n正文。\n正文。\n正文。\n正文。");
    assert_eq!(d.published, None);
}

#[test]
fn heading_tree() {
    let text =
        "标题\n一、概述\n(一)主动公开。正文在此。\n1.网站\n1.5亿元用于建设。\n(1)细目\n①圈\n\
                (二)依申请\n二、问题\n十二、其他\n（十）补充\n⑤五";
    let d = doc(text);
    let top = section_titles(&d, d.top_sections());
    assert_eq!(
        top,
        [
            (Some(1), "概述".to_string()),
            (Some(2), "问题".to_string()),
            (Some(12), "其他".to_string())
        ]
    );
    let first = d.top_sections()[0];
    let subs = section_titles(&d, d.section_children(first));
    assert_eq!(
        subs,
        [
            (Some(1), "主动公开".to_string()),
            (Some(2), "依申请".to_string())
        ]
    );
    // (一) → 1. → (1) → ①.
    let yi = d.section_children(first)[0];
    let arabic = d.section_children(yi)[0];
    let paren = d.section_children(arabic)[0];
    let circled = d.section_children(paren)[0];
    assert_eq!(d.sections[circled].level, 5);
    assert_eq!(
        d.sections[circled].numbering().map(|n| (n.style, n.value)),
        Some((NumberingStyle::Circled, 1))
    );
    // "1.5亿元" is a paragraph of section 1., not a heading.
    let p = d
        .paragraphs
        .iter()
        .find(|p| p.at.text.starts_with("1.5"))
        .expect("paragraph");
    assert_eq!(p.section, arabic);
    // The body after the heading's 。 is a paragraph of that heading's section.
    let body = d
        .paragraphs
        .iter()
        .find(|p| &*p.at.text == "正文在此。")
        .expect("body");
    assert_eq!(body.section, yi);
    let shi = d.top_sections()[2];
    let kids: Vec<(NumberingStyle, u32)> = d
        .section_children(shi)
        .iter()
        .filter_map(|&i| d.sections[i].numbering().map(|n| (n.style, n.value)))
        .collect();
    assert_eq!(kids, [(NumberingStyle::ChineseParen, 10)]);
    let ten = d.section_children(shi)[0];
    assert_eq!(
        d.section_children(ten)
            .iter()
            .filter_map(|&i| d.sections[i].numbering().map(|n| n.value))
            .collect::<Vec<_>>(),
        [5]
    );
    // Extents: a section runs to the end of the line before the heading closing it.
    let yi_at = &d.sections[yi].at;
    assert!(yi_at.text.starts_with("(一)主动公开"));
    assert!(yi_at.text.ends_with("①圈"));
    assert_eq!(d.section_at(body.at.folded.start), yi);
    assert_eq!(d.descendants(yi), yi + 1..yi + 4);
    assert_spans_match(text, &d);
}

#[test]
fn bare_headings() {
    let text = "标题\n主動公開政府信息的情況\n全年公开27786条。\n工作中存在的主要問題\n\
                人员较少,经常变动。\n江岸区人民政府办公室\n2018年1月23日";
    let d = doc(text);
    let top = section_titles(&d, d.top_sections());
    assert_eq!(
        top,
        [
            (None, "主动公开政府信息的情况".to_string()),
            (None, "工作中存在的主要问题".to_string())
        ]
    );
    // The signature and the date belong to the last section.
    let last = d.top_sections()[1];
    assert_eq!(d.own_paragraphs(last).count(), 3);
}

#[test]
fn range_queries() {
    let d = doc("标题\n一、甲\n共3件,5人。\n二、乙\n共7件,2018年1月2日。\n");
    let s2 = d.top_sections()[1];
    let values: Vec<f64> = d.numbers_in_section(s2).iter().map(|n| n.value).collect();
    assert_eq!(values, [7.0]);
    assert_eq!(d.dates_in(d.sections[s2].at.folded.clone()).len(), 1);
    let s1 = d.top_sections()[0];
    assert_eq!(d.numbers_in_section(s1).len(), 2);
    assert_eq!(d.paragraphs_in(s1).len(), 1);
    assert_eq!(d.paragraphs_in(0).len(), d.paragraphs.len());
    assert!(d.paragraphs_in(99).is_empty());
    assert!(d.section_children(99).is_empty());
    assert_eq!(d.lines_in(d.sections[s1].at.folded.clone()).len(), 2);
}

#[test]
fn seed_002() {
    let text = seed("002");
    let d = doc(&text);
    assert_spans_match(&text, &d);
    let year = d.year.as_ref().expect("year");
    assert_eq!(year.value, 2017.0);
    assert_eq!(&*year.at.text, "2017");
    let p = d.published.as_ref().expect("published");
    assert_eq!((p.year, p.month, p.day), (2018, 1, 23));
    let index = LineIndex::new(&text);
    assert_eq!(index.line_col(&text, p.at.span.start).0, 39);

    let top = section_titles(&d, d.top_sections());
    assert!(top.contains(&(Some(2), "主要做法".to_string())), "{top:?}");
    assert!(
        top.contains(&(Some(3), "取得的成效".to_string())),
        "{top:?}"
    );
    // Before 二、 the root holds (一), (三), (四), (五): the report skips (二).
    let before: Vec<(NumberingStyle, u32)> = d
        .top_sections()
        .iter()
        .map(|&i| &d.sections[i])
        .take_while(|s| s.numbering().map(|n| n.value) != Some(2))
        .filter_map(|s| s.numbering().map(|n| (n.style, n.value)))
        .collect();
    use NumberingStyle::ChineseParen;
    assert_eq!(
        before,
        [
            (ChineseParen, 1),
            (ChineseParen, 3),
            (ChineseParen, 4),
            (ChineseParen, 5)
        ]
    );
    // The rates and their counts are numbers.
    let rates = d.numbers.iter().filter(|n| n.percent).count();
    assert!(rates >= 4);
    assert!(d
        .numbers
        .iter()
        .any(|n| n.value == 497.0 && n.unit.as_deref() == Some("件")));
}

#[test]
fn seed_003() {
    let text = seed("003");
    let d = doc(&text);
    assert_spans_match(&text, &d);
    assert_eq!(d.year.as_ref().map(|y| y.value), Some(2012.0));
    assert_eq!(d.published, None);
    let sections: Vec<&Section> = d.sections.iter().skip(1).collect();
    assert!(sections.iter().any(
        |s| s.numbering().is_none() && s.title().is_some_and(|t| t.text.contains("收费及减免"))
    ));
    let numbered: Vec<u32> = d
        .top_sections()
        .iter()
        .filter_map(|&i| d.sections[i].numbering())
        .filter(|n| n.style == NumberingStyle::Chinese)
        .map(|n| n.value)
        .collect();
    assert_eq!(numbered, [5, 7]);
    assert!(d
        .numbers
        .iter()
        .any(|n| n.percent && (n.value - 0.917).abs() < 1e-12));
}

#[test]
fn seed_000() {
    let text = seed("000");
    let d = doc(&text);
    assert_spans_match(&text, &d);
    assert_eq!(d.year.as_ref().map(|y| y.value), Some(2016.0));
    let p = d.published.as_ref().expect("published");
    assert_eq!((p.year, p.month, p.day), (2017, 1, 27));
    let index = LineIndex::new(&text);
    assert_eq!(index.line_col(&text, p.at.span.start).0, 22);
}

#[test]
fn seed_001() {
    let text = seed("001");
    let d = doc(&text);
    assert_spans_match(&text, &d);
    assert_eq!(d.year, None);
    let p = d.published.as_ref().expect("published");
    assert_eq!((p.year, p.month, p.day), (2020, 9, 14));
    // The sum that does not add up is found, spaces and all.
    for v in [12261.0, 9547.0, 2617.0, 1062.0] {
        assert!(d.numbers.iter().any(|n| n.value == v), "{v}");
    }
    assert!(d
        .numbers
        .iter()
        .any(|n| n.value == 12261.0 && n.unit.as_deref() == Some("条")));
    assert!(d.dates.iter().any(|x| &*x.at.text == "2015 年 1 月 1 日"));
}

#[test]
fn seed_004() {
    let text = seed("004");
    let d = doc(&text);
    assert_spans_match(&text, &d);
    assert_eq!(d.year, None);
    // Placeholder years are not numbers.
    // Placeholder years (20XX, 201x) are not numbers.
    for n in &d.numbers {
        let next = text[n.at.folded.end..].chars().next();
        assert!(!next.is_some_and(|c| c.is_ascii_alphabetic()), "{n:?}");
    }
    assert!(d
        .numbers
        .iter()
        .any(|n| &*n.at.text == "20" && n.unit.as_deref() == Some("条")));
    assert!(d.numbers.iter().any(|n| &*n.at.text == "20%"));
    assert!(d.sections.len() > 10);
}

/// Prints the model of every seed: `cargo test -- --ignored --nocapture dump_seeds`.
#[test]
#[ignore = "inspection aid"]
fn dump_seeds() {
    for p in ["000", "001", "002", "003", "004"] {
        let text = seed(p);
        let d = doc(&text);
        let index = LineIndex::new(&text);
        println!(
            "=== {p} year={:?} published={:?}",
            d.year.map(|y| y.at.text),
            d.published.map(|x| x.at.text)
        );
        for s in d.sections.iter().skip(1) {
            let line = index.line_col(&text, s.at.span.start).0;
            let num = s
                .numbering()
                .map(|n| format!("{:?} {}", n.style, n.value))
                .unwrap_or_default();
            println!(
                "{:indent$}L{line} [{num}] {}",
                "",
                s.title().map(|t| t.text.as_ref()).unwrap_or(""),
                indent = 2 * s.level as usize
            );
        }
        for x in &d.dates {
            println!("  date {} {}-{}-{}", x.at.text, x.year, x.month, x.day);
        }
        let nums: Vec<String> = d
            .numbers
            .iter()
            .map(|n| {
                format!(
                    "{}{}{}",
                    n.at.text,
                    if n.approx { "~" } else { "" },
                    n.unit.as_deref().unwrap_or("")
                )
            })
            .collect();
        println!("  numbers: {}", nums.join(" | "));
    }
}

/// Rough throughput check: `cargo test --release -- --ignored --nocapture throughput`.
#[test]
#[ignore = "timing, run by hand in release mode"]
fn throughput() {
    let seeds: Vec<Folded> = ["000", "001", "002", "003", "004"]
        .iter()
        .map(|p| Folded::new(&seed(p)))
        .collect();
    let bytes: usize = seeds.iter().map(|f| f.text.len()).sum();
    let start = std::time::Instant::now();
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(400);
    let mut sections = 0;
    for _ in 0..rounds {
        for f in &seeds {
            sections += Document::parse(f).sections.len();
        }
    }
    let elapsed = start.elapsed();
    let docs: Vec<&Folded> = (0..rounds).flat_map(|_| seeds.iter()).collect();
    let start = std::time::Instant::now();
    use rayon::prelude::*;
    let parallel: usize = docs
        .par_iter()
        .map(|f| Document::parse(f).sections.len())
        .sum();
    println!(
        "parallel on {} threads: {:?} ({parallel} sections)",
        rayon::current_num_threads(),
        start.elapsed()
    );
    println!(
        "{} documents, {} MB, {elapsed:?} ({sections} sections)",
        rounds * 5,
        bytes * rounds / 1_000_000
    );
}

/// Random texts over an alphabet of the characters the scanners care about: nothing
/// panics and every span still slices the source to its text.
#[test]
fn random_texts_do_not_panic() {
    const ALPHABET: &[&str] = &[
        "0",
        "1",
        "9",
        "２",
        "０",
        "年",
        "月",
        "日",
        "号",
        "〇",
        "○",
        "一",
        "十",
        "二",
        "三",
        "、",
        ".",
        "．",
        ",",
        "，",
        "。",
        ";",
        ":",
        "：",
        "(",
        ")",
        "（",
        "）",
        "%",
        "％",
        "万",
        "亿",
        "余",
        "多",
        "件",
        "第",
        "部分",
        "章",
        "①",
        "⑳",
        "㈠",
        " ",
        "\u{3000}",
        "\n",
        "\r\n",
        "-",
        "/",
        "x",
        "X",
        "发布时间",
        "成文日期",
        "(fā)",
        "é",
        "𠀀",
        "\u{feff}",
        "百分之",
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..3000 {
        let len = (next() % 60) as usize;
        let text: String = (0..len)
            .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize])
            .collect();
        let d = doc(&text);
        assert_spans_match(&text, &d);
        for (i, s) in d.sections.iter().enumerate().skip(1) {
            let parent = s.parent.expect("parent");
            assert!(d.section_children(parent).contains(&i));
            assert_eq!(d.sections[parent].level + 1, s.level);
        }
    }
}
