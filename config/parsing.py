"""Strict parsers for environment values: a value that is present but malformed is an error."""
import re

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


class SettingsError(RuntimeError):
    """A setting is missing, malformed or unsafe for the environment."""


def env_str(env, name, default):
    value = env.get(name)
    if value is None or value == "":
        return default
    return value.strip()


def env_bool(env, name, default):
    value = env.get(name)
    if value is None or value == "":
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise SettingsError(f"{name} must be one of {sorted(TRUE_WORDS | FALSE_WORDS)}, not {value!r}")


def env_int(env, name, default, minimum=None, maximum=None):
    value = env.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {value!r}") from None
    if minimum is not None and number < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, not {number}")
    if maximum is not None and number > maximum:
        raise SettingsError(f"{name} must be at most {maximum}, not {number}")
    return number


def env_choice(env, name, default, choices):
    value = env_str(env, name, default)
    if value not in choices:
        raise SettingsError(f"{name} must be one of {sorted(choices)}, not {value!r}")
    return value


def env_int_list(env, name, default, minimum=None, maximum=None):
    """A comma-separated list of whole numbers, e.g. JOB_RETRY_INTERVALS=30,120,600."""
    value = env.get(name)
    if value is None or value.strip() == "":
        return list(default)
    numbers = []
    for part in value.split(","):
        numbers.append(env_int({name: part}, name, None, minimum, maximum))
    if any(n is None for n in numbers):
        raise SettingsError(f"{name} must be whole numbers separated by commas, not {value!r}")
    return numbers


def env_mapping(env, name, default):
    """`a=b,c=d` as a dict; a part without `=` or with an empty side is an error."""
    value = env.get(name)
    if value is None or value.strip() == "":
        return dict(default)
    mapping = {}
    for part in value.split(","):
        key, sep, val = (s.strip() for s in part.partition("="))
        if not sep or not key or not val:
            raise SettingsError(f"{name} must look like field=key,field=key, not {value!r}")
        mapping[key] = val
    return mapping


_PERIODS = {"s": 1, "sec": 1, "second": 1, "seconds": 1, "m": 60, "min": 60, "minute": 60,
            "minutes": 60, "h": 3600, "hour": 3600, "hours": 3600, "d": 86400, "day": 86400,
            "days": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([a-z]+)\s*$")


def env_rates(env, name, default):
    """Rate limits as `count/period`, comma-separated: `10/hour,30/day`, `3/10s`. Returns
    [(count, seconds), ...]; a malformed part, a zero count or a period over a week is an
    error."""
    value = env.get(name)
    if value is None or value.strip() == "":
        value = default
    rates = []
    for part in value.split(","):
        match = _RATE.match(part.lower())
        unit = _PERIODS.get(match.group(3)) if match else None
        if unit is None:
            raise SettingsError(f"{name} must look like 10/minute or 10/hour,30/day (periods: "
                                f"s, minute, hour, day, optionally with a number: 10/5minutes), "
                                f"not {value!r}")
        count, seconds = int(match.group(1)), int(match.group(2) or 1) * unit
        if count < 1 or not 1 <= seconds <= 7 * 86400:
            raise SettingsError(f"{name}: each limit needs a count of at least 1 and a period "
                                f"of 1 second to 7 days, not {part.strip()!r}")
        rates.append((count, seconds))
    return rates
