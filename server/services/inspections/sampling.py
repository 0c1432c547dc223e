"""The seeded draw. Everything a reviewer needs to redraw a checklist is stored with it: the
seed and, per group in order, the population as given and the sample size. Redrawing is

    rng = random.Random(int(seed))
    for group in groups: rng.sample(group["population"], group["size"])

so the same seed and population give the same points on any machine (Python's Mersenne
Twister and `sample` are stable across versions for integer seeds)."""
import random
import secrets


def new_seed():
    return str(secrets.randbits(63))


def draw(seed, groups):
    """[(group, [points drawn, in draw order])] for the stored groups."""
    rng = random.Random(int(seed))
    return [(group, rng.sample(group["population"], group["size"])) for group in groups]
