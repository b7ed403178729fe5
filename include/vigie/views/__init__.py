"""The analyst and operator pages of the Airflow plugin: queries, French display, templates.

``vigie.web.create_app`` builds the FastAPI app from these parts; the plugin only registers it.
"""
