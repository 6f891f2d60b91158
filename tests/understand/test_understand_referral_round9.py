"""Round 9: an organisation named as the subject and then recommended ("X runs ...; write to them"), rules
only, with sentences and names written for these tests: after a leading mention, with a kind word in the name
("Centro X", "X-Stiftung"), joined by "&", with a place after the name, and the "write to them" phrasings of
en/nl/de/it/sv; negatives where nothing says to contact them."""

from __future__ import annotations

import pytest

from bot.understand.pipeline import understand


def _names(text: str) -> list[str]:
    u = understand(text, platform="bluesky", intent_model=False, span_model=False)
    return sorted((r.name or r.handle or "").lower() for r in u.referrals)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # after a leading mention (the thread prefix), the subject still opens the sentence
        (
            "@coral_desk_ines CEMAR tiene un programa para escuelas. Vale la pena escribirles.",
            ["cemar"],
        ),
        # a kind word in a two-word name makes it an organisation
        ("Il Centro Volta organizza corsi per docenti. Scrivete a loro, sono gentili.", ["centro volta"]),
        (
            "Die Lindqvist-Stiftung fördert Schulprojekte zur Energie. Lohnt sich, da mal kurz anzufragen.",
            ["lindqvist-stiftung"],
        ),
        # an organisation joined by "&"
        ("Terre & Partage gère deux ateliers à Dakar. Ça vaut le coup de leur écrire.", ["terre & partage"]),
        # a place after the name is not part of it
        (
            "Brandvik Consultants in Bergen have done this twice. Send them a short note.",
            ["brandvik consultants"],
        ),
        # "write to them" in nl, en and sv
        ("KWR doet precies dit soort metingen. Stuur ze een mailtje.", ["kwr"]),
        ("@solar_kid_tom SEMA funds school kits every spring. Drop them a line.", ["sema"]),
        ("FORMAS har utlysningar varje år. Mejla handläggarna innan du söker.", ["formas"]),
        ("Naturskyddsföreningen delar ut små bidrag. Hör av dig till kansliet.", ["naturskyddsföreningen"]),
        ("Ethibank financed two bike co-ops in Padua. Get in touch with them.", ["ethibank"]),
    ],
)
def test_subject_organisation_then_contact(text: str, expected: list[str]) -> None:
    assert _names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # no "write to them": an organisation as a subject is news, not a referral
        "@coral_desk_ines CEMAR tiene un programa para escuelas desde 2019.",
        "Il Centro Volta organizza corsi per docenti ogni estate.",
        "Terre & Partage gère deux ateliers à Dakar depuis longtemps.",
        "Brandvik Consultants in Bergen have done this twice, with mixed results.",
        # a person's name before a verb, with a contact phrase, stays a person (no kind word, no org shape)
        "Maria Lindgren har gjort det förut. Skriv till henne.",
        # "send them" about something else than writing
        "We tried to send them the samples but customs kept them for weeks.",
    ],
)
def test_not_an_organisation_referral(text: str) -> None:
    names = _names(text)
    assert not any(n in ("cemar", "centro volta", "lindqvist-stiftung") for n in names)
    assert "terre & partage" not in names and "brandvik consultants" not in names
    assert "maria lindgren har" not in names
    assert all(" in " not in n for n in names)


def test_person_subject_still_a_person() -> None:
    assert _names("Maria Lindgren har gjort det förut. Skriv till henne.") in (["maria lindgren"], [])
