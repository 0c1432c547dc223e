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
