"""French numbers in every form news writes them, and what is not a free-standing number."""

from __future__ import annotations

import pytest

from vigie.nlp.numbers import find_numbers, multiplier, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        pytest.param("11 000", 11000, id="space"),
        pytest.param("11.000", 11000, id="dot-thousands"),
        pytest.param("11\u202f000", 11000, id="narrow-nbsp"),
        pytest.param("11\u00a0000", 11000, id="nbsp"),
        pytest.param("3000", 3000, id="plain"),
        pytest.param("1 200 000", 1_200_000, id="two-groups"),
        pytest.param("2,5", 2.5, id="decimal-comma"),
        pytest.param("1,5 million", 1_500_000, id="decimal-million"),
        pytest.param("1.5 million", 1_500_000, id="decimal-point-million"),
        pytest.param("2.75 milliards", 2_750_000_000, id="decimal-point-milliards"),
        pytest.param("12 millions", 12_000_000, id="millions"),
        pytest.param("3 milliards", 3_000_000_000, id="milliards"),
        pytest.param("dix mille", 10000, id="dix-mille"),
        pytest.param("quinze mille", 15000, id="quinze-mille"),
        pytest.param("deux mille", 2000, id="deux-mille"),
        pytest.param("onze mille", 11000, id="onze-mille"),
        pytest.param("Quinze mille", 15000, id="capitalised"),
        pytest.param("vingt-deux", 22, id="hyphenated"),
        pytest.param("soixante-dix", 70, id="soixante-dix"),
        pytest.param("quatre-vingt-dix mille", 90000, id="quatre-vingt-dix-mille"),
        pytest.param("deux millions", 2_000_000, id="words-millions"),
        pytest.param("un million", 1_000_000, id="un-million"),
        pytest.param("un million et demi", 1_500_000, id="un-million-et-demi"),
        pytest.param("2 milliards et demi", 2_500_000_000, id="digits-milliards-et-demi"),
        pytest.param("mille", 1000, id="mille"),
        pytest.param("neuf", 9, id="neuf"),
        pytest.param("25'000", 25000, id="swiss-apostrophe"),
        pytest.param("3’200", 3200, id="swiss-typographic-apostrophe"),
        pytest.param("1'250'000", 1_250_000, id="swiss-two-groups"),
        pytest.param("septante", 70, id="septante"),
        pytest.param("huitante", 80, id="huitante"),
        pytest.param("nonante-deux", 92, id="nonante-deux"),
        pytest.param("septante-trois mille", 73000, id="septante-trois-mille"),
        pytest.param("une centaine", 100, id="une-centaine"),
        pytest.param("un millier", 1000, id="un-millier"),
        pytest.param("une vingtaine", 20, id="une-vingtaine"),
        pytest.param("une dizaine de milliers", 10000, id="dizaine-de-milliers"),
    ],
)
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("un", id="article-un"),
        pytest.param("une", id="article-une"),
        pytest.param("soldats", id="word"),
        pytest.param("KN-23", id="model-name"),
        pytest.param("13/07/2025", id="date"),
        pytest.param("13:43", id="time"),
        pytest.param("20 %", id="percent"),
        pytest.param("2e", id="ordinal"),
        pytest.param("3 000 soldats", id="not-only-a-number"),
        pytest.param("", id="empty"),
        pytest.param("milliards", id="bare-plural-milliards"),
        pytest.param("millions", id="bare-plural-millions"),
        pytest.param("centaines", id="plural-centaines"),
        pytest.param("1.5", id="decimal-point-without-million"),
    ],
)
def test_not_a_number(text: str) -> None:
    assert parse_number(text) is None


def test_find_numbers_skips_glued_digits() -> None:
    text = "KN-23, le 13/07/2025 à 13:43, 20 % et 2e : au moins 3 000 soldats et neuf obus."
    assert [(n.text, n.value) for n in find_numbers(text)] == [("3 000", 3000), ("neuf", 9)]


def test_find_numbers_gives_offsets() -> None:
    text = "Environ 11.000 troupes."
    (number,) = find_numbers(text)
    assert text[number.start : number.end] == "11.000"
    assert not number.in_words


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Moscou verserait des milliards de roubles à son allié.", id="des-milliards"),
        pytest.param("Des millions d'obus ont traversé la frontière.", id="des-millions"),
        pytest.param("Plusieurs centaines de soldats sont partis.", id="plusieurs-centaines"),
        pytest.param("Des dizaines de milliers de soldats sont partis.", id="des-dizaines"),
    ],
)
def test_vague_quantities_are_no_numbers(text: str) -> None:
    assert find_numbers(text) == []


@pytest.mark.parametrize(
    ("text", "approximate"),
    [
        pytest.param("Près d'une centaine de canons.", True, id="une-centaine"),
        pytest.param("Un millier de travailleurs.", True, id="un-millier"),
        pytest.param("Cent canons.", False, id="cent"),
        pytest.param("1 000 travailleurs.", False, id="digits"),
    ],
)
def test_round_counts_are_approximate(text: str, approximate: bool) -> None:
    (number,) = find_numbers(text)
    assert number.approximate is approximate


def test_swiss_thousands_keep_their_offsets() -> None:
    text = "Au moins 4’700 blessés et 12'000 soldats."
    assert [(text[n.start : n.end], n.value) for n in find_numbers(text)] == [
        ("4’700", 4700),
        ("12'000", 12000),
    ]


def test_a_half_only_after_millions() -> None:
    """ "dix mille et demi" is no form of news: only millions and billions take "et demi"."""
    assert [n.value for n in find_numbers("dix mille et demi")] == [10000]


def test_a_number_after_pour_is_read() -> None:
    """ "pour cent" is no number, "pour 1 500 soldats" is one."""
    assert [n.value for n in find_numbers("une cérémonie pour 1 500 soldats")] == [1500]
    assert find_numbers("septante pour cent") == []
    assert [n.value for n in find_numbers("un tué pour trois blessés")] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6 millions", 1e6),
        ("deux mille", 1e3),
        ("2 Milliards", 1e9),
        ("6 000", None),
        ("six", None),
    ],
)
def test_multiplier_is_the_scale_a_number_ends_with(text: str, expected: float | None) -> None:
    assert multiplier(text) == expected
