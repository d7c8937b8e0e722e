"""From a fact sheet to what the templates need: sections in conventional
order, indicator phrases with computed changes, project sentences, slots."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace

from draftgen.bank.evidence import figures_of, passage_evidence
from draftgen.bank.lexicon import Evidence, Lexicon
from draftgen.bank.phrasebank import Entry, PhraseBank, Topic
from draftgen.draft.choose import Chooser, Scope
from draftgen.sheet.model import FactSheet, Indicator, ProblemItem, Project, Target, WorkItem, indicator_change
from draftgen.text.numbers import NUMBER, Number, chinese_numeral, completion, fmt, quantity, rate_text
from draftgen.text.patterns import placeholder
from draftgen.text.typography import strip_end_punct

_STREET_FIRST = ("经济运行", "营商环境与招商引资", "城镇建设与基础设施")


@dataclass
class Section:
    """One topic's part of the draft."""

    topic: Topic
    known: bool
    items: list[WorkItem] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    plan_items: list[str] = field(default_factory=list)
    #: the problems of this topic the plan answers (their text as the sheet wrote it); in the
    #: summary, what its claims may not praise
    problems: list[str] = field(default_factory=list)
    #: an indicator of this topic fell (农业总产值 for 产业发展): the summary does not speak well of it
    fell: bool = False
    #: the town is a 街道: the topic's street label where it has one (城市建设, not 城乡建设)
    street: bool = False

    @property
    def name(self) -> str:
        return self.topic.name

    @property
    def label(self) -> str:
        return self.topic.street_label if self.street and self.topic.street_label else self.topic.label

    @property
    def short(self) -> str:
        return self.topic.short or self.topic.label

    @property
    def figures(self) -> int:
        """How many figures the section's facts carry (what its praise may rest on)."""
        return figures_of(self.items, self.projects)

    def scope(self, lexicon: Lexicon, draft: Evidence, *, plan: bool = False, no_label: bool = False) -> Scope:
        """The lexicon's view of this section: its label's features, and what its facts support."""
        features = lexicon.features_of(self.name if self.known else None)
        subjects = tuple((s, features) for s in dict.fromkeys((self.label, self.short, self.name)) if s)
        evidence = passage_evidence(draft, self.items, self.projects, self.figures)
        own = tuple(t for item in self.items for t in (item.title or "", *item.measures, *item.facts) if t)
        own += tuple(self.plan_items)  # (not the problems: an answer to one should use its words)
        return Scope(subjects=subjects, evidence=evidence, plan=plan, no_label=no_label, own_words=own,
                     topic=self.name if self.known else None,
                     plan_words="\n".join((*self.plan_items, *self.problems)) if plan else "",
                     fell=self.fell and not plan, problems="" if plan else "\n".join(self.problems))


def division_words(division: str) -> dict[str, str]:
    if division == "街道":
        return {"div": "街道", "all": "全街道", "party": "街道党工委", "gov": "街道办事处",
                "party_gov": "街道党工委、办事处"}
    return {"div": division, "all": f"全{division}", "party": f"{division}党委",
            "gov": f"{division}政府", "party_gov": f"{division}党委、政府"}


def base_slots(facts: FactSheet) -> dict[str, str]:
    """Slot values every entry may use."""
    slots = {"town": facts.town, "year": str(facts.year), "next_year": str(facts.year + 1)}
    slots.update(division_words(facts.division))
    if facts.superior:
        slots["superior"] = facts.superior
        level = facts.superior_level
        if level:
            slots["level"] = level
            slots["superior_lead"] = f"{level}委、{level}政府"
        else:
            slots["superior_lead"] = f"{facts.superior}党委、政府"
    if facts.theme:
        slots["theme"] = facts.theme
    return slots


def resolve(bank: PhraseBank, name: str, warnings: list[str], source: str) -> tuple[Topic, bool]:
    topic = bank.resolve_topic(name)
    if topic is not None:
        return topic, True
    named = bank.topic_in(name)
    if named is not None:
        # its words belong to a known topic (生态环保 → 生态环境与人居环境): drafted as that topic, with
        # its headings, rather than over generic frames that claim nothing of it
        warnings.append(f"{source}：领域“{name}”不在领域表中，按最接近的“{named.name}”起草；"
                        f"如不是同一领域，请在领域一栏另选。")
        return named, True
    near = bank.nearest_topic(name)
    hint = f"最接近的是“{near.name}”，如指同一领域，请把领域改成“{near.name}”" if near is not None else \
        "可在领域一栏的下拉选项里选一个已有的领域"
    warnings.append(f"{source}：领域“{name}”不在领域表中，已用通用表述起草；{hint}。")
    return Topic(name=name, label=name, order=90), False


def _order(facts: FactSheet, section: Section) -> tuple[int, int]:
    if facts.division == "街道" and section.name in _STREET_FIRST:
        return (_STREET_FIRST.index(section.name) - 10, 0)
    return (section.topic.order, 0)


def work_sections(facts: FactSheet, bank: PhraseBank, warnings: list[str]) -> list[Section]:
    """One section per topic present in work or projects, in conventional order."""
    sections: dict[str, Section] = {}

    def section(name: str) -> Section:
        topic, known = resolve(bank, name, warnings, facts.source)
        if topic.name not in sections:
            sections[topic.name] = Section(topic=topic, known=known, street=facts.division == "街道")
        return sections[topic.name]

    for work in facts.work:
        section(work.topic).items.extend(work.items)
    for project in facts.projects:
        if project.status == "planned" and _planned_for(project, facts):
            continue  # a project still to come is told in the plan that names it (with its investment)
        if not _fold_into_item(project, list(sections.values())):
            section(project.topic).projects.append(project)
    for problem in facts.problems:
        topic = bank.resolve_topic(problem_home(problem, facts, bank))
        if topic is not None and topic.name in sections:
            sections[topic.name].problems.append(problem.text)
    for ind in facts.indicators:
        change = indicator_change(ind)
        # the topic an indicator's name speaks of (农业总产值 → 产业发展 by 产值)
        fell = bank.topic_in(ind.name) if change is not None and change.direction < 0 else None
        if fell is not None and fell.name in sections:
            sections[fell.name].fell = True
    return sorted(sections.values(), key=lambda s: _order(facts, s))


def _planned_for(project: Project, facts: FactSheet) -> bool:
    return any(project.name in item for work in facts.plans.work for item in work.items)


def with_planned_investment(item: str, facts: FactSheet) -> str:
    """A plan item naming a planned project carries its investment (启动桃花溪生态治理项目（计划总投资2300万元）)."""
    for project in facts.projects:
        amount = investment_amount(project)
        if project.status == "planned" and project.name in item and amount is not None and "投资" not in item:
            return item.replace(project.name, f"{project.name}（计划总投资{amount}）", 1)
    return item


def investment_amount(project: Project) -> str | None:
    """A project's investment as a draft writes it (1.5亿元), or None where the sheet gives no figure."""
    inv = project.investment
    return quantity(inv.value, inv.unit, inv.approx) if inv is not None and inv.value is not None else None


def _fold_into_item(project: Project, sections: list[Section]) -> bool:
    """A project an item already names (引进井圈臻选食品基地建设项目) is told there, once: its
    investment goes beside the name, and its progress, stage and effect after the item's words;
    a progress ending in the verb the mention opens with takes the verb's place (2024年成功引进…).
    False where no item names it."""
    for section in sections:
        for i, item in enumerate(section.items):
            if any(project.name in t for t in (*item.measures, *item.facts)):
                section.items[i] = _told_in(item, project)
                return True
    return False


def _told_in(item: WorkItem, project: Project) -> WorkItem:
    amount = investment_amount(project)
    note = f"（总投资{amount}）" if amount is not None else ""
    progress = strip_end_punct(project.progress or "")
    texts = [*item.measures, *item.facts]
    at = next(j for j, t in enumerate(texts) if project.name in t)
    text = texts[at].replace(project.name, project.name + note, 1)
    verb = text[: text.index(project.name)]
    if progress and verb and progress.endswith(verb):  # 引进… + 2024年成功引进 → 2024年成功引进…
        text, progress = progress + text[len(verb):], ""
    texts[at] = text
    more = [t for t in (_STAGE_WORDS.get(project.stage or "") or "", progress, strip_end_punct(project.effect or ""))
            if t]
    facts = tuple(texts[len(item.measures):])
    if more:
        facts += (f"{project.name}{'，'.join(more)}",)
    return replace(item, measures=tuple(texts[: len(item.measures)]), facts=facts)


#: the area every annual plan has, whatever the sheet lists
STANDING_PLAN_TOPIC = "党的建设"
#: the other areas no annual plan goes without: 民生, and 安全稳定 (either topic will do)
STANDING_PLAN_AREAS: tuple[tuple[str, ...], ...] = (("党的建设",), ("民生保障",), ("安全生产", "社会治理"))


def plan_sections(facts: FactSheet, bank: PhraseBank, warnings: list[str], *,
                  standing: bool = True) -> list[Section]:
    """The plan's areas: one per topic with plan items or problems, and (``standing``)
    the areas real annual plans always have (party building, 民生, safety and stability). Each problem goes to the area
    of its topic, or of the topic its words belong to, so the plan answers it."""
    sections: dict[str, Section] = {}

    def area(name: str) -> Section:
        topic, known = resolve(bank, name, warnings, facts.source)
        return sections.setdefault(topic.name, Section(topic=topic, known=known, street=facts.division == "街道"))

    for work in facts.plans.work:
        area(work.topic).plan_items.extend(with_planned_investment(item, facts) for item in work.items)
    for problem in facts.problems:
        area(problem_home(problem, facts, bank)).problems.append(problem.text)
    if standing:
        for names in STANDING_PLAN_AREAS:
            if not any(n in sections for n in names) and names[0] in bank.topics:
                area(names[0])
    return sorted(sections.values(), key=lambda s: _order(facts, s))


def problem_home(problem: ProblemItem, facts: FactSheet, bank: PhraseBank) -> str:
    """The topic a problem is answered and kept under: the writer's ``topic:``, else its words'."""
    return problem.topic or problem_topic(problem.text, facts, bank)


def problem_topic(text: str, facts: FactSheet, bank: PhraseBank) -> str:
    """The topic a problem without one belongs to: the topic whose names and keywords
    it uses, or whose work in the sheet shares most words with it; party building
    (队伍, 作风) when nothing says otherwise."""
    def bigrams(s: str) -> set[str]:
        return {s[i:i + 2] for i in range(len(s) - 1)}

    own = bigrams(text)
    best, score = STANDING_PLAN_TOPIC, 0
    for topic in bank.topics.values():
        words = (topic.name, topic.label, topic.short, *topic.aliases, *topic.keywords)
        # a longer word says more (产业空间 before 产业)
        points = sum(len(w) + 1 for w in words if w and w in text)
        sheet = [f for w in facts.work if bank.resolve_topic(w.topic) is topic
                 for i in w.items for f in (i.title or "", *i.measures, *i.facts, i.effect or "")]
        sheet += [p.name for p in facts.projects if bank.resolve_topic(p.topic) is topic]
        points += len(own & bigrams("".join(sheet)))
        if points > score:
            best, score = topic.name, points
    return best


def problem_phrases(facts: FactSheet, chooser: Chooser) -> list[str]:
    """Each problem as the sheet wrote it, then what it means: the sheet's ``detail``, or, after a
    problem of one clause, a fact-free elaboration chosen by the problem's kind (capacity, structure…)."""
    out = []
    for problem in facts.problems:
        text = strip_end_punct(problem.text)
        if problem.detail:
            out.append(f"{text}，{strip_end_punct(problem.detail)}")
            continue
        if re.search(r"[，；]", text):
            # a problem of two clauses (工业基础薄弱，税源结构单一) says what it means: a stock tail
            # after it (对接外部市场的能力还比较欠缺) is filler a reader strikes out
            out.append(text)
            continue
        # the kind whose words the problem uses most (链条、加工 say structure before 能力 says capacity);
        # an elaboration that repeats the problem's own words (欠账…欠账) says nothing more
        pairs = {text[i:i + 2] for i in range(len(text) - 1)} - _COMMON_PAIRS
        hits = {e.id: sum(1 for k in e.keywords if k in text) for e in chooser.candidates("problems.elaboration")
                if not pairs & {e.text[i:i + 2] for i in range(len(e.text) - 1)}}
        best = max(hits.values(), default=0)
        picked = None
        if best:
            def strongest(entry: Entry, b: int = best, h: dict[str, int] = hits) -> bool:
                return h.get(entry.id) == b

            picked = chooser.pick_entry("problems.elaboration", accept=strongest)
        if picked is None:
            def plain(entry: Entry, h: dict[str, int] = hits) -> bool:
                return not entry.keywords and entry.id in h

            picked = chooser.pick_entry("problems.elaboration", accept=plain)
        out.append(f"{text}，{picked[1]}" if picked else text)
    return out


#: pairs of characters too common in this genre to tie a measure to a problem
_COMMON_PAIRS = {"工作", "建设", "推进", "加强", "发展", "基础", "管理", "服务", "问题", "能力", "水平", "提升",
                 "不足", "较多", "仍有", "部分", "进一", "一步", "有限", "单一", "短板"}


def _runs_of_three(text: str, words: set[str], source: str) -> bool:
    """Whether ``text`` says three characters running of ``source`` that are content words there
    (网格化, 和美乡村): a tie a shared word alone (养老 in 养老保险 and 养老服务) does not make."""
    return any(text[i:i + 2] in words and text[i + 1:i + 3] in words and text[i:i + 3] in source
               for i in range(len(text) - 2))


def answer_measure(section: Section, problem: str, chooser: Chooser, lexicon: Lexicon,
                   draft: Evidence, prefer: Callable[[Entry], bool] = lambda e: True,
                   dress: Callable[[str], str] = lambda text: text) -> str:
    """A plan measure that answers a problem: of the topic's measures, one tied to the problem's
    own words (税源结构单一 → 培育壮大税源: three characters running, or two words), ``dress``ed
    with its manner word; else a remedy for the problem's kind, or one that promises no particular
    measure — a measure on one shared word answers something else (干部队伍年龄偏大 → 纠治“四风”)."""
    topic = section.name if section.known else None
    scope = section.scope(lexicon, draft, plan=True)
    words = {problem[i:i + 2] for i in range(len(problem) - 1)} - _COMMON_PAIRS

    def tied(entry: Entry) -> bool:
        text = entry.text
        return len(words & {text[i:i + 2] for i in range(len(text) - 1)}) >= 2 or _runs_of_three(text, words, problem)

    extra = {"label": section.label}
    # choosing among every tied measure keeps two towns from answering alike
    picked = chooser.pick_entry("measure", topic, extra=extra, scope=scope, accept=lambda e: tied(e) and prefer(e)) \
        or chooser.pick_entry("measure", topic, extra=extra, scope=scope, accept=tied)
    if picked is not None:
        return dress(picked[1])  # a measure takes its manner word (扎实…); a remedy has its own
    # a remedy of the problem's kind (干部队伍年龄偏大 → 加大年轻干部培养选拔力度), else a plain one
    remedy = chooser.pick_entry("plan.remedy", accept=lambda e: any(k in problem for k in e.keywords)) \
        or chooser.pick_entry("plan.remedy", accept=lambda e: not e.keywords)
    return remedy[1] if remedy else placeholder(f"{section.label}的下一步举措")


def section_measure(section: Section, chooser: Chooser, lexicon: Lexicon, draft: Evidence) -> str:
    """The measure a section's opening sentence names: one of the topic's measures that shares
    a word with what the sheet says the section did (救助资金 → 落实社会救助政策), or none —
    a measure the facts never mention would claim work the town may not have done."""
    topic = section.name if section.known else None
    # what the section did (its measures, figures, projects); its items' titles follow the lead,
    # so a measure that says a title again (兜牢兜实民生底线 before 兜牢民生底线) is not written
    own = "".join(t for item in section.items for t in (*item.measures, *item.facts))
    own += "".join(p.name + (p.progress or "") for p in section.projects)
    titles = "\n".join(item.title or "" for item in section.items)
    # content words only: the genre's common pairs, the lexicon's verbs and manner words, and the
    # topic's own names (安全, 生产 for 安全生产) tie nothing to anything
    names = "|".join((section.name, section.label, section.short))
    function = {v for verbs in lexicon.verb_classes.values() for v in verbs if len(v) == 2}
    function |= {m for m in lexicon.manners if len(m) == 2}
    function |= {names[i:i + 2] for i in range(len(names) - 1)}
    words = {own[i:i + 2] for i in range(len(own) - 1)} - _COMMON_PAIRS - function
    if not words:
        return ""

    def related(entry: Entry) -> bool:
        # a practice a measure names (建立包联制度, 月调度) is written only where the facts name it
        if any(p in entry.text and p not in own for p in lexicon.practices):
            return False
        # tied by three characters running (网格化, 和美乡村, 安全隐患): a shared word is chance
        # (农村 and 垃圾 in 农村生活垃圾 against 农村户厕, 河道垃圾)
        text = entry.text
        if any(text[i:i + 4] in titles for i in range(len(text) - 3)):
            return False
        return _runs_of_three(text, words, own)

    def plain_verb(entry: Entry) -> bool:
        # a measure that opens with a plain verb takes a manner word (扎实…, 持续…), so two
        # towns with the same facts do not open the section with the same words
        return lexicon.takes_manner(entry.text)

    scope = section.scope(lexicon, draft, no_label=True)
    extra = {"label": section.label}
    picked = chooser.pick_entry("measure", topic, extra=extra, scope=scope,
                                accept=lambda e: related(e) and plain_verb(e)) \
        or chooser.pick_entry("measure", topic, extra=extra, scope=scope, accept=related)
    return picked[1] if picked else ""


def situation_parts(facts: FactSheet) -> tuple[str, str]:
    """What the plan's head judges the situation by, both from the sheet, with no figure: what rose
    of the sheet's first three (headline) indicators (地区生产总值、固定资产投资等主要指标保持增长;
    税收收入由降转升 after last year's fall) and, against
    it, what fell (地区生产总值和一般公共预算收入下降) and the first clauses of the first problems
    (工业基础薄弱、柑橘产业链条短); either is empty where the sheet has nothing for it."""
    rose: list[str] = []
    back: list[str] = []
    fell: list[str] = []
    for place, ind in enumerate(facts.indicators):
        change = indicator_change(ind)
        if change is None or ind.is_rate or not change.direction:
            continue
        if change.direction < 0:
            fell.append(ind.name)
        elif place >= 3:
            continue  # a small indicator that rose (规上工业增加值 0.38亿元) is no footing: only the headline ones
        elif ind.previous_growth is not None and ind.previous_growth < 0:
            back.append(ind.name)
        else:
            rose.append(ind.name)
    good = [f"{'、'.join(rose[:2])}{'等主要指标' if len(rose) > 2 else ''}保持增长" if rose else "",
            f"{'和'.join(back[:2])}由降转升" if back else ""]
    hard = [f"{'和'.join(fell[:2])}{'等指标' if len(fell) > 2 else ''}下降" if fell else ""]
    # a problem that names a fallen indicator (固定资产投资下降) is already said by the fall
    clauses = [re.split(r"[，；、。]", strip_end_punct(p.text))[0] for p in facts.problems]
    hard += [c for c in clauses if not any(name in c for name in fell)][: 2 - bool(fell)]
    return "、".join(g for g in good if g), "、".join(h for h in hard if h)


def quoted_problem(text: str) -> str:
    """A problem quoted inside a sentence: its clauses joined by 、, no end mark."""
    return strip_end_punct(text).replace("，", "、").replace("；", "、")


def indicator_phrase(ind: Indicator, chooser: Chooser, same_period: bool, first: bool,
                     estimated: bool = False) -> str:
    """``实现地区生产总值35.6亿元，同比增长7.6%``; a placeholder where the value is unknown
    (``estimated``: the figure before was an estimate too, so its 预计 covers this one)."""
    link = chooser.lexical("indicator.link", ind.name)
    verb = "" if link else chooser.lexical("indicator.verb", ind.name)
    early = indicator_change(ind)
    direction = "none" if early is None else {1: "rise", -1: "fall", 0: "flat"}[early.direction]
    lexicon = chooser.bank.lexicon
    # 实现…下降 says two things at once: a verb that does not fit the direction is left out
    if verb and not lexicon.indicator_verb_fits(verb, direction):
        verb = ""
    # a name that holds its own verb (区级重点项目完成投资) takes no second one
    if any(v in ind.name for v in lexicon.indicator_verbs):
        verb = link = ""
    if link and not lexicon.indicator_verb_fits(link, direction):
        link = ""
    if ind.estimate and estimated:
        # under the run's one 预计, 完成/实现 would say the estimate was done: the figure stands bare
        verb = link = ""
    if ind.value is None:
        unit = f"（{ind.unit}）" if ind.unit else ""
        amount = placeholder(f"{ind.name}{unit}")
    else:
        amount = quantity(ind.value, ind.unit, ind.approx, ind.note)
    joint = "为" if not link and ind.name[-1:].isascii() and ind.name[-1:].isalnum() and amount[:1].isdigit() else ""
    text = f"{'预计' if ind.estimate and not estimated else ''}{verb}{ind.name}{link}{joint}{amount}"
    if ind.as_of:
        text = f"截至{ind.as_of}，{text}"
    parts = [text]
    change = indicator_change(ind)
    if change is not None:
        words = change.words(same_period)
        if change.direction != 0:
            words = ("同比" if same_period or first else "") + words
        parts.append(words)
    elif ind.previous is not None:
        # no change to print (value unknown, or last year was zero): say last year's figure
        parts.append(f"上年为{quantity(ind.previous, ind.unit)}")
    if ind.previous_growth is not None:
        rising = change is not None and change.direction > 0
        parts.append(_previous_growth_words(ind.previous_growth, rising))
    if ind.target is not None and ind.value is None:
        parts.append(f"年度目标{quantity(ind.target, ind.unit)}")
    elif ind.target is not None and ind.value is not None:
        share = completion(ind.value, ind.target)
        if share is not None:
            # 完成…，完成年度目标… reads twice: a 完成 figure takes 为 instead
            verb_of_share = "为" if verb == "完成" else "完成"
            parts.append(f"{verb_of_share}年度目标{quantity(ind.target, ind.unit)}的{rate_text(share)}%")
    if ind.base and ind.value is not None:
        share = completion(ind.value, ind.base)
        if share is not None:
            parts.append(f"占{ind.base_name or '总数'}{quantity(ind.base, ind.unit)}的{rate_text(share)}%")
    if ind.rank:
        parts.append(rank_words(ind.rank))
    return "，".join(parts)


def rank_key(item: WorkItem) -> str:
    """How a highlight line notes that it took an item's rank (so that the body does not repeat it)."""
    return f"\0rank\0{item.title}\0{item.rank}"


def rank_words(rank: str) -> str:
    """``全区第2`` reads ``位列全区第2``; a rank the sheet already phrased stays as written."""
    return rank if rank.startswith(("位列", "位居", "排名", "居", "列")) else f"位列{rank}"


def _previous_growth_words(previous_growth: Number, rising_now: bool) -> str:
    """Last year's rate: a recovery is named as one, otherwise the rate is stated."""
    amount = fmt(previous_growth).lstrip("-")
    if previous_growth < 0 and rising_now:
        return f"扭转了上年下降{amount}%的态势"
    verb = "下降" if previous_growth < 0 else "增长"
    return f"上年为{verb}{amount}%"


def indicator_name_and_value(ind: Indicator) -> str:
    """How an indicator's figure stands in a draft (for telling where it went)."""
    if ind.value is None:
        return ind.name
    return quantity(ind.value, ind.unit, ind.approx, ind.note)


def target_phrase(target: Target) -> str:
    """``财政收入增长5%左右``, ``固定资产投资达到9亿元``."""
    parts = []
    if target.value is not None:
        parts.append(f"{target.name}达到{quantity(target.value, target.unit, note=target.note)}")
    if target.growth is not None:
        g = target.growth
        verb = "增长" if g >= 0 else "下降"
        head = "" if parts else f"{target.name}{target.note or ''}"
        parts.append(f"{head}{verb}{fmt(abs(g)) if g < 0 else fmt(g)}%左右")
    if not parts:
        return f"{target.name}{placeholder(target.name + '目标值')}"
    return "，".join(parts)


#: what a project's stage says, by the project's kind (a repair is not 建成)
_STAGE_WORDS = {
    "前期": "正在开展前期工作", "立项": "已完成立项", "开工": "已开工建设", "在建": "",
    "主体完工": "主体工程已完工", "竣工": "已竣工", "投用": "已建成投用",
}
_STAGE_WORDS_REPAIR = {"开工": "已开工", "主体完工": "主体工程已完成", "投用": "已完工并投入使用"}


def project_sentence(projects: list[Project], chooser: Chooser) -> str:
    """All of a section's projects in one sentence, each with its status wording."""
    clauses = [project_clause(project, chooser) for project in projects]
    if chooser.coin("project.intro"):
        evidence = passage_evidence(chooser.evidence or Evidence(), [], projects, 0)
        intro = chooser.pick_entry("project.intro", scope=Scope(evidence=evidence))
        if intro is not None:
            return f"{intro[1]}：{'；'.join(clauses)}。"
    return f"{'；'.join(clauses)}。"


#: a progress line that opens with these says the project's stage itself
_STAGE_IN_PROGRESS = ("建成", "竣工", "完工", "投用", "投入使用", "投产", "开工", "动工", "启动")


def project_clause(project: Project, chooser: Chooser) -> str:
    """One project: what was done for it, its name, investment and stage, its progress and effect."""
    kind = chooser.bank.lexicon.project_kind(project.name)
    amount = investment_amount(project)
    if amount is None and project.investment is not None:
        amount = placeholder("投资额" if "【" in project.name else f"{project.name}投资额")
    words = ""
    if project.stage and (project.stage != "在建" or not project.status):
        words = (_STAGE_WORDS_REPAIR.get(project.stage) if kind == "repair" else None) or _STAGE_WORDS[project.stage]
    if (project.status == "done" and amount and not words and project.investment is not None
            and project.investment.value is not None and chooser.coin(f"project|{project.name}")):
        # 投入193万元完成王家庄会坪社水毁道路维修: the figure leads, the verb fits the kind
        verb = "建成" if kind == "construction" else "完成"
        head = f"投入{amount}{verb}{project.name}"
    else:
        head = f"{project.name}（总投资{amount}）" if amount else project.name
        if words:
            head += words
        elif project.status and not (project.progress or "").lstrip("已").startswith(_STAGE_IN_PROGRESS):
            # the progress line that already says the stage (建成投用) is not told twice;
            # no status in the sheet: say nothing about progress rather than guess it;
            # a repair is 完成, not 建成: the wording follows the project's kind
            head += chooser.pick("project." + project.status, scope=Scope(project_kind=kind))
        elif not (amount or project.progress or project.measures or project.effect):
            # a name and nothing else is no sentence: the writer is asked for the progress
            head += placeholder("进展情况")
    progress = strip_end_punct(project.progress) if project.progress else ""
    if progress.lstrip("已").startswith(_STAGE_IN_PROGRESS) and not words and head.endswith("）"):
        head, progress = head + progress, ""  # 柑橘冷链物流中心（总投资1.5亿元）建成投用
    parts = [*(strip_end_punct(m) for m in project.measures), head]
    if progress:
        parts.append(progress)
    if project.effect:
        parts.append(strip_end_punct(project.effect))
    return "，".join(parts)


def strongest_items(sections: list[Section], count: int, spare: bool = False) -> list[tuple[Section, WorkItem]]:
    """The work items with the most figures (at most one a topic): the work a highlights
    draft leads with beside its indicators and honours."""
    # (``spare``: only items with a fact to spare, so that the body still tells something of them)
    scored = [(len(NUMBER.findall("".join(item.facts))), -i, j, section, item)
              for i, section in enumerate(sections) for j, item in enumerate(section.items)
              if len(item.facts) >= (2 if spare else 1)]
    scored.sort(key=lambda s: (-s[0], -s[1], s[2]))
    out: list[tuple[Section, WorkItem]] = []
    for figures, _, _, section, item in scored:
        if figures and all(section is not s for s, _ in out):
            out.append((section, item))
    return out[:count]


def join_clauses(texts: list[str], sep: str = "；") -> str:
    return sep.join(strip_end_punct(t) for t in texts if t)


def headline_fact(item: WorkItem) -> str:
    """The fact of an item with the most figures (the first of equals): what a highlight line
    shows, so that the body tells the rest and no figure is written twice."""
    return max(item.facts, key=lambda f: len(NUMBER.findall(f)), default="")


def item_sentence(item: WorkItem, shown: Collection[str] = ()) -> str:
    """An item as one sentence: what was done, the figures, the ranking, the effect (the facts
    a highlight line has ``shown`` already left out)."""
    parts = []
    if item.measures:
        parts.append("，".join(strip_end_punct(m) for m in item.measures))
    facts = [f for f in item.facts if f not in shown]
    if facts:
        parts.append("；".join(strip_end_punct(f) for f in facts))
    if item.rank and rank_key(item) not in shown:
        parts.append(rank_words(item.rank))
    if item.effect:
        parts.append(strip_end_punct(item.effect))
    if item.from_plan and not parts:  # a promise from last year's plan: its outcome is still to be written
        parts.append(placeholder("完成情况（去年工作打算中的这一条）"))
    return "，".join(parts) + ("。" if parts else "")


def numbered(texts: list[str]) -> str:
    """``一是…；二是…。`` for short items."""
    return "；".join(f"{chinese_numeral(i)}是{strip_end_punct(t)}" for i, t in enumerate(texts, 1)) + "。"
