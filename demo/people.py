"""Who the demo's households are: names by nationality, the mix of household kinds, and their members."""

from bisect import bisect
from datetime import date, timedelta
from functools import lru_cache
from itertools import accumulate

from settlement.models import Category, Composition

NAMES = {
    "ERI": (["Yonas", "Daniel", "Samuel", "Filmon", "Tesfay", "Mehari"], ["Helen", "Selam", "Senait", "Luwam", "Mebrat"],
            ["Tesfamariam", "Ghebremedhin", "Haile", "Kidane", "Woldu", "Berhe"]),
    "SOM": (["Abdi", "Mohamed", "Ahmed", "Hassan", "Yusuf"], ["Fadumo", "Amina", "Hodan", "Sahra", "Asha"],
            ["Ali", "Warsame", "Farah", "Hussein", "Jama", "Abdullahi"]),
    "SYR": (["Omar", "Khaled", "Ahmad", "Rami", "Yousef"], ["Rasha", "Lina", "Nour", "Hala", "Maya"],
            ["Al-Hassan", "Haddad", "Khalil", "Mansour", "Darwish", "Saleh"]),
    "AFG": (["Ali", "Mohammad", "Reza", "Hamid", "Jawad"], ["Zahra", "Fatima", "Maryam", "Shirin", "Parwana"],
            ["Ahmadi", "Hosseini", "Rahimi", "Karimi", "Sultani"]),
    "ETH": (["Abebe", "Dawit", "Tewodros"], ["Almaz", "Meseret", "Tigist"], ["Tadesse", "Bekele", "Girma"]),
    "SDN": (["Osman", "Adam", "Ibrahim"], ["Mariam", "Halima", "Khadija"], ["Abdelrahman", "Idris", "Musa"]),
    "IRN": (["Arash", "Babak", "Kaveh"], ["Leila", "Nasrin", "Parisa"], ["Moradi", "Rezaei", "Jafari"]),
    "IRQ": (["Karwan", "Haider", "Mustafa"], ["Shilan", "Zainab", "Huda"], ["Aziz", "Salih", "Jabbar"]),
    "XXA": (["Mahmoud", "Bilal", "Tareq"], ["Samira", "Rania", "Dina"], ["Abu Ali", "Nasser", "Odeh"]),
    "COD": (["Jean", "Patrick", "Emmanuel"], ["Grace", "Esther", "Chantal"], ["Mukendi", "Kabongo", "Ilunga"]),
    "MMR": (["Aung", "Htoo", "Saw"], ["Paw", "Naw", "Mu"], ["Moo", "Htoo", "Say"]),
}
NATIONALITY_WEIGHTS = {"ERI": 24, "SOM": 14, "SYR": 22, "AFG": 10, "ETH": 5, "SDN": 5, "IRN": 5, "IRQ": 4, "XXA": 5, "COD": 3, "MMR": 3}
RESETTLEMENT_NATIONALITIES = {"SYR": 6, "COD": 2, "MMR": 2}
MINOR_NATIONALITIES = {"AFG": 5, "ERI": 4, "SOM": 3, "SYR": 2}


# composition, category, weight (households). Mostly single adults: 71 % of the settlement-ready were single at the
# turn of 2012-2013 (line 912-913); families with children are fewer but larger.
HOUSEHOLD_KINDS = [
    (Composition.SINGLE_ADULT, Category.RECEPTION_CENTRE, 70),
    (Composition.FAMILY_WITH_CHILDREN, Category.RECEPTION_CENTRE, 5),
    (Composition.FAMILY_WITHOUT_CHILDREN, Category.RECEPTION_CENTRE, 4),
    (Composition.UNACCOMPANIED_MINOR, Category.UNACCOMPANIED_MINOR, 6),
    (Composition.FAMILY_WITH_CHILDREN, Category.RESETTLEMENT, 3),
    (Composition.SINGLE_ADULT, Category.RESETTLEMENT, 3),
    (Composition.FAMILY_WITH_CHILDREN, Category.FAMILY_REUNIFICATION, 4),
    (Composition.SINGLE_ADULT, Category.PRIVATE, 2),
]
# Log offset of each kind's wait from the year's calibrated median: single adults wait longest, families with
# children have a 3-month target, resettlement refugees are placed straight into a municipality.
WAIT_BIAS = {Composition.SINGLE_ADULT: 0.25, Composition.FAMILY_WITHOUT_CHILDREN: 0.0,
             Composition.FAMILY_WITH_CHILDREN: -0.45, Composition.UNACCOMPANIED_MINOR: 0.0}
RESETTLEMENT_BIAS = -0.9
SPECIAL_NEEDS = ["Rullestolbruker, trenger tilrettelagt bolig", "Behov for oppfølging i psykisk helsevern",
                 "Kronisk sykdom, behov for fastlege ved ankomst", "Traumer, behov for oppfølging av helsesøster"]


@lru_cache(maxsize=None)
def _cumulative(weights: tuple) -> tuple[list, list]:
    return [k for k, _ in weights], list(accumulate(w for _, w in weights))


def draw(rng, population: list, cum_weights: list):
    """rng.choices(population, cum_weights=cum_weights)[0]: the same draw from the same random number, without the
    call's checks and list (about 100,000 draws at scale 1, issue 14)."""
    return population[bisect(cum_weights, rng.random() * (cum_weights[-1] + 0.0), 0, len(population) - 1)]


def _weighted(rng, weights: dict):
    return draw(rng, *_cumulative(tuple(weights.items())))  # what rng.choices(keys, weights=...) would draw


def household_size(rng, composition) -> int:
    if composition == Composition.FAMILY_WITH_CHILDREN:
        return 2 + rng.choice([1, 1, 2, 2, 3, 4])
    return 2 if composition == Composition.FAMILY_WITHOUT_CHILDREN else 1


def make_persons(rng, composition, category, size: int, permit: date, next_duf) -> list[dict]:
    """The household's members as Person field values, the head first."""
    nat_weights = (MINOR_NATIONALITIES if composition == Composition.UNACCOMPANIED_MINOR
                   else RESETTLEMENT_NATIONALITIES if category == Category.RESETTLEMENT else NATIONALITY_WEIGHTS)
    nat = _weighted(rng, nat_weights)
    male, female, last_names = NAMES[nat]
    last = rng.choice(last_names)

    def person(age_years, sex, is_head):
        birth = permit - timedelta(days=int(age_years * 365.25) + rng.randint(0, 364))
        first = rng.choice(male if sex == "M" else female)
        return {"first_name": first, "last_name": last, "birth_date": birth, "sex": sex, "nationality": nat,
                "is_head": is_head, "residence_permit_date": permit, "duf_number": next_duf(permit.year)}

    if composition == Composition.UNACCOMPANIED_MINOR:
        return [person(rng.randint(13, 17), "M" if rng.random() < 0.85 else "F", True)]
    if composition == Composition.SINGLE_ADULT:
        return [person(rng.randint(19, 45), "M" if rng.random() < 0.72 else "F", True)]
    people = [person(rng.randint(24, 45), "M", True), person(rng.randint(20, 42), "F", False)]
    people += [person(rng.randint(0, 15), rng.choice("MF"), False) for _ in range(size - 2)]
    return people
