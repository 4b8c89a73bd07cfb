"""Made-up Finnish care-journal sentences for the storage benchmark.

A small vocabulary of everyday entries (meals, medication, outdoor time, sleep, mood, visits,
measurements, falls) is combined into two to four sentences per entry with a seeded
:class:`random.Random`, so every run writes the same texts. Some sentences are common and
some rare, so the search queries below find many or few entries. No real people: names are
the staff's and relatives' roles ("tytär", "omahoitaja"), never client names.
"""

from __future__ import annotations

import random

# (weight, template): a template may hold {n} (a small number), {bp} (blood pressure) or
# {part} (a body part).
SENTENCES: tuple[tuple[int, str], ...] = (
    (10, "Asiakas söi aamupalan hyvin ja joi kahvia."),
    (8, "Lounas maistui, söi koko annoksen."),
    (5, "Ruokahalu heikko, söi vain puolet päivällisestä."),
    (10, "Lääkkeet otettu ohjeen mukaan."),
    (4, "Iltalääkkeet annettu, asiakas nieli ne vaivatta."),
    (7, "Verenpaine mitattu: {bp}, pulssi {n}."),
    (6, "Ulkoiltiin pihalla rollaattorin kanssa noin {n} minuuttia."),
    (6, "Nukkui yön hyvin, heräsi kerran wc-käynnille."),
    (3, "Uni katkonaista, asiakas oli yöllä levoton."),
    (6, "Mieliala hyvä, keskusteli mielellään hoitajan kanssa."),
    (2, "Mieliala alakuloinen, kaipasi omaisiaan."),
    (3, "Saunottiin ja vaihdettiin puhtaat vaatteet."),
    (3, "Tytär kävi vierailulla iltapäivällä."),
    (2, "Poika soitti ja kysyi kuulumisia."),
    (3, "Kipua {part}, annettu tarvittava kipulääke."),
    (1, "Asiakas kaatui käytävällä, ei näkyviä vammoja; omaiselle ilmoitettu."),
    (2, "Osallistui yhteiseen jumppaan päiväsalissa."),
    (2, "Ihon kunto tarkistettu, ei painaumia."),
    (2, "Verensokeri mitattu ennen aamupalaa: {n}."),
    (1, "Fysioterapeutti ohjasi tasapainoharjoituksia."),
    (2, "Omahoitaja päivitti lääkelistan lääkärin ohjeen mukaan."),
)

BODY_PARTS = ("oikeassa polvessa", "vasemmassa lonkassa", "alaselässä", "hartioissa")

# Realistic queries a worker types: common words, rarer ones, two words, a word stem.
QUERIES: tuple[str, ...] = (
    "verenpaine",
    "kaatui",
    "kaatui lonkassa",
    "lääkkeet otettu",
    "tytär vierailulla",
    "kipulääk",
)


def _fill(template: str, rng: random.Random) -> str:
    return template.format(
        n=rng.randint(10, 95),
        bp=f"{rng.randint(110, 165)}/{rng.randint(65, 95)}",
        part=rng.choice(BODY_PARTS),
    )


def entry_text(rng: random.Random) -> str:
    """Two to four distinct sentences of a day's entry, drawn by weight."""
    weights = [w for w, _ in SENTENCES]
    count = rng.randint(2, 4)
    picked: list[str] = []
    while len(picked) < count:
        template = rng.choices(SENTENCES, weights=weights)[0][1]
        if template not in picked:
            picked.append(template)
    return " ".join(_fill(t, rng) for t in picked)
