"""Analysis of article text: relevance, events, figures and declarations (spaCy runs here only)."""
