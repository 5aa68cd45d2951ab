"""The OpenAPI 3.1 document of the JSON API. A test checks real responses against these schemas."""

from __future__ import annotations

from typing import Any

from ..query import SCOPES, SORTS
from ..results import COPY_FIELDS, HIT_FIELDS, SPELLED_FIELDS
from ..searcher import COPIES_SHOWN, MAX_PAGE
from ..sources import ARTICLE_FIELDS
from .forms import MAX_PER_PAGE

NULLABLE_STRING = {"type": ["string", "null"]}
# The JSON type of each public field of an article, as results.public_value gives it; one entry per
# sources.ARTICLE_FIELDS (a field without one fails here, at import).
_FIELD_SCHEMAS = {
    "id": {"type": "string"},
    "title": {"type": "string"},
    "summary": {"type": "string"},
    "body": {"type": "string"},
    "category": {"type": "array", "items": {"type": "string"}},
    "tags": {"type": "array", "items": {"type": "string"}},
    "author": NULLABLE_STRING,
    "published": {"type": ["string", "null"], "description": "ISO 8601"},
    "url": NULLABLE_STRING,
    "views": {"type": ["integer", "null"]},
    "source": NULLABLE_STRING,
}
ARTICLE_PROPERTIES = {name: _FIELD_SCHEMAS[name] for name in ARTICLE_FIELDS}


def _parameter(name: str, schema: dict[str, Any], description: str, explode: bool = False) -> dict[str, Any]:
    parameter = {"name": name, "in": "query", "required": False, "schema": schema, "description": description}
    if explode:
        parameter.update(style="form", explode=True)
    return parameter


ERROR = {
    "description": "A bad request, with a message in Vietnamese and English.",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
            }
        },
    },
    "Hit": {
        "type": "object",
        "required": [*HIT_FIELDS, "score", "snippet", "title_html", "missing", "copies"],
        "properties": {
            **{name: ARTICLE_PROPERTIES[name] for name in HIT_FIELDS},
            "score": {"type": ["number", "null"], "description": "null when sorted by something else than relevance"},
            "snippet": {"type": "string", "description": "HTML: escaped text, matched words in <mark>"},
            "title_html": {"type": "string", "description": "HTML: the title escaped, matched words in <mark>"},
            "missing": {
                "type": "array",
                "items": {"type": "string"},
                "description": "the typed words this article lacks (a partial match: a long query, or the retry "
                "with any word when no article held them all), a word of several syllables lacked unless its "
                "syllables stand side by side; a word typed without diacritics as the search read it where it read so "
                "surely (0.9 likely), else as typed; empty when it holds every one",
            },
            "copies": {
                "type": "array",
                "maxItems": COPIES_SHOWN,
                "items": {"$ref": "#/components/schemas/Copy"},
                "description": "other articles with the same title, sapo and body (republished elsewhere) or the "
                "same text edited, each shown only here: total and facets count them once",
            },
        },
    },
    "Copy": {
        "type": "object",
        "required": [*COPY_FIELDS, "exact"],
        "properties": {
            **{name: ARTICLE_PROPERTIES[name] for name in COPY_FIELDS},
            "exact": {
                "type": "boolean",
                "description": "the same title, sapo and body; false for a near copy (the text edited: a sentence "
                "or a title changed, no other numbers)",
            },
        },
    },
    "FacetValue": {
        "type": "object",
        "required": ["value", "count"],
        "properties": {"value": {"type": ["string", "integer"]}, "count": {"type": "integer", "minimum": 1}},
    },
    "SearchResponse": {
        "type": "object",
        "required": [
            "query",
            "total",
            "complete",
            "page",
            "per_page",
            "pages",
            "took_ms",
            "hits",
            "facets",
            "suggestion",
            "field_suggestions",
        ],
        "properties": {
            "query": {
                "type": "object",
                "description": "what was understood of the request: q as searched (and all, phrase, any, none as "
                "searched: spaced, decoded from Telex, spelled as they surely read); typed, the box as typed; "
                "keyboard, telex or vni when the box was typed so and searched in Vietnamese; corrected_from, the box "
                "when another spelling was searched (its likelier spelling when it found nothing, or a few articles "
                "where that spelling finds five times as many, its missing marks restored, or the spelling a short "
                "query without diacritics surely reads; q itself for one that surely reads as typed); read, q as its "
                "results read it: a syllable typed without marks among marked ones, matched in its likely accentings, "
                "spelled as it all but surely reads (mưa lớn miền bac: mưa lớn miền bắc), q itself when none is; "
                "spelled, true when such a query's words matched as spelled, a syllable without marks as one without "
                "(an ninh, not ăn); numbers_apart, true when no article held a number of a short query beside its word "
                "(thông tư 20) and the results hold the number elsewhere, the words whole; relaxed, true when no "
                "article held the words as the query asks for them (every word of a short query, each whole, a number "
                "beside its word) and the results hold some of them (or all, a number elsewhere: complete counts "
                "those); other_diacritics, true when no article held any of the words as accented (or the words "
                "together, one of them a spelling the index never writes) and they matched with other diacritics; "
                "apart, true when no article held any word of a short query whole (its syllables side by side) and the "
                "results hold its syllables apart; no_words, true when text was typed with no letter or digit to "
                "search by (nothing is found; an empty box lists the newest articles)",
            },
            "total": {
                "type": "integer",
                "minimum": 0,
                "description": "articles found, partial matches included, copies of one article once",
            },
            "complete": {
                "type": "integer",
                "minimum": 0,
                "description": "how many of them hold every typed word, each whole",
            },
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
            "pages": {"type": "integer", "minimum": 0},
            "took_ms": {"type": "number"},
            "hits": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
            "facets": {
                "type": "object",
                "required": ["category", "year", "source"],
                "properties": {
                    "category": {"type": "array", "items": {"$ref": "#/components/schemas/FacetValue"}},
                    "year": {"type": "array", "items": {"$ref": "#/components/schemas/FacetValue"}},
                    "source": {"type": "array", "items": {"$ref": "#/components/schemas/FacetValue"}},
                },
            },
            "suggestion": NULLABLE_STRING,
            "field_suggestions": {
                "type": "object",
                "description": "the advanced form's words (all, phrase, any) typed with marks that likelier read "
                "otherwise, each field's likelier spelling (thủ tưởng: thủ tướng), when the search with them so "
                "spelled finds something; empty otherwise",
                "additionalProperties": False,
                "properties": {name: {"type": "string"} for name in SPELLED_FIELDS},
            },
        },
    },
    "Suggestions": {
        "type": "object",
        "required": ["suggestions"],
        "properties": {"suggestions": {"type": "array", "maxItems": 10, "items": {"type": "string"}}},
    },
    "Article": {"type": "object", "required": list(ARTICLE_FIELDS), "properties": ARTICLE_PROPERTIES},
    "RelatedArticle": {
        "type": "object",
        "required": [*HIT_FIELDS, "score"],
        "properties": {**{name: ARTICLE_PROPERTIES[name] for name in HIT_FIELDS}, "score": {"type": "null"}},
    },
    "Related": {
        "type": "object",
        "required": ["id", "related"],
        "properties": {
            "id": {"type": "string"},
            "related": {"type": "array", "maxItems": 5, "items": {"$ref": "#/components/schemas/RelatedArticle"}},
        },
    },
    "Health": {
        "type": "object",
        "required": ["status"],
        "properties": {
            "status": {"enum": ["ok", "unavailable"]},
            "articles": {"type": "integer"},
            "reason": {"type": "string"},
        },
    },
}

TEXT = {"type": "string", "maxLength": 500}
DATE = {"type": "string", "description": "YYYY-MM-DD or dd/mm/yyyy", "maxLength": 30}


def _json(schema: str, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


def openapi_document() -> dict[str, Any]:
    """The whole document."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "search-service",
            "version": "0.1.0",
            "description": "Vietnamese full-text search: basic and advanced search, completions, articles.",
        },
        "paths": {
            "/api/search": {
                "get": {
                    "summary": "Basic and advanced search",
                    "parameters": [
                        _parameter(
                            "q",
                            TEXT,
                            'The search box: words, "phrase", -excluded, OR, (… OR …), AND, NOT, title:, category:',
                        ),
                        _parameter("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}, "Page, from 1"),
                        _parameter(
                            "per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE}, "Hits per page"
                        ),
                        _parameter("all", TEXT, "All of these words"),
                        _parameter("phrase", TEXT, "This exact phrase"),
                        _parameter("any", TEXT, "Any of these words"),
                        _parameter("none", TEXT, "None of these words"),
                        _parameter("in", {"enum": list(SCOPES)}, "Search everywhere or in the title only"),
                        _parameter(
                            "category",
                            {"type": "array", "items": {"type": "string", "maxLength": 200}, "maxItems": 20},
                            "Only these categories (each in any case and accenting, or as a slug: cai-cach-hanh-chinh)",
                            explode=True,
                        ),
                        _parameter(
                            "source",
                            {"type": "array", "items": {"type": "string", "maxLength": 200}, "maxItems": 20},
                            "Only these sources (the portals of a network, the papers; read as the categories are)",
                            explode=True,
                        ),
                        _parameter("author", TEXT, "Only this author"),
                        _parameter("from", DATE, "Published on or after"),
                        _parameter("to", DATE, "Published on or before"),
                        _parameter("sort", {"enum": list(SORTS)}, "Order of the hits"),
                        _parameter(
                            "typed",
                            {"type": "integer", "enum": [0, 1]},
                            "1: search the box and the advanced fields exactly as typed (no Telex/VNI repair, no "
                            "spelling read from them, a quoted phrase no article holds not replaced by its words)",
                        ),
                    ],
                    "responses": {"200": _json("SearchResponse", "One page of results"), "400": ERROR},
                }
            },
            "/api/suggest": {
                "get": {
                    "summary": "Completions for a prefix being typed",
                    "parameters": [_parameter("q", {"type": "string", "maxLength": 100}, "The prefix")],
                    "responses": {"200": _json("Suggestions", "Up to 10 completions"), "400": ERROR},
                }
            },
            "/api/articles/{id}": {
                "get": {
                    "summary": "One stored article",
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {
                        "200": _json("Article", "The article"),
                        "404": _json("Error", "No article with this id"),
                    },
                }
            },
            "/api/articles/{id}/related": {
                "get": {
                    "summary": "The articles most like one (Tin liên quan)",
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {
                        "200": _json("Related", "Up to 5 articles, the most alike first"),
                        "404": _json("Error", "No article with this id"),
                    },
                }
            },
            "/healthz": {
                "get": {
                    "summary": "Whether the index is open",
                    "responses": {
                        "200": _json("Health", "The index is open"),
                        "503": _json("Health", "No usable index, with the reason"),
                    },
                }
            },
        },
        "components": {"schemas": SCHEMAS},
    }
