# The image every Airflow service of docker-compose.yaml runs: Airflow 3.3 with Vigie's pinned stack.
FROM apache/airflow:3.3.2-python3.11
COPY --chown=airflow:root requirements.txt /opt/vigie/requirements.txt
RUN pip install --no-cache-dir -r /opt/vigie/requirements.txt
ENV PYTHONPATH=/opt/airflow/include
