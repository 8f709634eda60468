#!/usr/bin/env python3
"""Deterministic benchmark corpus for gongshi (and the same pages for Hugo).

    gen.py --pages N [--tasks M] [--indicators K] OUT [--hugo OUT2]
    gen.py --site-only --theme minimal --theme-src bench/templates/gongshi-minimal --paginate-by 1000000 --no-search OUT

OUT becomes a gongshi site: site.yml, content/ with 10 plain sections holding
N pages in all (about 2.4 KB of Chinese Markdown each: YAML front matter, two
`##` headings, a list, a table and two relative links to other pages), and,
when M > 0 or K > 0, the ledger sections: areas (5), people (11), tasks
(tasks.csv, M rows) and indicators (indicators.csv, K indicators x 3 units x
3 periods, long format). OUT2 (--hugo) gets the same N pages laid out for
Hugo (hugo.toml, content/). The same arguments always give the same bytes.

Python 3 standard library only.
"""

import argparse
import datetime
import os
import random
import shutil
import sys

SEED = 20261120
TARGET_BYTES = 2400  # size of one page's Markdown file, front matter included

SECTIONS = [
    ("gongzuo-dongtai", "工作动态"),
    ("zhengce-jiedu", "政策解读"),
    ("zhaoshang-yinzi", "招商引资"),
    ("xiangmu-jianshe", "项目建设"),
    ("yingshang-huanjing", "营商环境"),
    ("keji-chuangxin", "科技创新"),
    ("anquan-shengchan", "安全生产"),
    ("shengtai-huanbao", "生态环保"),
    ("minsheng-fuwu", "民生服务"),
    ("dangjian-yinling", "党建引领"),
]

# ---------------------------------------------------------------------------
# A built-in bank of ~200 plausible government-news sentences, composed from
# hand-written fragments in a fixed order (no digits that could look like a
# phone or an ID number: only small counts and month/day dates).

OPENERS = [
    "近日，", "今年以来，", "会议指出，", "会议强调，", "据了解，", "下一步，",
    "截至目前，", "活动中，", "座谈会上，", "调研中，", "针对企业反映的问题，", "按照工作部署，",
    "在推进过程中，", "结合园区实际，", "围绕年度目标，", "对照实施方案，", "为进一步压实责任，",
    "在前期工作基础上，", "根据领导小组安排，", "从实际效果看，",
]
SUBJECTS = [
    "开发区管委会", "党政办公室", "经济发展局", "投资促进局", "建设局", "财政金融局",
    "组织人事部", "安全生产监督管理局", "生态环境分局", "社会事务局", "各产业园", "园区重点企业",
    "领导小组办公室", "各责任部门", "企业服务中心", "科技创新服务平台",
]
PREDICATES = [
    "深入推进营商环境优化提升行动", "加快推进重点项目建设进度", "持续开展“双招双引”工作",
    "认真落实安全生产责任制", "扎实做好企业包保服务", "全面梳理政策兑现事项清单",
    "组织开展对标学习交流活动", "推动产业链上下游协同发展", "强化要素保障和用地服务",
    "大力培育高新技术企业", "持续改善园区生态环境质量", "完善项目审批代办服务机制",
    "推进“区内事区内办”改革", "加强干部队伍作风建设", "开展企业安全隐患排查整治",
    "推进数字化转型和智能化改造", "健全重点任务调度推进机制", "落实减税降费各项政策措施",
    "推动科技成果转移转化", "做好企业用工和人才服务",
]
TAILS = [
    "，确保各项任务按时保质完成。", "，为园区高质量发展提供有力支撑。", "，取得了阶段性成效。",
    "，进一步增强了企业的获得感。", "，推动各项工作落地见效。", "，形成了一批可复制可推广的经验做法。",
    "，切实把对标成果转化为发展动能。", "，营造了比学赶超的浓厚氛围。", "，各项指标稳中有进。",
    "，确保问题整改到位、群众满意。",
]


def _sentence_bank():
    rng = random.Random(SEED)
    seen = set()
    bank = []
    while len(bank) < 200:
        s = rng.choice(OPENERS) + rng.choice(SUBJECTS) + rng.choice(PREDICATES) + rng.choice(TAILS)
        if s not in seen:
            seen.add(s)
            bank.append(s)
    return bank


SENTENCES = _sentence_bank()

TITLE_HEADS = [
    "开发区召开", "开发区组织开展", "开发区部署推进", "开发区举办", "开发区扎实推进",
    "开发区全面启动", "开发区专题研究", "开发区调度推进",
]
TITLE_TOPICS = [
    "营商环境优化提升", "重点项目建设", "“双招双引”", "安全生产大检查", "企业包保服务",
    "对标学习交流", "产业链协同发展", "生态环境整治", "政策兑现", "数字化转型",
    "科技创新", "人才服务", "党建工作", "作风建设", "“放管服”改革",
]
TITLE_TAILS = ["推进会", "专题会议", "工作", "现场观摩活动", "调度会", "培训会", "座谈会", "工作部署会"]
HEADINGS = [
    "主要工作内容", "下一步工作安排", "工作进展情况", "存在的问题", "经验做法", "会议要求",
    "推进措施", "工作成效", "重点任务", "保障措施",
]
TAGS = [
    "营商环境", "重点项目", "招商引资", "安全生产", "企业服务", "对标学习", "产业集群",
    "生态环保", "政策兑现", "科技创新", "人才工作", "党建引领", "工作台账", "改革创新",
    "民生实事", "数字化", "作风建设", "要素保障", "调研", "推进会",
]
UNITS_RESP = ["党政办公室", "经济发展局", "投资促进局", "建设局", "财政金融局", "组织人事部", "社会事务局", "企业服务中心"]
MATTERS = ["政策兑现", "项目审批", "用地保障", "安全检查", "企业走访", "招商洽谈", "人才引进", "环境整治", "问题整改", "培训交流"]

AREAS = [
    ("chanye", "在产业集聚发展上树标对标夺标"),
    ("dangjian", "在党建引领和体制改革上树标对标夺标"),
    ("dongneng", "在新旧动能转换上树标对标夺标"),
    ("qiye", "在企业培育壮大上树标对标夺标"),
    ("tizhi", "在营商环境优化上树标对标夺标"),
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何林罗高"
GIVEN = ["建国", "志强", "秀兰", "海峰", "文学", "玉梅", "明辰", "兴杰", "克平", "炳海", "福义", "彦玲", "忠良", "卫东", "立新"]
ROLES = ["组长", "副组长", "副组长", "成员", "成员", "成员", "成员", "成员", "成员", "成员", "办公室主任"]
POSITIONS = ["管委会主任", "管委会副主任", "党工委委员", "经济发展局局长", "投资促进局局长", "建设局局长", "财政金融局局长", "组织人事部部长", "党政办公室主任", "社会事务局局长", "安全生产监督管理局局长"]
INDICATOR_NAMES = [
    ("规模以上工业增加值增速", "%", "越高越好"), ("亩均税收", "万元/亩", "越高越好"),
    ("单位工业增加值能耗", "吨标准煤/万元", "越低越好"), ("高新技术产业产值占比", "%", "越高越好"),
    ("实际使用外资", "亿美元", "越高越好"), ("企业开办时间", "个工作日", "越低越好"),
    ("研发经费投入强度", "%", "越高越好"), ("新签约项目数", "个", "越高越好"),
    ("固定资产投资增速", "%", "越高越好"), ("亩均营业收入", "万元/亩", "越高越好"),
]
TASK_VERBS = ["推进", "完成", "建立", "健全", "落实", "开展", "优化", "培育", "引进", "实施"]
TASK_OBJECTS = [
    "重点项目前期手续办理", "企业包保服务制度", "园区安全生产专项整治", "“双招双引”签约项目落地",
    "高新技术企业培育", "产业链招商图谱", "政务服务事项清单", "园区污水管网改造", "人才公寓建设",
    "亩产效益评价", "数字化车间建设", "对标学习成果转化", "企业融资对接活动", "低效用地盘活",
]


def section_of(j, n):
    """Section index (0-9) of page j (1-based) in a corpus of n pages: contiguous blocks."""
    return (j - 1) * len(SECTIONS) // n


def page_rel(j, n):
    return f"{SECTIONS[section_of(j, n)][0]}/page-{j}.md"


def page_date(rng):
    start = datetime.date(2024, 1, 1)
    span = (datetime.date(2026, 11, 15) - start).days
    return start + datetime.timedelta(days=rng.randrange(span + 1))


def zh_month(d):
    return f"{d.year}年{d.month}月"


def page_title(rng):
    return rng.choice(TITLE_HEADS) + rng.choice(TITLE_TOPICS) + rng.choice(TITLE_TAILS)


def page_markdown(j, n):
    """The Markdown of page j: front matter and body, the same for gongshi and Hugo."""
    rng = random.Random(SEED * 1000003 + j)
    title = page_title(rng)
    date = page_date(rng)
    if j == 1 or section_of(j - 1, n) != section_of(j, n):
        # Each section's first page is recent news, so the site passes the freshness checks.
        date = datetime.date(2026, 11, 19) - datetime.timedelta(days=section_of(j, n))
    summary = rng.choice(SENTENCES)
    tags = rng.sample(TAGS, 2 + rng.randrange(2))
    # Two other pages of the corpus, linked by the relative path of their .md file.
    targets = []
    while len(targets) < 2 and n > 1:
        t = rng.randrange(1, n + 1)
        if t != j and t not in targets:
            targets.append(t)
    links = [f"[{page_title(random.Random(SEED * 1000003 + t))}](../{page_rel(t, n)})" for t in targets]
    pick = lambda k: "".join(rng.choice(SENTENCES) for _ in range(k))
    h1, h2 = rng.sample(HEADINGS, 2)
    lines = [
        "---",
        f"title: {title}",
        f"date: {date.isoformat()}",
        f"summary: {summary}",
        f"tags: [{', '.join(tags)}]",
        "---",
        "",
        f"{date.month}月{date.day}日，" + pick(2),
        "",
        f"## {h1}",
        "",
        pick(2) + (f"详见{links[0]}。" if links else ""),
        "",
    ]
    for _ in range(4):
        lines.append("- " + rng.choice(SENTENCES))
    lines += ["", "| 序号 | 事项 | 责任单位 | 完成时限 |", "|---|---|---|---|"]
    for r in range(1, 4):
        d = page_date(rng)
        lines.append(f"| {r} | {rng.choice(MATTERS)} | {rng.choice(UNITS_RESP)} | {zh_month(d)} |")
    lines += ["", f"## {h2}", "", pick(2) + (f"另见{links[1]}。" if len(links) > 1 else ""), ""]
    text = "\n".join(lines)
    # Fill the last paragraph up to the target size.
    text += "\n"
    last = []
    while len(text.encode()) + len("".join(last).encode()) + 1 < TARGET_BYTES:
        last.append(rng.choice(SENTENCES))
    return text + "".join(last) + "\n"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


SITE_YML = """title: 沂源经济开发区“树标对标夺标”行动公开专栏    # 站点名称
base_url: https://www.example.gov.cn/ztzl/sbdb/      # 网址; may include a sub-path
language: zh-CN                                      # 语言
sponsor: 沂源经济开发区管理委员会                      # 主办单位
operator: 沂源经济开发区党政办公室                    # 承办单位 (optional)
contact:                                             # 联系方式
  phone: 0533-0000000                                #   电话
  email: kfq@example.gov.cn                          #   邮箱
  address: 山东省淄博市沂源县示例路1号                #   地址
registration:                                        # 备案: for a registered government site
  icp: 鲁ICP备00000000号                              #   ICP备案号
  police: 鲁公网安备00000000000000号                  #   公安备案号
  site_code: "3703230001"                            #   网站标识码
units:                                               # 对标单位; exactly one is the site's own
  - {{id: yiyuan, name: 沂源经济开发区, own: true}}      #   编号, 名称, 本单位
  - {{id: taizhou, name: 江苏泰州港经济开发区}}
  - {{id: jimo, name: 青岛即墨经济开发区}}
theme: {theme}                                       # 主题
build_date: 2026-11-20                               # 构建日期
{extra}"""


def write_site_yml(out, theme, paginate_by, search=True):
    extra = f"paginate_by: {paginate_by}\n" if paginate_by else ""
    extra += "" if search else "search: false\n"
    write(os.path.join(out, "site.yml"), SITE_YML.format(theme=theme, extra=extra))


def gen_pages(outs, n):
    """Writes the home section, the 10 plain sections and N pages into each site folder of `outs`."""
    contents = [os.path.join(o, "content") for o in outs]
    for c in contents:
        write(os.path.join(c, "_index.md"), "---\ntitle: 首页\n---\n\n基准测试站点。\n")
    if n == 0:
        return
    for i, (slug, title) in enumerate(SECTIONS):
        for c in contents:
            write(os.path.join(c, slug, "_index.md"), f"---\ntitle: {title}\nweight: {i + 1}\n---\n\n{title}栏目。\n")
    for j in range(1, n + 1):
        text = page_markdown(j, n)
        for c in contents:
            write(os.path.join(c, page_rel(j, n)), text)


def csv_cell(s):
    s = str(s)
    return '"' + s.replace('"', '""') + '"' if any(c in s for c in ',"\n') else s


def gen_ledgers(out, m, k):
    content = os.path.join(out, "content")
    rng = random.Random(SEED + 7)
    # Areas and people: what tasks and indicators refer to.
    write(os.path.join(content, "areas", "_index.md"), "---\ntitle: 对标领域\nkind: areas\nweight: 20\n---\n\n五个对标领域。\n")
    for i, (aid, title) in enumerate(AREAS):
        body = "".join(rng.choice(SENTENCES) for _ in range(4))
        write(os.path.join(content, "areas", f"{aid}.md"), f"---\ntitle: {title}\norder: {i + 1}\nunits: [taizhou, jimo]\nsummary: {rng.choice(SENTENCES)}\n---\n\n## 学习什么\n\n{body}\n")
    write(os.path.join(content, "people", "_index.md"), "---\ntitle: 领导小组\nkind: people\nweight: 30\n---\n\n领导小组成员。\n")
    people = []
    for i in range(11):
        pid = f"p{i + 1:02d}"
        name = SURNAMES[i] + GIVEN[i]
        people.append(pid)
        write(os.path.join(content, "people", f"{pid}.md"), f"---\ntitle: {name}\nname: {name}\nposition: {POSITIONS[i]}\ngroup_role: {ROLES[i]}\norder: {i + 1}\n---\n\n{name}同志任领导小组{ROLES[i]}。\n")
    if m > 0:
        write(os.path.join(content, "tasks", "_index.md"), "---\ntitle: 工作台账\nkind: tasks\nweight: 15\n---\n\n任务清单与推进情况。\n")
        rows = ["编号,任务,领域,牵头领导,完成时限,状态,进度,进展"]
        for t in range(1, m + 1):
            status = rng.choice(["未开始", "推进中", "推进中", "已完成", "已暂停"])
            progress = {"未开始": 0, "已完成": 100}.get(status, rng.randrange(5, 96, 5))
            deadline = datetime.date(2024, 6, 30) + datetime.timedelta(days=rng.randrange(1000))
            updates = []
            if status != "未开始":
                d = datetime.date(2024, 1, 1)
                for _ in range(1 + rng.randrange(3)):
                    d = d + datetime.timedelta(days=1 + rng.randrange(300))
                    if d > datetime.date(2026, 11, 19):
                        break
                    updates.append(f"{d.isoformat()} {rng.choice(MATTERS)}{rng.choice(['取得进展', '完成阶段任务', '召开专题会议', '形成工作方案'])}")
            task = rng.choice(TASK_VERBS) + rng.choice(TASK_OBJECTS)
            rows.append(",".join(csv_cell(c) for c in [f"T{t:05d}", task, rng.choice(AREAS)[0], rng.choice(people), deadline.isoformat(), status, progress, "；".join(updates)]))
        write(os.path.join(content, "tasks", "tasks.csv"), "\n".join(rows) + "\n")
    if k > 0:
        write(os.path.join(content, "indicators", "_index.md"), "---\ntitle: 对标指标\nkind: indicators\nweight: 25\n---\n\n主要指标逐年对比。\n")
        rows = ["编号,指标,计量单位,领域,方向,期间,对标单位,值"]
        for i in range(1, k + 1):
            name, unit, better = INDICATOR_NAMES[(i - 1) % len(INDICATOR_NAMES)]
            area = rng.choice(AREAS)[0]
            base = rng.uniform(2, 80)
            for period in ("2023", "2024", "2025"):
                for u in ("yiyuan", "taizhou", "jimo"):
                    v = round(base * rng.uniform(0.8, 1.25), 1)
                    rows.append(",".join(csv_cell(c) for c in [f"I{i:04d}", f"{name}（{i}）", unit, area, better, period, u, v]))
        write(os.path.join(content, "indicators", "indicators.csv"), "\n".join(rows) + "\n")


HUGO_TOML = """baseURL = "https://www.example.gov.cn/ztzl/sbdb/"
languageCode = "zh-cn"
title = "沂源经济开发区“树标对标夺标”行动公开专栏"
disableKinds = ["taxonomy", "term"]
# Like gongshi's atom.xml (newest 20); Hugo's default is every page in every feed.
[services.rss]
limit = 20
# site.yml's sponsor, contact and registration, for the footer both minimal themes show.
[params]
sponsor = "沂源经济开发区管理委员会"
phone = "0533-0000000"
email = "kfq@example.gov.cn"
address = "山东省淄博市沂源县示例路1号"
icp = "鲁ICP备00000000号"
police = "鲁公网安备00000000000000号"
siteCode = "3703230001"
"""


def copy_tree(src, dst):
    for dirpath, _, files in os.walk(src):
        rel = os.path.relpath(dirpath, src)
        for f in sorted(files):
            os.makedirs(os.path.join(dst, rel), exist_ok=True)
            shutil.copyfile(os.path.join(dirpath, f), os.path.join(dst, rel, f))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", help="gongshi site folder to write")
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--tasks", type=int, default=0)
    ap.add_argument("--indicators", type=int, default=0)
    ap.add_argument("--hugo", metavar="OUT2", help="also write the same pages as a Hugo site here")
    ap.add_argument("--theme", default="default", help="site.yml theme (default: default)")
    ap.add_argument("--theme-src", metavar="DIR", help="copy this folder to OUT/themes/THEME")
    ap.add_argument("--paginate-by", type=int, default=0, help="site.yml paginate_by (default: gongshi's)")
    ap.add_argument("--site-only", action="store_true", help="write only site.yml and the theme, no content")
    ap.add_argument("--no-search", action="store_true", help="site.yml search: false (no search page or index, as Hugo's minimal build)")
    a = ap.parse_args()
    if a.pages < 0 or a.tasks < 0 or a.indicators < 0:
        sys.exit("counts must be >= 0")
    if os.path.exists(os.path.join(a.out, "content")) or os.path.exists(os.path.join(a.out, "site.yml")):
        sys.exit(f"{a.out} already holds a site; remove it first")
    if a.hugo and os.path.exists(os.path.join(a.hugo, "content")):
        sys.exit(f"{a.hugo} already holds a site; remove it first")
    write_site_yml(a.out, a.theme, a.paginate_by, not a.no_search)
    if a.theme_src:
        copy_tree(a.theme_src, os.path.join(a.out, "themes", a.theme))
    if a.site_only:
        return
    outs = [a.out]
    if a.hugo:
        # The same front matter and Markdown; Hugo needs only its own config.
        write(os.path.join(a.hugo, "hugo.toml"), HUGO_TOML)
        outs.append(a.hugo)
    gen_pages(outs, a.pages)
    if a.tasks or a.indicators:
        gen_ledgers(a.out, a.tasks, a.indicators)


if __name__ == "__main__":
    main()
