"""Make the reading texts in data/articles/ from the raw copies in data/raw/.

Cleaning only separates page furniture (titles, datelines, captions, navigation, bylines,
comment widgets, teasers); the article's own words are never changed. Every line that is
not body text is written to data/articles/furniture.csv with its raw line number and the
reason, so a reader can check each decision. Re-run with `make articles`.
"""

from __future__ import annotations

import csv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
OUT = ROOT / "data" / "articles"

# For each raw file: the article id, and the furniture lines, matched by how they start.
# Order of rules does not matter; each non-empty raw line matches at most one.
ARTICLES: dict[str, dict] = {
    "000_40bf049b4b79b511.txt": {
        "id": "art_hao_rebuttal",
        "furniture": {
            "Is it true that to protect national sovereignty": "title",
            "14:12 03/06/2022": "dateline",
            "Author: Assoc.Prof, Dr. Phan Trong Hao": "byline",
            "Address: 135 Nguyen Phong Sac": "publisher_address",
        },
    },
    "001_f2761555a9a1c819.txt": {
        "id": "art_ndj_no_alliances",
        "furniture": {
            "Monday, April 20, 2020": "dateline",
            "Not joining any military alliances – A sound policy": "title",
            "Lt. Gen. Nguyen Tan Cuong welcomes": "photo_caption",
            "Your Comment (0)": "comment_widget",
            "Applying lessons on the Paris Commune": "teaser_unrelated_article",
            "The Paris Commune 1871 was the first revolution": "teaser_unrelated_article",
        },
    },
    "002_63a1bbc26c6926c5.txt": {
        "id": "art_duong_integration",
        "furniture": {
            "Home\u00a0\u00a0\u00a0\u00a0Figure and Events": "navigation",
            "Thursday, 22 March 2018": "dateline",
            "3185 Lượt xem": "view_counter",
            "Vietnam’s international integration in national defense and security": "title",
            "_____________________": "separator",
            "1. CPV: Documents of the 12th": "reference",
            "2. People’s Army of VN": "reference",
            "3. Ministry of National Defense: Vietnam Defense White Book": "reference",
            "4. Dr. Dinh The Huynh": "reference",
            "5. General Ngo Xuan Lich": "reference",
            "Major General, Assoc. Prof., Dr. Nguyen Ba Duong": "byline",
            "Institute of Military Social Sciences and Humanities,": "byline",
            "Ministry of National Defense": "byline",
            "Related Articles": "navigation",
            "Contact us": "navigation",
            "Links": "navigation",
        },
        # A section heading broken over two raw lines; joined, words unchanged.
        "join": ["3. Viewpoints and orientations for international integration in defense"],
    },
    "003_56266d0f82fe95aa.txt": {
        "id": "art_vu_sui_generis",
        "furniture": {
            "Motorcyclists ride past a poster": "photo_caption",
            "Hanoi’s Policy of Non-Alignment: Sui Generis": "title",
            "Published": "dateline",
            "2020/226": "series_number",
            "Khang Vu is a doctoral student": "byline",
        },
        # The site repeats one sentence of the last paragraph as a stand-alone pull quote.
        "pull_quotes": [
            (
                "In Hanoi’s view, shared security interests are necessary grounds to contemplate "
                "an alliance, but common political values have to be sufficient to bring such an "
                "alliance into existence."
            )
        ],
    },
    "004_388864880fc1991a.txt": {
        "id": "art_thuc_resolution44",
        "furniture": {
            "Friday, September 20, 2024": "dateline",
            "Wednesday, June 26, 2024": "dateline",
            "Party’s new thinking on strengthening the relationship": "title",
            "Participation in United Nations peacekeeping operations contributes": "photo_caption",
            "Senior Colonel NGUYEN MINH THUC": "byline",
            "National Defence Strategy Institute": "byline",
            "Your Comment (0)": "comment_widget",
        },
    },
}


def furniture_kind(line: str, rules: dict) -> str | None:
    """The kind of furniture this line is, or None for body text."""
    for start, kind in rules["furniture"].items():
        if line == start or (line.startswith(start) and len(start) > 20):
            return kind
    if line in rules.get("pull_quotes", []):
        return "pull_quote"
    return None


def split_article(raw_text: str, rules: dict) -> tuple[list[str], list[str], list[dict]]:
    """Body paragraphs, reference paragraphs, and the furniture log of one raw text."""
    body: list[str] = []
    references: list[str] = []
    removed: list[dict] = []
    joining = False
    for number, raw_line in enumerate(raw_text.splitlines(), start=1):
        line = raw_line.strip()
        if not line:
            continue
        kind = furniture_kind(line, rules)
        if kind == "reference":
            references.append(line)
        elif kind:
            removed.append({"raw_line": number, "kind": kind, "text": line})
        elif joining:
            body[-1] = f"{body[-1]} {line}"
            removed.append({"raw_line": number, "kind": "joined_to_previous_line", "text": line})
            joining = False
        else:
            body.append(line)
            joining = line in rules.get("join", [])
    return body, references, removed


def main(raw: Path = RAW, out: Path = OUT) -> None:
    out.mkdir(parents=True, exist_ok=True)
    log_rows = []
    for filename, rules in ARTICLES.items():
        raw_text = (raw / filename).read_text(encoding="utf-8")
        body, references, removed = split_article(raw_text, rules)
        (out / f"{rules['id']}.txt").write_text("\n\n".join(body) + "\n", encoding="utf-8")
        if references:
            (out / f"{rules['id']}.references.txt").write_text(
                "\n\n".join(references) + "\n", encoding="utf-8"
            )
        log_rows += [{"article_id": rules["id"], "source_file": filename, **r} for r in removed]
        print(f"{rules['id']}: {len(body)} paragraphs, {len(removed)} furniture lines")
    with open(out / "furniture.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(
            f, fieldnames=["article_id", "source_file", "raw_line", "kind", "text"]
        )
        writer.writeheader()
        writer.writerows(log_rows)


if __name__ == "__main__":
    main()
