"""Digests of the answers the students' checks compare with (fournos.checks.matches).

Written by `python -m fournos exercises` from the instructors' hidden checks; do not
edit by hand. A digest says whether an answer is right, never what it is."""

DIGESTS = {
    "date_gaps": {
        "ev_1951_alliance": "a006d48c944c37a1b2058c46",
        "ev_2013_resolution_22": "bf97dc4f7c148af368a4aa74",
    },
    "formulations": {
        "art_duong_integration": "e77b75b1e33976a6f3bf7dc2",
        "art_hao_rebuttal": "4de0501b4749ba8d3f1abd6a",
        "art_ndj_no_alliances": "c0171350d1973509a451fa61",
        "art_thuc_resolution44": "7e4d783349e832fb8904ba93",
        "art_vu_sui_generis": "fb867376e20640e7a36524d9",
    },
    "stale_statistics": [
        "409ec1cbe127978521054432",
        "ca4f4b7275fb6d18139afe5c",
    ],
    "stale_statistics_articles": 2,
    "theme_matrix": "7301dcfa18243f7bee510c9c",
    "trend_lines": {
        "alliance": "53b88a17d6a8c47bb8f3d763",
        "independence": "638d5d527e9946306d99ce14",
        "integration": "d60686750853aa215e4496f1",
        "multilateral": "f42d5c411b52c95ab9e0cbfe",
        "self-reliance": "46b4439d557ecf21633f99c0",
        "sovereignty": "e562241ff3c199f61826fb39",
    },
    "word_trends": "320c0040665d4598b00e9da5",
    "word_trends_raw": "d82bf5799bf687dba1868501",
}
