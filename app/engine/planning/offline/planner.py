"""The offline planner: a question and its conversation -> a Plan, with no model in the loop.

Steps, in order: read the question (time, values, phrases, ranking, chart) ->
safety -> prediction tools -> follow-up edit of the previous query -> entity
counts -> a fresh semantic query -> clarification when no metric is found.
Indexes are built once in ``__init__``; planning a question takes milliseconds.
"""
from __future__ import annotations

import logging
import re
from dataclasses import replace

from app.engine.planning.offline import planner_support as support
from app.engine.planning.offline import shape
from app.engine.planning.offline.accounting import (
    compared_periods,
    listed_periods,
    listed_scores,
    nothing_to_rank,
    ratio_of_two_metrics,
    reading_notes,
    unapplied_negation,
    unsure_clarification,
    unused_comparison,
    unused_scores,
)
from app.engine.planning.offline.ambiguity import (
    ambiguous_values,
    clarify_ambiguous,
    settle_by_partner,
    settle_by_reach,
    settle_by_whole_name,
    settle_from_conversation,
)
from app.engine.planning.offline.budget import route_budget
from app.engine.planning.offline.campaign_choice import campaign_clarification
from app.engine.planning.offline.confidence import (
    ANSWER_THRESHOLD,
    PER_UNKNOWN_WORD,
    unexplained_words,
)
from app.engine.planning.offline.context import account_context_words, context_words
from app.engine.planning.offline.defaults import (
    counted_by_value,
    counted_dimension,
    counting_metric,
    people_metrics,
    row_count_metric,
    spend_metric,
)
from app.engine.planning.offline.dimensions import (
    by_name,
    compared_across_dimensions,
    compared_dimensions,
    find_groupings,
    flag_filters,
    type_grouping,
)
from app.engine.planning.offline.embedding import EmbeddingLoader, embedding_metric
from app.engine.planning.offline.followups import (
    dangling_reference,
    edit_query,
    looks_like_followup,
    previous_semantic,
    same_rows,
)
from app.engine.planning.offline.insights import route_change
from app.engine.planning.offline.lexicon import Lexicon
from app.engine.planning.offline.metrics import (
    MetricChoice,
    as_population,
    choose_metrics,
    clarify_family,
    context_filters,
    counted_retention,
    family_metrics,
    installs_as_cohort,
)
from app.engine.planning.offline.people import money_of_events, on_a_typical_day, people_doing
from app.engine.planning.offline.predicted import (
    asks_aggregate_of_predictions,
    prediction_choice,
    scored_columns,
)
from app.engine.planning.offline.predictions import (
    churn_without_prediction,
    route_prediction,
    unavailable_tools,
)
from app.engine.planning.offline.reach import (
    counted_through_facts,
    prune_unreachable,
    reachable,
    snapshot_date_filters,
    without_time_axis,
)
from app.engine.planning.offline.reading import read_question
from app.engine.planning.offline.refine import (
    flag_compared,
    narrower_by_word,
    rate_of_filtered,
    refine_metrics,
    siblings_by_value,
    siblings_together,
)
from app.engine.planning.offline.safety import check_safety, refuse_off_topic
from app.engine.planning.offline.shaping import shape_query
from app.engine.planning.offline.shares import share_query
from app.engine.planning.offline.thresholds import find_thresholds
from app.engine.planning.offline.unresolved import (
    clarify_compared_across,
    clarify_unresolved,
    find_unresolved_values,
)
from app.engine.planning.offline.vocabulary import word_set
from app.engine.planning.offline.words import COMPARE_CUE, COUNT_CUE, LIST_CUE, STOP_WORDS
from app.engine.planning.plan import (
    ClarificationPlan,
    Plan,
    PlanningContext,
    SemanticQueryPlan,
    SqlPlan,
    ToolCallPlan,
)
from semantic_layer import METRIC_TIME, Filter, SemanticQuery

log = logging.getLogger(__name__)
def _counted_plural(folded: str, match) -> bool:
    """ "share of campaigns": things counted are a plural noun, not a possessive ("the channel's")."""
    return folded[match.start:match.end].endswith("s") and not folded.startswith("'", match.end)


# "what fraction of its campaigns run on iOS": a share of the things counted
_SHARE_OF_THINGS = re.compile(r"\b(?:share|fraction|proportion|percentage|percent|pct|%)\s+of\s+"
                              r"(?:(?:our|the|all|its|their)\s+)*$")
_STARTED = re.compile(r"\b(?:start\w*|launch\w*|new|created|began|begun|added|went\s+live|kicked\s+off)\b")
_POPULAR = re.compile(r"\b(?:popular|common|frequent|used|often|widespread)\b")
# "distinct device model count per platform": the count named after the attribute
_COUNTED_AFTER = re.compile(r"\s*(?:count|counts|number|total)\b")
# "distinct OS versions per platform": a count per group (alone, "unique device models" may be a list)
_LEADING_DISTINCT = re.compile(r"\s*(?:the\s+)?(?:distinct|unique|different)\s+")
_PER_GROUP = re.compile(r"\s*(?:per|by|for\s+each|in\s+each|across)\s+")
# "how many campaigns spent money": a verb after the counted things, not a noun they modify
_METRIC_VERB = re.compile(r"(?:spent|spend|spending|made|earned|generated|brought|paid|drove|got)\b")
_DISTINCT_BEFORE = re.compile(r"\b(?:distinct|unique|different)\s+$")
_ASKED_LAST = re.compile(r"[-,:;]\s*(?:so\s+)?(?:how\s+many|what\s+number|the\s+count)"
                         r"(?:\s+(?:are\s+there|of\s+them|in\s+total|total))?\s*[?.!]*\s*$")


class OfflinePlanner:
    """``plan(question, context) -> Plan``.

    ``values``: a ValueResolver (default: built from ``warehouse`` when given -- it also fetches
    campaign names -- else from ``schema``). ``embedder``: None uses the shared MiniLM, an Embedder
    uses that one, False disables the embedding fallback. The model loads when a question first
    needs it, or at once in a background thread with ``warm_embeddings=True`` (servers).
    """

    def __init__(self, model, schema=None, *, values=None, warehouse=None, embedder=None,
                 warm_embeddings: bool = False, answer_threshold: float = ANSWER_THRESHOLD):
        """``answer_threshold``: a plan less sure than this is not answered; the reply says what was
        understood and what was not (docs/offline-planner.md, "Account for every word")."""
        self.model = model
        self.answer_threshold = answer_threshold
        self.values = values if values is not None else support.value_resolver(model, schema, warehouse)
        # a value's own spelling ("purchases": the event) is never "corrected" into a metric word
        protected = STOP_WORDS | word_set("everyday_words") | support.protected_value_words(self.values)
        self.lexicon = Lexicon.from_model(model, protected=protected)
        self.embeddings = EmbeddingLoader(embedder, model, background=warm_embeddings)
        # tools this warehouse cannot feed (predictors on data not shaped like the demo's)
        self.unavailable_tools = unavailable_tools(warehouse.schema() if warehouse is not None else schema)

    def plan(self, question: str, context: PlanningContext) -> Plan:
        reading = read_question(question, context.as_of, self.values, self.lexicon)
        support.years_of_attributes(reading, self.model, context.as_of)  # "planes built before 1990"
        plan = self._plan(reading, context)
        answerable = isinstance(plan, (SemanticQueryPlan, SqlPlan, ToolCallPlan))
        if answerable:
            plan = listed_periods(plan, reading, self.model)  # "spend in April vs May vs June"
        if answerable and unused_comparison(plan, reading) is not None:
            plan = compared_periods(plan, reading, self.model)  # "installs in January vs June"
        # a negation the plan did not apply, ranking words with nothing to rank: each costs like an
        # unexplained word and is named in the clarification (docs/offline-planner.md)
        for check, said in ((unapplied_negation, "I could not apply the negation (“{}”)"),
                            (nothing_to_rank, "I could not tell what to rank by “{}”"),
                            (unused_comparison, "I could not compare {}")):
            found = check(plan, reading) if answerable else None
            if found is not None and plan.confidence >= self.answer_threshold:
                reading.dropped += (said.format(found),)
                plan = plan.model_copy(update={"confidence": round(plan.confidence - PER_UNKNOWN_WORD, 3)})
        if answerable and plan.confidence < self.answer_threshold:
            return unsure_clarification(plan, reading, self.model, reading.dropped)
        return plan.model_copy(update={"notes": reading.notes}) if answerable and reading.notes else plan

    def _plan(self, reading, context: PlanningContext) -> Plan:
        groupings = find_groupings(
            reading.folded, reading.matches, reading.value_spans, reading.value_filters
        )
        scored = scored_columns(self.model)
        groupings = [g for g in groupings if g.dimension not in scored]  # scores are filtered or averaged
        support.included_values(reading, {g.dimension for g in groupings})
        used = {g.span for g in groupings}
        choice = choose_metrics(reading.matches, used, reading.folded, self.model)
        refusal = check_safety(reading.folded)
        if refusal is not None:
            return refusal
        budget = route_budget(reading, self.model, self.unavailable_tools)
        if budget is not None:  # "how should I move budget from Facebook to TikTok?" (docs/models.md)
            return budget
        reading.thresholds = find_thresholds(reading, self.model) + list(reading.year_thresholds)
        named_columns = [t.name_span for t in reading.thresholds if t.name_span]
        if any(m.reading("metric") and any(s <= m.start and m.end <= e for s, e in named_columns)
               for m in reading.matches):  # "the click to install took over an hour": the column's name
            reading.matches = [m for m in reading.matches if not any(s <= m.start and m.end <= e
                                                                     for s, e in named_columns)]
            choice = choose_metrics(reading.matches, used, reading.folded, self.model)
        if asks_aggregate_of_predictions(reading, self.model, choice, reading.thresholds):
            choice = prediction_choice(reading, self.model, choice)
        else:
            limit = reading.ranking.limit if reading.ranking else None
            tool = route_prediction(reading, shape.time_axis(reading)[0], limit, self.unavailable_tools)
            if tool is not None:
                return tool
        change = route_change(reading, choice, self.model, context.as_of, self.unavailable_tools, groupings,
                              context.previous_plans)
        if change is not None:  # "why did installs drop on June 16?" (docs/insights.md)
            return change
        churn = churn_without_prediction(reading.folded, self.unavailable_tools) if not choice.names else None
        if churn is not None:
            return churn
        off_topic = refuse_off_topic(reading.folded, bool(choice.names), self.model)
        if off_topic is not None:
            return off_topic
        ambiguous = ambiguous_values(reading)
        if ambiguous:
            ambiguous = settle_by_partner(reading, ambiguous)
            ambiguous = settle_by_reach(reading, ambiguous,
                                        lambda dimension: reachable(self.model, choice.names, dimension))
            ambiguous = settle_by_whole_name(reading, ambiguous, self.model)
        if ambiguous:
            notes = settle_from_conversation(reading, ambiguous, context.previous_plans)
            if notes is None:
                return clarify_ambiguous(ambiguous[0], reading.text)
            reading.notes += tuple(notes)
        across = compared_across_dimensions(reading.folded, reading.value_filters)
        if across is not None:  # "JFK vs Newark": a code and a name, no one attribute holds both
            return clarify_compared_across(across, self.model)
        unresolved = find_unresolved_values(reading, self.values, {g.dimension for g in groupings},
                                            self.lexicon.vocabulary)
        if unresolved:  # a filter the data cannot apply must not silently vanish from the plan
            return clarify_unresolved(unresolved)
        previous = previous_semantic(context.previous_plans)
        if previous is not None and looks_like_followup(reading, bool(choice.names)):
            return self._followup(previous, reading, choice, groupings)
        dangling = dangling_reference(reading) if previous is None else None
        if dangling is not None:  # "how many of those were cancelled?" with no answer before it
            return ClarificationPlan(
                question=(f"I have no earlier answer that “{dangling}” could refer to. Please ask the whole "
                          "question, with what you mean by it (for example the flights, users or campaigns "
                          "and their period)."),
                confidence=0.2, rationale=f"offline: “{dangling}” refers to nothing answered before")
        return self._fresh(reading, choice, groupings, context)

    # --- fresh questions ---------------------------------------------------------------------
    def _fresh(self, reading, choice: MetricChoice, groupings, context) -> Plan:
        counted = self._counted_entity(reading, groupings, choice)
        if counted is not None:
            return counted
        compared = [g for g in compared_dimensions(reading.folded, reading.value_filters)
                    if g.dimension not in {x.dimension for x in groupings}]
        groupings = groupings + compared
        choice = self._complete_choice(reading, choice, groupings)
        typed = type_grouping(reading.folded, choice.names, self.model) if not groupings else None
        if typed is not None:
            groupings = [typed]
            reading.consume(typed.span)
        listing = groupings and LIST_CUE.search(reading.folded) and reading.ranking is None
        if not choice.names and not listing:
            return self._clarify(reading, context)
        return self._semantic_plan(reading, choice, groupings, bool(compared))

    def _semantic_plan(self, reading, choice: MetricChoice, groupings, compared: bool) -> Plan:
        filters = shape.value_filters_to_filters(reading.value_filters, self.model)
        filters += [f for f in self._implied_filters(reading, choice, groupings) if f not in filters]
        time_range, grain = shape.time_axis(reading)
        dims = tuple(dict.fromkeys(((METRIC_TIME,) if grain else ()) + tuple(g.dimension for g in groupings)))
        dims = by_name(dims, reading, self.model)
        metrics, filters, dims = support.value_split(
            refine_metrics(choice.names, reading.folded, self.model, choice.named),
            filters,
            dims,
            self.model,
            bool(COMPARE_CUE.search(reading.folded)),
        )
        metrics, carried = people_doing(metrics, reading, self.model)
        filters = tuple(filters) + tuple(f for f in carried if f not in filters)
        metrics, carried = money_of_events(metrics, reading, self.model)
        filters = tuple(filters) + tuple(f for f in carried if f not in filters)
        metrics = on_a_typical_day(metrics, reading, self.model)
        metrics = counted_retention(metrics, reading.folded, self.model)
        metrics, filters = narrower_by_word(metrics, filters, reading, self.model)
        metrics, filters = siblings_by_value(metrics, filters, self.model)  # "paid and organic installs"
        metrics = siblings_together(metrics, reading, self.model)  # "installs (paid + organic)"
        metrics, dims = support.siblings_as_rows(metrics, dims, self.model, reading.folded)
        metrics, filters, dims = flag_compared(metrics, filters, dims, reading, self.model)
        if (set(metrics) - set(choice.names)) & set(people_metrics(self.model)):
            choice = replace(choice, names=metrics)  # counted people: confidence reads these
        metrics, filters = rate_of_filtered(metrics, filters, reading.folded, self.model)
        metrics = counted_through_facts(self.model, metrics, dims, filters)
        # "top 5 destinations by cancellation rate": the word that groups is not also a count (1 per group)
        redundant = [m for m in metrics if counted_dimension(self.model, m) in dims]
        if redundant and len(redundant) < len(metrics):
            metrics = tuple(m for m in metrics if m not in redundant)
        dims, filters, grain, dropped = self._fit(metrics, dims, filters, grain, reading)
        if metrics and without_time_axis(metrics, self.model) and _STARTED.search(reading.folded):
            filters, time_range = (
                filters + tuple(snapshot_date_filters(self.model, metrics, time_range)),
                None,
            )
        snapshot = (metrics and time_range is not None and without_time_axis(metrics, self.model)
                    and not support.cohort_cue(reading.folded))
        words = [reading.folded[g.span[0]:g.span[1]] for g in groupings]
        order_by, limit = shape.order_and_limit(reading, metrics, dims, words)
        query = SemanticQuery(metrics=metrics, dimensions=dims, filters=filters, time_range=time_range,
                              grain=grain, order_by=order_by, limit=limit)
        query = shape_query(query, reading, groupings, self.model)
        if snapshot and not query.count_groups:
            # a snapshot (campaign count, predictions) has no date: the period would be ignored silently
            reading.dropped += ((f"{support.words(metrics)} has no dates, so the period {time_range[0]} to "
                                f"{time_range[1]} cannot be applied"),)
        account_context_words(reading, query, self.model)
        query = listed_scores(reading, query, self.model)
        reading.dropped += unused_scores(reading, query, self.model) + ratio_of_two_metrics(reading, query)
        if choice.source == "family" and len(query.metrics) > 1:
            return clarify_family(choice, reading, self.model)  # "retention" with no day, "conversions"
        one_campaign = campaign_clarification(reading, query, self.values)  # "the US campaign": which?
        if one_campaign is not None:
            return one_campaign
        reading.notes += reading_notes(choice, query, reading, self.model)
        intent = (
            "share" if query.share else shape.intent_for(query.metrics, query.dimensions, reading, compared)
        )
        source = choice.source if metrics else "list"
        return SemanticQueryPlan(
            query=query, intent=intent, chart=reading.chart,
            compare_previous=bool(metrics) and not query.dimensions and query.time_range is not None
            and query.cohort is None and query.share is None and query.per_period is None,
            confidence=support.confidence(source, reading, choice, dropped, query.metrics),
            rationale=f"offline: metrics {', '.join(metrics) or '-'} ({source}); by {', '.join(dims) or '-'}")

    def _fit(self, metrics, dims, filters, grain, reading):
        """Drop what the metrics cannot be grouped or filtered by; (dims, filters, grain, dropped).
        What was dropped is named on the reading, so an unsure plan's reply can say it."""
        if METRIC_TIME in dims and without_time_axis(metrics, self.model):
            dims, grain = tuple(d for d in dims if d != METRIC_TIME), None
        kept_dims, kept_filters, dropped = prune_unreachable(self.model, metrics, tuple(dims), tuple(filters))
        # a value word the metric's own context explains was a misreading ("paid back" for ROAS)
        context = context_words(SemanticQuery(metrics=metrics), self.model)
        misread = [f for f in filters if f not in kept_filters and support.value_words(f) <= context]
        lost = [d.replace("_", " ") for d in dims if d not in kept_dims]
        lost += [f.to_text() for f in filters if f not in kept_filters and f not in misread]
        if lost:
            reading.dropped += (f"{', '.join(lost)} cannot be applied to {support.words(metrics)}",)
        return kept_dims, kept_filters, grain if METRIC_TIME in kept_dims else None, dropped - len(misread)

    def _complete_choice(self, reading, choice: MetricChoice, groupings) -> MetricChoice:
        """A metric when none was named: an event filter counts events, "retention" shows D1/D7/D30."""
        cohort = installs_as_cohort(choice, reading.folded, self.model)
        family = (
            family_metrics(reading.folded, self.model)
            if choice.source in ("none", "weak") or cohort
            else None
        )
        if family is not None and not _inside_longer_name(family.spans[0], reading):
            reading.consume(*family.spans)
            return family
        listed = family_metrics(reading.folded, self.model) if choice.names else None
        if listed is not None and not any(n in choice.names for n in listed.names) \
                and not _inside_longer_name(listed.spans[0], reading):
            reading.consume(*listed.spans)  # "installs and retention by country": both are shown
            return replace(choice, names=choice.names + listed.names)
        if choice.names:
            return choice
        dims = {f.dimension for f in reading.value_filters}
        spend = spend_metric(self.model, reading.lower_is_better)
        if reading.ranking is not None and reading.ranking.sense == "dear" and spend:
            return MetricChoice((spend,), (), "inferred")  # "the most expensive campaigns"
        # a value alone names what to count ("purchases": events named purchase)
        counted = [row_count_metric(self.model, d) for d in dims if d in counted_by_value(self.model)]
        if counted and counted[0]:  # "purchases last month": events whose name is purchase
            return MetricChoice((counted[0],), (), "inferred")
        if groupings and LIST_CUE.search(reading.folded) and reading.ranking is None:
            return choice  # "list iOS campaigns": a dimension-only query
        if groupings and _POPULAR.search(reading.folded):  # "most popular event": counted rows
            name = row_count_metric(self.model, groupings[0].dimension)
            if name:
                return MetricChoice((name,), (), "inferred")
        return (
            embedding_metric(self.embeddings.get(), " ".join(unexplained_words(reading.leftover_words())))
            or choice
        )

    def _counted_entity(self, reading, groupings, choice: MetricChoice) -> Plan | None:
        """ "how many countries do we run in" -> a distinct count (campaigns have their own metric).
        "how many device models do Android installs come from": the count comes first, the metric
        named after it describes the population."""
        for match in reading.matches:
            name = match.reading("dimension")
            before = support.without(reading.folded[:match.start], reading.value_spans)
            named_before = choice.names and any(s < match.start for s, _ in choice.spans)
            modifies = any(m.reading("metric") and 0 <= m.start - match.end <= 1
                           and not _METRIC_VERB.match(reading.folded, m.start) for m in reading.matches)
            if name and (match.reading("metric") or named_before or modifies):
                # "number of events" is the metric; "how many video channel installs" counts installs
                continue
            counted_after = _COUNTED_AFTER.match(reading.folded, match.end) or (
                _LEADING_DISTINCT.fullmatch(before) and _PER_GROUP.match(reading.folded, match.end)) or (
                _ASKED_LAST.search(reading.folded, match.end))  # "distinct OS versions ... - how many?"
            if name and (COUNT_CUE.search(before) or counted_after and _DISTINCT_BEFORE.search(before)
                         or _SHARE_OF_THINGS.search(before) and _counted_plural(reading.folded, match)):
                reading.consume(match.span)
                counting = counting_metric(self.model, name)
                if counting:  # "how many campaigns": the model's own count of them
                    rest = [g for g in groupings if g.dimension != name]
                    return self._semantic_plan(
                        reading, MetricChoice((counting,), (match.span,), "count"), rest, False
                    )
                rest = [
                    g for g in groupings if g.dimension != name and g.cued
                ]  # "per platform", not "campaigns"
                choice = MetricChoice((f"count_distinct:{name}",), (match.span,), "count")
                return self._semantic_plan(reading, choice, rest, False)
        return None

    # --- follow-ups ---------------------------------------------------------------------------
    def _followup(self, previous, reading, choice: MetricChoice, groupings) -> Plan:
        compared = [vf.dimension for vf in reading.value_filters if COMPARE_CUE.search(reading.folded)]
        choice = as_population(choice, reading.folded)
        family = family_metrics(reading.folded, self.model) if choice.source in ("none", "weak") else None
        if family is not None:
            reading.consume(*family.spans)
        named = (
            family.names if family else refine_metrics(choice.names, reading.folded, self.model, choice.named)
        )
        fields = edit_query(previous, reading, named, groupings, compared, self.model)
        metrics = fields["metrics"]
        filters = fields["filters"] + tuple(self._implied_filters(reading, choice, groupings))
        dims, filters, fields["grain"], dropped = self._fit(
            metrics, fields["dimensions"], filters, fields["grain"], reading
        )
        kept = same_rows(previous.query, metrics, reading)
        if kept is not None:  # "what's the ROAS for those 5?": the previous top 5, with the new metric
            metrics, (order_by, limit) = kept, (previous.query.order_by, previous.query.limit)
        elif reading.ranking is not None or any(o.field not in metrics for o in previous.query.order_by):
            words = [reading.folded[g.span[0]:g.span[1]] for g in groupings]
            order_by, limit = shape.order_and_limit(reading, metrics, dims, words)
            limit = limit if reading.ranking is not None else previous.query.limit
        elif METRIC_TIME in dims and METRIC_TIME not in previous.query.dimensions:
            order_by, limit = (), None  # now a series: in time order, every period
        else:
            order_by, limit = previous.query.order_by, previous.query.limit
        grain = fields["grain"] if METRIC_TIME in dims else None
        query = SemanticQuery(
            metrics=metrics,
            dimensions=dims,
            filters=filters,
            time_range=fields["time_range"],
            grain=grain,
            order_by=order_by,
            limit=limit,
            # "split that by platform" after "revenue of the February installers": same people;
            # "same for June but per media source" after an average per day: still the average
            cohort=previous.query.cohort if metrics == previous.query.metrics else None,
            per_period=(previous.query.per_period if (metrics, grain) == (previous.query.metrics, None)
                        else None),
        )
        query = share_query(query, reading, self.model)  # "as a percentage of the total?"
        account_context_words(reading, query, self.model)
        intent = (
            shape.intent_for(metrics, dims, reading, bool(compared))
            if dims != previous.query.dimensions or compared
            else previous.intent
        )
        intent = "share" if query.share else intent
        chart = reading.chart or (previous.chart if not support.changed_shape(previous, dims) else None)
        if query == previous.query and chart == previous.chart:
            return self._clarify(reading, None)  # nothing in the turn changes the previous answer
        return SemanticQueryPlan(
            query=query, intent=intent, chart=chart,
            compare_previous=bool(metrics) and not dims and query.time_range is not None,
            confidence=support.confidence("followup", reading, choice, dropped),
            rationale="offline: follow-up edit of the previous query")

    def _implied_filters(self, reading, choice: MetricChoice, groupings) -> list[Filter]:
        """Filters the words imply besides values: "fraudulent traffic", "revenue from organic installs"."""
        found = [Filter(dimension=name, op="=", values=(value,))
                 for name, value in flag_filters(reading.folded, reading.matches, groupings)]
        found += [f for f in self._values_in_phrases(reading) if f not in found]
        return found + [f for f in context_filters(choice, self.model) if f not in found]

    def _values_in_phrases(self, reading) -> list[Filter]:
        """A dimension phrase that names a value of another dimension: "iOS versions" are OS versions
        of iOS installs."""
        if self.values is None:
            return []
        found = []
        for match in reading.matches:
            dimension = match.reading("dimension")
            if dimension is None or match.reading("metric"):
                continue
            for value in self.values.find(reading.text[match.start:match.end]):
                if value.dimension != dimension and value.source in ("exact", "alias") and not value.negated:
                    found.append(Filter(dimension=value.dimension, op="=", values=(value.value,)))
        return found

    # --- clarification ------------------------------------------------------------------------
    def _clarify(self, reading, context) -> Plan:
        if (
            reading.value_filters
            or reading.time.range is not None
            or looks_like_followup(reading, False)
            and any(w in reading.folded.split() for w in ("it", "that", "same", "those", "this"))
        ):
            question = "What should I show for that? Name a metric, for example {}."
        else:
            question = "Which metric do you mean? For example {}."
        # the model's favourites (vocabulary.suggested), else its own first metrics
        suggested = self.model.spec.vocabulary.suggested
        options = tuple(m for m in suggested if m in self.model.metrics) or tuple(self.model.metrics)[:5]
        examples = ", ".join(m.replace("_", " ") for m in options[:5]) or "a metric of the catalog"
        question = question.format(examples)
        return ClarificationPlan(question=question, options=options, confidence=0.5,
                                 rationale="offline: no metric could be determined")


def _inside_longer_name(span: tuple[int, int], reading) -> bool:
    """ "conversion probability": the ambiguous word "conversion" is part of a longer name the
    question matched (a dimension or metric synonym), so it does not name a family of its own."""
    start, end = span
    return any(m.span[0] <= start and end <= m.span[1] and m.span[1] - m.span[0] > end - start
               for m in reading.matches)
