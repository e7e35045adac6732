FROM python:3.11-slim
WORKDIR /srv/asklytics
ENV PIP_NO_CACHE_DIR=1 HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
COPY pyproject.toml README.md ./
COPY app ./app
COPY common ./common
COPY prompts ./prompts
COPY retrieval ./retrieval
COPY semantic_layer ./semantic_layer
COPY predictors ./predictors
COPY charts ./charts
COPY evals ./evals
COPY warehouse ./warehouse
# CPU-only torch first so sentence-transformers does not pull CUDA wheels.
RUN pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu && pip install ".[all]"
EXPOSE 8000
CMD ["sh", "-c", "asklytics demo build --if-absent && asklytics serve --host 0.0.0.0 --port 8000"]
