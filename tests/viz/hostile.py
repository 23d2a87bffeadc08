"""Articles full of markup meant to run: names and sentences that try to break out of HTML,
attributes, JSON and script elements (written for these tests)."""
from __future__ import annotations

import datetime as dt

IMG = "<img src=x onerror=window.__pwned=1>"
SCRIPT = "</script><script>window.__pwned=2</script>"
SVG = "<svg onload=\"window.__pwned=3\">"

#: names and sentences written to break out of HTML, attributes, JSON and script elements
HOSTILE_ENTITIES = {
    IMG: ("Person", None, None),
    f"Ann \"The Quote\" O'Neil {SVG}": ("Person", None, None),
    SCRIPT: ("PoliticalParty", None, None),
    "Blue & <b>Bold</b> Party": ("PoliticalParty", None, None),
    "Election <!-- of 2021": ("Election", None, None),
}
HOSTILE_ARTICLES = [
    ("x1", f"Headline {SCRIPT} {IMG}", dt.date(2021, 1, 5), [
        (IMG, "leads", SCRIPT, f"{IMG} leads the party {SCRIPT}, said \"they\" & 'we'.", 0.9),
        (f"Ann \"The Quote\" O'Neil {SVG}", "memberOf", SCRIPT, f"Ann joined {SCRIPT} <!-- today \u2028 ]]>.", 0.8),
        (f"Ann \"The Quote\" O'Neil {SVG}", "expelledFrom", "Blue & <b>Bold</b> Party",
         f"Blue & <b>Bold</b> expelled her; javascript:window.__pwned=4 {SVG}", 0.7),
        (SCRIPT, "boycotted", "Election <!-- of 2021", f"The party {SCRIPT} boycotted the vote.", 0.9),
    ]),
]

#: every string above that must not appear verbatim in the page
PAYLOADS = [IMG, SCRIPT, SVG, "<b>Bold</b>", "<!-- of 2021", "<!-- today", "<img src=x", "<script>window"]
