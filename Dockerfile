# sqbot as a container service: `sqbot run` posts what is due, polls for replies and mails the digest.
# Build: docker build -t sqbot .   (podman: podman build --format docker -t sqbot .  -- OCI drops HEALTHCHECK)
# Run:   docker compose up -d      (compose.yaml: named volume for /data, env_file .env, restart policy)
# State lives in the /data volume (database, sessions, written digests). Settings: SQBOT_* (.env.example).
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
# dependencies first (a layer that survives code changes), then the package itself
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN pip install --no-compile . \
    && rm -rf /root/.cache /app/bot /app/build /app/*.egg-info
COPY queries ./queries

RUN mkdir -p /data && chmod 0700 /data && chown 10001:10001 /data
USER 10001:10001
VOLUME ["/data"]

# `sqbot health` exits 0 while the daemon's heartbeat is fresh and the database takes a write.
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s --retries=3 CMD ["sqbot", "health"]

# sqbot handles SIGTERM itself (PID 1): the running step finishes or is safely abandoned, exit 0 within ~5 s.
STOPSIGNAL SIGTERM
ENTRYPOINT ["sqbot"]
CMD ["run"]
