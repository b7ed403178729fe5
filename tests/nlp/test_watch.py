"""The watch file: schema, clear errors naming the key, resolution of names and titles."""

from __future__ import annotations

from pathlib import Path

import pytest

from vigie.nlp.analyse import Analyser
from vigie.text import fold
from vigie.watch import Watch, WatchError, key, load_watch

WATCHES = Path(__file__).parents[1] / "fixtures" / "watches"


def test_default_watch_loads(watch: Watch) -> None:
    assert watch.name == "russia_dprk"
    assert set(watch.sides) == {"dprk", "russia"}
    assert "Pyongyang" in watch.sides["dprk"].places
    assert {
        "troops_sent",
        "killed",
        "wounded",
        "killed_or_wounded",
        "captured",
        "shells",
        "missiles",
        "rocket_launchers",
        "workers",
        "money",
    } <= set(watch.measures)
    assert set(watch.events) == {
        "troop_deployment",
        "casualties",
        "arms_transfer",
        "economic_aid",
        "labor",
        "agreement",
        "meeting",
        "diplomatic_exchange",
        "statement",
        "weapons_test",
    }


def test_load_is_cached_and_follows_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    china = WATCHES / "russia_china.yaml"
    monkeypatch.setenv("VIGIE_WATCH", str(china))
    assert load_watch() is load_watch(china)
    assert load_watch().name == "russia_china"


@pytest.mark.parametrize(
    ("spelling", "actor"),
    [
        ("Kim Jong Un", "Kim Jong Un"),
        ("Kim Jong-un", "Kim Jong Un"),
        ("kim jong eun", "Kim Jong Un"),
        ("KIM JONG-UN", "Kim Jong Un"),
        ("Vladimir Putin", "Vladimir Poutine"),
        ("Poutine", "Vladimir Poutine"),
        ("Serguei Lavrov", "Sergueï Lavrov"),
        ("Lavrov", "Sergueï Lavrov"),
        ("Shoigu", "Sergueï Choïgou"),
        ("Choigou", "Sergueï Choïgou"),
        ("Kim Yo-jong", "Kim Yo Jong"),
        ("Choe Son-hui", "Choe Son Hui"),
        ("Peskov", "Dmitri Peskov"),
        ("Belousov", "Andreï Belooussov"),
        ("Zakharova", "Maria Zakharova"),
        ("Zelensky", "Volodymyr Zelensky"),
    ],
)
def test_resolve_name(watch: Watch, spelling: str, actor: str) -> None:
    found = watch.resolve_name(spelling)
    assert found is not None
    assert found.name == actor


@pytest.mark.parametrize(
    ("title", "actor"),
    [
        ("le dirigeant nord-coréen", "Kim Jong Un"),
        ("Le numéro un nord-coréen", "Kim Jong Un"),
        ("leader nord coréen", "Kim Jong Un"),
        ("le président russe", "Vladimir Poutine"),
        ("le chef de l'État russe", "Vladimir Poutine"),
        ("le chef de l’Etat russe", "Vladimir Poutine"),
        ("le chef de la diplomatie russe", "Sergueï Lavrov"),
        ("le ministre russe des Affaires étrangères", "Sergueï Lavrov"),
        ("la soeur du dirigeant", "Kim Yo Jong"),
        ("la sœur du dirigeant nord-coréen", "Kim Yo Jong"),
        ("le porte-parole du Kremlin", "Dmitri Peskov"),
    ],
)
def test_resolve_title(watch: Watch, title: str, actor: str) -> None:
    found = watch.resolve_title(title)
    assert found is not None
    assert found.name == actor


def test_unknown_name_and_title(watch: Watch) -> None:
    assert watch.resolve_name("Emmanuel Macron") is None
    assert watch.resolve_title("le président français") is None


def test_genders(watch: Watch) -> None:
    assert watch.resolve_name("Kim Yo Jong").gender == "f"
    assert watch.resolve_name("Kim Jong Un").gender == "m"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bad_gender.yaml", "watch bad_gender.yaml: actors[1].gender: must be m or f"),
        (
            "bad_actor_side.yaml",
            "watch bad_actor_side.yaml: actors[0].side: 'c' is not one of ['a', 'b'] or 'other'",
        ),
        (
            "bad_one_side.yaml",
            "watch bad_one_side.yaml: sides: a watch has exactly two sides, got 1",
        ),
        ("bad_unknown_key.yaml", "measures.troops.object: Extra inputs are not permitted"),
        ("bad_yaml.yaml", "watch bad_yaml.yaml: not valid YAML"),
        ("missing.yaml", "watch missing.yaml: cannot read"),
    ],
)
def test_bad_watch_names_the_key(name: str, message: str) -> None:
    with pytest.raises(WatchError) as err:
        load_watch(WATCHES / name)
    assert message in str(err.value)


def test_a_new_pair_is_a_new_file() -> None:
    china = load_watch(WATCHES / "russia_china.yaml")
    analyser = Analyser(china)
    assert analyser.gate("Xi Jinping reçu par Poutine", "Le président chinois est à Moscou.")[0]
    assert not analyser.gate("Kim Jong Un reçu par Poutine", "")[0]
    assert china.resolve_title("le président chinois").name == "Xi Jinping"


def test_adding_an_actor_needs_no_code(tmp_path: Path, watch: Watch) -> None:
    data = watch.model_dump()
    data["actors"].append(
        {
            "name": "Ivan Testov",
            "side": "russia",
            "gender": "m",
            "aliases": ["Testov"],
            "titles": ["le vice-ministre russe du Test"],
        }
    )
    import yaml

    path = tmp_path / "extended.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    extended = load_watch(path)
    assert extended.resolve_title("le vice-ministre russe du Test").name == "Ivan Testov"
    assert Analyser(extended).gate("Testov à Pyongyang", "")[0]


def test_fold_keeps_length_and_key_normalises() -> None:
    text = "Kim Jong‑un, la sœur, l’État\u202frusse"
    assert len(fold(text)) == len(text)
    assert fold(text) == "kim jong un, la sœur, l'etat russe"
    assert key("  La  Sœur ") == "la soeur"
