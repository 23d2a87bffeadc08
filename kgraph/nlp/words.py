"""Words the tokenizer must keep whole: hyphen-prefixed verbs ("re-elected", "co-founded") and
names with a glued initial ("Kh.Altankhuyag").

spaCy's English tokenizer splits "re-elected" into "re", "-", "elected", and the parser then
reads "re" as the verb, so "X was re-elected as chairman" states nothing. :func:`keep_whole`
makes the forms of the lexicon's ``prefixed_verbs`` single tokens; the ``kgraph_words``
component (before ``parser``) gives each the base verb's lemma ("elect"), which the model's
lemmatizer keeps (it does not overwrite a preset lemma), so every rule that knows "elected"
knows "re-elected". Names written with the initial glued on, as Mongolian and Ukrainian
outlets write them ("M.Enkhbold", "Kh.Altankhuyag", "O.Vilkul"), are one token (:func:`glued_initial`):
the tokenizer would split "Kh." off and end a sentence there.
"""
from __future__ import annotations

import re

from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc

from kgraph.nlp.lexicon import load_lexicon, word_positions

__all__ = ["keep_whole", "PrefixedVerbs", "glued_initial"]

#: "M.Enkhbold", "Kh.Altankhuyag", "Ts.Oyungerel": one or two initials glued to a name
_GLUED_INITIAL = re.compile(r"^(?:[A-Z][a-z]?\.){1,2}[A-Z][a-z]{2,}$")
#: abbreviations that are no initial ("St.Petersburg")
_GLUED_INITIAL_NOT = frozenset(load_lexicon("entities")["glued_initial_not"])


def glued_initial(text: str) -> bool:
    """Whether ``text`` is a name written with its initial glued on: "M.Enkhbold", "O.Vilkul"."""
    return "." in text and _GLUED_INITIAL.match(text) is not None and text.split(".")[0].lower() not in _GLUED_INITIAL_NOT

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
    model_match = nlp.tokenizer.token_match

    def token_match(text: str):
        return glued_initial(text) or (model_match(text) if model_match is not None else None)

    nlp.tokenizer.token_match = token_match


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
