"""`python -m fournos audit` shows what each fact rests on and lists the facts that rest on none."""

from __future__ import annotations

import csv
import subprocess
import sys

from helpers import ROOT


def run(*args, env=None) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "fournos", "audit", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return result.stdout


def test_the_audit_shows_the_document_and_passage_of_a_treaty_coding():
    out = run()
    block = out.split("treaty_1978_ussr ideology_clause = yes")[1].split("\ntreaty_")[0]
    assert "data/documents/treaty_1978_ussr_en.txt, Preamble, second paragraph" in block
    assert "marxism-leninism and socialist internationalism" in block
    assert "== principle statements ==" in out and "ps_01 (pr_no_alliances)" in out


def test_the_missing_list_names_facts_without_a_passage_and_only_those():
    out = run("--missing")
    assert out.startswith("== facts with no document or passage:")
    assert "treaty coding: treaty_1994_russia consultation = unknown" in out
    assert "treaty_1978_ussr consultation" not in out  # it quotes Article 6
    assert "ev_1978_ussr_treaty " not in out


def test_an_event_whose_only_source_gives_no_passage_is_listed(data_copy):
    import os

    links = data_copy / "event_sources.csv"
    with open(links, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows = [r for r in rows if r["event_id"] != "ev_1951_alliance" or not r["quote"]]
    with open(links, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
    out = run("--missing", env={**os.environ, "FOURNOS_DATA": str(data_copy)})
    assert "event: ev_1951_alliance  (cites ref_histories_1951_alliance" in out


def test_the_audit_command_is_listed_in_the_help():
    result = subprocess.run(
        [sys.executable, "-m", "fournos"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert "audit" in result.stdout


def test_piping_the_audit_into_a_reader_that_stops_early_is_not_an_error():
    result = subprocess.run(
        f"{sys.executable} -m fournos audit | head -1",
        shell=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.startswith("== events ==") and "Traceback" not in result.stderr
