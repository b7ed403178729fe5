"""Vigie: watches French news for new figures and declarations on a pair of countries.

Everything that does work lives here, importable and testable without Airflow; the DAGs in
``dags/`` only wire these functions together.
"""

__version__ = "0.1.0"
