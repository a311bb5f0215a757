"""Module mapping for instructors: the course's items with their rules in words, the rule
form read and checked, and a preview of how many learners each rule would move up."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..cache import MemoryCache
from ..domain.errors import InvalidInput
from ..domain.levels import competency_levels
from ..domain.rules import (
    Accepted,
    AllOf,
    AnyOf,
    Completed,
    Condition,
    EvidenceRule,
    ItemOutcome,
    ScoreAtLeast,
    condition_to_dict,
    outcomes_from_evidence,
)
from ..domain.taxonomy import Framework
from ..records import Course, LmsItem
from ..store.database import Database
from ..store.learner_context import LearnerContext
from ..store.repositories.courses import CourseRepository
from ..store.repositories.taxonomy import TaxonomyRepository
from ..store.repositories.tenant_scope import TenantScope
from .class_view import course_contexts
from .course_mapping import RuleInput

MAX_CONDITIONS = 3
CONDITION_TYPES = ("completed", "score", "accepted")
EPSILON = 1e-9
PREVIEWS_TTL = 600  # a bound on how long another process's unannounced change can lag


@dataclass(frozen=True)
class RulePreview:
    """A rule with how many of the course's learners it moves up (of how many)."""

    rule: EvidenceRule
    moves: int
    learners: int


@dataclass(frozen=True)
class CourseMapping:
    """The course's LMS items, their rules with previews, and the tenant's frameworks."""

    course: Course
    items: tuple[LmsItem, ...]
    rules: tuple[RulePreview, ...]
    frameworks: tuple[Framework, ...]
    learners: int

    def rules_of(self, item_id: int) -> list[RulePreview]:
        return [p for p in self.rules if p.rule.lms_item_id == str(item_id)]

    def item_title(self, item_id: str | None, own: str) -> str:
        wanted = own if item_id is None else item_id
        return next((i.title or i.lms_id for i in self.items if str(i.id) == wanted),
                    f"item {wanted}")


def moves_learner(context: LearnerContext, rule: EvidenceRule,
                  outcomes: Mapping[str, ItemOutcome] | None = None) -> bool:
    """The rule fires on the learner's evidence and the level without it is below the rule's.

    Only the rules of the same competency can give that level, so only they are applied;
    `outcomes` (the learner's per item) may be passed in when checking many rules.
    """
    found = outcomes if outcomes is not None else outcomes_from_evidence(context.evidence)
    if rule.fires_at(found) is None:
        return False
    others = [r for r in context.rules
              if r.id != rule.id and r.competency_id == rule.competency_id]
    levels = competency_levels(context.evidence, others, context.policies)
    return levels.get(rule.competency_id, 0.0) < rule.level - EPSILON


def count_moves(contexts: Sequence[LearnerContext], rule: EvidenceRule) -> int:
    return count_all_moves(contexts, [rule])[rule.id]


def count_all_moves(contexts: Sequence[LearnerContext], rules: Sequence[EvidenceRule]
                    ) -> dict[str, int]:
    """Per rule, how many of the learners it moves up (each learner's outcomes read once)."""
    moves = dict.fromkeys((rule.id for rule in rules), 0)
    for context in contexts:
        outcomes = outcomes_from_evidence(context.evidence)
        for rule in rules:
            moves[rule.id] += moves_learner(context, rule, outcomes)
    return moves


def load_mapping(database: Database, tenant_id: int, course_id: int,
                 memo: MemoryCache | None = None, version: Hashable | None = None
                 ) -> CourseMapping:
    """Items, rules (each with its preview) and frameworks of the tenant's course.

    The previews read every learner's evidence; with `memo` and the `version` of the
    catalogue and learner data, they are counted once per version and reused by the views
    after it, so a view costs a few small reads, not rules × learners.
    """
    key = f"rule-previews:{tenant_id}:{course_id}:{version}"
    counted = memo.get(key) if memo is not None and version is not None else None
    with database.session() as session:
        course = TenantScope(session, tenant_id).course(course_id)
        repo = CourseRepository(session)
        items, rules = repo.lms_items(course_id), repo.rules_for_course(course_id)
        frameworks = TaxonomyRepository(session).frameworks(tenant_id)
        if counted is None or any(rule.id not in counted[0] for rule in rules):
            _course, found = course_contexts(session, tenant_id, course_id)
            contexts = [context for _row, context in found]
            counted = (count_all_moves(contexts, rules), len(contexts))
            if memo is not None and version is not None:
                memo.set(key, counted, PREVIEWS_TTL)
    moves, learners = counted
    previews = tuple(RulePreview(rule, moves[rule.id], learners) for rule in rules)
    return CourseMapping(course, tuple(items), previews, tuple(frameworks), learners)


def preview_rule(database: Database, tenant_id: int, course_id: int,
                 rule: EvidenceRule) -> RulePreview:
    """How many learners a rule not saved yet would move up."""
    with database.session() as session:
        _course, found = course_contexts(session, tenant_id, course_id)
    contexts = [context for _row, context in found]
    return RulePreview(rule, count_moves(contexts, rule), len(contexts))


def rule_from_form(form: Mapping[str, str], mapping: CourseMapping) -> RuleInput:
    """The rule the add-rule form describes; InvalidInput with a message per field."""
    errors: dict[str, list[str]] = {}
    item = _choice(form.get("item", ""), {str(i.id) for i in mapping.items}, "item",
                   "Choose one of this course's items.", errors)
    competency = _choice(form.get("competency", ""), {
        c.id for f in mapping.frameworks for c in f.competencies}, "competency",
        "Choose a competency from your organisation's frameworks.", errors)
    level = _level(form.get("level", ""), competency, mapping.frameworks, errors)
    condition = _condition(form, {str(i.id) for i in mapping.items}, errors)
    if errors or item is None or competency is None or level is None or condition is None:
        raise InvalidInput("The rule was not saved: " + " ".join(
            message for messages in errors.values() for message in messages), errors)
    return RuleInput(int(item), int(competency), level, condition_to_dict(condition))


def _choice(value: str, allowed: set[str], field: str, message: str,
            errors: dict[str, list[str]]) -> str | None:
    if value not in allowed:
        errors[field] = [message]
        return None
    return value


def _level(value: str, competency_id: str | None, frameworks: Iterable[Framework],
           errors: dict[str, list[str]]) -> int | None:
    """A level of the competency's own scale (the form sends `framework_id:level`)."""
    framework_id, _, level = value.partition(":")
    if not level.isdigit():
        errors["level"] = ["Choose a level."]
        return None
    if competency_id is None:
        return None
    framework = next(f for f in frameworks if any(c.id == competency_id
                                                  for c in f.competencies))
    values = [lv.value for lv in framework.scale.levels]
    if framework_id != framework.id or int(level) not in values:
        errors["level"] = [f"Choose a level of the {framework.scale.name} scale, which "
                           f"{framework.name} uses."]
        return None
    return int(level)


def _condition(form: Mapping[str, str], items: set[str],
               errors: dict[str, list[str]]) -> Condition | None:
    """Up to three conditions joined by AND (`all`) or OR (`any`)."""
    parts: list[Condition] = []
    for n in range(1, MAX_CONDITIONS + 1):
        kind = form.get(f"cond_type_{n}", "")
        if not kind:
            continue
        part = _one_condition(n, kind, form, items, errors)
        if part is not None:
            parts.append(part)
    if not parts and not any(key.startswith("cond_") for key in errors):
        errors["conditions"] = ["Add at least one condition."]
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    combinator = form.get("combinator", "all")
    if combinator not in ("all", "any"):
        errors["combinator"] = ["Combine the conditions with AND or OR."]
        return None
    return (AllOf if combinator == "all" else AnyOf)(tuple(parts))


def _one_condition(n: int, kind: str, form: Mapping[str, str], items: set[str],
                   errors: dict[str, list[str]]) -> Condition | None:
    item = form.get(f"cond_item_{n}", "") or None
    if item is not None and item not in items:
        errors[f"cond_item_{n}"] = [f"Condition {n}: choose one of this course's items."]
        return None
    if kind == "completed":
        return Completed(item)
    if kind == "accepted":
        return Accepted(item)
    if kind != "score":
        errors[f"cond_type_{n}"] = [f"Condition {n}: choose completed, score or accepted."]
        return None
    try:
        percent = float(form.get(f"cond_percent_{n}", "").replace(",", "."))
    except ValueError:
        percent = -1.0
    if not 0 <= percent <= 100:
        errors[f"cond_percent_{n}"] = [f"Condition {n}: a score is a percentage from 0 to 100."]
        return None
    return ScoreAtLeast(percent, item)


# the words a rule is spelled out with; the mapping page passes its own language's words
RULE_WORDS_EN: Mapping[str, str] = {
    "and": "AND", "or": "OR", "score": "score ≥ {percent}", "completed": "completed",
    "accepted": "accepted", "unknown": "competency {competency}: level {level}"}


def condition_words(cond: Condition, own: str, mapping: CourseMapping,
                    percent: Callable[[float], str],
                    vocabulary: Mapping[str, str] = RULE_WORDS_EN) -> str:
    """`completed AND score ≥ 80 %`; a condition on another item names it in parentheses."""
    if isinstance(cond, AllOf | AnyOf):
        joiner = f" {vocabulary['and' if isinstance(cond, AllOf) else 'or']} "
        words = [condition_words(c, own, mapping, percent, vocabulary) for c in cond.conditions]
        nested = (f" {vocabulary['and']} ", f" {vocabulary['or']} ")
        return joiner.join(f"({w})" if any(j in w for j in nested) else w for w in words)
    if isinstance(cond, ScoreAtLeast):
        text = vocabulary["score"].format(percent=percent(cond.percent))
    else:
        text = vocabulary["completed" if isinstance(cond, Completed) else "accepted"]
    if cond.item_id is not None and cond.item_id != own:
        text += f" ({mapping.item_title(cond.item_id, own)})"
    return text


def rule_words(rule: EvidenceRule, mapping: CourseMapping,
               percent: Callable[[float], str],
               vocabulary: Mapping[str, str] = RULE_WORDS_EN) -> str:
    """`completed AND score ≥ 80 % → SQL querying: Meets expectations (2)`."""
    target = vocabulary["unknown"].format(competency=rule.competency_id, level=rule.level)
    for framework in mapping.frameworks:
        for competency in framework.competencies:
            if competency.id == rule.competency_id:
                label = framework.scale.label_for(rule.level)
                target = f"{competency.name}: {label} ({rule.level})"
    condition = condition_words(rule.condition, rule.lms_item_id, mapping, percent, vocabulary)
    return f"{condition} → {target}"
