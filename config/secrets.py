"""Telling a real secret from a placeholder, so production refuses the second.

A key copied from config/example.env (public), a word like "change-me", or something as
repetitive as 32 × "a" lets anyone who guesses it forge tokens and photo links. A random value
is recognised by estimating its entropy from its own characters: length × the Shannon entropy
of their frequencies; a short pattern repeated is refused outright. That underestimates a real random string a little (a 32-character hex key
scores about 115 bits) and scores typed or repeated text far lower.
"""
import math
from collections import Counter
from pathlib import Path

EXAMPLE_ENV = Path(__file__).resolve().parent / "example.env"

# Words that only ever appear in a value someone meant to replace.
PLACEHOLDER_WORDS = ("change-me", "changeme", "change_me", "replace", "placeholder", "example",
                     "your-", "your_", "xxxx", "dummy", "todo", "insecure", "dev-only",
                     "password", "secret-key", "test-secret")


def example_values(path=EXAMPLE_ENV):
    """NAME -> value as written in the example settings file."""
    values = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            name, sep, value = line.partition("=")
            if sep and not name.lstrip().startswith("#"):
                values[name.strip()] = value.strip()
    return values


def entropy_bits(value):
    counts = Counter(value)
    total = len(value)
    per_char = -sum(n / total * math.log2(n / total) for n in counts.values()) if total else 0.0
    return per_char * total


def weak_secret(name, value, min_bits):
    """Why `value` is not fit to be the secret `name`, or "" when it is."""
    lowered = value.lower()
    if value == example_values().get(name):
        return "copied from config/example.env"
    if any(word in lowered for word in PLACEHOLDER_WORDS):
        return "a placeholder"
    if value and value in (value + value)[1:-1]:
        return "a short pattern repeated"
    if entropy_bits(value) < min_bits:
        return "not random enough"
    return ""
