"""erdgen: schema documentation from SQLite migrations."""

__version__ = "0.1.0"
