#!/usr/bin/env bash
# The pre-commit hooks (.pre-commit-hooks.yaml) as repositories use them: pre-commit
# from PyPI in a throwaway venv, `pre-commit try-repo` against this repository —
# `reportlint` on a failing and a clean report, `reportlint-test` in a rule repository
# with a passing and a broken rule example. Called from .ci/run.
#
# pre-commit builds the hook with `cargo install --path .`; CARGO_TARGET_DIR points at
# this repository's target/ so the release build CI already made is reused.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check pre-commit
export PATH="$work/venv/bin:$PATH"
export PRE_COMMIT_HOME="$work/cache"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"

# A report repository with one failing and one clean report.
reports="$work/reports"
mkdir -p "$reports"
cp "$repo/examples/reports/002_89ac4cf4ed34e821.txt" "$reports/bad.txt"
cat > "$reports/good.txt" <<'REPORT'
2019年度某区政府信息公开工作年度报告
一、总体情况
收到群众咨询共计400件,回复处理400件,回复率为100%。
二、主动公开政府信息情况
全年主动公开信息120条。
三、收到和处理政府信息公开申请情况
本年度未收到政府信息公开申请。
四、政府信息公开行政复议、行政诉讼情况
本年度未发生行政复议和行政诉讼。
五、存在的主要问题及改进情况
部分栏目更新不及时，公开内容不够全面。下一步将完善目录，加强培训。
六、其他需要报告的事项
无。
某区人民政府办公室
2020年1月23日
REPORT
cd "$reports"
git init -q .
git add bad.txt good.txt

fail() { echo "precommit.sh: $*" >&2; exit 1; }

set +e
out="$(pre-commit try-repo "$repo" reportlint --files bad.txt 2>&1)"
code=$?
set -e
echo "$out" | tail -n 20
[ "$code" -eq 1 ] || fail "expected the hook to fail on bad.txt (exit 1), got $code"
echo "$out" | grep -q "ogi/fees-section" || fail "the hook's output does not name the failing rule"

pre-commit try-repo "$repo" reportlint --files good.txt >"$work/good.log" 2>&1 \
  || { cat "$work/good.log"; fail "expected the hook to pass on good.txt"; }
grep -q "Passed" "$work/good.log" || { cat "$work/good.log"; fail "no 'Passed' line for good.txt"; }

# A rule repository: reportlint.toml names its packs, the reportlint-test hook runs
# their examples when a rule file changes.
rulerepo="$work/rulerepo"
mkdir -p "$rulerepo/rules/myp"
cd "$rulerepo"
printf 'rules = ["rules/"]\nbuiltin = false\n' > reportlint.toml
cat > rules/myp/fees.toml <<'RULES'
[[rule]]
id = "fees"
severity = "error"
check = 'exists(section(/收费|减免/))'
message = "缺少收费及减免情况"

[[rule.test]]
expect = "fail"
report = "2017年度报告\n一、概述\n正文。\n"
RULES
git init -q .
git add reportlint.toml rules
pre-commit try-repo "$repo" reportlint-test --verbose --files rules/myp/fees.toml >"$work/test-ok.log" 2>&1 \
  || { cat "$work/test-ok.log"; fail "expected the rule tests to pass"; }
grep -q "myp/fees" "$work/test-ok.log" || { cat "$work/test-ok.log"; fail "the hook did not test the repository's pack"; }
sed -i 's/expect = "fail"/expect = "pass"/' rules/myp/fees.toml
git add rules
set +e
pre-commit try-repo "$repo" reportlint-test --files rules/myp/fees.toml >"$work/test-bad.log" 2>&1
code=$?
set -e
[ "$code" -eq 1 ] || { cat "$work/test-bad.log"; fail "expected a broken rule example to fail the hook (exit 1), got $code"; }
echo "precommit: 4 passed, 0 failed"
