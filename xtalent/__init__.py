"""xtalent: the core (models, store, rules, metrics, exporters, CLI). Never imports textual."""

__version__ = "0.1.0"
