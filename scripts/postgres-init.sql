-- Vigie's store lives beside Airflow's metadata, in its own database.
CREATE DATABASE vigie OWNER airflow;
