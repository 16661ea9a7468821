"""The event taxonomy: a small set of categories, each mapped to ACLED where one applies.

The categories follow ACLED's event types closely enough that imported ACLED and
UCDP rows land in them without loss (the original codes are kept beside them),
and add two that ACLED does not code: diplomacy/policy and multi-year conflict
periods. ``data/README.md`` documents the same table for readers.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    """One event category and its ACLED equivalent, if any."""

    id: str
    label: str
    color: str
    acled_event_type: str | None
    acled_sub_event_types: tuple[str, ...]
    description: str


CATEGORIES: tuple[Category, ...] = (
    Category(
        "armed_clash",
        "Armed clash",
        "#d7301f",
        "Battles",
        ("Armed clash",),
        "Fighting between organised armed groups, including attacks on military posts.",
    ),
    Category(
        "territory_change",
        "Territory taken",
        "#7f0000",
        "Battles",
        ("Government regains territory", "Non-state actor overtakes territory"),
        "An armed group or government takes control of a place.",
    ),
    Category(
        "air_strike",
        "Air or drone strike",
        "#6a3d9a",
        "Explosions/Remote violence",
        ("Air/drone strike",),
        "Strikes from aircraft or drones.",
    ),
    Category(
        "explosion",
        "Bombing or shelling",
        "#e7298a",
        "Explosions/Remote violence",
        (
            "Shelling/artillery/missile attack",
            "Remote explosive/landmine/IED",
            "Suicide bomb",
            "Grenade",
            "Chemical weapon",
        ),
        "Bombs, shelling, missiles and other remote violence that is not an air strike.",
    ),
    Category(
        "attack_on_civilians",
        "Attack on civilians",
        "#000000",
        "Violence against civilians",
        ("Attack", "Sexual violence"),
        "Armed violence aimed at unarmed people.",
    ),
    Category(
        "abduction",
        "Abduction or hostage-taking",
        "#8c510a",
        "Violence against civilians",
        ("Abduction/forced disappearance",),
        "People seized or held, including hijackings.",
    ),
    Category(
        "protest",
        "Protest or riot",
        "#1b9e77",
        "Protests",
        ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
        "Demonstrations; ACLED's Riots are mapped here too.",
    ),
    Category(
        "strategic_development",
        "Strategic development",
        "#2c7fb8",
        "Strategic developments",
        (
            "Agreement",
            "Arrests",
            "Change to group/activity",
            "Disrupted weapons use",
            "Headquarters or base established",
            "Looting/property destruction",
            "Non-violent transfer of territory",
            "Other",
        ),
        "Non-violent turning points: agreements, new groups, border closures.",
    ),
    Category(
        "diplomacy_policy",
        "Diplomacy and policy",
        "#41ab5d",
        None,
        (),
        "Meetings, recognition, talks and government policies; ACLED does not code these.",
    ),
    Category(
        "conflict_period",
        "War or insurgency period",
        "#737373",
        None,
        (),
        "A conflict or trend spanning years; ACLED codes single events, not periods.",
    ),
)

BY_ID: dict[str, Category] = {category.id: category for category in CATEGORIES}

# ACLED's own event types that map to a category as a whole (sub-event ignored).
_ACLED_EVENT_TYPE_DEFAULTS: dict[str, str] = {
    "Battles": "armed_clash",
    "Explosions/Remote violence": "explosion",
    "Violence against civilians": "attack_on_civilians",
    "Protests": "protest",
    "Riots": "protest",
    "Strategic developments": "strategic_development",
}

# UCDP GED type_of_violence: 1 state-based, 2 non-state, 3 one-sided.
UCDP_TYPE_OF_VIOLENCE: dict[int, str] = {
    1: "armed_clash",
    2: "armed_clash",
    3: "attack_on_civilians",
}


def category_for_acled(event_type: str, sub_event_type: str) -> str | None:
    """Return our category for an ACLED type pair, or None when ACLED's type is unknown."""
    for category in CATEGORIES:
        if category.acled_event_type == event_type and sub_event_type in category.acled_sub_event_types:
            return category.id
    return _ACLED_EVENT_TYPE_DEFAULTS.get(event_type)
