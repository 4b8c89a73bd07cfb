"""The made-up people and texts of the demo store (see :mod:`carebook.model.services.demo`).

Every person here is invented; identity codes are generated in Kela's test series (individual
number 900–999), which a test store requires and a normal store refuses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"

PRODUCER = {"name": "Hoivakoti Kuusela Oy (demo)", "business_id": "2910052-3",
            "oid": "1.2.246.10.29100523.10"}
UNITS = [
    {"name": "Kuuselan palvelutalo", "oid": "1.2.246.10.29100523.10.1"},
    {"name": "Kuuselan kotihoito", "oid": "1.2.246.10.29100523.10.2"},
]
ORGANISER = {"name": "Demo-hyvinvointialue", "business_id": "7654321-2",
             "oid": "1.2.246.10.76543212.10"}
HOUSING, HOME_CARE = UNITS[0]["oid"], UNITS[1]["oid"]

USERS: list[dict[str, Any]] = [
    {"username": "johtaja", "first": "Johanna", "last": "Kuusela",
     "title": "Vastaava johtaja, sosionomi (AMK)", "roles": ["director"],
     "units": [HOUSING, HOME_CARE], "work_task": "1", "may_see_prohibited": True,
     "registration_no": "DEMO-1001"},
    {"username": "hoitaja1", "first": "Heikki", "last": "Hiltunen", "title": "Lähihoitaja",
     "roles": ["care_worker"], "units": [HOUSING], "work_task": "2",
     "registration_no": "DEMO-1002"},
    {"username": "hoitaja2", "first": "Hanna", "last": "Honkanen", "title": "Lähihoitaja",
     "roles": ["care_worker"], "units": [HOME_CARE], "work_task": "2",
     "registration_no": "DEMO-1003"},
]

OLDER = "23"  # service task: services for older people
DISABILITY = "service_for_personer_med_funktionsnedsattning"

GOALS_OLDER = (
    ("Liikkuminen säilyy", "Asiakas liikkuu turvallisesti rollaattorin kanssa.",
     "Päivittäinen kävelylenkki käytävällä; arvio kuukausittain."),
    ("Riittävä ravitsemus", "Paino pysyy vakaana.",
     "Välipalat kahdesti päivässä; punnitus kahden viikon välein."),
)
GOALS_MINOR = (
    ("Koulunkäynti sujuu", "Avustaja tukee koulupäivän rutiineja.",
     "Viikoittainen yhteys kouluun; arvio lukukauden lopussa."),
)


@dataclass(frozen=True)
class DemoClient:
    """One invented client and how the demo records their service."""

    first: str
    last: str
    born: date
    unit_oid: str
    worker: str
    social_service: str
    case_code: str | None = None  # set: under the organiser's RAR; None: self-paying
    service_task: str = OLDER
    security_prohibition: bool = False
    ends_after_days: int | None = None
    address: str | None = None
    municipality: str | None = None
    phone: str | None = None
    goals: tuple[tuple[str, str, str], ...] = GOALS_OLDER
    situation: str = "Asuu yksin, muisti heikentynyt; tarvitsee apua arjessa."
    plan_service: str = "Ympärivuorokautinen palveluasuminen."
    unit_name: str = field(default="Kuuselan palvelutalo")


def _case(n: int) -> str:
    return f"{ORGANISER['oid']}.3.{n}"


CLIENTS: list[DemoClient] = [
    DemoClient("Elsa", "Mäkinen", date(1938, 3, 12), HOUSING, "hoitaja1",
               "serviceboende_med_heldygnsomsorg", case_code=_case(1001),
               address="Koivukuja 3 A 1", municipality="Demola", phone="040 000 0001"),
    DemoClient("Toivo", "Virtanen", date(1941, 7, 2), HOUSING, "hoitaja1",
               "serviceboende_med_heldygnsomsorg", address="Koivukuja 3 A 2",
               municipality="Demola"),
    DemoClient("Helmi", "Nieminen", date(1935, 11, 23), HOUSING, "hoitaja1",
               "serviceboende_med_heldygnsomsorg", case_code=_case(1002),
               security_prohibition=True, address="Salainen osoite 1",
               municipality="Demola", phone="040 000 0003"),
    DemoClient("Väinö", "Laine", date(1944, 1, 30), HOUSING, "hoitaja1",
               "serviceboende_med_heldygnsomsorg", ends_after_days=60),
    DemoClient("Aili", "Heikkinen", date(1940, 5, 17), HOME_CARE, "hoitaja2", "hemvard",
               case_code=_case(1003), plan_service="Säännöllinen kotihoito kolmesti päivässä.",
               unit_name="Kuuselan kotihoito"),
    DemoClient("Eino", "Koskinen", date(1947, 9, 9), HOME_CARE, "hoitaja2", "hemvard",
               plan_service="Kotihoito aamuisin.", unit_name="Kuuselan kotihoito"),
    DemoClient("Siiri", "Järvinen", date(1950, 12, 4), HOME_CARE, "hoitaja2", "hemvard",
               case_code=_case(1004), plan_service="Kotihoito iltaisin.",
               unit_name="Kuuselan kotihoito"),
    DemoClient("Onni", "Lehtonen", date(2013, 5, 20), HOME_CARE, "hoitaja2",
               "personlig_assistans", case_code=_case(1005), service_task=DISABILITY,
               goals=GOALS_MINOR, situation="Koululainen, liikkuu pyörätuolilla.",
               plan_service="Henkilökohtainen apu koulupäivinä.",
               unit_name="Kuuselan kotihoito"),
]

ENTRY_TEXTS: list[tuple[str, str]] = [
    ("daily", "Aamutoimet sujuivat omatoimisesti ohjauksen turvin. Söi aamupalan hyvin."),
    ("daily", "Ulkoiltiin pihalla puoli tuntia. Mieliala hyvä, jutteli muiden kanssa."),
    ("functional-ability", "Liikkuminen rollaattorin kanssa varmaa; tasapaino hieman "
                           "heikentynyt illalla."),
    ("daily", "Päivä rauhallinen. Osallistui yhteiseen laulutuokioon."),
    ("visit", "Omainen vieraili iltapäivällä; sovittiin hoitoneuvottelun ajankohdasta."),
    ("daily", "Nukkui yön hyvin. Aamulla hieman väsynyt, lepäsi ennen lounasta."),
    ("guidance", "Ohjattu lääkkeiden ottamisessa dosetista; onnistui itsenäisesti."),
    ("daily", "Saunapäivä. Avustettiin peseytymisessä, iho hyvässä kunnossa."),
    ("meeting", "Hoitoneuvottelu omaisen kanssa: tavoitteet ennallaan, seuraava arvio "
                "kolmen kuukauden päästä."),
    ("daily", "Iltapala maistui. Katsoi televisiota ja meni nukkumaan klo 21."),
]


def kela_test_hetu(born: date, individual: int) -> str:
    """A test-series personal identity code for ``born`` (individual number 900–999)."""
    if not 900 <= individual <= 999:
        raise ValueError("demo codes stay in Kela's test series")
    century = {18: "+", 19: "-", 20: "A"}[born.year // 100]
    digits = f"{born:%d%m%y}{individual:03d}"
    return f"{born:%d%m%y}{century}{individual:03d}{HETU_CHECK[int(digits) % 31]}"

