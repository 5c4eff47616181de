# policykb API image: the FastAPI app served by uvicorn.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    POLICYKB_DATA_DIR=/var/lib/policykb

WORKDIR /app
COPY pyproject.toml README.md ./
COPY analyzers ./analyzers
COPY synonyms ./synonyms
COPY kb ./kb
COPY indexer ./indexer
COPY search_api ./search_api
COPY scripts ./scripts
RUN pip install --no-cache-dir . \
    && useradd --system --home /var/lib/policykb policykb \
    && mkdir -p /var/lib/policykb && chown policykb /var/lib/policykb

USER policykb
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --retries=5 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"
CMD ["policykb", "serve", "--host", "0.0.0.0", "--port", "8000"]
