"""Unit tests of kgraph.nlp.elections: keys, names, country codes."""
from __future__ import annotations

import pytest

from kgraph.nlp.countries import country_code
from kgraph.nlp.elections import election_key, election_name


@pytest.mark.parametrize(
    "text, code",
    [("Kazakh", "KAZ"), ("Kazakhstan's", "KAZ"), ("Russian", "RUS"), ("U.S.", "USA"), ("Narnia", None)],
)
def test_elections_country_code_of_names_and_demonyms(text, code):
    assert country_code(text) == code


def test_elections_key_and_name():
    assert election_key("KAZ", 2021, "legislative") == "election:KAZ:2021:legislative"
    assert election_name("KAZ", 2021, "legislative") == "2021 Kazakh legislative election"
    assert election_key(None, None, "presidential") == "election:XXX:unknown:presidential"
