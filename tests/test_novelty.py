"""Novelty rules: when a figure or a quote is already known (pure, no store, no spaCy)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from vigie.nlp.types import Figure
from vigie.novelty import (
    candidate_range,
    declaration_fingerprint,
    figure_fingerprint,
    figures_compatible,
    load_rules,
    priority,
    qualifier_class,
    quote_covered,
    value_interval,
)
from vigie.resources import DATA_DIR, load_data


def fig(
    value: float,
    qualifier: str | None = None,
    measure: str = "troops_sent",
    *,
    additional: bool = False,
    high: float | None = None,
) -> Figure:
    return Figure(
        value=value,
        measure=measure,
        object="soldats",
        evidence="…",
        qualifier=qualifier,
        value_high=high,
        additional=additional,
    )


@pytest.mark.parametrize(
    ("qualifier", "expected"),
    [
        (None, "exact"),
        ("", "exact"),
        ("au total", "exact"),
        ("environ", "approximate"),
        ("quelque", "approximate"),
        ("près de", "approximate"),
        ("Près d'", "approximate"),
        ("au moins", "lower_bound"),
        ("plus de", "lower_bound"),
        ("moins de", "upper_bound"),
        ("jusqu'à", "upper_bound"),
        ("jusqu’à plus de", "lower_bound"),  # the longest known prefix wins
        ("selon toute vraisemblance", "unknown"),
    ],
)
def test_qualifier_classes(qualifier: str | None, expected: str) -> None:
    assert qualifier_class(qualifier) == expected


@pytest.mark.parametrize(
    ("known", "new", "compatible"),
    [
        # the same figure told another way: within 2 %, whatever the qualifiers
        (fig(15000, "environ"), fig(15000, "quelque"), True),
        (fig(15000), fig(15000), True),
        (fig(11000), fig(11000, "près de"), True),
        (fig(15000), fig(15250), True),  # 1.6 %
        (fig(15000), fig(15500), False),  # 3.3 %
        # qualifiers never widen the window (the labelling policy)
        (fig(20000, "plus de"), fig(23000), False),
        (fig(8000, "environ"), fig(7500, "quelque"), False),
        (fig(15000, "environ"), fig(14000), False),
        (fig(10000, "plus de"), fig(11000), False),
        (fig(10000, "moins de"), fig(9900), True),
        (fig(9), fig(9, "au moins"), True),
        # a range states its ends, not the values between them
        (fig(10000, high=12000), fig(11000), False),
        (fig(10000, high=12000), fig(12200), True),
        (fig(10000, high=12000), fig(9900), True),
        (fig(10000, high=12000), fig(14000), False),
        (fig(10000, high=12000), fig(11000, high=12500), True),
        # an increment never matches a total, whatever the value
        (fig(3000), fig(3000, "au moins", additional=True), False),
        (fig(3000, additional=True), fig(3000, "au moins", additional=True), True),
        # the measure matters: 15 000 workers are not 15 000 troops
        (fig(15000, "environ"), fig(15000, "plus de", measure="workers"), False),
    ],
)
def test_figures_compatible(known: Figure, new: Figure, compatible: bool) -> None:
    assert figures_compatible(known, new) is compatible
    assert figures_compatible(new, known) is compatible


def test_value_interval_is_the_stated_value_or_range() -> None:
    assert value_interval(15000, None) == (15000, 15000)
    assert value_interval(12000, 10000) == (10000, 12000)


KIM_KNOWN = (
    "Je respecterai et soutiendrai sans condition toutes vos politiques et décisions, et je suis "
    "prêt à être toujours à vos côtés pour vous et votre Russie"
)


@pytest.mark.parametrize(
    ("new", "known", "covered"),
    [
        # the same words, other typography
        ("l'alliance la plus sincère", "l’Alliance la plus sincère", True),
        ("alliance la plus sincère", "l'alliance la plus sincère", True),
        # a part of a known quote, even slightly reworded
        ("toutes vos politiques et décisions", KIM_KNOWN, True),
        (
            "Je respecterai et soutiendrai inconditionnellement toutes vos politiques et décisions",
            KIM_KNOWN,
            True,
        ),
        # a rewording of the same sentence
        (
            "Notre ami coréen est attendu pour ouvrir un nouveau chapitre de notre partenariat",
            "Nous attendons notre ami coréen pour ouvrir un nouveau chapitre de notre partenariat",
            True,
        ),
        # a slightly longer version of a known quote
        ("l'alliance la plus sincère de notre histoire", "l'alliance la plus sincère", True),
        # a new sentence that merely contains a known two-word fragment is news
        (
            "Nous soutiendrons sans condition la Russie jusqu'à la victoire finale et au-delà",
            "sans condition",
            False,
        ),
        # a new sentence by the same speaker is news
        (
            "Ceux qui arment Kiev porteront la responsabilité de chaque goutte de sang versée",
            "le sang, la vie et la mort",
            False,
        ),
        (
            "Nous attendons notre ami coréen pour ouvrir un nouveau chapitre de notre partenariat",
            "amitié invincible",
            False,
        ),
        ("", "amitié invincible", False),
    ],
)
def test_quote_covered(new: str, known: str, covered: bool) -> None:
    assert quote_covered(new, known) is covered


def test_fingerprints_ignore_wording_but_not_meaning() -> None:
    assert figure_fingerprint(fig(15000, "environ")) == figure_fingerprint(fig(15000, "quelque"))
    assert figure_fingerprint(fig(15000)) != figure_fingerprint(fig(15000, measure="workers"))
    assert figure_fingerprint(fig(3000)) != figure_fingerprint(fig(3000, additional=True))
    assert declaration_fingerprint("Kim Jong Un", "« Amitié invincible »") == (
        declaration_fingerprint("kim jong un", "amitie invincible")
    )
    assert declaration_fingerprint(None, "amitié invincible") != declaration_fingerprint(
        "Kim Jong Un", "amitié invincible"
    )


def test_priority_puts_baseline_first_and_undated_last() -> None:
    early = datetime(2026, 1, 1, tzinfo=UTC)
    late = datetime(2026, 6, 1, tzinfo=UTC)
    ordered = sorted(
        [
            priority(False, None, "d"),
            priority(False, late, "c"),
            priority(False, early, "b"),
            priority(True, late, "a"),
        ]
    )
    assert [key[-1] for key in ordered] == ["a", "b", "c", "d"]


@pytest.mark.parametrize(
    "known",
    [fig(11800, "environ"), fig(12200, "plus de"), fig(11000, high=11900), fig(12240)],
)
@pytest.mark.parametrize("new", [fig(12000), fig(12000, "environ"), fig(12000, "plus de")])
def test_candidate_range_never_drops_a_compatible_figure(known: Figure, new: Figure) -> None:
    lowest, highest = candidate_range(new)
    in_range = known.value <= highest and (known.value_high or known.value) >= lowest
    assert in_range or not figures_compatible(known, new)
    assert candidate_range(fig(12000))[0] < 12000 < candidate_range(fig(12000))[1]


@pytest.fixture
def fresh_rules() -> Iterator[None]:
    load_rules.cache_clear()
    load_data.cache_clear()
    yield
    load_rules.cache_clear()
    load_data.cache_clear()


def test_a_rules_file_in_vigie_home_replaces_the_packaged_one(
    fresh_rules: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert not figures_compatible(fig(20_000), fig(21_000))
    data = yaml.safe_load((DATA_DIR / "novelty.yaml").read_text(encoding="utf-8"))
    data["figure_window"] = 0.1
    (tmp_path / "novelty.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    monkeypatch.setenv("VIGIE_HOME", str(tmp_path))
    load_rules.cache_clear()
    load_data.cache_clear()
    assert figures_compatible(fig(20_000), fig(21_000))
