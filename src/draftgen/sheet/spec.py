"""The fact-sheet contract as data: one spec drives validation, the JSON Schema
and the field reference, so the three cannot drift apart."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class Field:
    """How one value in the fact sheet must look."""

    kind: str  # text number year month bool choice date list map text|map
    desc: str
    required: bool = False
    nullable: bool = False
    choices: tuple[str, ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()  # accepted spellings → canonical choice
    item: Field | None = None
    fields: dict[str, Field] | None = None
    minimum: float | None = None
    maximum: float | None = None
    text_key: str | None = None  # for text|map: the field a bare string fills
    name_like: bool = False  # a name that ends up in a file name: no path characters
    label: str = ""  # the field's short name in the workbench's form (else its description up to the first pause)


def _map(desc: str, fields: dict[str, Field], **kw: Any) -> Field:
    return Field("map", desc, fields=fields, **kw)


def _list(desc: str, item: Field, **kw: Any) -> Field:
    return Field("list", desc, item=item, **kw)


QUANTITY = _map("带单位的数量", {
    "value": Field("number", "数值；不知道时写 null", nullable=True, minimum=0),
    "unit": Field("text", "单位，如 万元、亿元"),
    "approx": Field("choice", label="约数", desc="约数标记：true 或 约/余/近/超/左右",
                    choices=("约", "余", "近", "超", "左右"), aliases=(("true", "约"),)),
})

INDICATOR = _map("一项主要指标", {
    "name": Field("text", "指标名称，如 地区生产总值", required=True),
    "value": Field("number", "本期数值；不知道时写 null 或不写，草稿里会留出【待补充】", nullable=True),
    "unit": Field("text", "单位，如 亿元、元、%；比率类指标写 %，变化用“个百分点”表示"),
    "previous": Field("number", "上年（上年同期）数值，用来计算增长率", nullable=True),
    "growth": Field("number", "增长率（%），直接给出时不再计算；负数表示下降", nullable=True),
    "previous_growth": Field("number", label="上年增长率",
                             desc="上年的增长率（%），上年下降、今年回升时草稿写“扭转了上年下降X%的态势”",
                             nullable=True),
    "note": Field("text", label="限定语", desc="数值前的限定语，如 村均、人均"),
    "approx": Field("choice", label="约数", desc="本单位自己说是约数时标注：true 或 约/余/近/超/左右",
                    choices=("约", "余", "近", "超", "左右"), aliases=(("true", "约"),)),
    "estimate": Field("bool", label="预计数", desc="是否为预计数（草稿写“预计”）"),
    "target": Field("number", "年度目标值，用来计算“完成年度目标的X%”", nullable=True),
    "rank": Field("text", "排名，如 全区第3"),
    "as_of": Field("text", label="截至日期", desc="数据截至的日期，如 11月20日 或 2024-11-20（草稿写“截至11月20日”）"),
    "base": Field("number", "基数或任务总量，与 value 同单位，草稿写“占…的X%”", nullable=True, minimum=0),
    "base_name": Field("text", "基数的名称，如 清收任务（不写则称“总数”）"),
})

WORK_ITEM = Field("text|map", "一项工作：一句话，或带 title 和 facts 的映射", text_key="title", fields={
    "title": Field("text", "这项工作的标题（简短的动宾短语，如 开展主题教育）"),
    "measures": _list("先做了什么：具体举措，每条一句，写在数字之前（如 组建招商专班）", Field("text", "一条举措")),
    "facts": _list("这项工作的具体事实，每条一句，数字照实写", Field("text", "一条事实")),
    "effect": Field("text", "取得了什么效果，一句话（如 方便了群众出行）"),
    "rank": Field("text", "这项工作的排名或考核名次，如 全区第2"),
    "from_plan": Field("bool", label="去年承诺的事",
                       desc="去年工作打算里承诺的事（init --from 填写）：今年的总结要交代完成情况"),
})

TOPIC_WORK = _map("一个领域的工作", {
    "topic": Field("text", "领域，如 党的建设、产业发展（从已有的领域里选，也认常见的别名）", required=True),
    "items": _list("这个领域做的事", WORK_ITEM),
})

PROJECT = _map("一个重点项目", {
    "name": Field("text", "项目名称", required=True, name_like=True),
    "topic": Field("text", "归入哪个领域；不写则归入 项目建设"),
    "investment": replace(QUANTITY, label="投资"),
    "status": Field("choice", label="进度", desc="进度：done（建成）| ongoing（在建）| planned（谋划）",
                    choices=("done", "ongoing", "planned"),
                    aliases=(("完成", "done"), ("已完成", "done"), ("建成", "done"), ("竣工", "done"),
                             ("在建", "ongoing"), ("推进中", "ongoing"), ("谋划", "planned"),
                             ("计划", "planned"), ("储备", "planned"))),
    "progress": Field("text", "进展情况，一句话"),
    "stage": Field("choice", label="阶段",
                   desc="比 status 更细的阶段：前期 | 立项 | 开工 | 在建 | 主体完工 | 竣工 | 投用；"
                   "写了 stage 可以不写 status",
                   choices=("前期", "立项", "开工", "在建", "主体完工", "竣工", "投用"),
                   aliases=(("preparing", "前期"), ("approved", "立项"), ("started", "开工"), ("building", "在建"),
                            ("topped-out", "主体完工"), ("completed", "竣工"), ("operating", "投用"),
                            ("投入使用", "投用"), ("建成投用", "投用"), ("主体完成", "主体完工"))),
    "measures": _list("为这个项目做了什么，每条一句（如 成立项目专班）", Field("text", "一条举措")),
    "effect": Field("text", "项目带来的效果，一句话（如 方便了群众出行）"),
})

PROBLEM = Field("text|map", "一条问题：一句话，或带 topic 和 text 的映射", text_key="text", fields={
    "text": Field("text", "问题本身", required=True),
    "topic": Field("text", "所属领域"),
    "detail": Field("text", "这个问题对本地意味着什么，一句话，照写进草稿（不写则用不带事实的概括说法）"),
})

TARGET = _map("一项预期目标", {
    "name": Field("text", "指标名称", required=True),
    "value": Field("number", "目标值", nullable=True),
    "unit": Field("text", "单位"),
    "growth": Field("number", "预期增长率（%），草稿写“增长X%左右”", nullable=True),
    "note": Field("text", "限定语，如 村均"),
})

PLAN_WORK = _map("下一步一个领域的打算", {
    "topic": Field("text", "领域", required=True),
    "items": _list("具体打算，每条一句（也可像 work 一样写 title 和 facts）", WORK_ITEM),
})

FACTSHEET = _map("乡镇（街道）工作事实表", {
    "town": Field("text", "乡镇或街道名称，如 青川镇", required=True, name_like=True),
    "division": Field("choice", "类型：镇 | 乡 | 街道，默认 镇", choices=("镇", "乡", "街道"),
                      aliases=(("街道办", "街道"), ("街道办事处", "街道"), ("民族乡", "乡"))),
    "setting": Field("choice", label="城乡特征",
                     desc="城乡特征：urban（城市社区为主）| rural（农村为主）| mixed（城乡兼有）；"
                     "不写时按事实里“村”“社区”等字样推断，决定草稿用不用驻村、改厕、老旧小区一类说法",
                     choices=("urban", "rural", "mixed"),
                     aliases=(("城市", "urban"), ("城区", "urban"), ("农村", "rural"), ("乡村", "rural"),
                              ("城乡结合", "mixed"), ("城乡", "mixed"))),
    "superior": Field("text", "上级区县，如 河西区（用于“在区委、区政府的坚强领导下”）"),
    "province": Field("text", "所在省份"),
    "year": Field("year", "总结的年度，如 2024", required=True, minimum=1949, maximum=2100),
    "period": Field("choice", label="期别", desc="annual（年度）| half-year（半年）", choices=("annual", "half-year"),
                    aliases=(("年度", "annual"), ("全年", "annual"), ("半年", "half-year"),
                             ("上半年", "half-year"), ("halfyear", "half-year"), ("half_year", "half-year"))),
    "cutoff_month": Field("month", label="数据截至月份",
                          desc="数据截至几月底（半年总结默认 6）", minimum=1, maximum=12),
    "theme": Field("text", "本年度的主要行动，如 三抓三促"),
    "date": Field("date", "落款日期，如 2024-12-20"),
    "wording": Field("count", label="措辞（第几种说法）", desc="用第几种说法（工作台“换一种说法”记下；不写为第 1 种）",
                     minimum=1, maximum=9999),
    "honors": _list("本年度获得的荣誉", Field("text", "一项荣誉")),
    "indicators": _list("主要指标", INDICATOR),
    "work": _list("按领域分组的工作", TOPIC_WORK),
    "projects": _list("重点项目", PROJECT),
    "problems": _list("存在的问题", PROBLEM),
    "plans": _map("下一阶段打算", {
        "thinking": Field("text", "总体思路（可选，一句话）"),
        "targets": _list("主要预期目标", TARGET),
        "work": _list("重点工作", PLAN_WORK),
    }),
})


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the fact sheet, for editors that complete and check YAML."""
    schema = _schema(FACTSHEET)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "draftgen 事实表",
        **schema,
    }


def _schema(spec: Field) -> dict[str, Any]:
    out: dict[str, Any] = {"description": spec.desc}
    if spec.kind == "map" or spec.kind == "text|map":
        assert spec.fields is not None
        obj: dict[str, Any] = {
            "type": "object",
            "properties": {name: _schema(f) for name, f in spec.fields.items()},
            "additionalProperties": False,
        }
        required = [name for name, f in spec.fields.items() if f.required]
        if required:
            obj["required"] = required
        if spec.kind == "text|map":
            out["anyOf"] = [{"type": "string"}, obj]
        else:
            out.update(obj)
    elif spec.kind == "list":
        assert spec.item is not None
        out.update({"type": "array", "items": _schema(spec.item)})
    elif spec.kind == "choice":
        names = list(spec.choices) + [a for a, _ in spec.aliases if a != "true"]
        out["enum"] = names
        if any(a == "true" for a, _ in spec.aliases):
            out = {"description": spec.desc, "anyOf": [{"enum": names}, {"const": True}]}
    elif spec.kind in ("number",):
        out["type"] = ["number", "null"] if spec.nullable else "number"
    elif spec.kind in ("year", "month", "count"):
        out.update({"type": "integer", "minimum": spec.minimum, "maximum": spec.maximum})
    elif spec.kind == "bool":
        out["type"] = "boolean"
    elif spec.kind == "date":
        out.update({"type": "string", "format": "date"})
    else:
        out.update({"type": "string", "minLength": 1})
    return out
