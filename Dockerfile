# The Zebra app: the project installed from this repository (editable, so frontend/ and solr/ stay beside
# the code). On start it builds the corpus into the configured store and index when they are empty
# (`zebra build --if-missing`), then serves on :8000. Used by docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    ZEBRA_DATA_DIR=/var/lib/zebra ZEBRA_HOST=0.0.0.0 ZEBRA_PORT=8000

# CPU-only torch: the default PyPI wheel pulls several GB of CUDA libraries the app does not use.
ARG TORCH_INDEX=https://download.pytorch.org/whl/cpu

WORKDIR /srv/zebra
COPY pyproject.toml README.md ./
COPY cli ./cli
COPY app ./app
COPY training ./training
COPY indexer ./indexer
COPY models ./models
COPY core ./core
COPY evaluation ./evaluation
COPY frontend ./frontend
COPY data ./data
COPY solr/configsets ./solr/configsets
# pysolr and psycopg are listed here too so the image works before pyproject.toml pins them.
RUN pip install --extra-index-url "$TORCH_INDEX" -e . "pysolr==3.11.*" "psycopg[binary]>=3.2,<4" \
    && useradd --system --home /var/lib/zebra zebra && mkdir -p /var/lib/zebra && chown zebra /var/lib/zebra

USER zebra
EXPOSE 8000
CMD ["sh", "-c", "zebra build --if-missing --no-progress && exec zebra serve"]
