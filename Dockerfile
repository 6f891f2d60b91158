# sqbot as a container service. Build: docker build -t sqbot .   (podman: add --format docker)
# State lives in the /data volume (database, sessions, digests). Configure with SQBOT_* env vars (.env.example).
ARG BASE=python:3.12-slim
FROM ${BASE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    SQBOT_DATA_DIR=/data \
    SQBOT_QUEUE=/app/queries \
    PATH=/opt/venv/bin:$PATH

WORKDIR /app
RUN python -m venv /opt/venv
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN pip install --no-compile . && rm -rf /root/.cache
COPY queries ./queries

RUN mkdir -p /data && chown 10001:10001 /data
USER 10001:10001
VOLUME ["/data"]

# The long-running daemon (`sqbot run`) is not built yet (see the daemon issue); until then the image runs
# one command per start, e.g. `docker run --env-file .env -v sqbot:/data sqbot post`.
ENTRYPOINT ["sqbot"]
CMD ["--help"]
