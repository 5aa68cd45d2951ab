"""Vietnamese full-text search for news and government portals.

The bundled sample articles come from VNTC (MIT licence, Copyright (c) 2019 Vu Cong Duy Hoang); see
``data/sample/CREDITS.md``.
"""

__version__ = "0.1.0"
