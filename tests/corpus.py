"""Synthetic news articles for batch tests: many, varied, and reproducible.

Sentences are our own news-style phrasing with names, places, organizations and figures
drawn from small lists, so every stage has work to do.
"""
from __future__ import annotations

import json
import random
from pathlib import Path

PEOPLE = ["Сергей Собянин", "Наталья Сергунина", "Антон Силуанов", "Эльвира Набиуллина", "Марат Хуснуллин",
          "Ирина Петрова", "Олег Смирнов"]
PLACES = ["Москве", "Казани", "Новосибирске", "Екатеринбурге", "Самаре", "Нижнем Новгороде", "Омске"]
COUNTRIES = ["Китая", "Индии", "Бразилии", "Казахстана", "Египта", "Турции", "Вьетнама", "ОАЭ"]
ORGS = ["Минфин", "Центральный банк", "компания «Северный поток»", "Сбербанк", "министерство транспорта",
        "департамент информационных технологий", "ООН"]
TEMPLATES = [
    "{person} сообщил, что в {place} откроют {n} новых школ до конца {year} года.",
    "Делегации из {country} и {country2} посетили выставку в {place}.",
    "{org} выделил {x} млрд рублей на ремонт {n} мостов.",
    "По данным {org2}, цены выросли на {p}% за {n} месяцев.",
    "Около {n} тысяч человек пришли на фестиваль, рассказала {person}.",
    "В {year} году {org} подписал соглашение с партнёрами из {country}.",
    "Более {n} компаний из {place2} приняли участие в форуме.",
]


def article(rng: random.Random, sentences: int = 12) -> str:
    lines = []
    for _ in range(sentences):
        lines.append(rng.choice(TEMPLATES).format(
            person=rng.choice(PEOPLE), place=rng.choice(PLACES), place2=rng.choice(PLACES),
            country=rng.choice(COUNTRIES), country2=rng.choice(COUNTRIES), org=rng.choice(ORGS),
            org2=rng.choice(["Росстата", "Минэкономразвития", "Банка России"]),
            n=rng.randint(2, 900), x=f"{rng.randint(1, 99)},{rng.randint(1, 9)}", p=rng.randint(1, 40),
            year=rng.randint(1995, 2030)))
    return "\n".join(" ".join(lines[i:i + 3]) for i in range(0, len(lines), 3))


def write_jsonl(path: Path, n: int, seed: int = 7, sentences: int = 12, prefix: str = "n") -> Path:
    """`n` articles as JSONL records (id, text); the same arguments give the same file."""
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            f.write(json.dumps({"id": f"{prefix}{i:06d}", "text": article(rng, sentences)}, ensure_ascii=False) + "\n")
    return path


def write_folder(folder: Path, n: int, seed: int = 7, sentences: int = 12) -> Path:
    """`n` articles as .txt files in `folder`."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"n{i:06d}.txt").write_text(article(rng, sentences), encoding="utf-8")
    return folder
