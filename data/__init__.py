"""Files shipped with xtalent, installed as the package xtalent.data (see pyproject.toml) and read
through importlib.resources, so they are found from a wheel as from this folder."""
