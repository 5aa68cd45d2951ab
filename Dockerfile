# The search service: one image for the web service and for the indexer.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    SEARCH_SERVICE_INDEX_DIR=/app/index \
    SEARCH_SERVICE_HOST=0.0.0.0 \
    SEARCH_SERVICE_PORT=8000

WORKDIR /app
COPY pyproject.toml README.md ./
COPY search_service ./search_service
RUN pip install --no-cache-dir . \
 && useradd --system --uid 10001 --home-dir /app search \
 && mkdir -p /app/index /app/analytics && chown search /app/index /app/analytics
# Not root: a named volume mounted at /app/index takes this folder's owner, so the indexer (same image) can write.
USER search

EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"
CMD ["search-service", "serve"]
