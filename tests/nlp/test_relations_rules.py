"""End-to-end tests of the general membership / leadership rules of kgraph.nlp.relations and
the span-typing repairs of kgraph.nlp.mentions, on sentences written for these tests: each rule
fires on a plain statement and stays silent on its negated, future or hypothetical version."""
from __future__ import annotations

import datetime as dt

import pytest

from kgraph.linking.normalize import normalize_label
from kgraph.model import Article

pytestmark = pytest.mark.e2e


def _analysis(nlp, text):
    from kgraph.nlp import analyze
    from kgraph.nlp.pipeline import _make_doc

    article = Article(id="t", title="", text=text, date=dt.date(2021, 3, 1))
    return analyze(nlp(_make_doc(nlp, article)), article)


def _facts(nlp, text):
    analysis = _analysis(nlp, text)
    out = set()
    for r in analysis.relations:
        s, o = analysis.entities[r.subject], analysis.entities[r.object]
        out.add((normalize_label(s.name), r.predicate, normalize_label(o.name)))
    return out


POSITIVE = [
    # a relative clause on a description of the subject
    ("Jonas Peters is a Danish politician who was a Liberal Party member of parliament.",
     ("jonas peters", "memberOf", "liberal party")),
    # "ran / stood as the Y candidate"
    ("Dara Byrne stood as the Fianna Fail candidate in Dublin West.", ("dara byrne", "memberOf", "fianna fail")),
    ("Levan Kipiani ran as the Unity Party candidate in 2016.", ("levan kipiani", "memberOf", "unity party")),
    # "sought / won the Y nomination", "on the Y ticket"
    ("Ellen Marsh won the Republican nomination for governor in 2010.", ("ellen marsh", "memberOf", "republican")),
    # a party member noun in apposition / fronted
    ("Paul Archer, a Democrat, voted against the bill.", ("paul archer", "memberOf", "democrat")),
    pytest.param("A Republican, Ted Collins has represented the district since 2014.", ("ted collins", "memberOf", "republican"), marks=pytest.mark.xfail(strict=True, reason="a fronted party-member noun parsed as a second subject, not an apposition")),
    # "fellow Democrat X": the party word is not part of the name
    ("The seat went to fellow Democrat Sidney Marlowe.", ("sidney marlowe", "memberOf", "democrat")),
    # "elected as a Whig" with a member noun the NER misses
    ("Thomas Baird was elected as a Whig to the state senate.", ("thomas baird", "memberOf", "whig")),
    # founders are members
    ("Marek Zielinski founded the Solidarity Movement in 1998.", ("marek zielinski", "memberOf", "solidarity movement")),
    ("The Velvet Hours were formed in 1979 by guitarist Sam Reilly and bassist Joe Dunne.",
     ("sam reilly", "memberOf", "velvet hours")),
    # "elected / admitted to" a body that is not a legislature
    ("In 1971 Pavel Orlov was elected to the Central Committee.", ("pavel orlov", "memberOf", "central committee")),
    # "under X": the one under whom a group acts leads it
    ("She was deputy leader of the Labour Party under Eamon Walsh.", ("eamon walsh", "leads", "labour party")),
    ("The Progress Party won 20 seats under the leadership of Siv Moen.", ("siv moen", "leads", "progress party")),
    # a title in apposition to a description of the subject
    ("Charles Whitfield was an American sociologist, the first president of Fisk University.",
     ("charles whitfield", "leads", "fisk university")),
    ("Nadia Petrenko was secretary general of the People's Front.", ("nadia petrenko", "leads", "people's front")),
    # "X of the rock band Y", conjoined persons share the "of"
    ("The song was sung by Mark Dolan of the rock band Blue Harbour.", ("mark dolan", "memberOf", "blue harbour")),
    ("The tour featured Paul Grant and Rob Baxter of the band Northern Lights.", ("paul grant", "memberOf", "northern lights")),
    # "X left Y": a past membership
    ("In 2004 Anna Berg left the Centre Party after a dispute.", ("anna berg", "memberOf", "centre party")),
    # "his party, Y"
    ("Ivan Dolgov said his party, the Green Alliance, would take part.", ("ivan dolgov", "memberOf", "green alliance")),
    # "X (Party)": the name before a bracketed party is a person
    ("The deputy mayor is Terje Halvorsen (Progress Party).", ("terje halvorsen", "memberOf", "progress party")),
    # biography: "he" goes to the person the text opens with
    ("Jan de Vries was born in Utrecht in 1950. His father was a teacher. He joined the Labour Party in 1990.",
     ("jan de vries", "memberOf", "labour party")),
    # classes of phrasing read on the news tune half (second round), written with invented names
    # "The president of Y (ACR), X verb ...": the parser makes both the title and the name subjects
    ("The national president of the Civic Renewal Party (CRP), Tomas Varga obtained the support of the council on Monday.",
     ("tomas varga", "leads", "civic renewal party")),
    # fronted title in object position
    ("She was soon joined by another member of the Coalition for Renewal, Petar Ilic, as well as several activists.",
     ("petar ilic", "memberOf", "coalition for renewal")),
    # bare party before a title is the articles party
    ("The Civic Renewal Party (CRP) expelled three members on Monday. \"The decision is final,\" party spokesman Ivo Horak told reporters.",
     ("ivo horak", "memberOf", "civic renewal party")),
    # "expelled the State Duma speaker, X": the removed one is X, not the Duma
    ("The Communist Party of Moldova on May 25 expelled the parliament speaker, Ion Rusu, for disobeying a party ruling.",
     ("ion rusu", "expelledFrom", "communist party of moldova")),
    # body decision removes from its party
    ("The Civic Renewal Party's (CRP) Disciplinary Committee yesterday voted to revoke the membership of Anna Keller, a former councillor.",
     ("anna keller", "expelledFrom", "civic renewal party")),
    # unnamed source of an expulsion is the articles party
    ("The Civic Renewal Party (CRP) announced the expulsion of its treasurer, Tomas Varga. For the same reason, the deputy chairman, Petar Ilic, was expelled.",
     ("petar ilic", "expelledFrom", "civic renewal party")),
    # "The ruling MDP has expelled X" parsed as a clause under "ruling": MDP expels, X is expelled
    ("The ruling CRP has expelled Tomas Varga, MP for Central Varna. The Civic Renewal Party (CRP) governs the country.",
     ("tomas varga", "expelledFrom", "civic renewal party")),
    # "such as the former president of the X, Y": the parser hangs Y on X
    ("Although some councillors, such as the former president of the Civic Renewal Party, Anna Keller, disagreed, the vote passed.",
     ("anna keller", "leads", "civic renewal party")),
    # naming body of an as phrase
    ("The Civic Renewal Party (CRP) met on Monday. The party has picked lawyer Anna Keller as secretary general.",
     ("anna keller", "leads", "civic renewal party")),
    # "expelled its vice president, X, from the party": the post was the party's
    ("The Civic Renewal Party (CRP) has expelled its vice president, Tomas Varga, from the party.",
     ("tomas varga", "memberOf", "civic renewal party")),
    # "senior leaders, including A and B" with no party named: the article's party
    ("The Civic Renewal Party (CRP) met on Tuesday. The proposal was approved, with senior leaders, including Tomas Varga and Petar Ilic, supporting it.",
     ("petar ilic", "memberOf", "civic renewal party")),
    # a named party described by a word between its name and "party" ("the X Islamist party"),
    # with another party named just before: the phrase names its own party, it refers to none
    ("The Green Unity Party won. The president of the Ennahda Islamist party, Rached Ghannouchi, spoke.",
     ("rached ghannouchi", "leads", "ennahda")),
    # a one-word name the NER cut goes on to the untagged proper noun after it
    ("The decision was confirmed by CRP Secretary General Morgan Ng’ona during a press briefing.",
     ("morgan ng'ona", "leads", "crp")),
    # party posts of other traditions: a whip, a flag-bearer, a national convener
    ("Anna Keller, the chief whip of the Civic Renewal Party, said it would abstain.",
     ("anna keller", "memberOf", "civic renewal party")),
    ("Tomas Varga, the national convener of the Civic Renewal Party, opened the congress.",
     ("tomas varga", "leads", "civic renewal party")),
    # "Speaker of Parliament X": the parliament parsed as a modifier of the name is the body
    ("Moldova held elections. Speaker of Parliament Ion Rusu has signed the request.",
     ("ion rusu", "leads", "parliament of moldova")),
    # a party office before a name with no organization named: the article's party
    ("The Civic Renewal Party (CRP) held its congress. Secretary General Anna Keller said the party would appeal.",
     ("anna keller", "leads", "civic renewal party")),
    ("The Civic Renewal Party met on Saturday. The party voted for co-chairman Tomas Varga to stand as its candidate.",
     ("tomas varga", "leads", "civic renewal party")),
    # a portfolio's words belong to the title: the party before "leader and Prime Minister X"
    ("The Civic Renewal Party met. The party confirmed that party leader and Prime Minister Tomas Varga will stay.",
     ("tomas varga", "leads", "civic renewal party")),
    # an all-capitals word the NER left untagged, heading a definite noun phrase, is an acronym
    ("Cape Town - The CRP re-elected party leader Tomas Varga on Sunday.", ("tomas varga", "leads", "crp")),
    # a party body named by its modifiers alone, in an article that has named its party
    ("The Civic Renewal Party held a congress. Delegates elected federal council chairperson Anna Keller.",
     ("anna keller", "leads", "civic renewal party federal council")),
    ("The Civic Renewal Party expelled three members. Tomas Varga, who heads the party caucus, said so.",
     ("tomas varga", "leads", "civic renewal party caucus")),
    # a body's decision removes from its party
    ("The Civic Renewal Party is in crisis. The party council agreed to expel Tomas Varga and Petar Ilic.",
     ("petar ilic", "expelledFrom", "civic renewal party")),
    # an unquoted report swallows the list into the speaker's subject: the names after the verb
    ("The Civic Renewal Party is in crisis. The party's shura council agreed to oust former adviser Tomas Varga, "
     "former sports minister Anna Keller, and Petar Ilic, party deputy chairman Ivan Horvat told reporters.",
     ("anna keller", "expelledFrom", "civic renewal party")),
]


def _case_id(case) -> str:
    _, fact = case.values if hasattr(case, "values") else case
    return fact[0] + ":" + fact[2]


@pytest.mark.parametrize("text,fact", POSITIVE, ids=[_case_id(c) for c in POSITIVE])
def test_relations_rules_fire_on_plain_statement(real_nlp, text, fact):
    subject, predicate, obj = fact
    assert (normalize_label(subject), predicate, normalize_label(obj)) in _facts(real_nlp, text)


NEGATIVE = [
    ("Dara Byrne will stand as the Fianna Fail candidate in Dublin West.", ("dara byrne", "memberOf", "fianna fail")),
    ("Levan Kipiani may run as the Unity Party candidate next year.", ("levan kipiani", "memberOf", "unity party")),
    ("Ellen Marsh could win the Republican nomination for governor.", ("ellen marsh", "memberOf", "republican")),
    ("If Ellen Marsh wins the Republican nomination, she will campaign.", ("ellen marsh", "memberOf", "republican")),
    ("Marek Zielinski plans to found the Solidarity Movement.", ("marek zielinski", "memberOf", "solidarity movement")),
    ("Marek Zielinski did not found the Solidarity Movement.", ("marek zielinski", "memberOf", "solidarity movement")),
    ("Pavel Orlov was not elected to the Central Committee.", ("pavel orlov", "memberOf", "central committee")),
    ("Pavel Orlov hopes to be elected to the Central Committee.", ("pavel orlov", "memberOf", "central committee")),
    ("Anna Berg will leave the Centre Party next year.", ("anna berg", "memberOf", "centre party")),
    ("Anna Berg did not leave the Centre Party.", ("anna berg", "memberOf", "centre party")),
    ("The Progress Party might win 20 seats under Siv Moen.", ("siv moen", "leads", "progress party")),
    ("Did Ted Collins, a Republican, vote for the bill?", ("ted collins", "memberOf", "republican")),
]


@pytest.mark.parametrize("text,fact", NEGATIVE, ids=[t for t, _ in NEGATIVE])
def test_relations_rules_silent_on_negated_future_hypothetical(real_nlp, text, fact):
    assert fact not in _facts(real_nlp, text)


def test_relations_rules_elected_to_parliament_is_membership(real_nlp):
    # EVAL.md: a seat in a legislature is membership of it
    facts = _facts(real_nlp, "In 1998 Lena Holm was elected to the Swedish Parliament.")
    assert ("lena holm", "memberOf", "swedish parliament") in facts


def test_relations_rules_leaving_a_post_is_not_membership(real_nlp):
    facts = _facts(real_nlp, "Otto Lund was the director of the Rail Administration, leaving the Rail Administration in 1999.")
    assert not any(p == "memberOf" for _, p, _ in facts)


def test_relations_rules_bracketed_acronym_stays_one_party(real_nlp):
    analysis = _analysis(real_nlp, "The Democratic Choice Party (DCP) met in Almaty.")
    assert not any(e.type == "Person" for e in analysis.entities)


@pytest.mark.parametrize(
    "text,name,kind",
    [
        ("Kletva is a song by the rock band Shturtzite.", "Shturtzite", "Organization"),
        ("Joy Parade was formed in 1976 in Manchester.", "Joy Parade", "Organization"),
        ("Die Haut were an experimental German band.", "Die Haut", "Organization"),
        ("Helga Braun grew up in Kiel.", "Helga Braun", "Person"),
        # a name coordinated with persons is a person's, whatever the NER called it
        ("Lesego Motlapele, Gontse Kock, Tshepo Kwenanyane, Mitta Chelechele and Tumisho Tlhole were each charged.",
         "Tshepo Kwenanyane", "Person"),
        # a name after a party office is a person's, apostrophe and all; its surname alone too
        ("Secretary General Morgan Ng'ona confirmed the decision. Ng'ona said the party was united.",
         "Morgan Ng'ona", "Person"),
        # two capitals before a name are its initials, not an acronym the knowledge base knows
        ("The new leadership includes JP Smith, Solly Malatsi and Anton Bredell.", "JP Smith", "Person"),
        # a legislature glued to its officer's name
        ("It was in 2016 when the then Vice-President of the Parliament Moosa Manik was expelled.", "Moosa Manik",
         "Person"),
    ],
)
def test_mentions_context_types_names(real_nlp, text, name, kind):
    analysis = _analysis(real_nlp, text)
    types = {e.name: e.type for e in analysis.entities}
    assert types.get(name) == kind


def test_mentions_place_after_grew_up_is_not_a_person(real_nlp):
    analysis = _analysis(real_nlp, "Helga Braun grew up in Kiel. In 1985 she became a member of the Free Democratic Party.")
    assert "Kiel" not in {e.name for e in analysis.entities if e.type == "Person"}
    facts = {(analysis.entities[r.subject].name, r.predicate) for r in analysis.relations}
    assert ("Helga Braun", "memberOf") in facts


def test_pipeline_mentions_carry_their_sentence(real_nlp):
    text = "Aq Zhol met in Almaty.\n\nParty leader Ivan Petrov spoke. He praised Aq Zhol."
    analysis = _analysis(real_nlp, text)
    assert analysis.mentions
    for m in analysis.mentions:
        assert 0 <= m.sentence_start <= m.start < m.end <= m.sentence_end <= len(text)
        sentence = text[m.sentence_start : m.sentence_end]
        assert sentence == sentence.strip() and "\n" not in sentence
    petrov = next(m for m in analysis.mentions if m.text == "Ivan Petrov")
    assert text[petrov.sentence_start : petrov.sentence_end] == "Party leader Ivan Petrov spoke."
    he = next(m for m in analysis.mentions if m.text == "He")
    assert text[he.sentence_start : he.sentence_end] == "He praised Aq Zhol."


def test_relations_rules_founding_an_agency_is_not_membership(real_nlp):
    facts = _facts(real_nlp, "In 2019 Ivan Sokolov established the National Energy Agency.")
    assert not any(p == "memberOf" for _, p, _ in facts)


def test_relations_rules_parliament_under_a_president_is_not_led_by_him(real_nlp):
    facts = _facts(real_nlp, "Under Ivan Sokolov, the State Council passed the law in 2019.")
    assert not any(p == "leads" for _, p, _ in facts)


@pytest.mark.parametrize(
    "text",
    [
        "Marek Zielinski founded the Solidarity Movement in 1998.",
        "The Solidarity Movement was founded in 1998 by Marek Zielinski.",
        "Solidarity Movement founder Marek Zielinski spoke on Monday.",
    ],
)
def test_relations_rules_party_founder_is_a_member(real_nlp, text):
    # EVAL.md lists no founder among the top posts: a founder is a member of what he founded
    facts = _facts(real_nlp, text)
    assert ("marek zielinski", "memberOf", "solidarity movement") in facts
    assert ("marek zielinski", "leads", "solidarity movement") not in facts


def test_relations_rules_band_founder_does_not_lead(real_nlp):
    facts = _facts(real_nlp, "The Velvet Hours were formed in 1979 by guitarist Sam Reilly and bassist Joe Dunne.")
    assert not any(p == "leads" for _, p, _ in facts)


def test_relations_rules_under_in_a_hypothetical_clause_is_silent(real_nlp):
    facts = _facts(real_nlp, "She could become deputy leader of the Labour Party under Eamon Walsh.")
    assert ("eamon walsh", "leads", "labour party") not in facts


@pytest.mark.parametrize(
    "text,fact",
    [
        ("The Freedom Party stayed away from the 2019 presidential election.",
         ("freedom party", "boycotted", "2019 presidential election")),
        ("The Freedom Party did not take part in the 2019 presidential election.",
         ("freedom party", "boycotted", "2019 presidential election")),
        ("The Freedom Party did not field candidates in the 2019 presidential election.",
         ("freedom party", "boycotted", "2019 presidential election")),
        ("The Freedom Party's board voted to expel Anna Kovacs.", ("anna kovacs", "expelledFrom", "freedom party")),
        ("Anna Kovacs, who was expelled from the Freedom Party last year, founded a new movement.",
         ("anna kovacs", "expelledFrom", "freedom party")),
        ("The Freedom Party announced the expulsion of Anna Kovacs.", ("anna kovacs", "expelledFrom", "freedom party")),
    ],
)
def test_relations_rules_boycott_and_expulsion_forms(real_nlp, text, fact):
    assert fact in _facts(real_nlp, text)


@pytest.mark.parametrize(
    "text",
    [
        "The Freedom Party did not win seats in the 2019 presidential election.",
        "Anna Kovacs did not run in the 2019 presidential election.",
        "The Freedom Party may stay away from the 2019 presidential election.",
        "The Freedom Party plans to announce the expulsion of Anna Kovacs.",
    ],
)
def test_relations_rules_boycott_and_expulsion_silent_when_not_stated(real_nlp, text):
    assert not any(p in ("boycotted", "expelledFrom") for _, p, _ in _facts(real_nlp, text))


@pytest.mark.parametrize(
    "text,fact",
    [
        ("The Freedom Party and the Green Party boycotted the 2021 parliamentary elections.",
         ("green party", "boycotted", "2021 legislative election")),
        ("Opposition parties, including the Freedom Party, boycotted the 2020 parliamentary elections.",
         ("freedom party", "boycotted", "2020 legislative election")),
        ("The Freedom Party refused to register for the 2020 parliamentary elections.",
         ("freedom party", "boycotted", "2020 legislative election")),
        ("Ivan Petrov took over the leadership of the Freedom Party in 2015.", ("ivan petrov", "leads", "freedom party")),
        ("Anna Kovacs and Ivan Petrov joined the Freedom Party in 2015.", ("ivan petrov", "memberOf", "freedom party")),
    ],
)
def test_relations_rules_coordinated_subjects_and_more_verbs(real_nlp, text, fact):
    assert fact in _facts(real_nlp, text)


@pytest.mark.parametrize(
    "text",
    [
        "Ivan Petrov will take over the Freedom Party next year.",
        "The Freedom Party and the Green Party may boycott the 2021 parliamentary elections.",
        "Anna Kovacs and Ivan Petrov did not join the Freedom Party.",
    ],
)
def test_relations_rules_coordinated_and_take_over_silent_when_not_stated(real_nlp, text):
    assert not _facts(real_nlp, text)


def test_relations_rules_one_of_the_leaders_is_a_member(real_nlp):
    facts = _facts(real_nlp, "Carl Dixon is one of the founding members of the Workers Party.")
    assert ("carl dixon", "memberOf", "workers party") in facts
    facts = _facts(real_nlp, "Carl Dixon, one of the leaders of the Workers Party, spoke.")
    assert ("carl dixon", "memberOf", "workers party") in facts
    assert ("carl dixon", "leads", "workers party") not in facts


@pytest.mark.parametrize(
    "text",
    [
        "Ivan Petrov, a senior Freedom Party official, denied the claims.",
        "Freedom Party spokesman Ivan Petrov denied the claims.",
        "Ivan Petrov, a prominent figure in the Freedom Party, denied the claims.",
        "Ivan Petrov, a veteran of the Freedom Party, denied the claims.",
    ],
)
def test_relations_rules_party_affiliation_nouns(real_nlp, text):
    assert ("ivan petrov", "memberOf", "freedom party") in _facts(real_nlp, text)


@pytest.mark.parametrize(
    "text",
    [
        "Foreign Ministry spokesman Ivan Petrov denied the claims.",
        "Ivan Petrov, a senior official of the National Bank, denied the claims.",
    ],
)
def test_relations_rules_staff_of_non_party_is_not_membership(real_nlp, text):
    assert not any(p == "memberOf" for _, p, _ in _facts(real_nlp, text))


@pytest.mark.parametrize(
    "text",
    [
        "The Freedom Party revoked Anna Kovacs's membership.",
        "Anna Kovacs's membership in the Freedom Party was revoked in May.",
        "Anna Kovacs was stripped of her Freedom Party membership.",
        "Anna Kovacs, expelled from the Freedom Party in 2019, now leads the Green Party.",
    ],
)
def test_relations_rules_membership_revoked_is_expulsion(real_nlp, text):
    assert ("anna kovacs", "expelledFrom", "freedom party") in _facts(real_nlp, text)


@pytest.mark.parametrize(
    "text",
    [
        "The Freedom Party suspended Anna Kovacs's membership.",
        "The Freedom Party may revoke Anna Kovacs's membership.",
        "The Freedom Party ousted Anna Kovacs as its leader.",
    ],
)
def test_relations_rules_suspension_threat_or_lost_post_is_not_expulsion(real_nlp, text):
    assert not any(p == "expelledFrom" for _, p, _ in _facts(real_nlp, text))


@pytest.mark.parametrize(
    "text,fact",
    [
        # "played N games for Y", "plays as a defender for Y": the "for" hangs on the object
        ("Tomas Varga is a defender. He played forty games for Ferencvaros.", ("tomas varga", "memberOf", "ferencvaros")),
        ("Tomas Varga is a Slovak footballer who plays as a defender for Sparta Prague.",
         ("tomas varga", "memberOf", "sparta prague")),
        # "a member of A (since 2008) and of B": the second "of" shares the title
        pytest.param("Lena Hirsch is a member of the Bavarian Academy of Arts (since 2008) and of the Saxon Academy of Sciences.",
         ("lena hirsch", "memberOf", "saxon academy of sciences"), marks=pytest.mark.xfail(strict=True, reason="a parenthesis between two coordinated of-phrases breaks the coordination")),
        # "Y is a band formed by X with Z", "an ensemble consisting of X, Z and W"
        pytest.param("The Lanterns are a vocal group formed in 1964 by Hugo Marten with Ada Lind and Rolf Lind.",
         ("ada lind", "memberOf", "lanterns"), marks=pytest.mark.xfail(strict=True, reason="companions ('formed by X with Y and Z') are not founders here")),
        ("The Circuit is an American ensemble formed in 1988 consisting of Paul Rand, Mia Stone and Carl Weber.",
         ("carl weber", "memberOf", "circuit")),
        ("The Budget Committee consists of Anna Berg and Tom Lund.", ("tom lund", "memberOf", "budget committee")),
        # a group that takes a person in
        ("The Labour Party recruited Anna Berg in 2010.", ("anna berg", "memberOf", "labour party")),
        # "X of the Ys": an untagged plural proper noun is a band or a team
        pytest.param("The bill was backed by Rita Hale of the Marvelettes.", ("rita hale", "memberOf", "marvelettes"), marks=pytest.mark.xfail(strict=True, reason="'X of the Ys' with no group noun: person-of only links parties or named groups")),
        # "X succeeded Z as leader of Y": both held the post
        ("In 2011 Anna Berg succeeded Tom Lund as leader of the Green Party.", ("tom lund", "leads", "green party")),
        ("In 2011 Anna Berg succeeded Tom Lund as leader of the Green Party.", ("anna berg", "leads", "green party")),
        # a participle on a description of the subject: "a singer, best known as ..."
        ("Peter Hale was a Welsh singer and guitarist, best known as the lead vocalist of the rock band Badfinger.",
         ("peter hale", "memberOf", "badfinger")),
        # a player moved to or signed by a team
        ("In 2008 Jared Allen was traded to the Minnesota Vikings.", ("jared allen", "memberOf", "minnesota vikings")),
        ("Mark Dunn was signed by the Dallas Cowboys in 2001.", ("mark dunn", "memberOf", "dallas cowboys")),
        # heads of companies and clubs; coordinated titles share the organization
        ("Acme Corporation's founder and chairman Tom Lund resigned.", ("tom lund", "leads", "acme corporation")),
        ("Tom Lund, president of the Real Madrid club, spoke.", ("tom lund", "leads", "real madrid")),
        ("The Green Party and its leader Tom Lund won.", ("tom lund", "leads", "green party")),
        # "the band" refers back to the band named before
        pytest.param("The Velvet Hours are a rock band from Leeds. In 1980 Sam Reilly left the band.",
         ("sam reilly", "memberOf", "velvet hours"), marks=pytest.mark.xfail(strict=True, reason="leaving is read as membership only for parties and party bodies (leaving an agency may be staff leaving)")),
        # "Y and its leader X": Y is a group (whatever the NER said), X leads it
        ("The film depicts the guerrilla organization, Camino Rojo and its leader Abel Ruiz.",
         ("abel ruiz", "leads", "camino rojo")),
        # "the pop group RBD": a named group noun is not a back-reference to an earlier group
        ("The Mirror Club hosted the show. The album features Maria Lopez of the Mexican pop group Luzera.",
         ("maria lopez", "memberOf", "luzera")),
        ("The Mirror Club hosted the show. The second single features John Carter of the rock group Vantara.",
         ("john carter", "memberOf", "vantara")),
    ],
)
def test_relations_rules_group_membership_forms(real_nlp, text, fact):
    assert fact in _facts(real_nlp, text)


@pytest.mark.parametrize(
    "text",
    [
        "The delegation, which did not consist of Green Party members, left.",
        "The Labour Party did not recruit Anna Berg.",
        "The Labour Party may recruit Anna Berg next year.",
        "Anna Berg of the United Nations spoke.",
        "Tomas Varga will play for Ferencvaros next season.",
        "Anna Berg will not succeed Tom Lund as leader of the Green Party.",
        "Jared Allen may be traded to the Minnesota Vikings.",
        # "the national team" is a new description, not the club named before
        "Arsenal is a football club. Anna Berg led the national team to a silver medal.",
    ],
)
def test_relations_rules_group_membership_silent_when_not_stated(real_nlp, text):
    assert not any(p in ("memberOf", "leads") for _, p, _ in _facts(real_nlp, text))


@pytest.mark.parametrize(
    "text,name,kind",
    [
        ("Rage Against the Machine is an American rap metal band.", "Rage Against the Machine", "Organization"),
        ("Karl Dorn said that Metallica are all about exploring.", "Metallica", "Organization"),
        ("Kaya Ozturk began his career with Galatasaray.", "Galatasaray", "Organization"),
        ("From 1998 to 2008 he headed the power monopoly RAO UES.", "RAO UES", "Organization"),
        ("The Hub is an American ensemble.", "Hub", "Organization"),
        ("Sait Kaya is the first Altinordu S.K. player to join FC Brno.", "Altinordu S.K.", "Organization"),
        ("Sait Kaya is the first Altinordu S.K. player to join FC Brno.", "FC Brno", "Organization"),
        ("Police arrested Tom Berg and his brother Karl Berg.", "Tom Berg", "Person"),
        ("The first popular artist was Pappo, who created the band Riff.", "Pappo", "Person"),
        ("The first popular artist was Pappo, who created the band Riff.", "Riff", "Organization"),
        ("He was succeeded by Uma Bharti of the Bharatiya Janata Party.", "Uma Bharti", "Person"),
        ("The Asar Party, which was founded in 2003, won.", "Asar Party", "PoliticalParty"),
        ("Anna Berg and Tom Lund were elected in May.", "Anna Berg", "Person"),
    ],
)
def test_mentions_context_types_group_names(real_nlp, text, name, kind):
    analysis = _analysis(real_nlp, text)
    types = {e.name: e.type for e in analysis.entities}
    assert types.get(name) == kind


def test_relations_rules_party_leader_title_leads_only(real_nlp):
    # "Y leader X" leads Y; his membership is implied (optional in EVAL.md), not stated
    facts = _facts(real_nlp, "Green Alliance leader Marta Kowalczyk spoke in Warsaw on Monday.")
    assert ("marta kowalczyk", "leads", "green alliance") in facts
    assert ("marta kowalczyk", "memberOf", "green alliance") not in facts


def test_relations_rules_announced_nonparticipation_is_a_boycott(real_nlp):
    # EVAL.md: an announced decision counts: "will not take part" announces the refusal
    facts = _facts(real_nlp, "The Freedom Party will not take part in the 2019 presidential election.")
    assert ("freedom party", "boycotted", "2019 presidential election") in facts


def test_relations_rules_leader_of_party_is_not_member_by_default(real_nlp):
    # "the leader of Y" states headship only (membership is then implied, left to reasoning)
    facts = _facts(real_nlp, "Marta Kowalczyk, the leader of the Green Alliance, spoke in Warsaw.")
    assert ("marta kowalczyk", "leads", "green alliance") in facts
    assert ("marta kowalczyk", "memberOf", "green alliance") not in facts


@pytest.mark.xfail(strict=True, reason="a role coordinated with a non-role noun ('vocalist and composer of Y') is not followed: it would also read 'a guitarist and a fan of Y' as membership")
def test_relations_rules_coordinated_role_shares_its_of(real_nlp):
    # "the lead vocalist and composer of Y": the "of" hangs on the last conjunct
    facts = _facts(real_nlp, "Tomas Reyes is best known as the lead vocalist and composer of the rock band Night Harbor.")
    assert ("tomas reyes", "memberOf", "night harbor") in facts


def test_relations_rules_role_and_a_fan_of_is_not_membership(real_nlp):
    facts = _facts(real_nlp, "Tomas Reyes is a guitarist and a fan of the rock band Night Harbor.")
    assert ("tomas reyes", "memberOf", "night harbor") not in facts


def test_relations_rules_body_naming_a_titled_person(real_nlp):
    # "Y chose deputy leader X": the naming body is the organization of the title
    facts = _facts(real_nlp, "On Monday the Green Alliance chose deputy leader Marta Kowalczyk to run the campaign.")
    assert ("marta kowalczyk", "memberOf", "green alliance") in facts


def test_relations_rules_body_naming_a_titled_person_modal_is_silent(real_nlp):
    facts = _facts(real_nlp, "On Monday the Green Alliance may choose deputy leader Marta Kowalczyk to run the campaign.")
    assert ("marta kowalczyk", "memberOf", "green alliance") not in facts


def test_relations_rules_consisting_of_a_parsed_list(real_nlp):
    # "consisting of A, B, C and D": every name of the list, also when B is parsed as A's
    # apposition (a proper-noun apposition of a name is the next item of a list)
    facts = _facts(real_nlp, "The Lanterns are a Dutch ensemble formed in 2001 consisting of Pieter Vos, Anouk Smit, Joris Bakker and Femke Visser.")
    assert {("pieter vos", "memberOf", "lanterns"), ("joris bakker", "memberOf", "lanterns"),
            ("femke visser", "memberOf", "lanterns")} <= facts


def test_relations_rules_consisting_of_a_description_is_not_a_member(real_nlp):
    facts = _facts(real_nlp, "The Lanterns are a Dutch ensemble consisting of Pieter Vos, a cellist from Utrecht.")
    assert not any(p == "memberOf" and s != "pieter vos" for s, p, _ in facts)


@pytest.mark.xfail(strict=True, reason="'X of the Ys' with no group noun: person-of only links parties or named groups")
def test_relations_rules_of_a_plural_band_name(real_nlp):
    # "X of the Supremes": a one-word plural name after "of" is a band or a team
    facts = _facts(real_nlp, "The bill was promoted by Lena Hart of the Bluebirds, but was not passed.")
    assert ("lena hart", "memberOf", "bluebirds") in facts


def test_relations_rules_of_a_plural_institution_is_not_membership(real_nlp):
    facts = _facts(real_nlp, "The bill was promoted by Lena Hart of the United Nations, but was not passed.")
    assert not any(p == "memberOf" for _, p, _ in facts)


def test_relations_rules_of_after_a_pronoun_conjunct_is_not_shared(real_nlp):
    # "him and X of the band Y": the "of" is X's only
    facts = _facts(real_nlp, "Karl Moss wrote the bill. It was promoted by him and Lena Hart of the Bluebirds, but was not passed.")
    assert ("karl moss", "memberOf", "bluebirds") not in facts


def test_relations_rules_member_of_a_legislature_is_a_member(real_nlp):
    # EVAL.md: a seat in a legislature is membership of it; "of X and of Y" shares the title
    facts = _facts(real_nlp, "Ingrid Dahl, a former member of the Storting and of the Centre Party, spoke on Monday.")
    assert ("ingrid dahl", "memberOf", "storting") in facts
    assert ("ingrid dahl", "memberOf", "centre party") in facts


def test_mentions_party_family_word_before_a_title_is_a_party(real_nlp):
    # "Conservative leader X": an untagged party-family word before a title names a party
    analysis = _analysis(real_nlp, "The vote was a tie between Conservative leader Tomas Vik and the mayor.")
    types = {e.name: e.type for e in analysis.entities}
    assert types.get("Conservative") == "PoliticalParty"
    assert ("tomas vik", "leads", "conservative") in _facts(real_nlp, "The vote was a tie between Conservative leader Tomas Vik and the mayor.")


def test_mentions_band_name_before_a_title_stays_an_organization(real_nlp):
    analysis = _analysis(real_nlp, "The vote was a tie between Night Harbor guitarist Tomas Vik and the mayor.")
    types = {e.name: e.type for e in analysis.entities}
    assert types.get("Night Harbor") == "Organization"


@pytest.mark.xfail(strict=True, reason="gapping ('elected in 1966 a member and in 1990 a full member of Y') is not resolved")
def test_relations_rules_gapped_second_title_after_a_naming_verb(real_nlp):
    # "was elected in 1966 a corresponding member and in 1990 a full member of Y"
    facts = _facts(real_nlp, "Ivan Orlov was elected in 1966 a corresponding member and in 1990 a full member of the Baltic Academy of Sciences.")
    assert ("ivan orlov", "memberOf", "baltic academy of sciences") in facts


def test_relations_rules_gapped_second_title_under_a_modal_is_silent(real_nlp):
    facts = _facts(real_nlp, "Ivan Orlov may be elected in 2030 a corresponding member and in 2035 a full member of the Baltic Academy of Sciences.")
    assert not any(p == "memberOf" for _, p, _ in facts)


def test_relations_rules_party_body_title_is_membership(real_nlp):
    # "Y parliamentary caucus spokesman X": X serves in a body of the party
    facts = _facts(real_nlp, "Green Alliance parliamentary caucus spokesman Marta Kowalczyk said the vote was fair.")
    assert ("marta kowalczyk", "memberOf", "green alliance") in facts


def test_relations_rules_party_body_leader_does_not_lead_the_party(real_nlp):
    # "Y caucus leader X" leads the caucus, not the party
    facts = _facts(real_nlp, "Green Alliance caucus leader Marta Kowalczyk said the vote was fair.")
    assert ("marta kowalczyk", "leads", "green alliance") not in facts
    # EVAL.md: a party body is an organization of its own, and its leader leads it
    assert ("marta kowalczyk", "leads", "green alliance caucus") in facts


@pytest.mark.parametrize(
    "text,fact,absent",
    [
        ("After 1990 Stan Tyminski was a leader of Party X in Poland.",
         ("stan tyminski", "memberOf", "party x"), ("stan tyminski", "leads", "party x")),
        ("Stan Tyminski was the leader of Party X in Poland.",
         ("stan tyminski", "leads", "party x"), ("stan tyminski", "memberOf", "party x")),
    ],
)
def test_relations_rules_a_leader_is_one_of_its_leaders(real_nlp, text, fact, absent):
    facts = _facts(real_nlp, text)
    assert fact in facts and absent not in facts


@pytest.mark.parametrize(
    "text,fact,absent",
    [
        ("The announcement was made by Green Party Joint Secretary General Ivan Sokolov on Monday.",
         ("ivan sokolov", "memberOf", "green party"), ("ivan sokolov", "leads", "green party")),
        ("Ivan Sokolov was appointed as the Green Party's provincial chairman.",
         ("ivan sokolov", "memberOf", "green party"), ("ivan sokolov", "leads", "green party")),
        ("The National Executive Committee of the Green Party approved the expulsion of Ivan Sokolov.",
         ("ivan sokolov", "expelledFrom", "green party"), None),
    ],
)
def test_relations_rules_branch_and_joint_posts_and_deciding_bodies(real_nlp, text, fact, absent):
    facts = _facts(real_nlp, text)
    assert fact in facts
    assert absent is None or absent not in facts


def test_relations_rules_seat_title_is_membership_of_the_articles_legislature(real_nlp):
    # EVAL.md: a seat in a legislature is membership of it; "MP X" with the one legislature named
    facts = _facts(real_nlp, "The Storting met on Monday. Green Party MP Ivan Sokolov voted against. "
                             "Anna Berg, a lawmaker, abstained.")
    assert ("ivan sokolov", "memberOf", "storting") in facts
    assert ("anna berg", "memberOf", "storting") in facts


# ---- classes of phrasing read on the news tune half (each written with invented names) ----------


def test_relations_rules_secretary_general_is_one_title(real_nlp):
    facts = _facts(real_nlp, "The decision was confirmed by CRP Secretary General Marta Novak during a briefing. "
                             "The Civic Renewal Party (CRP) met in May.")
    assert ("marta novak", "leads", "civic renewal party") in facts
    assert ("marta novak", "memberOf", "civic renewal party") not in facts


# several facts of one phrasing: (text, predicate, object or None, the subjects it must give)
SEVERAL = [
    # the refusal of a first clause does not reach a conjunct clause with its own subject
    ("The Green Unity Party said on Monday it had declined to nominate a candidate for president and it will "
     "boycott the 2024 Moldovan presidential election.", "boycotted", None, {"green unity party"}),
    # "Other parties said they will boycott the elections, including A and B" (the list hung on the object)
    ("Voters in Moldova go to the polls on 7 January 2024. Other key opposition parties have also said they will "
     "boycott the elections, including the Liberal Reform Party and the Farmers Union Party.", "boycotted", None,
     {"liberal reform party", "farmers union party"}),
    # "A, a former minister, B and C are members of Y": B parsed as A's apposition
    ("Zoltan Kovacs, a popular former justice minister, Peter Brandt and Thomas Weber are all elected members "
     "of the European Parliament.", "memberOf", "european parliament", {"zoltan kovacs", "peter brandt", "thomas weber"}),
    # "Other people who have been expelled are A and B": the plural subject stands for its names
    ("The Civic Renewal Party has expelled its vice president. Other people who have been expelled from the party "
     "are Tomas Varga and Petar Ilic.", "expelledFrom", "civic renewal party", {"tomas varga", "petar ilic"}),
    # a role's inclusion list
    ("The Civic Renewal Party (CRP) met on Monday. It had been weakened by the departure of several of its leaders, "
     "including former ministers Tomas Varga, Petar Ilic and Anna Keller.", "memberOf", "civic renewal party",
     {"tomas varga", "petar ilic", "anna keller"}),
    # "A and B of the party of Y"
    ("Tomas Varga and Petar Ilic of the political party of the Renewal Front spoke in Varna.", "memberOf",
     "renewal front", {"tomas varga", "petar ilic"}),
    # "Eight parties announced their boycott of E. These parties are: A, B and C."
    ("Shortly after, three opposition parties officially announced their boycott of the 2025 Moldovan local "
     "elections. These parties are: the Civic Renewal Party, the Farmers Union Party and the Liberal Reform Party.",
     "boycotted", None, {"civic renewal party", "farmers union party", "liberal reform party"}),
    # "expelled A (X), former commissioner B (Y) and C (Z)": the names a description introduces are list items
    ("The Civic Renewal Party (CRP) has already expelled former CRP Central Review Committee member Tomas Varga "
     "(X), former Varna County commissioner Petar Ilic (Y) and Anna Keller (Z) for criticizing its leader.",
     "expelledFrom", "civic renewal party", {"tomas varga", "petar ilic", "anna keller"}),
    # "expelled three MPs - A, B and C - from its faction": "from" hung on the object
    ("The Unity Party expelled three MPs – Marta Kovalenko, Pavel Drozd and Irina Sokol – from the Unity Party "
     "faction on Monday.", "expelledFrom", "unity party faction", {"marta kovalenko", "pavel drozd", "irina sokol"}),
    # "Others kicked out of the party are A and B": a participle read as the main verb
    ("The Civic Renewal Party expelled its vice president on Monday. Others kicked out of the party are Tomas "
     "Varga and Petar Ilic.", "expelledFrom", "civic renewal party", {"tomas varga", "petar ilic"}),
    # a post one is removed from was held: of the organization the title names, else the remover's
    ("The Civic Renewal Party met on Monday. The party has also removed Tomas Varga from the position of "
     "Secretary General.", "leads", "civic renewal party", {"tomas varga"}),
    ("The court removed Tomas Varga from the post of chairman of the Civic Renewal Party.", "leads",
     "civic renewal party", {"tomas varga"}),
    # "President A and Secretary General B": B's bare party title is the article's party's
    ("The Civic Renewal Party met on Monday. Originally, President Tomas Varga and Secretary General Anna Keller "
     "were elected for a four-year term.", "leads", "civic renewal party", {"anna keller"}),
    # "The new leadership includes A as chairperson; B as finance chairperson; C and D as deputy chairpersons"
    ("The Civic Renewal Party held its congress on Sunday. The new leadership includes Dr Tomas Varga as federal "
     "chairperson; Dr Anna Keller as federal finance chairperson; Petar Ilic and Marta Novak, respectively, as "
     "deputy federal chairpersons.", "memberOf", "civic renewal party", {"anna keller", "petar ilic", "marta novak"}),
    # a plural acronym title before coordinated names ("MPs" is the plural of "MP"); the names' list
    # ends only at a reporting verb after a comma
    ("Civic Renewal Party MPs John Mwale and Anna Keller voted against the bill.", "memberOf",
     "civic renewal party", {"john mwale", "anna keller"}),
    # a hyphen-prefixed verb is its base verb ("re-elected as head of Y")
    ("John Mwale was re-elected as head of the Civic Renewal Party. Anna Keller was re-appointed as leader of the "
     "Civic Renewal Party.", "leads", "civic renewal party", {"john mwale", "anna keller"}),
    # a plural role's list: "Y's candidates include A and B"; "Y fielded X" (a candidate is a member)
    ("The Civic Renewal Party's candidates include John Mwale and Anna Keller.", "memberOf", "civic renewal party",
     {"john mwale", "anna keller"}),
    ("The Civic Renewal Party fielded John Mwale in the 2019 Moldovan parliamentary election.", "memberOf",
     "civic renewal party", {"john mwale"}),
    # "Eight MPs of Y announced ... The eight MPs are A, B and C": a role's plural named later
    ("Eight MPs of the Civic Renewal Party announced on Thursday that they would leave its parliamentary group. "
     "The measure follows the dismissal of its president. The eight MPs are John Mwale, Anna Keller and Petar "
     "Ilic.", "memberOf", "civic renewal party", {"john mwale", "anna keller", "petar ilic"}),
    # a membership body expels from itself; a deciding body from its party
    ("The Civic Renewal Party's parliamentary group has expelled John Mwale.", "expelledFrom",
     "civic renewal party parliamentary group", {"john mwale"}),
    ("The Civic Renewal Party's political council expelled John Mwale.", "expelledFrom", "civic renewal party",
     {"john mwale"}),
    # "elected as a Whig", "ran as a Democrat": the party one stands for
    ("John Thurman was elected as a Whig to the Thirty-first Congress. Anna Keller ran as a Democrat in 2010.",
     "memberOf", None, {"john thurman", "anna keller"}),
    # "A (secretary general), B (chairperson)": a bracketed party title is the article's party's
    ("The Civic Renewal Party expelled its rival. His allies, Tomas Varga (secretary general), Petar Ilic "
     "(chairperson) and Marta Novak (deputy spokesperson) also claimed victory.", "leads", "civic renewal party",
     {"tomas varga", "petar ilic"}),
    # "those expelled include A, B and C": the names a participle's pronoun subject stands for
    ("The Unity Party met on Monday. The party's spokesperson said those expelled include John Mwale, Anna "
     "Keller and Petar Ilic.", "expelledFrom", "unity party", {"john mwale", "anna keller", "petar ilic"}),
    # a named list goes on in a later sentence: "The others are A, B and C"
    ("The Unity Party met on Monday. The party's spokesperson said those expelled include John Mwale, Anna Keller "
     "and Petar Ilic. The others are Marta Novak, Ivan Horvat and Omar Darko.", "expelledFrom", "unity party",
     {"marta novak", "ivan horvat", "omar darko"}),
    # "expelled five officials ... The five - A, B and C - are ...": a plural named by its number
    ("Mahmoud Abbas has expelled five officials from the Unity Party. The five – John Mwale, Anna Keller, Petar "
     "Ilic, Marta Novak and Ivan Horvat – are all from Gaza.", "expelledFrom", "unity party",
     {"john mwale", "anna keller", "petar ilic", "marta novak", "ivan horvat"}),
    # a hyphenated two-word title is one title: "secretary-general" leads
    ("The Unity Party secretary-general, John Mwale, resigned. Unity Party secretary-general Anna Keller spoke.",
     "leads", "unity party", {"john mwale", "anna keller"}),
    # "took a decision not to contest E": a decision noun decides; an election right after a
    # misparsed object is the one not contested
    ("The Unity Party made a decision to boycott the 2019 Moldovan parliamentary election.", "boycotted", None,
     {"unity party"}),
    ("The main opposition Unity Party on Tuesday said it had taken a decision not to contest the December 6 snap "
     "general election in Moldova.", "boycotted", None, {"unity party"}),
    # "former parliament speaker X": the legislature a title's modifier names
    ("Kuwait's opposition will boycott the vote. The Popular Action Bloc is a group headed by former parliament "
     "speaker Ahmed Saad.", "leads", "parliament of kuwait", {"ahmed saad"}),
    # a relative clause is about its antecedent and the names before it
    ("John Mwale and Anna Keller, who lead the Unity Party, spoke.", "leads", "unity party",
     {"john mwale", "anna keller"}),
    # "took the helm of Y"; "belongs to Y", "crossed over to Y"
    ("John Mwale took the helm of the Civic Renewal Party in 2019.", "leads", "civic renewal party", {"john mwale"}),
    ("John Mwale, who belongs to the Civic Renewal Party, spoke. Anna Keller crossed over to the Civic Renewal "
     "Party.", "memberOf", "civic renewal party", {"john mwale", "anna keller"}),
    # a relative pronoun object stands for the noun its clause modifies
    ("The 2019 Moldovan parliamentary election, which the Civic Renewal Party boycotted, was held in May.",
     "boycotted", None, {"civic renewal party"}),
    ("Anna Keller, whom the Civic Renewal Party expelled in May, spoke.", "expelledFrom", "civic renewal party",
     {"anna keller"}),
    # "named X as its new secretary-general", parsed with "secretary" as the head
    ("The Civic Renewal Party named John Mwale as its new secretary-general.", "leads", "civic renewal party",
     {"john mwale"}),
    # winning a leadership contest takes the leadership (losing it does not)
    ("John Mwale won the Civic Renewal Party leadership race.", "leads", "civic renewal party", {"john mwale"}),
    # "Both A and B said they would boycott E": "they" of a reported clause is its reporters
    ("Both the Unity Party and the Civic Renewal Party said they would boycott the 2019 Moldovan parliamentary "
     "election.", "boycotted", None, {"unity party", "civic renewal party"}),
    # "expelled A and two other lawmakers, B and C": a coordinated plural's names
    ("The Unity Party expelled John Mwale and two other lawmakers, Anna Keller and Petar Ilic.", "expelledFrom",
     "unity party", {"john mwale", "anna keller", "petar ilic"}),
    # a party word before a seat title, even first in the sentence or after an article or adjective
    ("Liberal MP Bernie Finn has been booted to the crossbench. The Liberal MP Anna Keller objected. Outspoken "
     "Victorian Liberal MP Tom Lund agreed.", "memberOf", "liberal", {"bernie finn", "anna keller", "tom lund"}),
    # "A, B and C's activism ... their expulsion from Y": a plural possessive is the persons listed before
    ("John Mwale, Anna Keller and Petar Ilic's land activism is said to have mothered their eventual expulsion "
     "from the Unity Party.", "expelledFrom", "unity party", {"john mwale", "anna keller"}),
    # a seat with no legislature named is in the article's one named legislature, which "parliament" also means
    ("The Mazhilis met on Monday in Astana. Kazakhstan's parliament has two chambers. Lawmaker Anna Keller said "
     "the vote was fair.", "memberOf", "mazhilis", {"anna keller"}),
    # "they" of the next sentence is the names listed just before, when a list of the type is there
    ("John Mwale, Anna Keller and Petar Ilic voted against the bill. They were expelled from the Unity Party on "
     "Monday.", "expelledFrom", "unity party", {"john mwale", "anna keller", "petar ilic"}),
    ("The Unity Party and the Civic Renewal Party met on Sunday. They decided to boycott the 2019 Moldovan "
     "parliamentary election.", "boycotted", None, {"unity party", "civic renewal party"}),
    # "formerly led by A, and now headed by B": a second participle the parser hung elsewhere
    ("Voters rallied against the rise of the Civic Renewal Party, formerly led by Anna Keller, and now headed by "
     "John Mwale.", "leads", "civic renewal party", {"anna keller", "john mwale"}),
    # a dateline the parser made a second subject; "General Secretary" heads an acronym's organization;
    # "leader of his party, Y"
    ("NEWSWIRE – John Mwale has been elected as the Chairman of the Civic Renewal Party at its extraordinary "
     "congress. CRP General Secretary Anna Keller told reporters. The President of Zambia, Petar Ilic, was elected "
     "as the new leader of his ruling party, the Civic Renewal Party (CRP) during a convention on Sunday.",
     "leads", "civic renewal party", {"john mwale", "anna keller", "petar ilic"}),
    # names written with a glued initial are persons ("outgoing chairman of CRP T.Batbold")
    ("As part of the congress, outgoing chairman of CRP T.Batbold addressed the delegates. Kh.Altankhuyag heads the "
     "Unity Party.", "leads", None, {"tbatbold", "khaltankhuyag"}),
    # "A and B, both former members of Y": a distributed title after a list, wherever the parser hung it
    ("The members involved are ex-senator John Mwale and Anna Keller, both former members of ruling party CRP, "
     "ANP reports.", "memberOf", "crp", {"john mwale", "anna keller"}),
    # an auxiliary inside a name is none: "the party We Are Family expelled X" is active
    ("The opposition party We Are Family expelled three MPs – Maria Novakova, Peter Horvat and Jan Kollar – from "
     "its deputy caucus for not actively contributing to the caucus’ work.", "expelledFrom", None,
     {"maria novakova", "peter horvat", "jan kollar"}),
    # an acronym of no known type that "the party" refers to is a party's
    ("THE CRU-T national executive committee yesterday endorsed the party’s position to boycott the June 10 "
     "by-elections.", "boycotted", None, {"cru t"}),
    # "crossed over from Y": a past membership
    ("John Mwale crossed over from the Unity Party.", "memberOf", "unity party", {"john mwale"}),
    # "the movement" is the named movement before it, not the nearest party
    ("The Civil Renewal Movement called for a boycott. Anna Keller of the Unity Party also spoke. “Stay home,” said "
     "John Mwale, a prominent member of the movement.", "memberOf", "civil renewal movement", {"john mwale"}),
    # "led by the elder of Slovenian politics, X": the name apposed to a description's of-phrase
    ("The Unity Party held a congress. Before that, the party had been led by the elder of Slovenian politics, "
     "John Mwale.", "leads", "unity party", {"john mwale"}),
    # "voted to void the membership of X", a name the NER called a place described as a person
    ("The Unity Party met on Friday. Senior party officials voted Friday to void the membership of Andreas Kalbitz, "
     "its chief in the eastern state of Brandenburg.", "expelledFrom", "unity party", {"andreas kalbitz"}),
    # "the president of Y in Vanuatu, X": the name the parser hung on the place; "the speaker of
    # parliament, X" heads the parliament, not the party X is expelled from
    ("The president of the Unity Party in Vanuatu, John Mwale, has expelled the speaker of parliament, Petar Ilic, "
     "from the party and asked him to resign as speaker.", "leads", "parliament of vanuatu", {"petar ilic"}),
    # a name after an organization a title governs is a person's ("the head of Y NAME", news
    # translated from languages that put the name last), the NER notwithstanding
    ("The head of Servant of the People Dmytro Kovalenko read out the names. It was a trial against the deputies "
     "from the Democratic Front Andrija Markovic and Milan Vukovic.", "memberOf", "democratic front",
     {"andrija markovic", "milan vukovic"}),
    # a speaker with no legislature named heads the article's one legislature
    ("The Mazhilis met on Monday. Its former deputy head, Tomas Varga, was elected speaker. His predecessor as "
     "speaker, Petar Ilic, has submitted his resignation.", "leads", "mazhilis", {"tomas varga", "petar ilic"}),
]


@pytest.mark.parametrize("text,predicate,obj,subjects", SEVERAL, ids=[f"{p}:{sorted(s)[0]}" for _, p, _, s in SEVERAL])
def test_relations_rules_several_facts_of_one_phrasing(real_nlp, text, predicate, obj, subjects):
    found = {s for s, p, o in _facts(real_nlp, text) if p == predicate and (obj is None or o == obj)}
    assert subjects <= found


# phrasings that must give no fact of a predicate (None: any) or with an object (None: any)
NONE_OF = [
    ("The Green Unity Party refused to boycott the 2024 Moldovan presidential election.", "boycotted", None),
    # a title already held is not conferred by the naming verb
    ("The League of Youth of Moldova has nominated the incumbent President Ion Rusu as its candidate.", "leads", None),
    # a list that does not name the plural of the sentence before
    ("Three opposition parties officially announced their boycott of the 2025 Moldovan local elections. The winners "
     "were the Civic Renewal Party and the Farmers Union Party.", "boycotted", None),
    # "deputy" before another title is no seat
    ("The National Council of Slovakia met. The Civic Renewal Party (CRP) was founded in 2019. Its deputy chair Anna "
     "Keller told reporters she does not expect it.", None, "national council of slovakia"),
    # an organization coordinated with a title is not the title's organization
    ("The ban on the CRP and Prime Minister Ivan Horvat's crackdown on critics continued.", "memberOf", "crp"),
    # a title after a noun names that noun's body, not the article's party
    ("The Civic Renewal Party won the vote. Commission chairman Varga said voting did not take place in 39 districts.",
     "leads", None),
    # a role's plural is not named by a bare "They are" (it may be anyone)
    ("Eight MPs of the Civic Renewal Party left on Thursday. They are John Mwale and Anna Keller.", "memberOf",
     "civic renewal party"),
    # a list verb names only its complement: not the speaker of a report, nor a later clause
    ("The Unity Party expelled three candidates. \"These independent candidates are not members of the Unity "
     "Party,\" John Mwale stated.", "expelledFrom", None),
    # a place before a council seat is its constituency
    ("In June, the Unity Party expelled Tipperary councillor Seamus Morris.", "memberOf", "tipperary"),
    ("John Mwale lost the Civic Renewal Party leadership race.", "leads", None),
    # a single name of the type between the list and "they": "they" is not the list's
    ("John Mwale and Anna Keller voted against. Marta Novak spoke. They were expelled from the Unity Party.",
     "expelledFrom", None),
    # a place before a title is the seat's constituency
    ("All decisions by the party, including the appointment of Kalulushi Member of Parliament Anna Keller, are "
     "declared void.", None, "kalulushi"),
    # a chief "in" a region heads a branch, not the party
    ("The Unity Party met on Friday. Senior party officials voted Friday to void the membership of Andreas Kalbitz, "
     "its chief in the eastern state of Brandenburg.", "leads", None),
    # a noun of intention: its infinitive is not done
    ("By this action, the Unity Party has abandoned its earlier threat to boycott the 2017 Rwandan legislative "
     "election.", "boycotted", None),
    ("The Unity Party announced a plan to expel John Mwale.", "expelledFrom", None),
    # "standing for election as party leader": a post, not the public election
    ("The 2015 Seychellois legislative election was held in September. Speaking at the convention, John Mwale "
     "revealed that he would not be standing for election as party leader.", "boycotted", None),
    # a deciding body named by its acronym expels from its party, not from itself
    ("The All People's Congress held a meeting in Freetown. The National Advisory Council (NAC) met on Monday. The "
     "NAC also expelled John Mwale, a party stalwart in the Western Area.", "expelledFrom", "national advisory council"),
]


@pytest.mark.parametrize("text,predicate,obj", NONE_OF, ids=[f"{p}:{o}" for _, p, o in NONE_OF])
def test_relations_rules_no_fact_of_a_phrasing(real_nlp, text, predicate, obj):
    assert not any((predicate is None or p == predicate) and (obj is None or o == obj)
                   for _, p, o in _facts(real_nlp, text))


def test_relations_rules_speaker_of_unquoted_report_is_not_listed(real_nlp):
    # the names after a verb the parser left without an object stop at the report's speaker
    facts = _facts(real_nlp, "The Civic Renewal Party is in crisis. The party's shura council agreed to oust former "
                             "adviser Tomas Varga, former sports minister Anna Keller, and Petar Ilic, party deputy "
                             "chairman Ivan Horvat told reporters.")
    expelled = {s for s, p, _ in facts if p == "expelledFrom"}
    assert {"tomas varga", "anna keller", "petar ilic"} <= expelled and "ivan horvat" not in expelled


def test_relations_rules_title_of_first_item_does_not_reach_described_items(real_nlp):
    # "member A (X), former commissioner B (Y) and C (Z)": B has a description of its own, and C follows it
    facts = _facts(real_nlp, "The Civic Renewal Party (CRP) has already expelled former CRP Central Review Committee "
                             "member Tomas Varga (X), former Varna County commissioner Petar Ilic (Y) and Anna Keller "
                             "(Z) for criticizing its leader.")
    members = {s for s, p, o in facts if p == "memberOf" and o == "crp central review committee"}
    assert members == {"tomas varga"}


def test_relations_rules_as_phrase_roles_of_a_list_are_each_their_own(real_nlp):
    facts = _facts(real_nlp, "The Civic Renewal Party held its congress on Sunday. The new leadership includes Dr "
                             "Tomas Varga as federal chairperson; Dr Anna Keller as federal finance chairperson; Petar "
                             "Ilic and Marta Novak, respectively, as deputy federal chairpersons.")
    assert {s for s, p, o in facts if p == "leads"} == {"tomas varga"}


def test_relations_rules_relative_clause_does_not_reach_later_list_items(real_nlp):
    facts = _facts(real_nlp, "Senior officials attended, including Anna Keller, who chaired the Unity Party "
                             "Investigation Committee; Minister of Fisheries, Petar Ilic; and Marta Novak.")
    assert {s for s, p, _ in facts if p == "leads"} == {"anna keller"}


def test_relations_rules_a_coordinated_title_keeps_its_own_holder(real_nlp):
    # "its leader, A, and its spokesman, B": the leadership is A's only; A is no Organization
    facts = _facts(real_nlp, "The Unity Party on Monday praised its leader, John Mwale, and its spokesman, Petar Ilic.")
    assert {s for s, p, _ in facts if p == "leads"} == {"john mwale"}


def test_mentions_a_place_before_a_name_is_not_part_of_it(real_nlp):
    # "councilor in Amsterdam Kristina Jansen": the NER's place does not swallow the name after it
    analysis = _analysis(real_nlp, "Candidate CRP councilor in Amsterdam Kristina Jansen removed her Twitter account.")
    assert ("Kristina Jansen", "Person") in {(e.name, e.type) for e in analysis.entities}


@pytest.mark.parametrize("text,name", [
    ("Split Democratic Party (DP) factions held separate elections.", "Democratic Party"),
    ("Former Democratic Party vice-chairwoman Anna Keller spoke.", "Democratic Party"),
    ("Social Democratic Party leader John Mwale spoke.", "Social Democratic Party"),
])
def test_mentions_an_opener_before_a_found_name_is_not_part_of_it(real_nlp, text, name):
    # a capitalised sentence opener or a title is no part of the party's name; a political word is
    assert name in {e.name for e in _analysis(real_nlp, text).entities}
