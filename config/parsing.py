"""Strict parsers for environment values: a value that is present but malformed is an error."""

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
