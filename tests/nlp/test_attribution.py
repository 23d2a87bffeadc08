"""kgraph.nlp.attribution: who says so, on hand-parsed docs (unit) and on the seed corpus (e2e)."""
from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc, Span

from kgraph.nlp.attribution import Attribution
from kgraph.nlp.coref import REFERENCES_KEY
from kgraph.nlp.mentions import MENTIONS_KEY

VOCAB = spacy.blank("en").vocab


def _doc(words, heads, deps, lemmas, mentions, pos=None):
    """A parsed doc with named mentions ``(start, end, cluster)`` in doc.spans."""
    doc = Doc(VOCAB, words=words, heads=heads, deps=deps, lemmas=lemmas,
              pos=pos or ["VERB" if d in ("ROOT", "ccomp", "parataxis") else "NOUN" for d in deps],
              sent_starts=[True] + [False] * (len(words) - 1))
    doc.spans[MENTIONS_KEY] = [Span(doc, s, e, span_id=str(c)) for s, e, c in mentions]
    doc.spans[REFERENCES_KEY] = []
    return doc


def _relation(trigger, subject=1, obj=0, **extra):
    return {"subject": subject, "predicate": "expelledFrom", "object": obj, "sent_start": 0, "sent_end": 0,
            "start": 0, "end": 1, "rule": "any", "confidence": 0.9, "trigger": trigger, **extra}


@pytest.fixture(scope="module")
def attribution():
    return Attribution(None, "kgraph_attribution")


def _run(attribution, doc, rel):
    doc._.kgraph_relations = [rel]
    attribution(doc)
    return rel["assertion"]


def test_attribution_plain_statement_is_stated(attribution):
    # "Otan expelled Altaev"
    doc = _doc(["Otan", "expelled", "Altaev"], [1, 1, 1], ["nsubj", "ROOT", "dobj"], ["otan", "expel", "altaev"],
               [(0, 1, 0), (2, 3, 1)])
    assert _run(attribution, doc, _relation(1)) == {"mode": "stated", "source": None, "cue": None}


def test_attribution_reported_speech_names_the_speaker(attribution):
    # "Otan said that it expelled Altaev": the relation is Otan's word
    words = ["Otan", "said", "that", "it", "expelled", "Altaev"]
    doc = _doc(words, [1, 1, 4, 4, 1, 4], ["nsubj", "ROOT", "mark", "nsubj", "ccomp", "dobj"],
               ["otan", "say", "that", "it", "expel", "altaev"], [(0, 1, 0), (5, 6, 1)])
    assert _run(attribution, doc, _relation(4)) == {"mode": "reported", "source": 0, "cue": "said"}


def test_attribution_speaker_that_is_no_entity_gives_no_source(attribution):
    # "Officials told reporters Otan expelled Altaev"
    words = ["Officials", "told", "reporters", "Otan", "expelled", "Altaev"]
    doc = _doc(words, [1, 1, 1, 4, 1, 4], ["nsubj", "ROOT", "dobj", "nsubj", "ccomp", "dobj"],
               ["official", "tell", "reporter", "otan", "expel", "altaev"], [(3, 4, 0), (5, 6, 1)])
    assert _run(attribution, doc, _relation(4)) == {"mode": "reported", "source": None, "cue": "told"}


def test_attribution_according_to(attribution):
    # "According to Otan, Altaev was expelled"
    words = ["According", "to", "Otan", ",", "Altaev", "was", "expelled"]
    doc = _doc(words, [6, 0, 1, 6, 6, 6, 6], ["prep", "prep", "pobj", "punct", "nsubjpass", "auxpass", "ROOT"],
               ["accord", "to", "otan", ",", "altaev", "be", "expel"], [(2, 3, 0), (4, 5, 1)])
    assert _run(attribution, doc, _relation(6)) == {"mode": "reported", "source": 0, "cue": "according to"}


@pytest.mark.parametrize("verb, lemma", [("alleged", "allege"), ("claimed", "claim")])
def test_attribution_allegation(attribution, verb, lemma):
    # "Kuzmin alleged that Otan expelled Altaev"
    words = ["Kuzmin", verb, "that", "Otan", "expelled", "Altaev"]
    doc = _doc(words, [1, 1, 4, 4, 1, 4], ["nsubj", "ROOT", "mark", "nsubj", "ccomp", "dobj"],
               ["kuzmin", lemma, "that", "otan", "expel", "altaev"], [(0, 1, 2), (3, 4, 0), (5, 6, 1)])
    assert _run(attribution, doc, _relation(4)) == {"mode": "alleged", "source": 2, "cue": verb}


def test_attribution_allegedly_modifier(attribution):
    # "Otan allegedly expelled Altaev"
    words = ["Otan", "allegedly", "expelled", "Altaev"]
    doc = _doc(words, [2, 2, 2, 2], ["nsubj", "advmod", "ROOT", "dobj"], ["otan", "allegedly", "expel", "altaev"],
               [(0, 1, 0), (3, 4, 1)])
    assert _run(attribution, doc, _relation(2)) == {"mode": "alleged", "source": None, "cue": "allegedly"}


def test_attribution_speaker_description_is_the_articles_own(attribution):
    # "Otan leader Kuzmin said he was tired": "leader" is the article's description of the speaker
    words = ["Otan", "leader", "Kuzmin", "said", "he", "was", "tired"]
    doc = _doc(words, [1, 2, 3, 3, 5, 3, 5], ["compound", "compound", "nsubj", "ROOT", "nsubj", "ccomp", "acomp"],
               ["otan", "leader", "kuzmin", "say", "he", "be", "tired"], [(0, 1, 0), (2, 3, 2)])
    rel = _relation(1, subject=2, obj=0)
    assert _run(attribution, doc, rel)["mode"] == "stated"


def test_attribution_relative_clause_has_its_own_voice(attribution):
    # "Altaev, who Otan expelled, said nothing"
    words = ["Altaev", ",", "who", "Otan", "expelled", ",", "said", "nothing"]
    doc = _doc(words, [6, 0, 4, 4, 0, 0, 6, 6], ["nsubj", "punct", "dobj", "nsubj", "relcl", "punct", "ROOT", "dobj"],
               ["altaev", ",", "who", "otan", "expel", ",", "say", "nothing"], [(0, 1, 1), (3, 4, 0)])
    assert _run(attribution, doc, _relation(4))["mode"] == "stated"


def test_attribution_negated_relation_is_a_denial_by_the_denier(attribution):
    # "Otan denied that it expelled Altaev" (kgraph_relations marks it negated)
    words = ["Otan", "denied", "that", "it", "expelled", "Altaev"]
    doc = _doc(words, [1, 1, 4, 4, 1, 4], ["nsubj", "ROOT", "mark", "nsubj", "ccomp", "dobj"],
               ["otan", "deny", "that", "it", "expel", "altaev"], [(0, 1, 0), (5, 6, 1)])
    assert _run(attribution, doc, _relation(4, negated=True)) == {"mode": "denied", "source": 0, "cue": "denied"}


def test_attribution_negated_without_denial_verb_uses_the_negation(attribution):
    # "Otan did not expel Altaev"
    words = ["Otan", "did", "not", "expel", "Altaev"]
    doc = _doc(words, [3, 3, 3, 3, 3], ["nsubj", "aux", "neg", "ROOT", "dobj"], ["otan", "do", "not", "expel", "altaev"],
               [(0, 1, 0), (4, 5, 1)])
    assert _run(attribution, doc, _relation(3, negated=True)) == {"mode": "denied", "source": None, "cue": "not"}


def test_attribution_cue_words_come_from_the_lexicon():
    from kgraph.nlp.lexicon import load_lexicon

    words = load_lexicon("attribution")
    assert {"say", "tell", "announce"} <= words["reporting_verbs"]
    assert {"allege", "claim", "accuse"} <= words["allegation_verbs"]
    assert "deny" in words["denial_verbs"]


# -- end to end: the real model on the seed corpus ---------------------------------------------
@pytest.mark.e2e
def test_attribution_seed_expulsion_is_asserted_by_nur_otan(real_nlp, corpus_dir):
    from kgraph.corpus import read_articles
    from kgraph.nlp import analyze_articles

    analyses = list(analyze_articles(read_articles(corpus_dir), real_nlp))
    found = []
    for analysis in analyses:
        names = {e.index: e.name for e in analysis.entities}
        for r in analysis.relations:
            assertion = r.qualifiers["assertion"]
            assert assertion["mode"] in ("stated", "reported", "alleged", "denied")
            if r.predicate == "expelledFrom":
                found.append((names[r.subject], names[r.object], assertion["mode"], names.get(assertion["source"])))
    assert ("Nurzhan Altaev", "Nur Otan", "reported", "Nur Otan") in found
    # the leaders named as "OSDP leader X said ..." are stated by the article, not by themselves
    stated = [(names[r.subject], r.predicate) for a in analyses for names in [{e.index: e.name for e in a.entities}]
              for r in a.relations if r.qualifiers["assertion"]["mode"] == "stated"]
    assert ("Askhat Rakhimzhanov", "leads") in stated


@pytest.mark.e2e
def test_attribution_seed_claims_query_and_rdf(seed_kg):
    from kgraph.rdf.queries import named_query

    rows = seed_kg.claims(source="Nur Otan", dataframe=False)
    assert len(seed_kg.claims(dataframe=False)) > len(rows)
    assert any(r["subjectLabel"] == "Nurzhan Altaev" and r["relation"] == "expelledFrom" and r["mode"] == "reported"
               and r["cue"] == "said" for r in rows)
    assert all(r["sourceLabel"] == "Nur Otan" for r in rows)
    # the expulsion is asserted by the party and by its control committee's chief ("said that
    # Altaev was expelled"): it is asserted by more than one side
    sources = {r["sourceLabel"] for r in seed_kg.claims(dataframe=False)
               if r["subjectLabel"] == "Nurzhan Altaev" and r["relation"] == "expelledFrom"}
    assert {"Nur Otan", "Pavel Kazantsev"} <= sources
    assert seed_kg.query(named_query("asserted-only-by", source="Nur Otan"), dataframe=False) == []
    assert seed_kg.query("""ASK { ?f a kg:Fact ; rdf:predicate kg:expelledFrom ; kg:assertedBy ?otan ;
                                     prov:wasAttributedTo ?otan . ?otan rdfs:label "Nur Otan" }""")


def test_attribution_accused_object_is_not_the_allegation(attribution):
    # "Kuzmin accused the Otan leader of fraud": the leadership is the article's description
    words = ["Kuzmin", "accused", "the", "Otan", "leader", "of", "fraud"]
    doc = _doc(words, [1, 1, 4, 4, 1, 1, 5], ["nsubj", "ROOT", "det", "compound", "dobj", "prep", "pobj"],
               ["kuzmin", "accuse", "the", "otan", "leader", "of", "fraud"], [(0, 1, 2), (3, 4, 0)])
    assert _run(attribution, doc, _relation(4, subject=2, obj=0))["mode"] == "stated"


def test_attribution_announced_object_is_the_speakers_word(attribution):
    # "Otan announced a boycott of the vote"
    words = ["Otan", "announced", "a", "boycott", "of", "the", "vote"]
    doc = _doc(words, [1, 1, 3, 1, 3, 6, 4], ["nsubj", "ROOT", "det", "dobj", "prep", "det", "pobj"],
               ["otan", "announce", "a", "boycott", "of", "the", "vote"], [(0, 1, 0), (6, 7, 1)])
    assert _run(attribution, doc, _relation(3, subject=0, obj=1)) == {"mode": "reported", "source": 0, "cue": "announced"}


def test_attribution_relation_inside_the_according_phrase_is_stated(attribution):
    # "According to the Otan leader, the vote was rigged": the leader is the source
    words = ["According", "to", "the", "Otan", "leader", ",", "the", "vote", "was", "rigged"]
    doc = _doc(words, [9, 0, 4, 4, 1, 9, 7, 9, 9, 9],
               ["prep", "prep", "det", "compound", "pobj", "punct", "det", "nsubjpass", "auxpass", "ROOT"],
               ["accord", "to", "the", "otan", "leader", ",", "the", "vote", "be", "rig"], [(3, 4, 0)])
    assert _run(attribution, doc, _relation(4, subject=2, obj=0))["mode"] == "stated"


@pytest.mark.e2e
def test_attribution_seed_claims_from_the_cli(seed_store):
    import csv
    import io

    from typer.testing import CliRunner

    from kgraph.cli import app

    result = CliRunner().invoke(app, ["query", "claims", "--store", str(seed_store), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert {r["mode"] for r in rows} <= {"stated", "reported", "alleged", "denied"}
    assert any((r["subjectLabel"], r["relation"], r["sourceLabel"]) == ("Nurzhan Altaev", "expelledFrom", "Nur Otan") for r in rows)


def test_attribution_speaker_is_the_subject_that_names_an_entity(attribution):
    # "ALMATY -- Kuzmin alleged Otan expelled Altaev": the dateline is parsed as a second subject
    words = ["ALMATY", "--", "Kuzmin", "alleged", "Otan", "expelled", "Altaev"]
    doc = _doc(words, [3, 0, 3, 3, 5, 3, 5], ["nsubj", "punct", "nsubj", "ROOT", "nsubj", "ccomp", "dobj"],
               ["almaty", "--", "kuzmin", "allege", "otan", "expel", "altaev"], [(2, 3, 2), (4, 5, 0), (6, 7, 1)])
    assert _run(attribution, doc, _relation(5)) == {"mode": "alleged", "source": 2, "cue": "alleged"}


@pytest.mark.e2e
def test_attribution_real_model_four_modes():
    """Written sentences of each kind, through the whole build: the fact's mode and source, and a
    denial kept as a claim with no direct triple."""
    import datetime as dt

    from kgraph.builder import build_articles
    from kgraph.model import Article

    texts = {
        "stated": "Nur Otan expelled lawmaker Nurzhan Altaev on Wednesday.",
        "reported": "Nur Otan said on Wednesday that it had expelled lawmaker Nurzhan Altaev from its ranks.",
        "according": "According to Nur Otan, lawmaker Nurzhan Altaev was expelled from the party on Wednesday.",
        "alleged": "ALMATY -- Opposition leader Mukhtar Ablyazov alleged that Nur Otan had expelled Nurzhan Altaev.",
        "denied": "The ruling Nur Otan party denied that it had expelled lawmaker Nurzhan Altaev from its ranks.",
    }
    articles = [Article(id=key, title="News", text=text, date=dt.date(2020, 12, 3)) for key, text in texts.items()]
    with build_articles(articles) as kg:
        got = {r["articleId"]: (r["kind"], r["mode"], r["sourceLabel"]) for r in kg.claims(dataframe=False)
               if r["relation"] == "expelledFrom"}
        assert got == {
            "stated": ("Fact", "stated", None),
            "reported": ("Fact", "reported", "Nur Otan"),
            "according": ("Fact", "reported", "Nur Otan"),
            "alleged": ("Fact", "alleged", "Mukhtar Ablyazov"),
            "denied": ("Claim", "denied", "Nur Otan"),
        }
        # the denial gives no fact: only the other four articles support the direct triple
        rows = kg.query("""SELECT DISTINCT ?id WHERE { ?f a kg:Fact ; rdf:predicate kg:expelledFrom ;
                           prov:wasDerivedFrom/kg:articleId ?id }""", dataframe=False)
        assert {r["id"] for r in rows} == {"stated", "reported", "according", "alleged"}


def test_attribution_verb_coordinated_with_speech_is_the_articles_own(attribution):
    # "Otan said little and expelled Altaev"
    words = ["Otan", "said", "little", "and", "expelled", "Altaev"]
    doc = _doc(words, [1, 1, 1, 1, 1, 4], ["nsubj", "ROOT", "dobj", "cc", "conj", "dobj"],
               ["otan", "say", "little", "and", "expel", "altaev"], [(0, 1, 0), (5, 6, 1)],
               pos=["PROPN", "VERB", "NOUN", "CCONJ", "VERB", "PROPN"])
    assert _run(attribution, doc, _relation(4))["mode"] == "stated"


@pytest.mark.e2e
def test_attribution_asserted_only_by_one_side_from_the_cli(seed_store, tmp_path):
    import json

    from typer.testing import CliRunner

    from kgraph.cli import app

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Party expels a lawmaker\n\nThe Aul Party said on Monday that it had expelled "
                                  "Ivan Petrov from its ranks. Petrov denied any wrongdoing.\n", encoding="utf-8")
    store = tmp_path / "kg.db"
    runner = CliRunner()
    assert runner.invoke(app, ["build", str(corpus), "--store", str(store)]).exit_code == 0
    result = runner.invoke(app, ["query", "asserted-only-by", "--param", "source=Aul Party", "--store", str(store),
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [(r["subjectLabel"], r["relation"]) for r in json.loads(result.output)] == [("Ivan Petrov", "expelledFrom")]
    result = runner.invoke(app, ["query", "claims", "--param", "sauce=x", "--store", str(seed_store)])
    assert result.exit_code == 2 and "no parameter 'sauce'" in result.output and "Traceback" not in result.output
