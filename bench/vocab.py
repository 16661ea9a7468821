"""Word lists for the synthetic event text: actors, sources, names and a few hundred words.

The notes built from these are meant to be about as hard to compress as real ACLED
notes, so the HTML size measured on them means something: a few hundred words, a
hundred-odd names and free numbers, mixed per row.
"""

from __future__ import annotations


def _split(text: str) -> tuple[str, ...]:
    """The white-space separated words of ``text``."""
    return tuple(text.split())


ACLED_ACTORS: dict[str, tuple[tuple[str, str], ...]] = {
    # actor name, inter (ACLED actor type in words)
    "AFG": (
        ("Military Forces of Afghanistan (2004-2021)", "State forces"),
        ("Police Forces of Afghanistan (2004-2021)", "State forces"),
        ("Military Forces of Afghanistan (2021-) Taliban", "State forces"),
        ("Police Forces of Afghanistan (2021-) Taliban", "State forces"),
        ("Taliban", "Rebel group"),
        ("IS-K: Islamic State (Khorasan)", "Rebel group"),
        ("NRF: National Resistance Front", "Rebel group"),
        ("AFF: Afghanistan Freedom Front", "Rebel group"),
        ("Unidentified Armed Group (Afghanistan)", "Political militia"),
        ("Military Forces of Pakistan (2018-)", "External/Other forces"),
        ("Military Forces of the United States (2021-)", "External/Other forces"),
        ("Protesters (Afghanistan)", "Protesters"),
        ("Rioters (Afghanistan)", "Rioters"),
        ("Civilians (Afghanistan)", "Civilians"),
        ("Hazara Ethnic Group (Afghanistan)", "Identity militia"),
        ("Kuchi Ethnic Militia (Afghanistan)", "Identity militia"),
    ),
    "PAK": (
        ("Military Forces of Pakistan (2018-)", "State forces"),
        ("Police Forces of Pakistan (2018-)", "State forces"),
        ("Military Forces of Pakistan (2018-) Frontier Corps", "State forces"),
        ("TTP: Tehreek-i-Taliban Pakistan", "Rebel group"),
        ("BLA: Balochistan Liberation Army", "Rebel group"),
        ("BLF: Balochistan Liberation Front", "Rebel group"),
        ("Hafiz Gul Bahadur Group", "Rebel group"),
        ("IS-K: Islamic State (Khorasan)", "Rebel group"),
        ("Lashkar-e-Islam", "Rebel group"),
        ("Unidentified Armed Group (Pakistan)", "Political militia"),
        ("PTI: Pakistan Tehreek-i-Insaf", "Political militia"),
        ("Military Forces of Afghanistan (2021-) Taliban", "External/Other forces"),
        ("Protesters (Pakistan)", "Protesters"),
        ("Rioters (Pakistan)", "Rioters"),
        ("Civilians (Pakistan)", "Civilians"),
        ("Pashtun Ethnic Militia (Pakistan)", "Identity militia"),
    ),
}

ACLED_ASSOC: tuple[str, ...] = (
    "PTI: Pakistan Tehreek-i-Insaf",
    "PTM: Pashtun Tahafuz Movement",
    "JUI-F: Jamiat Ulema-e-Islam (Fazl)",
    "Traders (Pakistan)",
    "Teachers (Pakistan)",
    "Students (Afghanistan)",
    "Women (Afghanistan)",
    "Labour Group (Pakistan)",
    "Health Workers (Afghanistan)",
    "Journalists (Pakistan)",
    "Lawyers (Pakistan)",
    "Farmers (Afghanistan)",
)

# (disorder_type, event_type, sub_event_type, weight, civilian targeting likely)
ACLED_TYPES: tuple[tuple[str, str, str, float, bool], ...] = (
    ("Political violence", "Battles", "Armed clash", 22.0, False),
    ("Political violence", "Battles", "Government regains territory", 1.0, False),
    ("Political violence", "Battles", "Non-state actor overtakes territory", 1.0, False),
    ("Political violence", "Explosions/Remote violence", "Air/drone strike", 6.0, False),
    ("Political violence", "Explosions/Remote violence", "Shelling/artillery/missile attack", 6.0, False),
    ("Political violence", "Explosions/Remote violence", "Remote explosive/landmine/IED", 8.0, True),
    ("Political violence", "Explosions/Remote violence", "Suicide bomb", 1.5, True),
    ("Political violence", "Explosions/Remote violence", "Grenade", 1.0, True),
    ("Political violence", "Violence against civilians", "Attack", 10.0, True),
    ("Political violence", "Violence against civilians", "Abduction/forced disappearance", 3.0, True),
    ("Political violence", "Violence against civilians", "Sexual violence", 0.3, True),
    ("Demonstrations", "Protests", "Peaceful protest", 18.0, False),
    ("Demonstrations", "Protests", "Protest with intervention", 2.0, False),
    ("Demonstrations", "Protests", "Excessive force against protesters", 0.3, True),
    ("Demonstrations", "Riots", "Violent demonstration", 2.0, False),
    ("Political violence", "Riots", "Mob violence", 2.0, False),
    ("Strategic developments", "Strategic developments", "Arrests", 5.0, False),
    ("Strategic developments", "Strategic developments", "Change to group/activity", 3.0, False),
    ("Strategic developments", "Strategic developments", "Disrupted weapons use", 2.0, False),
    ("Strategic developments", "Strategic developments", "Looting/property destruction", 1.5, False),
    ("Strategic developments", "Strategic developments", "Agreement", 0.5, False),
    ("Strategic developments", "Strategic developments", "Other", 0.5, False),
)

SOURCES: tuple[str, ...] = (
    "Dawn",
    "The News",
    "Express Tribune",
    "Pajhwok Afghan News",
    "Tolo News",
    "Hasht-e Subh",
    "Khaama Press",
    "Ariana News",
    "Bakhtar News Agency",
    "Frontier Post",
    "Mashriq",
    "Aaj",
    "Daily Times",
    "Pakistan Today",
    "Associated Press of Pakistan",
    "Business Recorder",
    "The Nation",
    "Geo News",
    "Radio Azadi",
    "Radio Mashaal",
    "Voice of America",
    "BBC News",
    "Reuters",
    "Agence France-Presse",
    "Amu TV",
    "Afghanistan International",
    "Kabul Now",
    "Salam Watandar",
    "Rukhshana Media",
    "Balochistan Post",
    "Tribal News Network",
    "Khorasan Diary",
    "Twitter",
    "Facebook",
    "Telegram",
    "Local partner",
    "Etilaatroz",
    "Shafaqna",
    "Xinhua",
    "Anadolu Agency",
)
SOURCE_SCALES: tuple[str, ...] = (
    "National",
    "Local partner-National",
    "Subnational",
    "National-Regional",
    "New media",
    "Other-National",
    "International",
    "Subnational-National",
)

FIRST_NAMES: tuple[str, ...] = _split(
    "Mohammad Abdul Ahmad Gul Rahim Karim Noor Zahir Hamid Amanullah Sardar Wali Jamal Fazal "
    "Habib Hanif Ismail Javed Khalid Latif Malik Naseer Obaid Qasim Rafiq Saeed Tariq Umar "
    "Wahid Yousaf Zafar Aziz Bashir Daud Farid Ghulam Haji Ikram Jalal Kamal Lal Mir Nasir "
    "Pir Rashid Shah Sher Taj Zarif Asadullah Bibi Fatima Hawa Laila Malalai Nargis Parwana "
    "Roya Shabana Zarmina Ayesha Khadija Marwa Sana Zainab"
)
LAST_NAMES: tuple[str, ...] = _split(
    "Khan Afridi Wazir Mehsud Yousafzai Shinwari Mohmand Orakzai Bangash Khattak Marwat "
    "Durrani Ghilzai Popalzai Barakzai Achakzai Noorzai Alizai Kakar Mandokhel Baloch Bugti "
    "Marri Mengal Rind Zehri Hazara Tajik Uzbek Sadat Stanikzai Ahmadzai Zadran Mangal Jaji "
    "Tani Sabari Safi Momand Jadran Kharoti Sulaimankhel Nasir Taraki Hotak Tokhi Ludin"
)
PLACE_HEADS: tuple[str, ...] = _split(
    "Kot Mir Shah Qala Deh Sar Pul Bagh Chak Kili Kalay Tor Spin Landi Bala Pain Gul Sheikh "
    "Kuz Bar Nawa Shin Zhoor Mian Dara Kandi Khwaja Pir Sultan Haji Malik Naw Kohna"
)
PLACE_TAILS: tuple[str, ...] = _split(
    "abad khel zai kalay kot garhi pur wala dara gai banda kach tangi sar bagh ganj nawa "
    "dheri kala mela qila shahr band chowk mandi kili"
)

VERBS: tuple[str, ...] = (
    "clashed with",
    "attacked",
    "ambushed",
    "fired on",
    "raided",
    "detained",
    "targeted",
    "shelled",
    "abducted",
    "killed",
    "injured",
    "engaged",
    "surrounded",
    "struck",
    "arrested",
    "confronted",
    "stormed",
    "seized",
)

# About three hundred words of conflict reporting, to fill the notes.
WORDS: tuple[str, ...] = _split(
    """
    security forces militants police officers soldiers checkpoint convoy vehicle motorcycle
    roadside bomb explosive device mortar rocket grenade drone aircraft helicopter patrol
    operation search raid compound hideout mosque madrasa school hospital clinic market bazaar
    shop house village town district province border crossing gate fence post outpost camp
    base station road highway bridge river valley mountain pass hill field orchard farm well
    elder tribal jirga council leader commander member fighter suspect gunman attacker assailant
    victim civilian child children woman women man men family families student teacher doctor
    journalist trader driver labourer farmer shepherd worker official governor spokesperson
    minister deputy mayor chief head officer constable sepoy lieutenant captain major colonel
    reportedly allegedly according to local sources said claimed denied confirmed stated
    announced reported warned demanded accused blamed responsibility claim statement video
    photo message audio account witnesses residents relatives neighbours hospital officials
    killed wounded injured dead bodies casualties fatalities unharmed missing kidnapped released
    freed rescued detained arrested charged sentenced interrogated tortured beaten shot stabbed
    burned destroyed damaged looted seized confiscated recovered weapons ammunition rifles
    pistols explosives vests detonators mines cache tunnel trench bunker wall gate tower
    morning afternoon evening night dawn midnight earlier later during after before while
    following amid despite near outside inside around between along across toward against
    several many few dozens hundreds two three four five six seven eight nine ten eleven
    twelve first second third last previous next another other same different unknown
    unidentified armed masked alleged suspected local foreign rival opposing allied government
    opposition political religious ethnic tribal sectarian military civil federal provincial
    protest rally march sit-in strike demonstration protesters crowd slogans banners placards
    demands wages salaries electricity water shortage prices fuel flour blockade closure
    reopening trade transit trucks containers goods smuggling customs passport visa refugees
    returnees migrants deportation camps aid food relief flood earthquake drought displacement
    negotiations talks ceasefire truce agreement deal dispute land property water rights
    feud revenge honour marriage inheritance election campaign candidate vote ballot polling
    curfew lockdown internet mobile network suspension ban order notification court judge
    verdict appeal petition lawyers bar association press club union association committee
    the a an of in on at by for with from into over under about against without within
    was were had has have been being is are will would could might may also then there
    which who whose whom that this these those their its his her they them he she it
    """
)
CONNECTIVES: tuple[str, ...] = (
    "According to",
    "Local sources said",
    "Officials stated that",
    "Residents reported that",
    "In a separate incident,",
    "Later that day,",
    "Police said",
    "A spokesperson claimed",
    "Witnesses said",
    "The group claimed",
)

UCDP_DYADS: tuple[tuple[str, str, str, int, str], ...] = (
    # conflict name, side_a, side_b, type_of_violence, countries where it is fought
    ("Afghanistan: Government", "Government of Afghanistan", "Taleban", 1, "AFG"),
    ("Afghanistan: Government", "Government of Afghanistan", "IS", 1, "AFG"),
    ("Afghanistan: Government", "Government of Afghanistan", "NRF", 1, "AFG"),
    ("Afghanistan: Government", "Government of Afghanistan", "Hizb-i Islami-yi Afghanistan", 1, "AFG"),
    ("Pakistan: Government", "Government of Pakistan", "TTP", 1, "PAK"),
    ("Pakistan: Government", "Government of Pakistan", "IS", 1, "PAK"),
    ("Pakistan: Balochistan", "Government of Pakistan", "BLA", 1, "PAK"),
    ("Pakistan: Balochistan", "Government of Pakistan", "BLF", 1, "PAK"),
    ("Afghanistan - Pakistan", "Government of Afghanistan", "Government of Pakistan", 1, "AFG PAK"),
    ("IS - Taleban", "IS", "Taleban", 2, "AFG"),
    ("TTP - Lashkar-e-Islam", "TTP", "Lashkar-e-Islam", 2, "PAK"),
    ("Sunni - Shia (Kurram)", "Supporters of Sunni groups", "Supporters of Shia groups", 2, "PAK"),
    ("Taleban - civilians", "Taleban", "Civilians", 3, "AFG"),
    ("IS - civilians", "IS", "Civilians", 3, "AFG PAK"),
    ("TTP - civilians", "TTP", "Civilians", 3, "PAK"),
    ("BLA - civilians", "BLA", "Civilians", 3, "PAK"),
    ("LeJ - civilians", "LeJ", "Civilians", 3, "PAK"),
    ("Government of Pakistan - civilians", "Government of Pakistan", "Civilians", 3, "PAK"),
)
