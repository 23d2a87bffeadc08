"""Hyphen-prefixed verbs as one word: "re-elected", "co-founded".

spaCy's English tokenizer splits "re-elected" into "re", "-", "elected", and the parser then
reads "re" as the verb, so "X was re-elected as chairman" states nothing. :func:`keep_whole`
makes the forms of the lexicon's ``prefixed_verbs`` single tokens; the ``kgraph_words``
component (before ``parser``) gives each the base verb's lemma ("elect"), which the model's
lemmatizer keeps (it does not overwrite a preset lemma), so every rule that knows "elected"
knows "re-elected".
"""
from __future__ import annotations

from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc

from kgraph.nlp.lexicon import load_lexicon, word_positions

__all__ = ["keep_whole", "PrefixedVerbs"]

#: "re-elected" -> "elect"
PREFIXED: dict[str, str] = dict(load_lexicon("relations")["prefixed_verbs"])
_FORMS = frozenset(PREFIXED)


def keep_whole(nlp: Language) -> None:
    """Words the tokenizer must not split at their hyphen: the election lexicon's ("by-elections":
    split, the parser reads "by" as a preposition) and the prefixed verbs."""
    words = set(load_lexicon("elections")["single_tokens"]) | set(PREFIXED)
    for word in sorted(words):
        for form in {word, word.capitalize(), word.upper()}:
            nlp.tokenizer.add_special_case(form, [{ORTH: form}])


class PrefixedVerbs:
    """Presets the lemma of each prefixed verb form to its base verb's."""

    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        for i in word_positions(doc, _FORMS):
            token = doc[i]
            token.lemma_ = PREFIXED[token.lower_]
        return doc


@Language.factory("kgraph_words", assigns=["token.lemma"])
def make_prefixed_verbs(nlp: Language, name: str) -> PrefixedVerbs:
    """Base-verb lemmas of hyphen-prefixed verbs (add before ``parser``; see :func:`keep_whole`)."""
    return PrefixedVerbs(nlp, name)
